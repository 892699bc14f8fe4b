// The model-deploy seeded repository of the tabular XGBoost template, declared for the seed skeleton
// (projenrc/seed-repository.ts). Its deploy core is @mlops-templates/model-deploy, vendored like in the
// DeepAR model-deploy repository; what differs is the CSV payload codec and its commands.
import { Project } from 'projen';
import { SEED_TS_RUNNER, SeedRepository } from './seed-repository';

const AWS_SDK = '^3.936.0';
const run = (file: string): string => `${SEED_TS_RUNNER} ${file}`;

/** Declares the skeleton of seed-code/tabular-xgboost/model-deploy. */
export function tabularXgboostModelDeploySeed(project: Project): SeedRepository {
  return new SeedRepository(project, {
    template: 'tabular-xgboost',
    repo: 'model-deploy',
    description:
      'Model deploy repository of a tabular XGBoost SageMaker project: staging and prod endpoints of the approved model package, with KMS-encrypted CSV data capture, a CSV endpoint test and blue/green rollout with auto-rollback.',
    dependencies: {
      '@aws-sdk/client-s3': AWS_SDK,
      '@aws-sdk/client-sagemaker': AWS_SDK,
      '@aws-sdk/client-sagemaker-runtime': AWS_SDK,
      '@aws-sdk/client-ssm': AWS_SDK,
      '@mlops-templates/model-deploy': 'file:vendor/model-deploy',
      '@mlops-templates/project-contract': 'file:vendor/project-contract',
      'aws-cdk-lib': '2.276.0',
      constructs: '^10.5.1',
      zod: '^4',
    },
    devDependencies: {
      '@smithy/util-stream': '^4',
      'aws-cdk': '^2.1148.1',
      'aws-sdk-client-mock': '^4.1',
    },
    scripts: {
      'build:stage-params': run('src/cli/build-stage-params.ts'),
      'test:endpoint': run('src/cli/test-endpoint.ts'),
      synth: 'cdk synth',
    },
    externalTools: ['cfn-lint'],
    buildspecs: {
      'buildspec.yml': {
        comment: [
          'Build action of the model-deploy pipeline: tests this repository, resolves the model package to',
          'deploy (MODEL_PACKAGE_ARN / TRIGGER pipeline variables), writes the stage templates and template',
          'configurations, and lints them. Output artifact StageParameters: deploy/*.',
        ],
        runsTests: true,
        phases: {
          build: [
            'npm test',
            'npm run build:stage-params',
            'cfn-lint deploy/staging.template.json deploy/prod.template.json',
          ],
        },
        artifacts: {
          files: [
            'deploy/staging.template.json',
            'deploy/prod.template.json',
            'deploy/staging.config.json',
            'deploy/prod.config.json',
            'deploy/model-package.json',
            'deploy/stage-parameters.json',
          ],
        },
      },
      'buildspec-test.yml': {
        comment: [
          "TestStagingEndpoint action (after DeployStaging): sends the model package's sample CSV rows to the",
          'staging endpoint and checks one prediction per row for the problem type. The build output is the',
          'extra input StageParameters ($CODEBUILD_SRC_DIR_StageParameters/deploy/model-package.json).',
        ],
        phases: { build: ['npm run test:endpoint'] },
      },
    },
  });
}
