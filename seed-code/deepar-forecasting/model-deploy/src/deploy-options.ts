// What this repository's deploy stacks and commands differ in from the other model-deploy
// repositories (@mlops-templates/model-deploy): data capture stores DeepAR's JSON requests and
// forecasts as JSON text (the collector of the monitoring repository reads them), and its folders.
import * as path from 'node:path';
import type { DeploySeed } from '@mlops-templates/model-deploy';
import { ENVIRONMENT_BY_SCRIPT } from './environment';

/** DeepAR's JSON request and response content type (the DeepAR inference formats). */
export const DEEPAR_CONTENT_TYPE = 'application/json';

/** The repository root (config/, deploy/). */
export const ROOT = path.join(__dirname, '..');

/** The DeepAR deploy seed: JSON capture, the build step's environment pick. */
export const DEPLOY_SEED: DeploySeed = {
  root: ROOT,
  deployStack: { captureContentTypes: { json: [DEEPAR_CONTENT_TYPE] } },
  buildEnvironment: ENVIRONMENT_BY_SCRIPT['build:stage-params'],
};
