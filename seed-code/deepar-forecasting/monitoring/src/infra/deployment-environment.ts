// The project values the monitoring stacks are synthesized from: the CodeBuild environment variables
// of the contract (exact names) plus what the build resolved from AWS (each stage's serving model
// version, whether its endpoint exists) and the uploaded collector code key. The build writes them to
// dist/environment.json (`npm run resolve-environment`); without it, `cdk synth` falls back to the
// committed example (config/example-environment.json) and says so on stderr.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../collector/settings';
import { CONFIG_DIRECTORY } from './monitoring-config';

export const STAGES = ['staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ${service} ARN`);
const keyPrefix = z.string().regex(/^([A-Za-z0-9!_.*'()-]+\/)+$/, 'must be a key prefix ending with "/"');

/** The contract variables the monitoring stacks use (names exactly as CodeBuild receives them). */
export const contractVariablesSchema = z.object({
  SAGEMAKER_PROJECT_NAME: z.string().min(1),
  SAGEMAKER_PROJECT_ID: z.string().regex(/^[a-z0-9-]{1,20}$/, 'must be a SageMaker project id'),
  PROJECT_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name'),
  STAGING_ENDPOINT_NAME: z.string().min(1).max(63),
  PROD_ENDPOINT_NAME: z.string().min(1).max(63),
  ALARM_NAME_PREFIX: z.string().min(1),
  METRIC_NAMESPACE: z.string().min(1).max(255),
  DATA_CAPTURE_PREFIX: keyPrefix,
  GROUND_TRUTH_PREFIX: keyPrefix,
  MONITORING_PREFIX: keyPrefix,
  STAGING_MONITORING_STACK_NAME: z.string().min(1).max(128),
  PROD_MONITORING_STACK_NAME: z.string().min(1).max(128),
  SAGEMAKER_EXECUTION_ROLE_ARN: arn('iam'),
  PIPELINE_STEPS_ROLE_ARN: arn('iam'),
  MONITORING_SCHEDULER_ROLE_ARN: arn('iam'),
  PROJECT_KMS_KEY_ARN: arn('kms'),
  NOTIFICATION_TOPIC_ARN: arn('sns'),
  CONFIG_PARAMETER_NAME: z.string().min(1),
  STAGING_ALARM_THRESHOLD_PARAMETER_NAME: z.string().min(1),
  PROD_ALARM_THRESHOLD_PARAMETER_NAME: z.string().min(1),
  FREQUENCY: z.string().min(1),
  PREDICTION_LENGTH: z.coerce.number().int().min(1).max(500),
  MONITORING_SCHEDULE: z.string().regex(/^(rate|cron)\(.+\)$/, 'must be rate(...) or cron(...)'),
});
export type ContractVariables = z.infer<typeof contractVariablesSchema>;

/** What the build resolved for one stage. */
export const stageResolutionSchema = z.object({
  /** ModelVersion dimension of the accuracy alarm (see src/collector/model-version.ts); `none` without endpoint. */
  modelVersion: z.string().min(1).max(255),
  /** Whether the stage's endpoint exists (the built-in monitor needs it). */
  endpointExists: z.boolean(),
});

export const deploymentEnvironmentSchema = z.object({
  $comment: z.string().optional(),
  environment: contractVariablesSchema,
  /** S3 key of the collector bundle in PROJECT_BUCKET. */
  collectorCodeKey: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+\.zip$/, 'must be the S3 key of a .zip'),
  stages: z.object({ staging: stageResolutionSchema, prod: stageResolutionSchema }),
});
export type DeploymentEnvironment = z.infer<typeof deploymentEnvironmentSchema>;

/** Validates a deployment environment document. Throws an Error naming every bad field. */
export function parseDeploymentEnvironment(document: unknown, where: string): DeploymentEnvironment {
  const parsed = deploymentEnvironmentSchema.safeParse(document);
  if (!parsed.success)
    throw new Error(`invalid deployment environment ${where}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** The example environment committed in the repository. */
export const EXAMPLE_ENVIRONMENT_FILE = path.join(CONFIG_DIRECTORY, 'example-environment.json');

/**
 * The environment to synthesize from: the file named by MONITORING_ENVIRONMENT_FILE (written by the
 * build), else the committed example, announced on stderr.
 */
export function loadDeploymentEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): { environment: DeploymentEnvironment; source: string; example: boolean } {
  const file = env.MONITORING_ENVIRONMENT_FILE?.trim();
  if (file) {
    const document = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return { environment: parseDeploymentEnvironment(document, file), source: file, example: false };
  }
  warn(
    `monitoring: MONITORING_ENVIRONMENT_FILE is not set: synthesizing from the EXAMPLE parameters in ${path.relative(process.cwd(), EXAMPLE_ENVIRONMENT_FILE)} (not a real project; the monitoring build writes dist/environment.json with npm run resolve-environment)`,
  );
  const document = JSON.parse(fs.readFileSync(EXAMPLE_ENVIRONMENT_FILE, 'utf8')) as unknown;
  return {
    environment: parseDeploymentEnvironment(document, EXAMPLE_ENVIRONMENT_FILE),
    source: EXAMPLE_ENVIRONMENT_FILE,
    example: true,
  };
}

/** The names of one stage's resources, derived from the contract variables. */
export interface StageNames {
  readonly stage: Stage;
  readonly stackName: string;
  /** This stage's own endpoint. */
  readonly endpointName: string;
  readonly thresholdParameterName: string;
  /** `sagemaker-<id>-collect-<stage>`: the function and its schedule (the scheduler role may invoke only these). */
  readonly collectorName: string;
  /** `<ALARM_NAME_PREFIX><stage>`: the retrain rule acts on it. */
  readonly accuracyAlarmName: string;
  /** `sagemaker-<name>-<id>-freshness-<stage>`: notifies only (never starts with ALARM_NAME_PREFIX). */
  readonly freshnessAlarmName: string;
  readonly dashboardName: string;
  readonly modelQualityScheduleName: string;
  /** Prefix of the Model Quality job definition name (a content hash is appended). */
  readonly modelQualityJobDefinitionPrefix: string;
}

/** Derives (and checks) the names of a stage. */
export function stageNames(vars: ContractVariables, stage: Stage): StageNames {
  const shortPrefix = `sagemaker-${vars.SAGEMAKER_PROJECT_ID}`;
  const longPrefix = `sagemaker-${vars.SAGEMAKER_PROJECT_NAME}-${vars.SAGEMAKER_PROJECT_ID}`;
  const names: StageNames = {
    stage,
    stackName: stage === 'staging' ? vars.STAGING_MONITORING_STACK_NAME : vars.PROD_MONITORING_STACK_NAME,
    endpointName: stage === 'staging' ? vars.STAGING_ENDPOINT_NAME : vars.PROD_ENDPOINT_NAME,
    thresholdParameterName:
      stage === 'staging'
        ? vars.STAGING_ALARM_THRESHOLD_PARAMETER_NAME
        : vars.PROD_ALARM_THRESHOLD_PARAMETER_NAME,
    collectorName: `${shortPrefix}-collect-${stage}`,
    accuracyAlarmName: `${vars.ALARM_NAME_PREFIX}${stage}`,
    freshnessAlarmName: `${longPrefix}-freshness-${stage}`,
    dashboardName: `${shortPrefix}-${stage}`,
    modelQualityScheduleName: `${shortPrefix}-model-quality-${stage}`,
    modelQualityJobDefinitionPrefix: `${shortPrefix}-mq-${stage}`,
  };
  if (names.freshnessAlarmName.startsWith(vars.ALARM_NAME_PREFIX)) {
    throw new Error(
      `the freshness alarm name ${names.freshnessAlarmName} starts with ALARM_NAME_PREFIX: only accuracy alarms may (the retrain rule matches it)`,
    );
  }
  if (names.collectorName.length > 64)
    throw new Error(`function name ${names.collectorName} is longer than 64 characters`);
  if (names.modelQualityJobDefinitionPrefix.length + 9 > 63) {
    throw new Error(
      `job definition names ${names.modelQualityJobDefinitionPrefix}-… would exceed 63 characters`,
    );
  }
  return names;
}
