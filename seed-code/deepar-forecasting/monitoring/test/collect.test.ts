// Collection cycles end to end with mocked AWS clients (in-memory S3): the stage's own endpoint only,
// one request per run with an InferenceId, ground truth of earlier forecasts from the points after
// their start, wQL over the window for the current model version, freshness and the threshold.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeFeatureGroupCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  dataKey,
  dataWindowSteps,
  parseFrequency,
  parseGroundTruthLine,
  resample,
  type StoredForecast,
  type LogPort,
  SILENT_LOG_PORT,
} from '@mlops-templates/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { MemoryS3 } from './support/memory-s3';
import {
  fakeDeepArResponse,
  HOUR,
  referenceMeanWql,
  seriesObjects,
  seriesValue,
} from './support/series-data';
import { type CollectorEnvironment, runCollection } from '../src/collector/collect';

const s3Mock = mockClient(S3Client);
const ssmMock = mockClient(SSMClient);
const smMock = mockClient(SageMakerClient);
const runtimeMock = mockClient(SageMakerRuntimeClient);
const cwMock = mockClient(CloudWatchClient);
const athenaMock = mockClient(AthenaClient);
afterAll(() => [s3Mock, ssmMock, smMock, runtimeMock, cwMock, athenaMock].forEach((m) => m.restore()));

const BUCKET = 'sagemaker-p-test-123456789012';
const HORIZON = 6;
const T = Date.UTC(2024, 5, 10, 0);
const PACKAGE = (v: number) =>
  `arn:aws:sagemaker:eu-west-1:123456789012:model-package/sagemaker-demo-p-test/${v}`;
const projectConfig = {
  dataSourceType: 'synthetic',
  dataSourceLocation: `s3://${BUCKET}/data/synthetic/`,
  targetColumn: 'target',
  timestampColumn: 'timestamp',
  itemIdColumn: 'item_id',
  frequency: '1H',
  predictionLength: String(HORIZON),
};

function environment(stage: 'staging' | 'prod'): CollectorEnvironment {
  return {
    stage,
    endpointName: `sagemaker-p-test-${stage}`,
    bucket: BUCKET,
    metricNamespace: 'SageMakerProjects/demo-p-test',
    configParameterName: '/sagemaker/demo-p-test/config',
    thresholdParameterName: `/sagemaker/demo-p-test/${stage}/alarm-threshold`,
    monitoringPrefix: 'monitoring/',
    groundTruthPrefix: 'ground-truth/',
    dataCapturePrefix: 'data-capture/',
    settings: {
      contextLength: 48,
      numSamples: 20,
      evaluationHorizons: 2,
      minPointsEvaluated: 10,
      groundTruthGracePeriods: 2,
      athenaWorkGroup: 'primary',
      athenaTimeoutMs: 10_000,
    },
  };
}

const quietLogger: LogPort = SILENT_LOG_PORT;

let s3: MemoryS3;
let ids = 0;
let threshold = 'unset';
let config: Record<string, string> = projectConfig;

function serve(version: number, configName = `cfg-${version}`): void {
  smMock
    .on(DescribeEndpointCommand)
    .resolves({ EndpointStatus: 'InService', EndpointConfigName: configName });
  smMock
    .on(DescribeEndpointConfigCommand)
    .resolves({ ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `m-${version}` }] });
  smMock.on(DescribeModelCommand).resolves({ PrimaryContainer: { ModelPackageName: PACKAGE(version) } });
}

function addSeries(from: number, to: number): void {
  for (const o of seriesObjects('data/synthetic/', from, to, HOUR, 2)) {
    const existing = s3.get(BUCKET, o.key);
    // one object per day: rewrite the day's object with the extra rows (like a daily append)
    s3.put(BUCKET, existing ? o.key.replace('.csv', `-${from}.csv`) : o.key, o.body);
  }
}

async function run(
  stage: 'staging' | 'prod',
  now: number,
  settings: Partial<CollectorEnvironment['settings']> = {},
) {
  const env = environment(stage);
  return runCollection({
    environment: { ...env, settings: { ...env.settings, ...settings } },
    clients: {
      s3: new S3Client({ region: 'eu-west-1' }),
      ssm: new SSMClient({ region: 'eu-west-1' }),
      sagemaker: new SageMakerClient({ region: 'eu-west-1' }),
      runtime: new SageMakerRuntimeClient({ region: 'eu-west-1' }),
      cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
      athena: new AthenaClient({ region: 'eu-west-1' }),
    },
    logger: quietLogger,
    now: () => now,
    newId: () => `id${++ids}`,
  });
}

function published(): Record<string, number>[] {
  return cwMock
    .commandCalls(PutMetricDataCommand)
    .map((call) =>
      Object.fromEntries(
        (call.args[0].input.MetricData ?? [])
          .filter((d) => d.Dimensions?.some((x) => x.Name === 'ModelVersion'))
          .map((d) => [d.MetricName as string, d.Value as number]),
      ),
    );
}

beforeEach(() => {
  for (const m of [s3Mock, ssmMock, smMock, runtimeMock, cwMock, athenaMock]) m.reset();
  s3 = new MemoryS3(s3Mock);
  ids = 0;
  threshold = 'unset';
  config = projectConfig;
  ssmMock.on(GetParameterCommand).callsFake(async (input: { Name: string }) => {
    if (input.Name.endsWith('/config')) return { Parameter: { Value: JSON.stringify(config) } };
    if (input.Name.endsWith('/alarm-threshold')) return { Parameter: { Value: threshold } };
    throw Object.assign(new Error('not found'), { name: 'ParameterNotFound' });
  });
  runtimeMock.on(InvokeEndpointCommand).callsFake(async (input: { Body: Uint8Array }) => ({
    Body: new TextEncoder().encode(fakeDeepArResponse(new TextDecoder().decode(input.Body), HORIZON)),
    InvokedProductionVariant: 'AllTraffic',
    ContentType: 'application/json',
  }));
  cwMock.on(PutMetricDataCommand).resolves({});
  serve(3);
});

test('two cycles: forecast, then ground truth from the points after its start, then wQL', async () => {
  threshold = JSON.stringify({ threshold: 0.5, modelVersion: PACKAGE(3) });
  addSeries(T - 100 * HOUR, T);

  // ---- cycle 1: one forecast of the staging endpoint, nothing matured yet
  const first = await run('staging', T + 20 * 60_000);
  const invocations = runtimeMock.commandCalls(InvokeEndpointCommand);
  expect(invocations).toHaveLength(1);
  const call = invocations[0].args[0].input;
  expect(call.EndpointName).toBe('sagemaker-p-test-staging');
  expect(call.InferenceId).toBe('staging-20240610T010000Z-id2');
  const request = JSON.parse(new TextDecoder().decode(call.Body as Uint8Array));
  expect(request.instances).toHaveLength(2);
  expect(request.instances[0].start).toBe('2024-06-08 01:00:00');
  expect(request.instances[0].target).toHaveLength(48);
  expect(request.instances[1].target.at(-1)).toBe(seriesValue(1, T));
  expect(request.configuration.output_types).toEqual(['mean', 'quantiles']);
  expect(first.forecast).toMatchObject({ inferenceId: 'staging-20240610T010000Z-id2', modelVersion: '3' });
  expect(first.published).toMatchObject({ pointsEvaluated: 0 });
  expect(published()[0]).toEqual({ points_evaluated: 0 });
  const forecastKeyWritten = s3.keys(BUCKET, 'monitoring/staging/forecasts/');
  expect(forecastKeyWritten).toEqual([
    'monitoring/staging/forecasts/2024/06/10/06/staging-20240610T010000Z-id2.json',
  ]);

  // ---- cycle 2, 8 hours later: the first forecast's horizon (T+1h … T+6h) is observed
  addSeries(T + HOUR, T + 8 * HOUR);
  const second = await run('staging', T + 8 * HOUR + 20 * 60_000);
  expect(runtimeMock.commandCalls(InvokeEndpointCommand)).toHaveLength(2);
  expect(second.groundTruth).toMatchObject({
    records: 1,
    key: 'ground-truth/staging/2024/06/10/08/20240610T082000Z-id3.jsonl',
  });
  const lines = s3.get(BUCKET, second.groundTruth.key!)!.trim().split('\n');
  expect(lines).toHaveLength(1);
  const record = parseGroundTruthLine(lines[0]);
  expect(record.eventId).toBe('staging-20240610T010000Z-id2');
  const horizonTimes = Array.from({ length: HORIZON }, (_, k) => T + (k + 1) * HOUR);
  expect(record.targets).toEqual([
    horizonTimes.map((t) => seriesValue(0, t)),
    horizonTimes.map((t) => seriesValue(1, t)),
  ]);

  const stored = JSON.parse(s3.get(BUCKET, forecastKeyWritten[0])!) as StoredForecast;
  const expected = referenceMeanWql(
    stored.forecasts.map((f, i) => ({ target: record.targets[i], quantiles: f.quantiles })),
  );
  expect(second.evaluation).toMatchObject({ maturedForecasts: 1, evaluatedForecasts: 1, points: 12 });
  expect(second.published.meanWql).toBeCloseTo(expected, 12);
  expect(published()[1]).toEqual({
    points_evaluated: 12,
    mean_wQL: second.published.meanWql,
    threshold: 0.5,
  });

  // nothing is ever written under the endpoint's data-capture prefix
  expect(s3.keys(BUCKET, 'data-capture/')).toEqual([]);

  // ---- cycle 3, no new data: no request, points_evaluated = 0, no mean_wQL
  const third = await run('staging', T + 8 * HOUR + 40 * 60_000);
  expect(runtimeMock.commandCalls(InvokeEndpointCommand)).toHaveLength(2);
  expect(third.forecast).toEqual({ skipped: 'no observation newer than the last forecast context' });
  expect(third.published).toMatchObject({
    pointsEvaluated: 0,
    accuracyReason: 'no new data since the previous run',
  });
  expect(published()[2]).toEqual({ points_evaluated: 0 });
  // its ground truth is not written twice
  expect(third.groundTruth.records).toBe(0);
  expect(s3.keys(BUCKET, 'ground-truth/')).toHaveLength(1);
});

test('wQL pools every forecast matured in the window (several horizons)', async () => {
  addSeries(T - 100 * HOUR, T);
  for (let h = 0; h <= 14; h++) {
    if (h > 0) addSeries(T + h * HOUR, T + h * HOUR);
    await run('staging', T + h * HOUR + 20 * 60_000);
  }
  const last = published().at(-1)!;
  // forecasts made at T … T+8h have matured by T+14h (due T+6h … T+14h), all inside the 12 h window
  const summaryPoints = last.points_evaluated;
  expect(summaryPoints).toBe(9 * HORIZON * 2);
  expect(last.mean_wQL).toBeGreaterThan(0);
});

test('warm-up: after a new model version is deployed, forecasts of the old one do not count', async () => {
  threshold = JSON.stringify({ threshold: 0.5, modelVersion: PACKAGE(3) });
  addSeries(T - 100 * HOUR, T);
  await run('staging', T + 20 * 60_000);
  serve(4);
  addSeries(T + HOUR, T + 8 * HOUR);
  const second = await run('staging', T + 8 * HOUR + 20 * 60_000);
  expect(second.modelVersion).toBe('4');
  expect(second.groundTruth.records).toBe(1);
  expect(second.evaluation).toMatchObject({
    maturedForecasts: 1,
    evaluatedForecasts: 0,
    otherVersionForecasts: 1,
  });
  expect(second.published).toMatchObject({ pointsEvaluated: 0 });
  expect(published()[1]).toEqual({ points_evaluated: 0 });
});

test('the prod collector calls the prod endpoint only and writes under its own stage', async () => {
  addSeries(T - 100 * HOUR, T + 8 * HOUR);
  await run('prod', T + 8 * HOUR + 20 * 60_000);
  const endpoints = runtimeMock.commandCalls(InvokeEndpointCommand).map((c) => c.args[0].input.EndpointName);
  expect(endpoints).toEqual(['sagemaker-p-test-prod']);
  expect(
    smMock
      .commandCalls(DescribeEndpointCommand)
      .every((c) => c.args[0].input.EndpointName === 'sagemaker-p-test-prod'),
  ).toBe(true);
  expect(s3.keys(BUCKET, 'monitoring/').every((k) => k.startsWith('monitoring/prod/'))).toBe(true);
});

test('a failing endpoint call is logged; matured forecasts are still evaluated', async () => {
  addSeries(T - 100 * HOUR, T);
  await run('staging', T + 20 * 60_000);
  runtimeMock
    .on(InvokeEndpointCommand)
    .rejects(Object.assign(new Error('Received server error (500)'), { name: 'ModelError' }));
  addSeries(T + HOUR, T + 8 * HOUR);
  const second = await run('staging', T + 8 * HOUR + 20 * 60_000);
  expect(second.forecast).toEqual({ skipped: 'invocation failed: Received server error (500)' });
  expect(second.published.pointsEvaluated).toBe(12);
});

test('no endpoint yet: no request, points_evaluated = 0', async () => {
  smMock
    .on(DescribeEndpointCommand)
    .rejects(Object.assign(new Error('Could not find endpoint'), { name: 'ValidationException' }));
  addSeries(T - 100 * HOUR, T);
  const summary = await run('staging', T + 20 * 60_000);
  expect(runtimeMock.commandCalls(InvokeEndpointCommand)).toHaveLength(0);
  expect(summary.forecast).toEqual({ skipped: 'endpoint sagemaker-p-test-staging is missing' });
  expect(summary.published).toMatchObject({
    pointsEvaluated: 0,
    accuracyReason: 'the serving model version is unknown',
  });
});

test('an endpoint update during the call: the forecast is kept out of the evaluation', async () => {
  addSeries(T - 100 * HOUR, T);
  smMock
    .on(DescribeEndpointCommand)
    .resolvesOnce({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-3' })
    .resolves({ EndpointStatus: 'Updating', EndpointConfigName: 'cfg-4' });
  const summary = await run('staging', T + 20 * 60_000);
  expect(summary.forecast).toMatchObject({ modelVersion: null });
});

test('malformed rows are counted and skipped, the cycle goes on', async () => {
  addSeries(T - 100 * HOUR, T);
  s3.put(
    BUCKET,
    'data/synthetic/dt=2024-06-10/bad.csv',
    'timestamp,item_id,target\nyesterday,item_001,1\n2024-06-10T00:00:00Z,item_001,abc\n',
  );
  const summary = await run('staging', T + 20 * 60_000);
  expect(summary.data.malformedRows).toBe(2);
  expect(summary.forecast).toMatchObject({ instances: 2 });
});

test('a missing project configuration is an error', async () => {
  ssmMock.on(GetParameterCommand).rejects(Object.assign(new Error('nope'), { name: 'ParameterNotFound' }));
  await expect(run('staging', T)).rejects.toThrow(
    /SSM parameter \/sagemaker\/demo-p-test\/config does not exist/,
  );
});

test('Feature Group source: one time-bounded Athena query, results under the monitoring prefix', async () => {
  config = {
    ...projectConfig,
    dataSourceType: 'feature-group',
    dataSourceLocation: 'sales',
    timestampColumn: 'event_time',
    itemIdColumn: 'store',
    targetColumn: 'sales',
  };
  smMock.on(DescribeFeatureGroupCommand).resolves({
    OfflineStoreConfig: {
      S3StorageConfig: { S3Uri: 's3://x' },
      DataCatalogConfig: {
        Catalog: 'AwsDataCatalog',
        Database: 'sagemaker_featurestore',
        TableName: 'sales_1700000000',
      },
    },
    FeatureDefinitions: [{ FeatureName: 'event_time', FeatureType: 'String' }],
  });
  const rows = [];
  for (let t = T - 47 * HOUR; t <= T; t += HOUR) {
    for (const store of ['s1', 's2'])
      rows.push({
        Data: [{ VarCharValue: new Date(t).toISOString() }, { VarCharValue: store }, { VarCharValue: '42' }],
      });
  }
  athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
  athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athenaMock.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [{ Data: [] }, ...rows] } });
  const summary = await run('staging', T + 20 * 60_000);
  const start = athenaMock.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
  expect(start.QueryString).toContain(
    `from_iso8601_timestamp('${new Date(T + 20 * 60_000 - 48 * HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z')}')`,
  );
  expect(start.ResultConfiguration?.OutputLocation).toBe(`s3://${BUCKET}/monitoring/staging/athena/`);
  expect(summary.data).toMatchObject({ source: 'feature-group:sales', items: 2, observations: 96 });
  expect(summary.forecast).toMatchObject({ instances: 2 });
});

test('irregular data is resampled to FREQUENCY like training (issue #14 finding 6): the request carries step means on the grid', async () => {
  // Two readings per hour, 20 and 40 minutes past: training (model-build) averages them into the
  // hour's step; the collector used to send the raw readings stepped back from the newest one.
  const rows = ['timestamp,item_id,target'];
  const readings: { itemId: string; timestampMs: number; value: number }[] = [];
  for (let h = 40; h >= 1; h--) {
    for (const minute of [20, 40]) {
      const t = T - h * HOUR + minute * 60_000;
      const value = 100 + h + minute / 10;
      rows.push(`${new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')},item_001,${value}`);
      readings.push({ itemId: 'item_001', timestampMs: t, value });
    }
  }
  s3.put(
    BUCKET,
    'data/synthetic/dt=2024-06-08/part-20240608T082000Z-20240609T234000Z.csv',
    `${rows.join('\n')}\n`,
  );
  await run('staging', T + 20 * 60_000);
  const call = runtimeMock.commandCalls(InvokeEndpointCommand)[0].args[0].input;
  const request = JSON.parse(new TextDecoder().decode(call.Body as Uint8Array));
  const trained = resample(readings, {
    frequency: parseFrequency('1H'),
    windowStartMs: T - 100 * HOUR,
    windowEndMs: T,
    aggregation: 'mean',
  }).series[0];
  const expected = Array.from(trained.values);
  expect(expected).toHaveLength(40);
  expect(request.instances).toHaveLength(1);
  expect(request.instances[0].target).toEqual(expected);
  expect(request.instances[0].target.at(-1)).toBe(100 + 1 + 3); // mean of 102 and 104: the 23:00 step
  expect(request.instances[0].start).toBe('2024-06-08 08:00:00');
});

test('the live request carries the data window a build trains and backtests on, backfill included (issue #14 finding 5)', async () => {
  // A synthetic project 3 hours after creation: the generator's first run wrote a build's data window
  // as ONE object in the dt= partition of its first day, then one object per run. model-build reads
  // all of it (part-<first>-<last> ranges); the collector used to list only its window's dt= days and
  // sent just the points written since creation.
  config = { ...projectConfig, itemIdColumn: 'none' };
  const created = T;
  const windowSteps = dataWindowSteps({ frequency: parseFrequency('1H'), predictionLength: HORIZON });
  expect(windowSteps).toBe(90 * 24);
  const backfillFrom = created - (windowSteps - 1) * HOUR;
  const body = (from: number, to: number) => {
    const rows = ['timestamp,target'];
    for (let t = from; t <= to; t += HOUR) {
      rows.push(`${new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')},${seriesValue(0, t)}`);
    }
    return `${rows.join('\n')}\n`;
  };
  s3.put(BUCKET, dataKey('data/synthetic/', backfillFrom, created), body(backfillFrom, created));
  for (let h = 1; h <= 3; h++) {
    const t = created + h * HOUR;
    s3.put(BUCKET, dataKey('data/synthetic/', t, t), body(t, t));
  }
  await run('staging', created + 3 * HOUR + 20 * 60_000, { contextLength: undefined });
  const call = runtimeMock.commandCalls(InvokeEndpointCommand)[0].args[0].input;
  const request = JSON.parse(new TextDecoder().decode(call.Body as Uint8Array));
  expect(request.instances).toHaveLength(1);
  const target = request.instances[0].target as number[];
  expect(target).toHaveLength(windowSteps);
  expect(target.every((v) => typeof v === 'number')).toBe(true);
  const first = created + 3 * HOUR - (windowSteps - 1) * HOUR;
  expect(request.instances[0].start).toBe(new Date(first).toISOString().slice(0, 19).replace('T', ' '));
  expect(target[0]).toBe(seriesValue(0, first));
  expect(target.at(-1)).toBe(seriesValue(0, created + 3 * HOUR));
});
