// The monitoring seeded repository of the tabular XGBoost template (issue #17 point 5), declared for
// the seed skeleton (projenrc/seed-repository.ts): SageMaker Model Monitor data-quality and
// model-quality schedules per stage, the ground-truth collector, the retrain alarms and the dashboard.
import { Project } from 'projen';
import { SEED_TS_RUNNER, SeedRepository } from './seed-repository';

const AWS_SDK = '^3.936.0';
const run = (file: string): string => `${SEED_TS_RUNNER} ${file}`;

/** Declares the skeleton of seed-code/tabular-xgboost/monitoring. */
export function tabularXgboostMonitoringSeed(project: Project): SeedRepository {
  return new SeedRepository(project, {
    template: 'tabular-xgboost',
    repo: 'monitoring',
    description:
      'Monitoring of the tabular XGBoost project: built-in data-quality and model-quality monitors per stage against the registered baselines, ground-truth collector, retrain and freshness alarms, dashboard.',
    dependencies: {
      '@aws-lambda-powertools/logger': '2.36.0',
      '@aws-sdk/client-s3': AWS_SDK,
      '@aws-sdk/client-sagemaker': AWS_SDK,
      '@mlops-templates/metrics': 'file:vendor/metrics',
      '@mlops-templates/project-contract': 'file:vendor/project-contract',
      'aws-cdk-lib': '2.276.0',
      constructs: '^10.5.1',
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
      bundle: run('src/build/bundle.ts'),
      'resolve-environment': run('src/build/resolve-environment.ts'),
      'write-artifacts': run('src/build/write-artifacts.ts'),
    },
    externalTools: ['cfn-lint'],
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
            '# 1. Bundle the ground-truth collector and upload it under a content-addressed key.',
            'CODE_KEY=$(npm run --silent bundle)',
            '(cd dist/collector && rm -f ../collector.zip && zip -q -X ../collector.zip index.js)',
            'aws s3 cp dist/collector.zip "s3://${PROJECT_BUCKET}/${CODE_KEY}" --only-show-errors',
            "# 2. Each stage's endpoint, the model package it serves and that package's baselines.",
            'npm run --silent resolve-environment -- --code-key "$CODE_KEY" --out dist/environment.json',
            '# 3. Synthesize both stage stacks from that environment and write the template configurations.',
            'MONITORING_ENVIRONMENT_FILE=dist/environment.json CDK_DEFAULT_ACCOUNT="$AWS_ACCOUNT_ID" CDK_DEFAULT_REGION="$AWS_REGION" npx cdk synth --quiet',
            'npm run --silent write-artifacts -- --cdk-out cdk.out --code-key "$CODE_KEY" --out dist/artifacts',
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
  });
}
