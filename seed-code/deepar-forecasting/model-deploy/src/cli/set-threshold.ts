// `npm run threshold:set [-- --stage staging|prod] [--record FILE]`: the post-deploy action of each
// stage (buildspec-post-deploy.yml). See src/threshold/set-threshold.ts.
import * as fs from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  ConfigError,
  consoleLog,
  deploymentRecordPath,
  loadDeploymentRecord,
  parseCommandLine,
  runCommand,
  UsageError,
} from '@mlops-templates/model-deploy';
import { ROOT } from '../deploy-options';
import { checkScriptEnvironment } from '../environment';
import { setStageThreshold } from '../threshold/set-threshold';

const USAGE = `usage: npm run threshold:set -- [--stage staging|prod] [--record FILE]

After a successful deploy of the stage: verifies the endpoint is InService with this deployment's
endpoint config, derives the accuracy alarm threshold from the model's backtest with the threshold
policy and writes it (with the model version) to STAGING_/PROD_ALARM_THRESHOLD_PARAMETER_NAME.
  --stage STAGE  default: DEPLOYMENT_STAGE
  --record FILE  the build output (default: $CODEBUILD_SRC_DIR_StageParameters/deploy/model-package.json,
                 else ./deploy/model-package.json)
Optional policy settings: THRESHOLD_PERCENTILE (90), THRESHOLD_TOLERANCE (1.2), THRESHOLD_MIN_BACKTEST_WINDOWS (1).`;

runCommand(
  'threshold:set',
  USAGE,
  async () => {
    const values = parseCommandLine({ stage: { type: 'string' }, record: { type: 'string' } });
    // The environment the project template gives this script (the contract's pick, src/environment.ts).
    checkScriptEnvironment('threshold:set', process.env);
    const stage = values.stage ?? process.env.DEPLOYMENT_STAGE;
    if (!stage) throw new UsageError('no stage: set DEPLOYMENT_STAGE or pass --stage');
    const artifact = process.env.CODEBUILD_SRC_DIR_StageParameters;
    const recordFile = values.record ?? deploymentRecordPath(artifact ?? ROOT);
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
  },
  ['ThresholdError'],
);
