// The environment contract between the product and the code it runs: one zod schema of every
// variable the project's CodeBuild projects receive (and the few the monitoring collector receives
// from the monitoring stack), each with its doc line (its `description`) and who sets it. Each seeded
// repository picks the variables it reads (`pickEnvironment`); nothing re-declares them.
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const keyPrefix = z
  .string()
  .trim()
  .regex(/^([A-Za-z0-9!_.*'()-]+\/)+$/, 'must be an S3 key prefix ending with "/" such as "training/"');
const roleArn = z
  .string()
  .trim()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN');
const resourceName = (max: number) =>
  z
    .string()
    .trim()
    .regex(
      new RegExp(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,${max - 1}}$`),
      `must be 1-${max} letters, digits or inner hyphens`,
    );
const stackName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/, 'must be a CloudFormation stack name');
// SSM naming rules: a-zA-Z0-9_.- with '/' between hierarchy levels, at most 1011 characters.
const ssmParameterName = z
  .string()
  .trim()
  .max(1011, 'must be at most 1011 characters')
  .regex(/^(?:[a-zA-Z0-9_.-]+|(?:\/[a-zA-Z0-9_.-]+)+)$/, 'must be an SSM parameter name');
const stage = z.enum(['staging', 'prod'], 'must be "staging" or "prod"');
const wholeNumberText = z.string().trim().regex(/^\d+$/, 'must be a whole number');
const bucketName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name');
/** A CSV column name: no separator, quote or line break. */
const columnName = z
  .string()
  .trim()
  .min(1, 'must be a non-empty column name')
  .regex(/^[^,"\r\n]+$/, 'must not contain a comma, a double quote or a line break');

/** An S3 URI of data files: `s3://bucket` and an optional key prefix. */
const S3_DATA_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
/**
 * A Feature Group name: 1-64 letters and digits with inner hyphens or underscores (Amazon SageMaker
 * API Reference, DescribeFeatureGroup, the name part of the FeatureGroupName pattern).
 */
const FEATURE_GROUP_NAME = /^[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63}$/;

/**
 * What DATA_SOURCE_URI must be for a DATA_SOURCE_TYPE (the tabular model build's pairing check): an
 * S3 URI for synthetic and s3, a Feature Group name for feature-group; undefined when it fits.
 */
export function dataSourceUriProblem(
  type: 'synthetic' | 's3' | 'feature-group',
  uri: string,
): string | undefined {
  if (type === 'feature-group') {
    return FEATURE_GROUP_NAME.test(uri)
      ? undefined
      : 'must be a Feature Group name (1-64 letters, digits, inner "-" or "_") when DATA_SOURCE_TYPE is feature-group';
  }
  return S3_DATA_URI.test(uri)
    ? undefined
    : `must be an s3://bucket/prefix/ URI when DATA_SOURCE_TYPE is ${type}`;
}

/** Who sets a variable. */
export type VariableSource =
  /** The product stack, on every CodeBuild project of the seeded repositories. */
  | 'product'
  /** CodeBuild itself (AWS CodeBuild User Guide, "Environment variables in build environments"). */
  | 'codebuild'
  /** A CodePipeline action of the product, on one CodeBuild action only. */
  | 'pipeline-action'
  /** The monitoring stack (seed monitoring), on its collector function. */
  | 'monitoring-stack'
  /**
   * The product stack, on one of its own Lambda functions or its repository-seeding build (the
   * handlers of packages retrain and project-handlers); a variable documented as optional may be unset.
   */
  | 'product-handler';

/** A variable: its schema with its doc line (`description`) and who sets it (`source`) as metadata. */
const sets = <T extends z.ZodType>(schema: T, source: VariableSource, doc: string): T =>
  schema.meta({ description: doc, source });

/** Every variable of the contract. */
export const projectEnvironmentSchema = z.object({
  // ------------------------------------------------ names (ProjectNames.environment())
  SAGEMAKER_PROJECT_NAME: sets(nonEmpty, 'product', 'The SageMaker project name.'),
  SAGEMAKER_PROJECT_ID: sets(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{1,20}$/, 'must be a SageMaker project id such as p-abcdefghijkl'),
    'product',
    'The SageMaker project id.',
  ),
  PROJECT_BUCKET: sets(
    bucketName,
    'product',
    'The project bucket (data, training, models, data capture, ground truth, monitoring outputs).',
  ),
  MODEL_PACKAGE_GROUP_NAME: sets(
    resourceName(63),
    'product',
    'The model package group the model-build pipeline registers into.',
  ),
  MODEL_BUILD_PIPELINE_NAME: sets(resourceName(256), 'product', 'The model-build SageMaker pipeline.'),
  STAGING_ENDPOINT_NAME: sets(resourceName(63), 'product', 'The SageMaker endpoint of the staging stage.'),
  PROD_ENDPOINT_NAME: sets(resourceName(63), 'product', 'The SageMaker endpoint of the prod stage.'),
  STAGING_COLLECTOR_FUNCTION_NAME: sets(
    resourceName(64),
    'product',
    'The monitoring collector function of the staging stage (the scheduler role may invoke it).',
  ),
  PROD_COLLECTOR_FUNCTION_NAME: sets(
    resourceName(64),
    'product',
    'The monitoring collector function of the prod stage (the scheduler role may invoke it).',
  ),
  ALARM_NAME_PREFIX: sets(
    nonEmpty.max(255, 'must be at most 255 characters'),
    'product',
    'Every accuracy alarm of the project starts with it; the retrain rule matches it.',
  ),
  METRIC_NAMESPACE: sets(
    nonEmpty.max(255, 'must be at most 255 characters').regex(/^[^:]/, 'must not start with a colon'),
    'product',
    "CloudWatch namespace of the project's custom metrics.",
  ),
  SSM_PREFIX: sets(
    z
      .string()
      .trim()
      .regex(/^\/([a-zA-Z0-9_.-]+\/)+$/, 'must be an SSM path starting and ending with "/"'),
    'product',
    "The project's SSM parameter namespace.",
  ),
  DATA_PREFIX: sets(keyPrefix, 'product', 'Bucket prefix of the input data.'),
  TRAINING_PREFIX: sets(keyPrefix, 'product', 'Bucket prefix of the training and backtest channels.'),
  MODELS_PREFIX: sets(keyPrefix, 'product', 'Bucket prefix of the model artifacts.'),
  DATA_CAPTURE_PREFIX: sets(keyPrefix, 'product', 'Bucket prefix of the endpoints’ data capture.'),
  GROUND_TRUTH_PREFIX: sets(keyPrefix, 'product', 'Bucket prefix of the ground truth the collectors write.'),
  MONITORING_PREFIX: sets(keyPrefix, 'product', 'Bucket prefix of the monitoring outputs.'),
  STAGING_DEPLOY_STACK_NAME: sets(stackName, 'product', 'Stack of the staging endpoint (model-deploy).'),
  PROD_DEPLOY_STACK_NAME: sets(stackName, 'product', 'Stack of the prod endpoint (model-deploy).'),
  STAGING_MONITORING_STACK_NAME: sets(stackName, 'product', 'Monitoring stack of the staging stage.'),
  PROD_MONITORING_STACK_NAME: sets(stackName, 'product', 'Monitoring stack of the prod stage.'),
  // ------------------------------------------------ resources of the product stack
  AWS_ACCOUNT_ID: sets(
    z
      .string()
      .trim()
      .regex(/^\d{12}$/, 'must be a 12-digit account id'),
    'product',
    'The account of the project.',
  ),
  SAGEMAKER_EXECUTION_ROLE_ARN: sets(
    roleArn,
    'product',
    'Role of the SageMaker pipeline, training, transform and endpoints.',
  ),
  PIPELINE_STEPS_ROLE_ARN: sets(roleArn, 'product', "Role of the model-build pipeline's Lambda steps."),
  MONITORING_SCHEDULER_ROLE_ARN: sets(
    roleArn,
    'product',
    'Role EventBridge Scheduler runs the monitoring collectors with.',
  ),
  PROJECT_KMS_KEY_ARN: sets(
    z
      .string()
      .trim()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/, 'must be a KMS key ARN'),
    'product',
    "The project's KMS key (bucket, logs, topic, endpoints, pipeline outputs).",
  ),
  NOTIFICATION_TOPIC_ARN: sets(
    z
      .string()
      .trim()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/, 'must be an SNS topic ARN'),
    'product',
    "The project's notification topic.",
  ),
  CONFIG_PARAMETER_NAME: sets(
    ssmParameterName,
    'product',
    'SSM parameter of the project configuration (data source, columns, frequency, horizon, schedule, instance types; JSON).',
  ),
  GATE_THRESHOLD_PARAMETER_NAME: sets(
    ssmParameterName,
    'product',
    'SSM parameter of the training gate threshold ("default" or a number).',
  ),
  STAGING_ALARM_THRESHOLD_PARAMETER_NAME: sets(
    ssmParameterName,
    'product',
    'SSM parameter of the staging accuracy alarm threshold (set by model-deploy after a deploy).',
  ),
  PROD_ALARM_THRESHOLD_PARAMETER_NAME: sets(
    ssmParameterName,
    'product',
    'SSM parameter of the prod accuracy alarm threshold (set by model-deploy after a deploy).',
  ),
  // ------------------------------------------------ template parameters
  DATA_SOURCE_TYPE: sets(
    z.enum(['synthetic', 's3', 'feature-group'], 'must be "synthetic", "s3" or "feature-group"'),
    'product',
    'Where the data comes from (template parameter DataSourceType).',
  ),
  FREQUENCY: sets(
    nonEmpty,
    'product',
    'Frequency of the series (template parameter Frequency; grammar of @mlops-templates/metrics).',
  ),
  PREDICTION_LENGTH: sets(
    z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(500, 'must be at most 500'),
    'product',
    'Forecast horizon in steps (template parameter PredictionLength).',
  ),
  MONITORING_SCHEDULE: sets(
    z
      .string()
      .trim()
      .regex(/^(rate|cron)\(.+\)$/, 'must be rate(...) or cron(...)'),
    'product',
    'Schedule of the monitoring collectors (template parameter MonitoringSchedule).',
  ),
  // ------------------------------------------------ tabular-xgboost: synthetic data generator (#17, xgbsim)
  PROBLEM_TYPE: sets(
    z.enum(['regression', 'binary', 'multiclass'], 'must be "regression", "binary" or "multiclass"'),
    'product',
    'Problem type of the tabular target (template parameter ProblemType of tabular-xgboost).',
  ),
  SYNTHETIC_LABELS_PREFIX: sets(
    keyPrefix,
    'product',
    "Bucket prefix of the tabular generator's labels (ground truth by record id, for the ground-truth collector).",
  ),
  SYNTHETIC_ROWS_PER_HOUR: sets(
    z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100_000, 'must be at most 100000')
      .default(200),
    'product',
    'Records the tabular generator writes per hour of event time (default 200).',
  ),
  SYNTHETIC_BACKFILL_HOURS: sets(
    z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(8784, 'must be at most 8784 (a year)')
      .default(336),
    'product',
    'Hours of records the tabular generator writes on its first run, ending at the last full hour (default 336: 14 days).',
  ),
  SYNTHETIC_MAX_ROWS_PER_RUN: sets(
    z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1000000')
      .default(100_000),
    'product',
    'Most records one tabular generator run writes (whole hours; later runs catch up; default 100000).',
  ),
  SYNTHETIC_SEED: sets(
    z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .max(2 ** 31 - 1, 'must be at most 2147483647')
      .default(42),
    'product',
    'Seed of the tabular generator (same seed, same data; default 42).',
  ),
  SYNTHETIC_DRIFT: sets(
    z.enum(['none', 'covariate', 'concept'], 'must be "none", "covariate" or "concept"').default('none'),
    'product',
    'Drift the tabular generator injects from SYNTHETIC_DRIFT_AT on: covariate shift of SYNTHETIC_DRIFT_FEATURE, or concept drift (default none).',
  ),
  SYNTHETIC_DRIFT_AT: sets(
    z.iso
      .datetime({ offset: true, message: 'must be an ISO-8601 date-time such as 2024-06-01T00:00:00Z' })
      .optional(),
    'product',
    'When the tabular drift starts (inclusive); required unless SYNTHETIC_DRIFT is none.',
  ),
  SYNTHETIC_DRIFT_FEATURE: sets(
    nonEmpty.optional(),
    'product',
    "The feature a covariate drift shifts (one of the generator's features, e.g. income_k).",
  ),
  SYNTHETIC_DRIFT_MAGNITUDE: sets(
    z.coerce.number('must be a number').finite('must be finite').default(2),
    'product',
    'Covariate shift of a numeric feature, in its standard deviations (default 2).',
  ),
  SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: sets(
    z.coerce
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(20_000, 'must be at most 20000')
      .default(2_000),
    'product-handler',
    'Most synthetic records one run of the tabular traffic sender sends to each endpoint (later runs catch up; default 2000).',
  ),
  // ------------------------------------------------ tabular-xgboost: model build (#17, xgbbuild)
  GATE_METRIC: sets(
    z.enum(['rmse', 'mae', 'auc', 'f1'], 'must be "rmse", "mae", "auc" or "f1"'),
    'product',
    'Test-set metric the tabular model-build gate compares with its threshold (template parameter GateMetric).',
  ),
  DATA_SOURCE_URI: sets(
    z
      .string()
      .trim()
      .refine(
        (value) => S3_DATA_URI.test(value) || FEATURE_GROUP_NAME.test(value),
        'must be an s3://bucket/prefix/ URI or a Feature Group name',
      ),
    'product',
    'What the tabular model build reads: the S3 prefix of its CSV/Parquet files (the generator’s prefix when synthetic), or the Feature Group name when DATA_SOURCE_TYPE is feature-group.',
  ),
  TRAINING_INSTANCE_TYPE: sets(
    z
      .string()
      .trim()
      .regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ml.* instance type'),
    'product',
    'Instance type of the tabular training job (template parameter TrainingInstanceType).',
  ),
  PROCESSING_INSTANCE_TYPE: sets(
    z
      .string()
      .trim()
      .regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ml.* instance type'),
    'product',
    'Instance type of the tabular data preparation and evaluation jobs (template parameter ProcessingInstanceType).',
  ),
  // ------------------------------------------------ set by CodeBuild
  AWS_REGION: sets(
    z
      .string()
      .trim()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as eu-west-1'),
    'codebuild',
    'The region the build runs in.',
  ),
  // ------------------------------------------------ set by one pipeline action
  TRIGGER_REASON: sets(
    nonEmpty,
    'pipeline-action',
    'Why model-build runs ("push"), tagged on the execution.',
  ),
  MODEL_PACKAGE_ARN: sets(
    nonEmpty,
    'pipeline-action',
    'Model package to deploy: the approved ARN from the triggering event, or "latest".',
  ),
  TRIGGER: sets(nonEmpty, 'pipeline-action', 'What started model-deploy: "model-approved" or "push".'),
  DEPLOYMENT_STAGE: sets(stage, 'pipeline-action', 'The stage a SetThreshold action sets the threshold of.'),
  // ------------------------------------------------ the monitoring collector (set by the monitoring stack)
  STAGE: sets(stage, 'monitoring-stack', 'The stage the collector measures.'),
  ENDPOINT_NAME: sets(resourceName(63), 'monitoring-stack', "The collector's endpoint (its stage's)."),
  THRESHOLD_PARAMETER_NAME: sets(
    ssmParameterName,
    'monitoring-stack',
    "SSM parameter of the collector's stage alarm threshold.",
  ),
  COLLECTOR_SETTINGS: sets(
    z.string().trim().min(2, 'must be a JSON document'),
    'monitoring-stack',
    'The collector settings of config/monitoring.json (JSON).',
  ),
  // ------------------------------------------------ the retrain Lambda (RetrainLoop; retrain package)
  RETRAIN_COOLDOWN_MINUTES: sets(
    wholeNumberText,
    'product-handler',
    'Optional: minutes after the last model-build execution in which the retrain Lambda starts no retrain.',
  ),
  RETRAIN_MAX_ATTEMPTS: sets(
    wholeNumberText,
    'product-handler',
    'Optional: retrains without a new approved model per attempt window before the loop escalates to a person.',
  ),
  RETRAIN_ATTEMPT_WINDOW_MINUTES: sets(
    wholeNumberText,
    'product-handler',
    'Optional: length of the retrain attempt window in minutes, counted from the first retrain after the newest approved model.',
  ),
  RECHECK_INTERVAL_MINUTES: sets(
    wholeNumberText,
    'product-handler',
    'Optional: period of the scheduled re-check of the alarms in minutes (the notify-once rule uses it).',
  ),
  // ------------------------------------------------ the deploy trigger (project-handlers start-deploy-pipeline)
  PIPELINE_NAME: sets(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.@_-]{1,100}$/, 'must be a CodePipeline name'),
    'product-handler',
    'The model-deploy CodePipeline the deploy trigger starts when a model package is approved.',
  ),
  // ------------------------------------------------ the synthetic data source (project-handlers synthetic-data)
  DATA_BUCKET: sets(bucketName, 'product-handler', 'The bucket the synthetic data generator writes to.'),
  TIMESTAMP_COLUMN: sets(columnName, 'product-handler', 'Timestamp column of the data (template parameter).'),
  TARGET_COLUMN: sets(
    columnName,
    'product-handler',
    "Target column of the data (template parameter TargetColumn; DeepAR's synthetic generator, and the tabular generator, model build and monitoring).",
  ),
  ITEM_ID_COLUMN: sets(
    columnName,
    'product-handler',
    'Item id column of the data, or "none" for a single series (template parameter).',
  ),
  ITEM_COUNT: sets(wholeNumberText, 'product-handler', 'Optional: how many series the generator writes.'),
  LEVEL_SHIFT_AT: sets(
    nonEmpty,
    'product-handler',
    'When the generated series shift level (ISO-8601 date or date-time), or "none" (template parameter).',
  ),
  LEVEL_SHIFT_FACTOR: sets(
    nonEmpty,
    'product-handler',
    'Optional: factor of the level shift (a positive number).',
  ),
  BACKFILL_POINTS: sets(
    wholeNumberText,
    'product-handler',
    "Optional: timestamps the generator's first run backfills (unset: a build's data window).",
  ),
  MAX_POINTS_PER_RUN: sets(
    wholeNumberText,
    'product-handler',
    'Optional: CSV rows the generator writes per run at most.',
  ),
  SEED: sets(wholeNumberText, 'product-handler', "Optional: seed of the generator's random numbers."),
  // ------------------------------------------------ repository seeding (project-handlers seed-repositories, CodeBuild)
  CONNECTION_ARN: sets(
    nonEmpty,
    'product-handler',
    'The CodeConnections connection the repositories are seeded through (template parameter CodeConnectionArn).',
  ),
  REPOSITORY_BRANCH: sets(nonEmpty, 'product-handler', 'The branch seeded and built (template parameter).'),
  SEED_REPOSITORIES: sets(
    nonEmpty,
    'product-handler',
    'The repositories to seed: a JSON array of {name, repositoryId, directory}.',
  ),
  SEED_REPORT_S3_URI: sets(
    nonEmpty,
    'product-handler',
    'Optional: s3://<bucket>/<key> the seeding report is uploaded to.',
  ),
  GIT_REMOTE_URL_TEMPLATE: sets(
    nonEmpty,
    'product-handler',
    'Optional, never set by the product: git remote URL with {repositoryId} (tests, mirrors) instead of the connection.',
  ),
  GIT_AUTHOR_NAME: sets(
    nonEmpty,
    'product-handler',
    'Optional, never set by the product: author of the seed commit.',
  ),
  GIT_AUTHOR_EMAIL: sets(
    nonEmpty,
    'product-handler',
    'Optional, never set by the product: e-mail of the seed commit author.',
  ),
  // ------------------------------------------------ tabular-xgboost template (its monitoring seed reads them)
  LABELS_PREFIX: sets(
    keyPrefix,
    'product',
    'Bucket prefix the application writes ground-truth labels under (tabular-xgboost; `<prefix><stage>/`), converted by the ground-truth collector.',
  ),
});

/** The contract's variables. */
export type ProjectEnvironment = z.infer<typeof projectEnvironmentSchema>;
/** The schemas of the contract's variables. */
export type ProjectEnvironmentShape = typeof projectEnvironmentSchema.shape;
/** A variable of the contract. */
export type ProjectVariable = keyof typeof projectEnvironmentSchema.shape;
/** Every variable of the contract, in declaration order. */
export const PROJECT_VARIABLES = Object.keys(projectEnvironmentSchema.shape) as ProjectVariable[];

/** The doc line of a variable. */
export function describeVariable(name: ProjectVariable): string {
  return projectEnvironmentSchema.shape[name].description ?? '';
}

/** Who sets a variable. */
export function sourceOf(name: ProjectVariable): VariableSource {
  return z.globalRegistry.get(projectEnvironmentSchema.shape[name])?.source as VariableSource;
}

/** The contract's schema of the given variables: what a seeded repository reads. */
export function pickEnvironment<const K extends ProjectVariable>(
  names: readonly K[],
): z.ZodObject<Pick<ProjectEnvironmentShape, K>> {
  const mask = Object.fromEntries(names.map((n) => [n, true]));
  // zod's mask type cannot be checked against a generic K; the mask holds exactly `names`.
  return projectEnvironmentSchema.pick(mask as never) as unknown as z.ZodObject<
    Pick<ProjectEnvironmentShape, K>
  >;
}

/** The variables a schema cannot do without (an unset variable fails it). */
export function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
}

/** The result of reading an environment: the data, or one problem line per bad variable. */
export type EnvironmentReading<T> =
  { readonly success: true; readonly data: T } | { readonly success: false; readonly problems: string[] };

/**
 * Reads variables with a schema (blank counts as unset: CloudFormation can blank a variable, not
 * remove it). Problems name the variable: `NAME is not set` or `NAME: <what is wrong>`.
 */
export function readEnvironment<T extends z.ZodObject>(
  schema: T,
  env: Readonly<Record<string, string | undefined>>,
): EnvironmentReading<z.infer<T>> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = schema.safeParse(present);
  if (parsed.success) return { success: true, data: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.');
    // Missing: the schema's own complaint about an absent value (a type or enum mismatch on undefined).
    // A cross-variable refinement on a defaulted variable (code `custom`) keeps its message.
    return present[name] === undefined && issue.path.length === 1 && issue.code !== 'custom'
      ? `${name} is not set`
      : `${name}: ${issue.message}`;
  });
  return { success: false, problems };
}
