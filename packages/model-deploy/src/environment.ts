// The deploy step's pick of the environment contract (@mlops-templates/project-contract, never declared
// here): the project's names and roles every model-deploy repository synthesizes its stage stacks
// from, and the one error a failed environment reading turns into. Each seed adds its own per-script
// picks (its src/environment.ts) on top of these.
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
 * The environment of the build step (`build:stage-params`): the project variables, the model package
 * group, and the optional configuration parameter and pipeline variables (their fallbacks are
 * documented: no instance type override, the latest approved package on a push).
 */
export const BUILD_STAGE_PARAMS_ENVIRONMENT = pickEnvironment([
  ...PROJECT_VARIABLES,
  'MODEL_PACKAGE_GROUP_NAME',
  'CONFIG_PARAMETER_NAME',
  'MODEL_PACKAGE_ARN',
  'TRIGGER',
]).partial({ CONFIG_PARAMETER_NAME: true, MODEL_PACKAGE_ARN: true, TRIGGER: true });

/**
 * A seed's environment picks per npm script: the shared build step's ({@link BUILD_STAGE_PARAMS_ENVIRONMENT})
 * and the seed's own scripts'.
 */
export function deployEnvironmentByScript<const T extends Record<string, z.ZodObject>>(
  own: T,
): { readonly 'build:stage-params': typeof BUILD_STAGE_PARAMS_ENVIRONMENT } & T {
  return { 'build:stage-params': BUILD_STAGE_PARAMS_ENVIRONMENT, ...own };
}

/** The variables of every deploy seed's config/example-environment.json (seeds may add theirs). */
export const DEPLOY_EXAMPLE_ENVIRONMENT_VARIABLES: readonly ProjectVariable[] = [
  ...PROJECT_VARIABLES,
  'MODEL_PACKAGE_GROUP_NAME',
  'AWS_ACCOUNT_ID',
  'AWS_REGION',
];

/**
 * Checks an environment against a schema: throws {@link ConfigError} naming every missing or bad
 * variable (`missing environment variable(s) A, B` first, as the project template sets them all).
 */
export function checkEnvironment(
  schema: z.ZodObject,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const reading = readEnvironment(schema, env);
  if (!reading.success) throw environmentError(reading.problems);
}

/**
 * The environment check of a seed's npm scripts: `check(script, env)` throws {@link ConfigError} naming
 * every missing or bad variable of that script's pick.
 */
export function scriptEnvironmentCheck<const T extends Record<string, z.ZodObject>>(
  byScript: T,
): (script: keyof T, env: Readonly<Record<string, string | undefined>>) => void {
  return (script, env) => checkEnvironment(byScript[script], env);
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
