// `npm run build:stage-params [-- --event FILE] [--out DIR] [--stages FILE]`: the Build action of
// the model-deploy pipeline (buildspec.yml). See src/build-stage-params.ts.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import { buildStageParams } from '../build-stage-params';
import { readEventFile } from '../model-package';
import { checkScriptEnvironment } from '../environment';
import { consoleLog, runCommand, UsageError } from './common';

const USAGE = `usage: npm run build:stage-params -- [--event FILE] [--out DIR] [--stages FILE]

Resolves the model package to deploy and writes DIR/{staging,prod}.template.json,
DIR/{staging,prod}.config.json, DIR/model-package.json and DIR/stage-parameters.json.
  --event FILE   a "SageMaker Model Package State Change" event (local replay; overrides MODEL_PACKAGE_ARN)
  --out DIR      output folder (default: deploy)
  --stages FILE  stage configuration (default: config/stages.json)
Environment: MODEL_PACKAGE_ARN (an ARN, or "latest"), TRIGGER, MODEL_PACKAGE_GROUP_NAME,
CONFIG_PARAMETER_NAME and the project variables listed in README.md.`;

runCommand('build:stage-params', USAGE, async () => {
  let values: { event?: string; out?: string; stages?: string };
  try {
    ({ values } = parseArgs({
      options: { event: { type: 'string' }, out: { type: 'string' }, stages: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // The environment the project template gives this script (the contract's pick, src/environment.ts).
  checkScriptEnvironment('build:stage-params', process.env);
  const root = path.join(__dirname, '..', '..');
  const result = await buildStageParams({
    env: process.env,
    outDir: path.resolve(values.out ?? path.join(root, 'deploy')),
    stagesFile: path.resolve(values.stages ?? path.join(root, 'config', 'stages.json')),
    event: values.event === undefined ? undefined : readEventFile(values.event),
    sagemaker: new SageMakerClient({}),
    ssm: new SSMClient({}),
    log: consoleLog,
  });
  consoleLog.info(`Wrote ${result.files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
});
