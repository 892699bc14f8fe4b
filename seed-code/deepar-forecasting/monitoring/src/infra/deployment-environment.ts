// The project values the monitoring stacks are synthesized from: the CodeBuild environment variables
// of the contract (exact names) plus what the build resolved from AWS (each stage's serving model
// version, whether its endpoint exists) and the uploaded collector code key. The build writes them to
// dist/environment.json (`npm run resolve-environment`); without it, `cdk synth` falls back to the
// committed example (config/example-environment.json) and says so on stderr.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  collectorFunction,
  dashboard,
  freshnessAlarm,
  modelQualityJobDefinitionPrefix,
  modelQualitySchedule,
  parseExampleEnvironment,
  pickEnvironment,
  type ProjectVariable,
} from '@mlops-templates/project-contract';
import { monitoringEnvironmentSchema } from '@mlops-templates/metrics';
import { z } from 'zod';
import { describeZodError } from '../collector/settings';
import { CONFIG_DIRECTORY } from './monitoring-config';

export const STAGES = ['staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** The contract variables the monitoring stacks use (names exactly as CodeBuild receives them). */
export const CONTRACT_VARIABLES = [
  'SAGEMAKER_PROJECT_NAME',
  'SAGEMAKER_PROJECT_ID',
  'PROJECT_BUCKET',
  'STAGING_ENDPOINT_NAME',
  'PROD_ENDPOINT_NAME',
  'ALARM_NAME_PREFIX',
  'METRIC_NAMESPACE',
  'DATA_CAPTURE_PREFIX',
  'GROUND_TRUTH_PREFIX',
  'MONITORING_PREFIX',
  'STAGING_MONITORING_STACK_NAME',
  'PROD_MONITORING_STACK_NAME',
  'SAGEMAKER_EXECUTION_ROLE_ARN',
  'PIPELINE_STEPS_ROLE_ARN',
  'MONITORING_SCHEDULER_ROLE_ARN',
  'PROJECT_KMS_KEY_ARN',
  'NOTIFICATION_TOPIC_ARN',
  'CONFIG_PARAMETER_NAME',
  'STAGING_ALARM_THRESHOLD_PARAMETER_NAME',
  'PROD_ALARM_THRESHOLD_PARAMETER_NAME',
  'FREQUENCY',
  'PREDICTION_LENGTH',
  'MONITORING_SCHEDULE',
] as const satisfies readonly ProjectVariable[];

/** The contract's schema of {@link CONTRACT_VARIABLES} (@mlops-templates/project-contract). */
export const contractVariablesSchema = pickEnvironment(CONTRACT_VARIABLES);

/** The schema each npm script of the monitoring build parses the environment with (#15). */
export const ENVIRONMENT_BY_SCRIPT = {
  'resolve-environment': contractVariablesSchema,
  // bundle and write-artifacts read files and arguments only.
  bundle: pickEnvironment([]),
  'write-artifacts': pickEnvironment([]),
} as const;

/** The variables of config/example-environment.json (generated: `npx projen seed:examples`). */
export const EXAMPLE_ENVIRONMENT_VARIABLES: readonly ProjectVariable[] = CONTRACT_VARIABLES;
export type ContractVariables = z.infer<typeof contractVariablesSchema>;

/** What the build resolved for one stage. */
export const stageResolutionSchema = z.object({
  /** ModelVersion dimension of the accuracy alarm (see src/collector/model-version.ts); `none` without endpoint. */
  modelVersion: z.string().min(1).max(255),
  /** Whether the stage's endpoint exists (the built-in monitor needs it). */
  endpointExists: z.boolean(),
});

/** The resolved-environment document (its shape is shared by the monitoring seeds: @mlops-templates/metrics). */
export const deploymentEnvironmentSchema = monitoringEnvironmentSchema(
  contractVariablesSchema,
  stageResolutionSchema,
);
export type DeploymentEnvironment = z.infer<typeof deploymentEnvironmentSchema>;

/** Validates a deployment environment document. Throws an Error naming every bad field. */
export function parseDeploymentEnvironment(document: unknown, where: string): DeploymentEnvironment {
  const parsed = deploymentEnvironmentSchema.safeParse(document);
  if (!parsed.success)
    throw new Error(`invalid deployment environment ${where}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** The example environment committed in the repository (generated from the contract). */
export const EXAMPLE_ENVIRONMENT_FILE = path.join(CONFIG_DIRECTORY, 'example-environment.json');

/** The collector code key of the example deployment environment. */
export const EXAMPLE_COLLECTOR_CODE_KEY = `monitoring/code/${'0'.repeat(64)}.zip`;

/**
 * The example deployment environment: the variables of the example file, a placeholder collector
 * code key and both stages serving model version 1.
 */
export function exampleDeploymentEnvironment(file: string = EXAMPLE_ENVIRONMENT_FILE): DeploymentEnvironment {
  return parseDeploymentEnvironment(
    {
      environment: parseExampleEnvironment(fs.readFileSync(file, 'utf8')),
      collectorCodeKey: EXAMPLE_COLLECTOR_CODE_KEY,
      stages: {
        staging: { modelVersion: '1', endpointExists: true },
        prod: { modelVersion: '1', endpointExists: true },
      },
    },
    file,
  );
}

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
  return { environment: exampleDeploymentEnvironment(), source: EXAMPLE_ENVIRONMENT_FILE, example: true };
}

/** The names of one stage's resources: from the contract variables and the contract's name functions. */
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
  const project = { projectName: vars.SAGEMAKER_PROJECT_NAME, projectId: vars.SAGEMAKER_PROJECT_ID };
  const names: StageNames = {
    stage,
    stackName: stage === 'staging' ? vars.STAGING_MONITORING_STACK_NAME : vars.PROD_MONITORING_STACK_NAME,
    endpointName: stage === 'staging' ? vars.STAGING_ENDPOINT_NAME : vars.PROD_ENDPOINT_NAME,
    thresholdParameterName:
      stage === 'staging'
        ? vars.STAGING_ALARM_THRESHOLD_PARAMETER_NAME
        : vars.PROD_ALARM_THRESHOLD_PARAMETER_NAME,
    collectorName: collectorFunction(project, stage),
    accuracyAlarmName: `${vars.ALARM_NAME_PREFIX}${stage}`,
    freshnessAlarmName: freshnessAlarm(project, stage),
    dashboardName: dashboard(project, stage),
    modelQualityScheduleName: modelQualitySchedule(project, stage),
    modelQualityJobDefinitionPrefix: modelQualityJobDefinitionPrefix(project, stage),
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
