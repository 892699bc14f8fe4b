// `npm run threshold:set [-- --stage staging|prod] [--record FILE]`: the post-deploy action of each
// stage (buildspec-post-deploy.yml). See src/threshold/set-threshold.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import { deploymentRecordPath, loadDeploymentRecord } from '../deployment-record';
import { ConfigError } from '../stage-config';
import { setStageThreshold } from '../threshold/set-threshold';
import { checkScriptEnvironment } from '../environment';
import { consoleLog, runCommand, UsageError } from './common';

const USAGE = `usage: npm run threshold:set -- [--stage staging|prod] [--record FILE]

After a successful deploy of the stage: verifies the endpoint is InService with this deployment's
endpoint config, derives the accuracy alarm threshold from the model's backtest with the threshold
policy and writes it (with the model version) to STAGING_/PROD_ALARM_THRESHOLD_PARAMETER_NAME.
  --stage STAGE  default: DEPLOYMENT_STAGE
  --record FILE  the build output (default: $CODEBUILD_SRC_DIR_StageParameters/deploy/model-package.json,
                 else ./deploy/model-package.json)
Optional policy settings: THRESHOLD_PERCENTILE (90), THRESHOLD_TOLERANCE (1.2), THRESHOLD_MIN_BACKTEST_WINDOWS (1).`;

runCommand('threshold:set', USAGE, async () => {
  let values: { stage?: string; record?: string };
  try {
    ({ values } = parseArgs({
      options: { stage: { type: 'string' }, record: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // The environment the project template gives this script (the contract's pick, src/environment.ts).
  checkScriptEnvironment('threshold:set', process.env);
  const stage = values.stage ?? process.env.DEPLOYMENT_STAGE;
  if (!stage) throw new UsageError('no stage: set DEPLOYMENT_STAGE or pass --stage');
  const root = path.join(__dirname, '..', '..');
  const artifact = process.env.CODEBUILD_SRC_DIR_StageParameters;
  const recordFile = values.record ?? deploymentRecordPath(artifact ?? root);
  if (!fs.existsSync(recordFile)) {
    throw new ConfigError(
      `no build output at ${recordFile}: run after the build step (npm run build:stage-params)`,
    );
  }
  await setStageThreshold({
    stage,
    env: process.env,
    record: loadDeploymentRecord(recordFile),
    sagemaker: new SageMakerClient({}),
    s3: new S3Client({}),
    ssm: new SSMClient({}),
    log: consoleLog,
  });
});
