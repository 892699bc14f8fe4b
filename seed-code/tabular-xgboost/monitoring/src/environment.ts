// What the monitoring stacks are synthesized from: the contract variables of the CodeBuild environment
// (picked from @mlops-templates/project-contract, names exactly as CodeBuild receives them) plus what
// the build resolved from AWS per stage (the endpoint, the model package it serves and that package's
// baselines) and the collector's code key. `npm run resolve-environment` writes it to
// dist/environment.json; without MONITORING_ENVIRONMENT_FILE, `cdk synth` uses the committed example.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as contract from '@mlops-templates/project-contract';
import {
  parseExampleEnvironment,
  pickEnvironment,
  type ProjectVariable,
} from '@mlops-templates/project-contract';
import { monitoringEnvironmentSchema } from '@mlops-templates/metrics';
import { z } from 'zod';

export const STAGES = contract.DEPLOYMENT_STAGES;
export type Stage = contract.DeploymentStage;

/** The contract variables of the monitoring build (resolve-environment and cdk synth). */
export const BUILD_VARIABLES = [
  'SAGEMAKER_PROJECT_NAME',
  'SAGEMAKER_PROJECT_ID',
  'PROJECT_BUCKET',
  'STAGING_ENDPOINT_NAME',
  'PROD_ENDPOINT_NAME',
  'ALARM_NAME_PREFIX',
  'METRIC_NAMESPACE',
  'GROUND_TRUTH_PREFIX',
  'LABELS_PREFIX',
  'MONITORING_PREFIX',
  'STAGING_MONITORING_STACK_NAME',
  'PROD_MONITORING_STACK_NAME',
  'SAGEMAKER_EXECUTION_ROLE_ARN',
  'PIPELINE_STEPS_ROLE_ARN',
  'MONITORING_SCHEDULER_ROLE_ARN',
  'PROJECT_KMS_KEY_ARN',
  'NOTIFICATION_TOPIC_ARN',
  'MONITORING_SCHEDULE',
  'PROBLEM_TYPE',
] as const satisfies readonly ProjectVariable[];

/** The contract's schema of {@link BUILD_VARIABLES}. */
export const buildVariablesSchema = pickEnvironment(BUILD_VARIABLES);
export type BuildVariables = z.infer<typeof buildVariablesSchema>;

/**
 * The variables of config/example-environment.json: what the build reads. The file is generated from the
 * contract (`npx projen seed:examples` in the templates repository, which reads this list through its
 * scripts/seed-environments.ts; test/build-steps.test.ts compares it here).
 */
export const EXAMPLE_ENVIRONMENT_VARIABLES: readonly ProjectVariable[] = BUILD_VARIABLES;

/** The schema each npm script of the buildspec reads the environment with (#15). */
export const ENVIRONMENT_BY_SCRIPT = {
  'resolve-environment': buildVariablesSchema,
  // MONITORING_PREFIX is optional there (default monitoring/): bundle names the code key with it.
  bundle: pickEnvironment([]),
  'write-artifacts': pickEnvironment([]),
} as const;

/** The data-quality baseline of a stage's model package. */
export const dataQualityBaselineSchema = z.object({
  statisticsUri: z.string().startsWith('s3://'),
  constraintsUri: z.string().startsWith('s3://'),
  /** Feature names of the statistics file (the drift metrics' suffixes). */
  features: z.array(z.string().min(1)).min(1),
});

/** The model-quality baseline of a stage's model package and the alarm threshold it gives. */
export const modelQualityBaselineSchema = z.object({
  constraintsUri: z.string().startsWith('s3://'),
  metric: z.string().min(1),
  threshold: z.number(),
  comparison: z.enum(['GreaterThanThreshold', 'LessThanThreshold']),
});

/** What the build resolved for one stage; `null` baselines are not monitored (`notes` says why). */
export const stageResolutionSchema = z.object({
  endpointExists: z.boolean(),
  modelPackageArn: z.string().min(1).nullable(),
  dataQuality: dataQualityBaselineSchema.nullable(),
  modelQuality: modelQualityBaselineSchema.nullable(),
  notes: z.array(z.string()),
});
export type StageResolution = z.infer<typeof stageResolutionSchema>;

/** The resolved-environment document (shape shared with the other monitoring seeds: @mlops-templates/metrics). */
export const deploymentEnvironmentSchema = monitoringEnvironmentSchema(
  buildVariablesSchema,
  stageResolutionSchema,
);
export type DeploymentEnvironment = z.infer<typeof deploymentEnvironmentSchema>;

/** Validates a deployment environment document; the error names every bad field. */
export function parseDeploymentEnvironment(document: unknown, where: string): DeploymentEnvironment {
  const parsed = deploymentEnvironmentSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(`invalid deployment environment ${where}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Folder of the committed configuration files. */
export const CONFIG_DIRECTORY = path.resolve(__dirname, '..', 'config');
/** The committed example environment (generated from the contract, test/configuration.test.ts). */
export const EXAMPLE_ENVIRONMENT_FILE = path.join(CONFIG_DIRECTORY, 'example-environment.json');
/** The committed example resolution of a stage (config/example-stages.json). */
export const EXAMPLE_STAGES_FILE = path.join(CONFIG_DIRECTORY, 'example-stages.json');
/** The collector code key of the example deployment environment. */
export const EXAMPLE_COLLECTOR_CODE_KEY = `monitoring/code/${'0'.repeat(64)}.zip`;

/** The example deployment environment: example variables, example stages (both monitored). */
export function exampleDeploymentEnvironment(
  overrides: Partial<Record<(typeof BUILD_VARIABLES)[number], string>> = {},
): DeploymentEnvironment {
  const stages = JSON.parse(fs.readFileSync(EXAMPLE_STAGES_FILE, 'utf8')) as Record<string, unknown>;
  return parseDeploymentEnvironment(
    {
      environment: {
        ...parseExampleEnvironment(fs.readFileSync(EXAMPLE_ENVIRONMENT_FILE, 'utf8')),
        ...overrides,
      },
      collectorCodeKey: EXAMPLE_COLLECTOR_CODE_KEY,
      stages: { staging: stages.staging, prod: stages.prod },
    },
    `${EXAMPLE_ENVIRONMENT_FILE} + ${EXAMPLE_STAGES_FILE}`,
  );
}

/** The file named by MONITORING_ENVIRONMENT_FILE, else the example (announced on stderr). */
export function loadDeploymentEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): DeploymentEnvironment {
  const file = env.MONITORING_ENVIRONMENT_FILE?.trim();
  if (file) return parseDeploymentEnvironment(JSON.parse(fs.readFileSync(file, 'utf8')), file);
  warn('monitoring: MONITORING_ENVIRONMENT_FILE is not set: synthesizing the EXAMPLE project (config/)');
  return exampleDeploymentEnvironment();
}

/** The names of one stage's resources, from the contract's name functions (checked against the variables). */
export interface StageNames {
  readonly stage: Stage;
  readonly stackName: string;
  readonly endpointName: string;
  /** `sagemaker-<id>-collect-<stage>`: the function and its schedule (the scheduler role's grant). */
  readonly collectorName: string;
  readonly dataQualitySchedule: string;
  readonly dataQualityJobDefinitionPrefix: string;
  readonly modelQualitySchedule: string;
  readonly modelQualityJobDefinitionPrefix: string;
  /** `<ALARM_NAME_PREFIX><stage>-data-drift-<group>` (group from 1). */
  readonly dataDriftAlarm: (group: number) => string;
  /** `<ALARM_NAME_PREFIX><stage>-model-quality`. */
  readonly modelQualityAlarm: string;
  /** Notifies only: never starts with ALARM_NAME_PREFIX. */
  readonly freshnessAlarm: string;
  readonly dashboard: string;
}

/** Derives the names of a stage; throws when they disagree with the variables. */
export function stageNames(vars: BuildVariables, stage: Stage): StageNames {
  const p = { projectName: vars.SAGEMAKER_PROJECT_NAME, projectId: vars.SAGEMAKER_PROJECT_ID };
  if (contract.alarmNamePrefix(p) !== vars.ALARM_NAME_PREFIX) {
    throw new Error(
      `ALARM_NAME_PREFIX ${vars.ALARM_NAME_PREFIX} is not the project's retrain prefix ${contract.alarmNamePrefix(p)}`,
    );
  }
  const names: StageNames = {
    stage,
    stackName: stage === 'staging' ? vars.STAGING_MONITORING_STACK_NAME : vars.PROD_MONITORING_STACK_NAME,
    endpointName: stage === 'staging' ? vars.STAGING_ENDPOINT_NAME : vars.PROD_ENDPOINT_NAME,
    collectorName: contract.collectorFunction(p, stage),
    dataQualitySchedule: contract.dataQualitySchedule(p, stage),
    dataQualityJobDefinitionPrefix: contract.dataQualityJobDefinitionPrefix(p, stage),
    modelQualitySchedule: contract.modelQualitySchedule(p, stage),
    modelQualityJobDefinitionPrefix: contract.modelQualityJobDefinitionPrefix(p, stage),
    dataDriftAlarm: (group) => contract.dataDriftAlarm(p, stage, group),
    modelQualityAlarm: contract.modelQualityAlarm(p, stage),
    freshnessAlarm: contract.freshnessAlarm(p, stage),
    dashboard: contract.dashboard(p, stage),
  };
  if (names.freshnessAlarm.startsWith(vars.ALARM_NAME_PREFIX)) {
    throw new Error(`the freshness alarm ${names.freshnessAlarm} starts with ALARM_NAME_PREFIX`);
  }
  return names;
}
