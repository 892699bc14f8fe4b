// `npm run test:endpoint [-- --payload FILE] [--record FILE] [--max-rows N]`: the staging endpoint
// test of the model-deploy pipeline (buildspec-test.yml). See src/endpoint-test/run.ts.
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

const USAGE = `usage: npm run test:endpoint -- [--payload FILE] [--record FILE] [--max-rows N]

Sends CSV feature rows to STAGING_ENDPOINT_NAME (text/csv) and checks one prediction per row for the
model's problem type (regression: a number; binary: a probability; multiclass: class probabilities
summing to 1). Exits 1 with the reason when it does not pass.
  --payload FILE  CSV feature rows (no header, no target) instead of the model package's sample_payload
  --record FILE   the build output (default: $CODEBUILD_SRC_DIR_StageParameters/deploy/model-package.json,
                  else ./deploy/model-package.json when present)
  --max-rows N    rows sent (default 10)`;

runCommand('test:endpoint', USAGE, async () => {
  const values = parseCommandLine({
    payload: { type: 'string' },
    record: { type: 'string' },
    'max-rows': { type: 'string' },
  });
  // The environment the project template gives this script (the contract's pick, src/environment.ts).
  checkScriptEnvironment('test:endpoint', process.env);
  await runEndpointTest({
    ...endpointTestCommandContext(values.record, ROOT),
    s3: new S3Client({}),
    payloadFile: values.payload,
    maxRows: positiveOption(values['max-rows'], '--max-rows'),
  });
});
