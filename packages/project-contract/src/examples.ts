// Example values of the environment contract, derived with the name functions from one example
// project, so that every seeded repository's config/example-environment.json (generated from them
// by `npx projen seed:examples`) agrees with the names the product gives a real project.
import type { ProjectVariable } from './environment';
import * as names from './names';

/** The example project the examples are derived from. */
export interface ExampleProject extends names.ProjectIdentity {
  readonly accountId: string;
  readonly region: string;
}

/** The example project of the committed example environments. */
export const EXAMPLE_PROJECT: ExampleProject = {
  projectName: 'demand-forecast',
  projectId: 'p-abcdefghijkl',
  accountId: '123456789012',
  region: 'eu-west-1',
};

/** An example value of every contract variable (typed: a new variable without an example fails to compile). */
export function exampleEnvironment(p: ExampleProject = EXAMPLE_PROJECT): Record<ProjectVariable, string> {
  const arn = (service: string, resource: string, regional = true): string =>
    `arn:aws:${service}:${regional ? p.region : ''}:${p.accountId}:${resource}`;
  return {
    SAGEMAKER_PROJECT_NAME: p.projectName,
    SAGEMAKER_PROJECT_ID: p.projectId,
    PROJECT_BUCKET: names.projectBucket(p, p.accountId),
    MODEL_PACKAGE_GROUP_NAME: names.modelPackageGroup(p),
    MODEL_BUILD_PIPELINE_NAME: names.modelBuildPipeline(p),
    STAGING_ENDPOINT_NAME: names.endpoint(p, 'staging'),
    PROD_ENDPOINT_NAME: names.endpoint(p, 'prod'),
    STAGING_COLLECTOR_FUNCTION_NAME: names.collectorFunction(p, 'staging'),
    PROD_COLLECTOR_FUNCTION_NAME: names.collectorFunction(p, 'prod'),
    ALARM_NAME_PREFIX: names.alarmNamePrefix(p),
    METRIC_NAMESPACE: names.metricNamespace(p),
    SSM_PREFIX: names.ssmPrefix(p),
    DATA_PREFIX: names.BUCKET_PREFIXES.data,
    TRAINING_PREFIX: names.BUCKET_PREFIXES.training,
    MODELS_PREFIX: names.BUCKET_PREFIXES.models,
    DATA_CAPTURE_PREFIX: names.BUCKET_PREFIXES.dataCapture,
    GROUND_TRUTH_PREFIX: names.BUCKET_PREFIXES.groundTruth,
    MONITORING_PREFIX: names.BUCKET_PREFIXES.monitoring,
    STAGING_DEPLOY_STACK_NAME: names.deployStack(p, 'staging'),
    PROD_DEPLOY_STACK_NAME: names.deployStack(p, 'prod'),
    STAGING_MONITORING_STACK_NAME: names.monitoringStack(p, 'staging'),
    PROD_MONITORING_STACK_NAME: names.monitoringStack(p, 'prod'),
    AWS_ACCOUNT_ID: p.accountId,
    SAGEMAKER_EXECUTION_ROLE_ARN: arn('iam', `role/${names.shortName(p, 'sagemaker-execution')}`, false),
    PIPELINE_STEPS_ROLE_ARN: arn('iam', `role/${names.shortName(p, 'pipeline-steps')}`, false),
    MONITORING_SCHEDULER_ROLE_ARN: arn('iam', `role/${names.shortName(p, 'monitoring-scheduler')}`, false),
    PROJECT_KMS_KEY_ARN: arn('kms', 'key/11111111-2222-3333-4444-555555555555'),
    NOTIFICATION_TOPIC_ARN: arn('sns', names.shortName(p, 'notifications')),
    CONFIG_PARAMETER_NAME: names.configParameter(p),
    GATE_THRESHOLD_PARAMETER_NAME: names.gateThresholdParameter(p),
    STAGING_ALARM_THRESHOLD_PARAMETER_NAME: names.alarmThresholdParameter(p, 'staging'),
    PROD_ALARM_THRESHOLD_PARAMETER_NAME: names.alarmThresholdParameter(p, 'prod'),
    DATA_SOURCE_TYPE: 'synthetic',
    FREQUENCY: '1H',
    PREDICTION_LENGTH: '24',
    MONITORING_SCHEDULE: 'rate(1 hour)',
    PROBLEM_TYPE: 'regression',
    TARGET_COLUMN: 'target',
    SYNTHETIC_LABELS_PREFIX: 'labels/',
    SYNTHETIC_ROWS_PER_HOUR: '200',
    SYNTHETIC_BACKFILL_HOURS: '336',
    SYNTHETIC_MAX_ROWS_PER_RUN: '100000',
    SYNTHETIC_SEED: '42',
    SYNTHETIC_DRIFT: 'covariate',
    SYNTHETIC_DRIFT_AT: '2024-06-10T00:00:00Z',
    SYNTHETIC_DRIFT_FEATURE: 'income_k',
    SYNTHETIC_DRIFT_MAGNITUDE: '2',
    SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: '2000',
    GATE_METRIC: 'rmse',
    DATA_SOURCE_URI: `s3://${names.projectBucket(p, p.accountId)}/${names.BUCKET_PREFIXES.data}synthetic/`,
    TRAINING_INSTANCE_TYPE: 'ml.m5.xlarge',
    PROCESSING_INSTANCE_TYPE: 'ml.m5.xlarge',
    AWS_REGION: p.region,
    TRIGGER_REASON: 'push',
    MODEL_PACKAGE_ARN: 'latest',
    TRIGGER: 'push',
    DEPLOYMENT_STAGE: 'staging',
    STAGE: 'staging',
    ENDPOINT_NAME: names.endpoint(p, 'staging'),
    THRESHOLD_PARAMETER_NAME: names.alarmThresholdParameter(p, 'staging'),
    COLLECTOR_SETTINGS: '{}',
    RETRAIN_COOLDOWN_MINUTES: '360',
    RETRAIN_MAX_ATTEMPTS: '3',
    RETRAIN_ATTEMPT_WINDOW_MINUTES: '10080',
    RECHECK_INTERVAL_MINUTES: '60',
    PIPELINE_NAME: names.repository(p, 'model-deploy'),
    DATA_BUCKET: names.projectBucket(p, p.accountId),
    TIMESTAMP_COLUMN: 'timestamp',
    ITEM_ID_COLUMN: 'item_id',
    ITEM_COUNT: '1',
    LEVEL_SHIFT_AT: 'none',
    LEVEL_SHIFT_FACTOR: '1.5',
    BACKFILL_POINTS: '0',
    MAX_POINTS_PER_RUN: '5000',
    SEED: '42',
    CONNECTION_ARN: arn('codeconnections', 'connection/11111111-2222-3333-4444-555555555555'),
    REPOSITORY_BRANCH: 'main',
    SEED_REPOSITORIES: JSON.stringify([
      { name: 'model-build', repositoryId: 'example-org/model-build', directory: 'seed/model-build' },
    ]),
    SEED_REPORT_S3_URI: `s3://${names.projectBucket(p, p.accountId)}/seeding/report.json`,
    GIT_REMOTE_URL_TEMPLATE: 'https://git.example.com/{repositoryId}.git',
    GIT_AUTHOR_NAME: 'SageMaker project',
    GIT_AUTHOR_EMAIL: 'sagemaker-project@noreply.local',
    LABELS_PREFIX: names.BUCKET_PREFIXES.labels,
  };
}

/** The comment at the top of a generated example file (its `$comment` key). */
export const EXAMPLE_FILE_COMMENT =
  'GENERATED by `npx projen seed:examples` from @mlops-templates/project-contract (do not edit): example values of the environment variables this repository reads, as the project gives them to its CodeBuild projects, for an example project.';

/**
 * The text of a `config/example-environment.json`: `$comment`, then the example value of each
 * given variable in the given order, as 2-space JSON with a final newline.
 */
export function renderExampleEnvironment(
  variables: readonly ProjectVariable[],
  p: ExampleProject = EXAMPLE_PROJECT,
): string {
  const values = exampleEnvironment(p);
  const document: Record<string, string> = { $comment: EXAMPLE_FILE_COMMENT };
  for (const name of variables) document[name] = values[name];
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A generated example file's variables (keys starting with `$` dropped). */
export function parseExampleEnvironment(text: string): Record<string, string> {
  const raw = JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(raw).filter(
      (entry): entry is [string, string] => !entry[0].startsWith('$') && typeof entry[1] === 'string',
    ),
  );
}
