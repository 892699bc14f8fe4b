// What every template's model-deploy seeded repository declares alike for the seed skeleton
// (projenrc/seed-repository.ts): the dependencies around the vendored deploy core
// (@mlops-templates/model-deploy), the commands it provides, and the Build and TestStagingEndpoint
// buildspecs the product's model-deploy pipeline runs. A template's declaration adds its own.
import { SEED_TS_RUNNER, type SeedBuildspec, type SeedRepositoryOptions } from './seed-repository';

const AWS_SDK = '^3.936.0';
const run = (file: string): string => `${SEED_TS_RUNNER} ${file}`;

/** Dependencies of every model-deploy seed (the vendored core, its peers, the S3 client of the test data). */
export const MODEL_DEPLOY_DEPENDENCIES: Record<string, string> = {
  '@aws-sdk/client-s3': AWS_SDK,
  '@aws-sdk/client-sagemaker': AWS_SDK,
  '@aws-sdk/client-sagemaker-runtime': AWS_SDK,
  '@aws-sdk/client-ssm': AWS_SDK,
  '@mlops-templates/model-deploy': 'file:vendor/model-deploy',
  '@mlops-templates/project-contract': 'file:vendor/project-contract',
  'aws-cdk-lib': '2.276.0',
  constructs: '^10.5.1',
  zod: '^4',
};

/** devDependencies of every model-deploy seed: the CDK CLI (`npm run synth`), SDK mocks and streams. */
export const MODEL_DEPLOY_DEV_DEPENDENCIES: Record<string, string> = {
  '@smithy/util-stream': '^4',
  'aws-cdk': '^2.1148.1',
  'aws-sdk-client-mock': '^4.1',
};

/** The commands of every model-deploy seed. */
export const MODEL_DEPLOY_SCRIPTS: Record<string, string> = {
  'build:stage-params': run('src/cli/build-stage-params.ts'),
  'test:endpoint': run('src/cli/test-endpoint.ts'),
  synth: 'cdk synth',
};

/** The Build action (buildspec.yml): tests, the stage templates and configurations, cfn-lint. */
export const MODEL_DEPLOY_BUILD_BUILDSPEC: SeedBuildspec = {
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
};

/** The TestStagingEndpoint action (buildspec-test.yml), described by the seed's comment lines. */
export function modelDeployTestBuildspec(comment: string[]): SeedBuildspec {
  return { comment, phases: { build: ['npm run test:endpoint'] } };
}

/** The options every model-deploy seed shares (external tools: cfn-lint on its templates). */
export const MODEL_DEPLOY_SEED_OPTIONS: Pick<SeedRepositoryOptions, 'externalTools'> = {
  externalTools: ['cfn-lint'],
};
