// The environment contract of this model-deploy repository: its picks of the variables of
// @mlops-templates/project-contract (never declared here), per npm script its CodeBuild projects run.
// The build step's pick is the shared deploy package's (@mlops-templates/model-deploy).
import * as deploy from '@mlops-templates/model-deploy';
import { pickEnvironment, type ProjectVariable } from '@mlops-templates/project-contract';

/**
 * The schema each npm script parses the environment with before it starts: the shared build step's,
 * and the endpoint test's, whose variables are optional (the endpoint name falls back to the build
 * record's; the configuration parameter is only read when the package does not record its problem
 * type).
 */
export const ENVIRONMENT_BY_SCRIPT = deploy.deployEnvironmentByScript({
  'test:endpoint': pickEnvironment(['STAGING_ENDPOINT_NAME', 'CONFIG_PARAMETER_NAME']).partial(),
});

/** The variables of config/example-environment.json (generated from the contract). */
export const EXAMPLE_ENVIRONMENT_VARIABLES: readonly ProjectVariable[] =
  deploy.DEPLOY_EXAMPLE_ENVIRONMENT_VARIABLES;

/** Checks a script's environment: a ConfigError naming every missing or bad variable of its pick. */
export const checkScriptEnvironment = deploy.scriptEnvironmentCheck(ENVIRONMENT_BY_SCRIPT);
