// What this repository's deploy stacks and commands differ in from the other model-deploy
// repositories (@mlops-templates/model-deploy): the built-in XGBoost endpoint takes and returns
// text/csv, and data capture stores it as CSV text (Model Monitor's data-quality and model-quality
// jobs read CSV captures of the declared CSV content types).
import * as path from 'node:path';
import type { DeploySeed } from '@mlops-templates/model-deploy';
import { ENVIRONMENT_BY_SCRIPT } from './environment';

/** The content type of the built-in XGBoost endpoint's CSV requests and responses. */
export const CSV_CONTENT_TYPE = 'text/csv';

/** The repository root (config/, deploy/). */
export const ROOT = path.join(__dirname, '..');

/** The tabular deploy seed: CSV capture, the build step's environment pick. */
export const DEPLOY_SEED: DeploySeed = {
  root: ROOT,
  deployStack: { captureContentTypes: { csv: [CSV_CONTENT_TYPE] } },
  buildEnvironment: ENVIRONMENT_BY_SCRIPT['build:stage-params'],
};
