// The seeded repositories of the DeepAR forecasting template, declared for the seed skeleton
// (projenrc/seed-repository.ts): what differs between them — dependencies (vendored packages as
// `file:vendor/<pkg>`), their own scripts, the external tools their tests use and their build phases.
import { Project } from 'projen';
import {
  MODEL_DEPLOY_BUILD_BUILDSPEC,
  MODEL_DEPLOY_DEPENDENCIES,
  MODEL_DEPLOY_DEV_DEPENDENCIES,
  MODEL_DEPLOY_SCRIPTS,
  MODEL_DEPLOY_SEED_OPTIONS,
  modelDeployTestBuildspec,
} from './model-deploy-seed';
import { SEED_TS_RUNNER, SeedRepository } from './seed-repository';

const TEMPLATE = 'deepar-forecasting';
const AWS_SDK = '^3.936.0';
const POWERTOOLS = '2.36.0';
const CDK = { 'aws-cdk-lib': '2.276.0', constructs: '^10.5.1' };
const run = (file: string): string => `${SEED_TS_RUNNER} ${file}`;

/** Declares the skeleton of every seed folder of the template. */
export function deeparForecastingSeeds(project: Project): SeedRepository[] {
  return [
    new SeedRepository(project, {
      template: TEMPLATE,
      repo: 'model-build',
      version: '1.0.0',
      description:
        'Model build of a DeepAR forecasting SageMaker project: the SageMaker pipeline (prepare data, train, backtest, evaluate, gate, register) and its Lambda steps.',
      dependencies: {
        '@aws-lambda-powertools/logger': POWERTOOLS,
        '@aws-sdk/client-athena': AWS_SDK,
        '@aws-sdk/client-glue': AWS_SDK,
        '@aws-sdk/client-lambda': AWS_SDK,
        '@aws-sdk/client-s3': AWS_SDK,
        '@aws-sdk/client-sagemaker': AWS_SDK,
        '@aws-sdk/client-ssm': AWS_SDK,
        '@mlops-templates/metrics': 'file:vendor/metrics',
        '@mlops-templates/project-contract': 'file:vendor/project-contract',
        '@mlops-templates/pipeline-definition': 'file:vendor/pipeline-definition',
        'csv-parse': '^6.2.1',
        esbuild: '^0.28.2',
        fflate: '^0.8.2',
        hyparquet: '^1.31.5',
        zod: '^4',
      },
      devDependencies: {
        '@types/aws-lambda': '^8',
        'aws-sdk-client-mock': '^4.1',
        'hyparquet-writer': '^0.17.0',
      },
      scripts: {
        definition: run('src/cli/definition.ts'),
        'pipeline:upsert': run('src/cli/pipeline-upsert.ts'),
        'pipeline:run': run('src/cli/pipeline-run.ts'),
      },
      esmOnlyPackages: ['hyparquet', 'hyparquet-writer'],
      jestSetupFiles: ['test/setup-env.ts'],
      buildspecs: {
        'buildspec.yml': {
          comment: [
            "CodeBuild of the model-build repository (run by the project's model-build CodePipeline on every",
            'push to main). Tests, then creates/updates the Lambda step functions and the SageMaker pipeline,',
            'then starts an execution and returns: the pipeline runs on (training takes a while); follow it in',
            'SageMaker Studio or with `npm run pipeline:run -- --wait` locally. The environment variables are',
            'set by the project (see README.md), TRIGGER_REASON=push by the CodePipeline action.',
          ],
          runsTests: true,
          phases: {
            pre_build: ['npm test'],
            build: ['npm run pipeline:upsert', 'npm run pipeline:run'],
          },
        },
      },
    }),
    new SeedRepository(project, {
      template: TEMPLATE,
      repo: 'model-deploy',
      description:
        'Model deploy repository of a DeepAR forecasting SageMaker project: staging and prod endpoints of the approved model package, with encrypted data capture, an endpoint test and blue/green rollout with auto-rollback.',
      dependencies: {
        ...MODEL_DEPLOY_DEPENDENCIES,
        '@mlops-templates/metrics': 'file:vendor/metrics',
        'csv-parse': '^6.1.0',
      },
      devDependencies: MODEL_DEPLOY_DEV_DEPENDENCIES,
      scripts: {
        ...MODEL_DEPLOY_SCRIPTS,
        'threshold:set': run('src/cli/set-threshold.ts'),
      },
      ...MODEL_DEPLOY_SEED_OPTIONS,
      buildspecs: {
        'buildspec.yml': MODEL_DEPLOY_BUILD_BUILDSPEC,
        'buildspec-test.yml': modelDeployTestBuildspec([
          'TestStagingEndpoint action (after DeployStaging): invokes the staging endpoint with a DeepAR request',
          "built from the project's latest data and validates the forecast. The build output is the extra",
          'input StageParameters ($CODEBUILD_SRC_DIR_StageParameters/deploy/model-package.json).',
        ]),
        'buildspec-post-deploy.yml': {
          comment: [
            "SetThreshold<Stage> action, run by the pipeline only after the stage's deploy action succeeded",
            '(DEPLOYMENT_STAGE=staging|prod): verifies the endpoint serves this deployment, then sets the',
            "stage's accuracy alarm threshold with the threshold policy. Build output: StageParameters.",
          ],
          phases: { build: ['npm run threshold:set'] },
        },
      },
    }),
    new SeedRepository(project, {
      template: TEMPLATE,
      repo: 'monitoring',
      description:
        'Monitoring of the DeepAR forecasting project: per-stage collector (wQL metric), accuracy and freshness alarms, dashboard, optional built-in Model Quality monitor.',
      dependencies: {
        '@aws-lambda-powertools/logger': POWERTOOLS,
        '@aws-sdk/client-athena': AWS_SDK,
        '@aws-sdk/client-cloudwatch': AWS_SDK,
        '@aws-sdk/client-s3': AWS_SDK,
        '@aws-sdk/client-sagemaker': AWS_SDK,
        '@aws-sdk/client-sagemaker-runtime': AWS_SDK,
        '@aws-sdk/client-ssm': AWS_SDK,
        '@mlops-templates/metrics': 'file:vendor/metrics',
        '@mlops-templates/project-contract': 'file:vendor/project-contract',
        ...CDK,
        'csv-parse': '^6.2.1',
        zod: '^4',
      },
      devDependencies: {
        '@types/aws-lambda': '^8',
        'aws-cdk': '^2.1148.1',
        'aws-sdk-client-mock': '^4.1',
        esbuild: '^0.28.2',
      },
      scripts: {
        synth: 'cdk synth --quiet',
        bundle: run('src/build/bundle-collector.ts'),
        'resolve-environment': run('src/build/resolve-environment.ts'),
        'write-artifacts': run('src/build/write-artifacts.ts'),
        collect: run('src/build/collect-once.ts'),
      },
      externalTools: ['cfn-lint', 'moto'],
      buildspecs: {
        'buildspec.yml': {
          comment: [
            "Monitoring build (CodeBuild, run by the project's monitoring CodePipeline on every push and when an",
            "endpoint of the project becomes IN_SERVICE). Receives the project's environment variables (see",
            'README "Environment"). Output artifact: monitoring/{staging,prod}.{template,config}.json, deployed as',
            'the stacks STAGING_MONITORING_STACK_NAME then PROD_MONITORING_STACK_NAME.',
          ],
          runsTests: true,
          env: { shell: 'bash' },
          phases: {
            pre_build: ['npm test'],
            build: [
              '# 1. Bundle the collector and upload it under a content-addressed key.',
              'BUNDLE_JSON=$(npm run --silent bundle)',
              'echo "$BUNDLE_JSON"',
              'CODE_KEY=$(node -e \'process.stdout.write(JSON.parse(process.argv[1]).s3Key)\' "$BUNDLE_JSON")',
              '(cd dist/collector && rm -f ../collector.zip && zip -q -X ../collector.zip index.js)',
              'aws s3 cp dist/collector.zip "s3://${PROJECT_BUCKET}/${CODE_KEY}" --only-show-errors',
              "# 2. Read the SSM configuration and thresholds, resolve each stage's serving model version.",
              'npm run --silent resolve-environment -- --code-key "$CODE_KEY" --out dist/environment.json',
              '# 3. Synthesize both stage stacks from that environment and write the template configurations.',
              'MONITORING_ENVIRONMENT_FILE=dist/environment.json CDK_DEFAULT_ACCOUNT="$AWS_ACCOUNT_ID" CDK_DEFAULT_REGION="$AWS_REGION" npx cdk synth --quiet',
              'npm run --silent write-artifacts -- --environment dist/environment.json --cdk-out cdk.out --out dist/artifacts',
              'cat dist/artifacts/monitoring/staging.config.json dist/artifacts/monitoring/prod.config.json',
            ],
          },
          artifacts: {
            'base-directory': 'dist/artifacts',
            files: [
              'monitoring/staging.template.json',
              'monitoring/prod.template.json',
              'monitoring/staging.config.json',
              'monitoring/prod.config.json',
            ],
          },
          cache: { paths: ['/root/.npm/**/*'] },
        },
      },
    }),
  ];
}
