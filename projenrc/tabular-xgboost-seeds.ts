// The seeded repositories of the tabular XGBoost template, declared for the seed skeleton
// (projenrc/seed-repository.ts): dependencies (vendored packages as `file:vendor/<pkg>`), their own
// scripts and their build phases. model-deploy and monitoring are declared in their own files
// (projenrc/tabular-xgboost-<repo>-seed.ts) and joined here when they exist.
import { Project } from 'projen';
import { SEED_TS_RUNNER, SeedRepository } from './seed-repository';

const TEMPLATE = 'tabular-xgboost';
const AWS_SDK = '^3.936.0';
const run = (file: string): string => `${SEED_TS_RUNNER} ${file}`;

/** Declares the skeleton of the template's model-build seed folder. */
export function tabularXgboostSeeds(project: Project): SeedRepository[] {
  return [
    new SeedRepository(project, {
      template: TEMPLATE,
      repo: 'model-build',
      version: '1.0.0',
      description:
        'Model build of a tabular XGBoost SageMaker project: the SageMaker pipeline (prepare/split, train with built-in XGBoost, evaluate, Model Monitor baselines, gate, register with model metrics and drift-check baselines) and its processing scripts.',
      dependencies: {
        '@aws-sdk/client-s3': AWS_SDK,
        '@aws-sdk/client-sagemaker': AWS_SDK,
        '@aws-sdk/client-ssm': AWS_SDK,
        '@mlops-templates/pipeline-definition': 'file:vendor/pipeline-definition',
        '@mlops-templates/project-contract': 'file:vendor/project-contract',
        zod: '^4',
      },
      devDependencies: {
        'aws-sdk-client-mock': '^4.1',
      },
      scripts: {
        definition: run('src/cli/definition.ts'),
        'pipeline:upsert': run('src/cli/pipeline-upsert.ts'),
        'pipeline:run': run('src/cli/pipeline-run.ts'),
      },
      jestSetupFiles: ['test/setup-env.ts'],
      buildspecs: {
        'buildspec.yml': {
          comment: [
            "CodeBuild of the model-build repository (run by the project's model-build CodePipeline on every",
            'push to main). Tests, then uploads the processing scripts and creates/updates the SageMaker',
            'pipeline, then starts an execution and returns (follow it in SageMaker Studio or with',
            '`npm run pipeline:run -- --wait` locally). The environment variables are set by the project',
            '(see README.md), TRIGGER_REASON=push by the CodePipeline action.',
          ],
          runsTests: true,
          phases: {
            pre_build: ['npm test'],
            build: ['npm run pipeline:upsert', 'npm run pipeline:run'],
          },
        },
      },
    }),
  ];
}
