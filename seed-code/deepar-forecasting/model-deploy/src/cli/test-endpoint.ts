// `npm run test:endpoint [-- --fixture] [--record FILE] [--context-points N] [--max-series N]`:
// the staging endpoint test of the model-deploy pipeline (buildspec-test.yml). See
// src/endpoint-test/run.ts.
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import {
  endpointTestCommandContext,
  parseCommandLine,
  positiveOption,
  runCommand,
} from '@mlops-templates/model-deploy';
import { ROOT } from '../deploy-options';
import { runEndpointTest } from '../endpoint-test/run';
import { checkScriptEnvironment } from '../environment';

const USAGE = `usage: npm run test:endpoint -- [--fixture] [--record FILE] [--context-points N] [--max-series N]

Invokes STAGING_ENDPOINT_NAME with a DeepAR request built from the latest data of the project
(CONFIG_PARAMETER_NAME) and validates the forecast (every quantile of DEFAULT_QUANTILES, mean,
PREDICTION_LENGTH steps, monotone quantiles). Exits 1 with the reason when it does not pass.
  --fixture           use config/endpoint-test-series.json instead of the project's data
  --record FILE       the build output (default: $CODEBUILD_SRC_DIR_StageParameters/deploy/model-package.json,
                      else ./deploy/model-package.json when present)
  --context-points N  history points per series (default 720)
  --max-series N      series per request (default 5)`;

runCommand('test:endpoint', USAGE, async () => {
  const values = parseCommandLine({
    fixture: { type: 'boolean' },
    record: { type: 'string' },
    'context-points': { type: 'string' },
    'max-series': { type: 'string' },
  });
  // The environment the project template gives this script (the contract's pick, src/environment.ts).
  checkScriptEnvironment('test:endpoint', process.env);
  await runEndpointTest({
    ...endpointTestCommandContext(values.record, ROOT),
    s3: new S3Client({}),
    fixtureFile: path.join(ROOT, 'config', 'endpoint-test-series.json'),
    forceFixture: values.fixture === true,
    contextPoints: positiveOption(values['context-points'], '--context-points'),
    maxSeries: positiveOption(values['max-series'], '--max-series'),
  });
});
