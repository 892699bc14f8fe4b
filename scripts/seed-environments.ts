// Where each seeded repository declares its pick of the environment contract
// (@mlops-templates/project-contract): the schema each npm script reads, and the variables of its
// generated config/example-environment.json. Read by `npx projen seed:examples` and by
// test/environment-contract.test.ts (the declarations stay in the seed code; nothing is copied here).
import * as path from 'node:path';
import type { ProjectVariable } from '@mlops-templates/project-contract';
import type { z } from 'zod';
import * as modelBuild from '../seed-code/deepar-forecasting/model-build/src/config/environment';
import * as modelDeploy from '../seed-code/deepar-forecasting/model-deploy/src/environment';
import * as monitoring from '../seed-code/deepar-forecasting/monitoring/src/infra/deployment-environment';
import * as tabularModelBuild from '../seed-code/tabular-xgboost/model-build/src/config/environment';
import * as tabularModelDeploy from '../seed-code/tabular-xgboost/model-deploy/src/environment';
import * as tabularMonitoring from '../seed-code/tabular-xgboost/monitoring/src/environment';
import { seedDirectoryOf } from '../templates/deepar-forecasting/seeded-repositories';
import {
  type SeededRepositoryName as TabularSeededRepositoryName,
  seedDirectoryOf as tabularSeedDirectoryOf,
} from '../templates/tabular-xgboost/seeded-repositories';

/** A seeded repository's declaration of what it reads. */
export interface SeedEnvironment {
  /** The seed folder. */
  readonly directory: string;
  /** The schema each npm script parses its environment with. */
  readonly byScript: Readonly<Record<string, z.ZodObject>>;
  /** The variables of config/example-environment.json. */
  readonly exampleVariables: readonly ProjectVariable[];
}

/** The seeded repositories of the DeepAR forecasting template. */
export const SEED_ENVIRONMENTS = {
  'model-build': {
    directory: seedDirectoryOf('model-build'),
    byScript: modelBuild.ENVIRONMENT_BY_SCRIPT,
    exampleVariables: modelBuild.EXAMPLE_ENVIRONMENT_VARIABLES,
  },
  'model-deploy': {
    directory: seedDirectoryOf('model-deploy'),
    byScript: modelDeploy.ENVIRONMENT_BY_SCRIPT,
    exampleVariables: modelDeploy.EXAMPLE_ENVIRONMENT_VARIABLES,
  },
  monitoring: {
    directory: seedDirectoryOf('monitoring'),
    byScript: monitoring.ENVIRONMENT_BY_SCRIPT,
    exampleVariables: monitoring.EXAMPLE_ENVIRONMENT_VARIABLES,
  },
} as const satisfies Record<string, SeedEnvironment>;

/** The example file of a seed. */
export function exampleEnvironmentFile(seed: SeedEnvironment): string {
  return path.join(seed.directory, 'config', 'example-environment.json');
}

/**
 * The seeded repositories of the tabular XGBoost template: one entry per repository of
 * templates/tabular-xgboost/seeded-repositories.ts (typed: a seed without its entry fails the type check,
 * so `seed:examples --check` never skips one).
 */
export const TABULAR_XGBOOST_SEED_ENVIRONMENTS = {
  'model-build': {
    directory: tabularSeedDirectoryOf('model-build'),
    byScript: tabularModelBuild.ENVIRONMENT_BY_SCRIPT,
    exampleVariables: tabularModelBuild.EXAMPLE_ENVIRONMENT_VARIABLES,
  },
  'model-deploy': {
    directory: tabularSeedDirectoryOf('model-deploy'),
    byScript: tabularModelDeploy.ENVIRONMENT_BY_SCRIPT,
    exampleVariables: tabularModelDeploy.EXAMPLE_ENVIRONMENT_VARIABLES,
  },
  monitoring: {
    directory: tabularSeedDirectoryOf('monitoring'),
    byScript: tabularMonitoring.ENVIRONMENT_BY_SCRIPT,
    exampleVariables: tabularMonitoring.EXAMPLE_ENVIRONMENT_VARIABLES,
  },
} as const satisfies Record<TabularSeededRepositoryName, SeedEnvironment>;

/** Every seeded repository's declaration, of every template (the example files are generated from these). */
export const ALL_SEED_ENVIRONMENTS: readonly SeedEnvironment[] = [
  ...Object.values(SEED_ENVIRONMENTS),
  ...Object.values(TABULAR_XGBOOST_SEED_ENVIRONMENTS),
];
