// This repository's use of the shared deploy package (@mlops-templates/model-deploy): its stacks
// capture DeepAR's JSON as JSON text (the monitoring collector reads it), the committed
// config/stages.json and example environment synthesize, and its build command exits with the
// documented codes (1: error with the reason, 2: bad usage).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesizeStages } from '@mlops-templates/model-deploy';
import { Template } from 'aws-cdk-lib/assertions';
import { DEPLOY_SEED } from '../src/deploy-options';
import { exampleParameters, ROOT } from './helpers';

test.each(['staging', 'prod'] as const)(
  'the %s endpoint config captures application/json as JSON',
  (stage) => {
    const template = Template.fromJSON(
      synthesizeStages(exampleParameters(), DEPLOY_SEED.deployStack)[stage].template,
    );
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: { CaptureContentTypeHeader: { JsonContentTypes: ['application/json'] } },
    });
  },
);

test('the build command: a readable error and exit code 1 when the project environment is missing, 2 on bad usage', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-params-cli-'));
  const r = spawnSync('npx', ['tsx', 'src/cli/build-stage-params.ts', '--out', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(
    /ERROR \(build:stage-params\): missing environment variable\(s\) SAGEMAKER_PROJECT_NAME, SAGEMAKER_PROJECT_ID/,
  );
  expect(r.stderr).not.toMatch(/at .*\.[tj]s:\d+/); // no stack trace for an expected failure
  expect(fs.readdirSync(outDir)).toEqual([]);
  const usage = spawnSync('npx', ['tsx', 'src/cli/build-stage-params.ts', '--bogus'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain('usage: npm run build:stage-params');
  fs.rmSync(outDir, { recursive: true, force: true });
});
