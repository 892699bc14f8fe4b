// The environment contract of model-deploy: this repository's picks of the variables of
// @mlops-templates/project-contract (never declared here), per npm script its CodeBuild projects run.
// The build step's pick is the shared deploy package's (@mlops-templates/model-deploy).
import {
  DEPLOY_EXAMPLE_ENVIRONMENT_VARIABLES,
  deployEnvironmentByScript,
  scriptEnvironmentCheck,
} from '@mlops-templates/model-deploy';
import { pickEnvironment, type ProjectVariable } from '@mlops-templates/project-contract';
import type { z } from 'zod';

/**
 * The schema each npm script parses the environment with before it starts. Optional variables have
 * a fallback the script documents (the deployment record, the SSM configuration, `--stage`).
 */
export const ENVIRONMENT_BY_SCRIPT = deployEnvironmentByScript({
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
}) satisfies Record<string, z.ZodObject>;

/** A script of {@link ENVIRONMENT_BY_SCRIPT}. */
export type EnvironmentScript = keyof typeof ENVIRONMENT_BY_SCRIPT;

/** The variables of config/example-environment.json (generated: `npx projen seed:examples`). */
export const EXAMPLE_ENVIRONMENT_VARIABLES: readonly ProjectVariable[] = DEPLOY_EXAMPLE_ENVIRONMENT_VARIABLES;

/** Checks a script's environment: a ConfigError naming every missing or bad variable of its pick. */
export const checkScriptEnvironment = scriptEnvironmentCheck(ENVIRONMENT_BY_SCRIPT);
