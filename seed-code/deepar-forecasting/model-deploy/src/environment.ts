// The environment contract of model-deploy: this repository's picks of the variables of
// @mlops-templates/project-contract (never declared here), per npm script its CodeBuild projects run.
import { pickEnvironment, type ProjectVariable, readEnvironment } from '@mlops-templates/project-contract';
import type { z } from 'zod';
import { ConfigError } from './stage-config';

/** The project's names and roles the deploy stacks are synthesized from (read by build:stage-params). */
export const PROJECT_VARIABLES = [
  'SAGEMAKER_PROJECT_NAME',
  'SAGEMAKER_PROJECT_ID',
  'PROJECT_BUCKET',
  'DATA_CAPTURE_PREFIX',
  'SAGEMAKER_EXECUTION_ROLE_ARN',
  'PROJECT_KMS_KEY_ARN',
  'STAGING_ENDPOINT_NAME',
  'PROD_ENDPOINT_NAME',
  'STAGING_DEPLOY_STACK_NAME',
  'PROD_DEPLOY_STACK_NAME',
  'ALARM_NAME_PREFIX',
] as const satisfies readonly ProjectVariable[];

/** The contract's schema of {@link PROJECT_VARIABLES}. */
export const projectVariablesSchema = pickEnvironment(PROJECT_VARIABLES);

/**
 * The schema each npm script parses the environment with before it starts. Optional variables have
 * a fallback the script documents (the deployment record, the SSM configuration, `--stage`).
 */
export const ENVIRONMENT_BY_SCRIPT = {
  'build:stage-params': pickEnvironment([
    ...PROJECT_VARIABLES,
    'MODEL_PACKAGE_GROUP_NAME',
    'CONFIG_PARAMETER_NAME',
    'MODEL_PACKAGE_ARN',
    'TRIGGER',
  ]).partial({ CONFIG_PARAMETER_NAME: true, MODEL_PACKAGE_ARN: true, TRIGGER: true }),
  'test:endpoint': pickEnvironment([
    'STAGING_ENDPOINT_NAME',
    'CONFIG_PARAMETER_NAME',
    'FREQUENCY',
    'PREDICTION_LENGTH',
  ]).partial(),
  'threshold:set': pickEnvironment([
    'DEPLOYMENT_STAGE',
    'STAGING_ALARM_THRESHOLD_PARAMETER_NAME',
    'PROD_ALARM_THRESHOLD_PARAMETER_NAME',
  ]).partial({ DEPLOYMENT_STAGE: true }),
} as const satisfies Record<string, z.ZodObject>;

/** A script of {@link ENVIRONMENT_BY_SCRIPT}. */
export type EnvironmentScript = keyof typeof ENVIRONMENT_BY_SCRIPT;

/** The variables of config/example-environment.json (generated: `npx projen seed:examples`). */
export const EXAMPLE_ENVIRONMENT_VARIABLES: readonly ProjectVariable[] = [
  ...PROJECT_VARIABLES,
  'MODEL_PACKAGE_GROUP_NAME',
  'AWS_ACCOUNT_ID',
  'AWS_REGION',
];

/**
 * Checks the environment of a script: throws {@link ConfigError} naming every missing or bad variable
 * (`missing environment variable(s) A, B` first, as the project template sets them all).
 */
export function checkScriptEnvironment(
  script: EnvironmentScript,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const reading = readEnvironment(ENVIRONMENT_BY_SCRIPT[script], env);
  if (!reading.success) throw environmentError(reading.problems);
}

/** The error of a failed reading: unset variables in one line, then each invalid one with its value. */
export function environmentError(problems: readonly string[]): ConfigError {
  const missing = problems.filter((p) => p.endsWith(' is not set')).map((p) => p.replace(/ is not set$/, ''));
  if (missing.length > 0) {
    return new ConfigError(
      `missing environment variable(s) ${missing.join(', ')} (set by the project template on its CodeBuild projects; see README "Environment")`,
    );
  }
  return new ConfigError(`invalid environment:\n  - ${problems.join('\n  - ')}`);
}
