// The seeded repositories of the tabular XGBoost template: where their seed folders live, what each is
// for and which workspace packages it vendors. CDK-free (scripts and tests import it without loading
// aws-cdk-lib), used by the product stack too.
import * as path from 'node:path';
import type { VendoredPackage } from '@mlops-templates/constructs';

/** Seed folders of this template. */
export const SEED_DIRECTORY = path.resolve(__dirname, '..', '..', 'seed-code', 'tabular-xgboost');

/** The seeded repositories, their purpose and the workspace packages they vendor. */
export const SEEDED_REPOSITORIES = {
  'model-build': {
    description:
      'Model build: SageMaker pipeline (built-in XGBoost) with data preparation, evaluation, Model Monitor baselines, gate and registration',
    vendor: ['pipeline-definition', 'project-contract', 'test-harness'],
  },
  'model-deploy': {
    description: 'Model deploy: staging and prod endpoints of the approved model (CSV payloads and capture)',
    vendor: ['model-deploy', 'project-contract', 'test-harness'],
  },
  monitoring: {
    description:
      'Monitoring: built-in data-quality and model-quality monitors, ground truth, alarms and dashboard per stage',
    vendor: ['metrics', 'project-contract', 'test-harness'],
  },
} as const;

/** Name of a seeded repository (also its folder under SEED_DIRECTORY). */
export type SeededRepositoryName = keyof typeof SEEDED_REPOSITORIES;

/** The seeded repositories' names, in declaration order. */
export const SEEDED_REPOSITORY_NAMES = Object.keys(SEEDED_REPOSITORIES) as SeededRepositoryName[];

/** Seed folder of a seeded repository. */
export function seedDirectoryOf(repo: SeededRepositoryName): string {
  return path.join(SEED_DIRECTORY, repo);
}

/** The workspace packages vendored into a seeded repository. */
export function vendoredPackagesOf(repo: SeededRepositoryName): VendoredPackage[] {
  return SEEDED_REPOSITORIES[repo].vendor.map((pkg) => ({
    name: `@mlops-templates/${pkg}`,
    directory: path.dirname(require.resolve(`@mlops-templates/${pkg}/package.json`)),
  }));
}
