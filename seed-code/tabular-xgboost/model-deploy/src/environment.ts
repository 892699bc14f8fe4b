// The environment contract of this model-deploy repository: its picks of the variables of
// @mlops-templates/project-contract (never declared here), per npm script its CodeBuild projects run.
// The build step's pick is the shared deploy package's (@mlops-templates/model-deploy).
import {
  BUILD_STAGE_PARAMS_ENVIRONMENT,
  checkEnvironment,
  DEPLOY_EXAMPLE_ENVIRONMENT_VARIABLES,
} from '@mlops-templates/model-deploy';
import { pickEnvironment, type ProjectVariable } from '@mlops-templates/project-contract';
import type { z } from 'zod';

/**
 * The schema each npm script parses the environment with before it starts. The endpoint test's
 * variables are optional: the endpoint name falls back to the build record's, the configuration
 * parameter is only needed when the model package does not record its problem type.
 */
export const ENVIRONMENT_BY_SCRIPT = {
  'build:stage-params': BUILD_STAGE_PARAMS_ENVIRONMENT,
  'test:endpoint': pickEnvironment(['STAGING_ENDPOINT_NAME', 'CONFIG_PARAMETER_NAME']).partial(),
} as const satisfies Record<string, z.ZodObject>;

/** A script of {@link ENVIRONMENT_BY_SCRIPT}. */
export type EnvironmentScript = keyof typeof ENVIRONMENT_BY_SCRIPT;

/** The variables of config/example-environment.json (generated from the contract). */
export const EXAMPLE_ENVIRONMENT_VARIABLES: readonly ProjectVariable[] = DEPLOY_EXAMPLE_ENVIRONMENT_VARIABLES;

/** Checks the environment of a script: throws a ConfigError naming every missing or bad variable. */
export function checkScriptEnvironment(
  script: EnvironmentScript,
  env: Readonly<Record<string, string | undefined>>,
): void {
  checkEnvironment(ENVIRONMENT_BY_SCRIPT[script], env);
}
