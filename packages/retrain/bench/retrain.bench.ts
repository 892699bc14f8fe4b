// Benchmark of the retrain Lambda: size of its esbuild bundle (src/handler.ts, platform node, target
// node20, minified; once with every dependency bundled including the AWS SDK v3 clients, once with
// `@aws-sdk/*` external as CDK NodejsFunction does by default on Node 18+ runtimes), and the warm
// decision latency against a moto_server started for the run (median and p95).
import { gzipSync } from 'node:zlib';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
// eslint-disable-next-line import/no-extraneous-dependencies -- bench-only tools, installed at the repository root
import { isCi, MOTO_SERVER, startMotoServer, toolVersion } from '@mlops-templates/test-harness';
// eslint-disable-next-line import/no-extraneous-dependencies -- bench-only tool, installed at the repository root
import { build } from 'esbuild';
import { createRetrainClients } from '../src/clients';
import type { RetrainConfig } from '../src/config';
import type { DecisionLogger } from '../src/decision';
import { runRetrainDecision } from '../src/orchestration';
import { createModelBuildPipeline, FIXTURES, loadEvent, putAlarm, testConfig } from '../test/support/helpers';

const WARM_UP = 5;
const SAMPLES = 50;
const KIB = 1024;

async function bundleSize(
  externalSdk: boolean,
): Promise<{ bytes: number; gzipBytes: number; sdkInputs: number }> {
  const result = await build({
    entryPoints: [`${__dirname}/../src/handler.ts`],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    write: false,
    metafile: true,
    external: externalSdk ? ['@aws-sdk/*'] : [],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0].contents;
  const sdkInputs = Object.keys(result.metafile.inputs).filter((path) =>
    path.includes('node_modules/@aws-sdk/'),
  ).length;
  return { bytes: output.byteLength, gzipBytes: gzipSync(output).byteLength, sdkInputs };
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

const silent: DecisionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function latencyAgainstMoto(): Promise<void> {
  const server = await startMotoServer();
  try {
    process.env.AWS_ENDPOINT_URL = server.endpoint;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    const setupClients = {
      sagemaker: new SageMakerClient({}),
      cloudwatch: new CloudWatchClient({}),
      sns: new SNSClient({}),
    };
    const clients = createRetrainClients(); // what the Lambda uses: endpoint from AWS_ENDPOINT_URL
    const event = loadEvent(FIXTURES.singleMetric);

    const prepare = async (): Promise<RetrainConfig> => {
      await server.reset();
      await createModelBuildPipeline(setupClients.sagemaker);
      await putAlarm(setupClients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
      const topic = await setupClients.sns.send(new CreateTopicCommand({ Name: 'retrain-bench' }));
      return testConfig({ alarmNamePrefix: 'Server', notificationTopicArn: topic.TopicArn });
    };

    const started: number[] = [];
    const duplicate: number[] = [];
    for (let i = 0; i < WARM_UP + SAMPLES; i += 1) {
      const config = await prepare();
      const ctx = { config, clients, logger: silent };
      let t0 = process.hrtime.bigint();
      const first = await runRetrainDecision(event, ctx);
      const startedMs = Number(process.hrtime.bigint() - t0) / 1e6;
      t0 = process.hrtime.bigint();
      const second = await runRetrainDecision(event, ctx);
      const duplicateMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (first.decision !== 'started' || second.reason !== 'duplicate-delivery') {
        throw new Error(`unexpected decisions: ${first.decision}/${second.reason}`);
      }
      if (i >= WARM_UP) {
        started.push(startedMs);
        duplicate.push(duplicateMs);
      }
    }
    for (const [label, times] of [
      [
        'started (DescribeAlarms, ListPipelineExecutions, ListModelPackages, StartPipelineExecution, SNS Publish)',
        started,
      ],
      [
        'skipped as duplicate (DescribeAlarms, ListPipelineExecutions, ListPipelineParametersForExecution, ListModelPackages)',
        duplicate,
      ],
    ] as const) {
      const sorted = [...times].sort((a, b) => a - b);
      console.log(
        `warm decision latency vs moto, ${label}: median ${percentile(sorted, 50).toFixed(1)} ms, ` +
          `p95 ${percentile(sorted, 95).toFixed(1)} ms (n=${sorted.length} after ${WARM_UP} warm-up)`,
      );
    }
  } finally {
    await server.stop();
  }
}

async function benchmark(): Promise<void> {
  const full = await bundleSize(false);
  const sdkExternal = await bundleSize(true);
  console.log(
    `Lambda bundle (src/handler.ts, esbuild node20 minified, all deps incl. AWS SDK v3 bundled: ` +
      `${full.sdkInputs} @aws-sdk input files): ${(full.bytes / KIB).toFixed(1)} KiB (gzip ${(full.gzipBytes / KIB).toFixed(1)} KiB)`,
  );
  console.log(
    `Lambda bundle with @aws-sdk/* external (NodejsFunction default; SDK from the runtime): ` +
      `${(sdkExternal.bytes / KIB).toFixed(1)} KiB (gzip ${(sdkExternal.gzipBytes / KIB).toFixed(1)} KiB)`,
  );

  if (toolVersion(MOTO_SERVER) === undefined) {
    const message = `warm decision latency: not measured, moto_server is missing (${MOTO_SERVER.installHint})`;
    if (isCi()) throw new Error(message);
    console.log(message);
    return;
  }
  await latencyAgainstMoto();
}

benchmark().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
