// The tabular synthetic traffic sender: its pure core (state, plan, prepare.py's one-hot encoding,
// one record per request, labels), its configuration (the contract's variables), and its AWS side with
// aws-sdk-client-mock — an endpoint missing or not InService is a logged skip, a throttled or failed
// invocation fails the run without labels or state, a malformed data object is skipped naming its key
// and passed over, the state is written only after the labels, never resending nor skipping records.
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  type InvokeEndpointCommandInput,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { dataKey, isoSeconds, parseTabularCsv, renderTabularCsv } from '@mlops-templates/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import {
  encodeRecord,
  featureEncoder,
  generateTabularRecords,
  INFERENCE_ID_PATTERN,
  labelOf,
  loadTabularTrafficConfig,
  MAX_REQUEST_BYTES,
  parsePrepareReport,
  parseTrafficState,
  planTrafficObjects,
  runTabularSyntheticTraffic,
  tabularDataHeader,
  tabularDataRow,
  TabularTrafficConfigError,
  trafficLabelsKey,
  trafficRecords,
  trafficRequests,
} from '../src';
import { awsError, RecordingLogger } from './support/recording-logger';
import { TABULAR_TRAFFIC_ENV } from './support/tabular-synthetic-fixtures';

const ENV = TABULAR_TRAFFIC_ENV;
const BUCKET = ENV.PROJECT_BUCKET;
const STATE_KEY = 'data/_traffic-state.json';
const HOUR = 3_600_000;
const T0 = Date.parse('2024-06-01T10:00:00Z');
const now = new Date('2024-06-01T12:34:56Z');
const COLUMNS = { recordId: 'record_id', eventTime: 'event_time', target: 'churned' };

/** prepare.py's feature_columns for the generator's data without the id/time columns (get_dummies order). */
const FEATURES = [
  'age',
  'income_k',
  'tenure_months',
  'usage_hours',
  'region_east',
  'region_north',
  'region_south',
  'region_west',
  'plan_basic',
  'plan_plus',
  'plan_premium',
];
const REPORT = { feature_columns: FEATURES, classes: ['0', '1'], problem_type: 'binary', rows: 100 };

/** A generator data object of `hours` hours from `start`, `perHour` records each (the real writer's CSV). */
function dataObject(start: number, hours: number, perHour: number): { key: string; text: string } {
  const hourList = Array.from({ length: hours }, (_, i) => start + i * HOUR);
  const records = generateTabularRecords({ seed: 7, problemType: 'binary' }, hourList, perHour);
  const text = renderTabularCsv(
    tabularDataHeader(COLUMNS),
    records.map((r) => tabularDataRow(r, isoSeconds(r.millis))),
  );
  return { key: dataKey('data/', records[0].millis, records[records.length - 1].millis), text };
}

// ------------------------------------------------------------------ pure core

describe('prepare.py encoding', () => {
  const header = tabularDataHeader(COLUMNS);
  const [record] = trafficRecords('k', parseTabularCsv(dataObject(T0, 1, 1).text), COLUMNS);

  test('numeric columns by name, one-hot columns 1 for the record value only, in the model order', () => {
    const encoder = featureEncoder(FEATURES, header, 'churned');
    const line = encodeRecord(encoder, record).split(',');
    expect(line).toHaveLength(FEATURES.length);
    expect(line.slice(0, 4)).toEqual([
      record.fields.age,
      record.fields.income_k,
      record.fields.tenure_months,
      record.fields.usage_hours,
    ]);
    const hot = FEATURES.filter((_, i) => line[i] === '1');
    expect(hot).toEqual([`region_${record.fields.region}`, `plan_${record.fields.plan}`]);
    expect(line.slice(4).every((v) => v === '0' || v === '1')).toBe(true);
  });

  test('a model trained with the id and time columns one-hot gets 0 for them (prepare.py drops neither)', () => {
    const columns = ['age', `record_id_${record.recordId}x`, 'event_time_2024-01-01T00:00:00Z', 'plan_plus'];
    const encoder = featureEncoder(columns, header, 'churned');
    expect(encodeRecord(encoder, record)).toBe(
      `${record.fields.age},0,0,${record.fields.plan === 'plus' ? 1 : 0}`,
    );
  });

  test('the longest column prefix owns a one-hot column (income_k_x belongs to income_k, not income)', () => {
    const encoder = featureEncoder(['income_k_x'], ['income', 'income_k', 'churned'], 'churned');
    expect(encoder.sources).toEqual([{ kind: 'one-hot', column: 'income_k', value: 'x' }]);
  });

  test('a feature column the data cannot give is an error naming it; the target is no input', () => {
    expect(() => featureEncoder(['credit_score'], header, 'churned')).toThrow(
      /feature column "credit_score" of the model is neither a column of the data nor a one-hot column/,
    );
    expect(() => featureEncoder(['churned'], header, 'churned')).toThrow(/"churned"/);
  });

  test('a non-numeric value of a numeric column is refused, naming the column', () => {
    const encoder = featureEncoder(['region'], header, 'churned');
    expect(() => encodeRecord(encoder, record)).toThrow(/column region: ".*" is not a number/);
  });
});

describe('requests and labels', () => {
  const records = trafficRecords('k', parseTabularCsv(dataObject(T0, 1, 3).text), COLUMNS);
  const encoder = featureEncoder(FEATURES, tabularDataHeader(COLUMNS), 'churned');

  test('one record per request, InferenceId = record id (fits the InvokeEndpoint pattern), no header', () => {
    const { requests, refused } = trafficRequests(encoder, records);
    expect(refused).toEqual([]);
    expect(requests.map((r) => r.inferenceId)).toEqual(records.map((r) => r.recordId));
    for (const r of requests) {
      expect(r.inferenceId).toMatch(INFERENCE_ID_PATTERN);
      expect(r.body.split('\n')).toEqual([expect.stringMatching(/^[\d.]+(,[\d.]+){10}$/), '']);
    }
    expect(MAX_REQUEST_BYTES).toBe(6 * 1024 * 1024);
  });

  test('a body above the payload limit is refused, not sent', () => {
    const huge = {
      ...records[0],
      fields: { ...records[0].fields, age: `0.${'1'.repeat(MAX_REQUEST_BYTES)}` },
    };
    const { requests, refused } = trafficRequests(featureEncoder(['age'], ['age'], 'churned'), [huge]);
    expect(requests).toEqual([]);
    expect(refused[0].reason).toMatch(/payload limit/);
  });

  test('labels: the class index for classification, the number for regression, undefined if unknown', () => {
    const binary = parsePrepareReport(JSON.stringify(REPORT), 'u');
    expect(labelOf(binary, '1')).toBe(1);
    expect(labelOf(binary, '2')).toBeUndefined();
    const multi = parsePrepareReport(
      JSON.stringify({ ...REPORT, classes: ['a', 'b', 'c'], problem_type: 'multiclass' }),
      'u',
    );
    expect(labelOf(multi, 'c')).toBe(2);
    const regression = parsePrepareReport(
      JSON.stringify({ ...REPORT, classes: [], problem_type: 'regression' }),
      'u',
    );
    expect(labelOf(regression, '101.5')).toBe(101.5);
    expect(labelOf(regression, 'x')).toBeUndefined();
  });

  test('labels key: <prefix><stage>/yyyy/mm/dd/hh/traffic-<run time>.jsonl', () => {
    expect(trafficLabelsKey('labels/', 'prod', now)).toBe(
      'labels/prod/2024/06/01/12/traffic-20240601T123456Z.jsonl',
    );
  });

  test('a prepare report without feature_columns is an error naming the URI and field', () => {
    expect(() => parsePrepareReport('{"problem_type":"binary"}', 's3://b/r/prepare.json')).toThrow(
      /s3:\/\/b\/r\/prepare.json: not a prepare report \(feature_columns: /,
    );
  });
});

describe('plan and state', () => {
  const state = (key: string, consumedRows: number, objectRows: number) =>
    parseTrafficState(JSON.stringify({ version: 1, key, consumedRows, objectRows, updatedAt: 'x' }), 's');

  test('without a state: the newest object only, its last rows', () => {
    expect(planTrafficObjects(undefined, ['a', 'b', 'c'])).toEqual({
      objects: [{ key: 'c', skipRows: 0, newestRowsOnly: true }],
      firstRun: true,
    });
    expect(planTrafficObjects(undefined, []).objects).toEqual([]);
  });

  test('with a state: the rest of its object, then every later object in order', () => {
    expect(planTrafficObjects(state('b', 3, 10), ['c', 'd']).objects).toEqual([
      { key: 'b', skipRows: 3, newestRowsOnly: false },
      { key: 'c', skipRows: 0, newestRowsOnly: false },
      { key: 'd', skipRows: 0, newestRowsOnly: false },
    ]);
    expect(planTrafficObjects(state('b', 10, 10), ['c']).objects.map((o) => o.key)).toEqual(['c']);
  });

  test('a corrupt state is an error naming it', () => {
    expect(() => parseTrafficState('{', 's3://b/data/_traffic-state.json')).toThrow(
      /_traffic-state.json: the traffic state is not JSON/,
    );
    expect(() => state('b', 11, 10)).toThrow(/consumedRows is above objectRows/);
  });
});

describe('loadTabularTrafficConfig', () => {
  test('reads the contract variables (default bound 2000)', () => {
    const { SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: _, ...rest } = ENV;
    expect(loadTabularTrafficConfig(rest)).toMatchObject({
      bucket: BUCKET,
      maxRowsPerRun: 2000,
      stages: [
        { stage: 'staging', endpointName: ENV.STAGING_ENDPOINT_NAME },
        { stage: 'prod', endpointName: ENV.PROD_ENDPOINT_NAME },
      ],
    });
  });

  test('every problem names its variable', () => {
    const bad = { ...ENV, LABELS_PREFIX: 'data/labels/', PROD_ENDPOINT_NAME: ENV.STAGING_ENDPOINT_NAME };
    expect(() => loadTabularTrafficConfig(bad)).toThrow(TabularTrafficConfigError);
    expect(() => loadTabularTrafficConfig(bad)).toThrow(
      /LABELS_PREFIX: must not contain or be inside DATA_PREFIX.*PROD_ENDPOINT_NAME: must differ/,
    );
    expect(() => loadTabularTrafficConfig({ ...ENV, SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: '0' })).toThrow(
      /SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: must be at least 1/,
    );
    expect(() => loadTabularTrafficConfig({})).toThrow(/PROJECT_BUCKET is not set/);
  });
});

// ------------------------------------------------------------------ AWS side

const s3 = new S3Client({ region: 'eu-west-1' });
const sagemaker = new SageMakerClient({ region: 'eu-west-1' });
const runtime = new SageMakerRuntimeClient({ region: 'eu-west-1' });
const s3Mock = mockClient(s3);
const smMock = mockClient(sagemaker);
const rtMock = mockClient(runtime);
let logger: RecordingLogger;
let objects: Map<string, string>;

function body(text: string): GetObjectCommandOutput['Body'] {
  return { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'];
}
const PACKAGE_ARN = (stage: string) =>
  `arn:aws:sagemaker:eu-west-1:123456789012:model-package/g/${stage === 'staging' ? 2 : 1}`;
const REPORT_FOLDER = (stage: string) => `s3://${BUCKET}/training/exec-${stage}/report`;

/** Endpoints of the given stages InService, each serving a package whose prepare report is REPORT. */
function endpointsInService(...stages: string[]): void {
  smMock.on(DescribeEndpointCommand).callsFake((input: { EndpointName: string }) => {
    const stage = input.EndpointName.endsWith('staging') ? 'staging' : 'prod';
    if (!stages.includes(stage)) {
      throw awsError('ValidationException', `Could not find endpoint "${input.EndpointName}".`);
    }
    return { EndpointStatus: 'InService', EndpointConfigName: `${input.EndpointName}-cfg` };
  });
  smMock.on(DescribeEndpointConfigCommand).callsFake((input: { EndpointConfigName: string }) => ({
    ProductionVariants: [
      { VariantName: 'AllTraffic', ModelName: input.EndpointConfigName.replace('-cfg', '-model') },
    ],
  }));
  smMock.on(DescribeModelCommand).callsFake((input: { ModelName: string }) => ({
    PrimaryContainer: {
      ModelPackageName: PACKAGE_ARN(input.ModelName.includes('staging') ? 'staging' : 'prod'),
    },
  }));
  smMock.on(DescribeModelPackageCommand).callsFake((input: { ModelPackageName: string }) => ({
    CustomerMetadataProperties: {
      prepare_report: REPORT_FOLDER(input.ModelPackageName.endsWith('/2') ? 'staging' : 'prod'),
    },
  }));
  for (const stage of ['staging', 'prod']) {
    objects.set(`training/exec-${stage}/report/prepare.json`, JSON.stringify(REPORT));
  }
}

const puts = (): PutObjectCommandInput[] => s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
const invocations = (): InvokeEndpointCommandInput[] =>
  rtMock.commandCalls(InvokeEndpointCommand).map((c) => c.args[0].input);
const stateWritten = () => puts().filter((p) => p.Key === STATE_KEY);
const run = (env: Record<string, string> = ENV) =>
  runTabularSyntheticTraffic({
    s3,
    sagemaker,
    runtime,
    config: loadTabularTrafficConfig(env),
    logger,
    clock: () => now,
  });

beforeEach(() => {
  s3Mock.reset();
  smMock.reset();
  rtMock.reset();
  logger = new RecordingLogger();
  objects = new Map();
  s3Mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const text = objects.get(input.Key);
    if (text === undefined) throw awsError('NoSuchKey', 'The specified key does not exist.');
    return { Body: body(text) };
  });
  s3Mock.on(ListObjectsV2Command).callsFake((input: { Prefix: string; StartAfter?: string }) => ({
    Contents: [...objects.keys()]
      .filter((k) => k.startsWith(input.Prefix) && (input.StartAfter === undefined || k > input.StartAfter))
      .sort()
      .map((Key) => ({ Key })),
  }));
  s3Mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    objects.set(input.Key as string, String(input.Body));
    return {};
  });
  rtMock.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('0.5\n') as never });
});

describe('runTabularSyntheticTraffic', () => {
  test('no endpoint yet: both stages a logged skip, nothing read, no state (not an error)', async () => {
    endpointsInService();
    objects.set(dataObject(T0, 1, 4).key, dataObject(T0, 1, 4).text);
    const result = await run();
    expect(result.stages).toEqual({
      staging: {
        status: 'skipped',
        reason: expect.stringMatching(/endpoint sagemaker-p-abc123-staging does not exist/),
      },
      prod: { status: 'skipped', reason: expect.stringMatching(/does not exist/) },
    });
    expect(invocations()).toEqual([]);
    expect(puts()).toEqual([]);
    expect(logger.messages('info')).toContain('No endpoint can take traffic: nothing sent, state unchanged');
  });

  test('an endpoint that is not InService is skipped, the other gets the traffic', async () => {
    endpointsInService('staging', 'prod');
    smMock
      .on(DescribeEndpointCommand, { EndpointName: ENV.PROD_ENDPOINT_NAME })
      .resolves({ EndpointStatus: 'Creating' });
    const object = dataObject(T0, 1, 4);
    objects.set(object.key, object.text);
    const result = await run();
    expect(result.stages.prod).toEqual({
      status: 'skipped',
      reason: expect.stringMatching(/is Creating, not InService/),
    });
    expect(result.stages.staging).toMatchObject({ status: 'sent', requests: 4, labels: 4 });
    expect(new Set(invocations().map((i) => i.EndpointName))).toEqual(new Set([ENV.STAGING_ENDPOINT_NAME]));
  });

  test('first run: the newest object’s last rows (the bound), CSV without header, labels then state', async () => {
    endpointsInService('staging', 'prod');
    const old = dataObject(T0, 1, 4);
    const newest = dataObject(T0 + HOUR, 2, 6); // 12 records; bound 8
    objects.set(old.key, old.text);
    objects.set(newest.key, newest.text);
    const result = await run();
    const expectedIds = trafficRecords(newest.key, parseTabularCsv(newest.text), COLUMNS)
      .slice(4)
      .map((r) => r.recordId);
    expect(result).toMatchObject({ firstRun: true, recordsRead: 8 });
    for (const endpoint of [ENV.STAGING_ENDPOINT_NAME, ENV.PROD_ENDPOINT_NAME]) {
      const sent = invocations().filter((i) => i.EndpointName === endpoint);
      expect(sent.map((i) => i.InferenceId)).toEqual(expectedIds);
      for (const i of sent) {
        expect(i).toMatchObject({ ContentType: 'text/csv', Accept: 'text/csv' });
        expect(new TextDecoder().decode(i.Body as Uint8Array)).toMatch(/^[\d.]+(,[\d.]+){10}\n$/);
      }
    }
    const keys = puts().map((p) => p.Key);
    expect(keys).toEqual([
      'labels/staging/2024/06/01/12/traffic-20240601T123456Z.jsonl',
      'labels/prod/2024/06/01/12/traffic-20240601T123456Z.jsonl',
      STATE_KEY,
    ]);
    const lines = String(puts()[0].Body)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.inferenceId)).toEqual(expectedIds);
    expect(lines.every((l) => l.label === 0 || l.label === 1)).toBe(true);
    expect(Object.keys(lines[0])).toEqual(['inferenceId', 'label']);
    expect(JSON.parse(objects.get(STATE_KEY) as string)).toMatchObject({
      version: 1,
      key: newest.key,
      consumedRows: 12,
      objectRows: 12,
      lastRecordId: expectedIds[expectedIds.length - 1],
    });
  });

  test('later runs: never resend, never skip — every record of the later objects once, bounded per run', async () => {
    endpointsInService('staging');
    const a = dataObject(T0, 1, 4);
    objects.set(a.key, a.text);
    await run(); // first run: the 4 records of a
    const b = dataObject(T0 + HOUR, 1, 6);
    const c = dataObject(T0 + 2 * HOUR, 1, 6);
    objects.set(b.key, b.text);
    objects.set(c.key, c.text);
    await run(); // 8 of the 12
    await run(); // the last 4
    await run(); // nothing new
    const ids = invocations().map((i) => i.InferenceId);
    const expected = [a, b, c].flatMap((o) =>
      trafficRecords(o.key, parseTabularCsv(o.text), COLUMNS).map((r) => r.recordId),
    );
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.parse(objects.get(STATE_KEY) as string)).toMatchObject({
      key: c.key,
      consumedRows: 6,
      objectRows: 6,
    });
    expect(logger.messages('info')).toContain('No new synthetic records');
  });

  test.each([
    ['throttling', awsError('ThrottlingException', 'Rate exceeded')],
    ['a 5xx', awsError('ServiceUnavailable', 'Service unavailable')],
    ['a model error', awsError('ModelError', 'Received server error (500) from primary')],
  ])('%s fails the run: no labels, state not advanced, the next run resends', async (_, error) => {
    endpointsInService('staging', 'prod');
    const object = dataObject(T0, 1, 4);
    objects.set(object.key, object.text);
    rtMock.on(InvokeEndpointCommand, { EndpointName: ENV.PROD_ENDPOINT_NAME }).rejects(error);
    await expect(run()).rejects.toThrow(
      new RegExp(`InvokeEndpoint ${ENV.PROD_ENDPOINT_NAME} \\(prod, .*\\) failed: ${error.name}`),
    );
    expect(puts()).toEqual([]);
    rtMock.reset();
    rtMock.on(InvokeEndpointCommand).resolves({});
    await expect(run()).resolves.toMatchObject({ recordsRead: 4 });
    expect(stateWritten()).toHaveLength(1);
  });

  test('a throttled DescribeEndpoint fails the run (not a skip)', async () => {
    endpointsInService('staging', 'prod');
    smMock.on(DescribeEndpointCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(run()).rejects.toThrow(
      /DescribeEndpoint sagemaker-p-abc123-staging failed: ThrottlingException/,
    );
    expect(puts()).toEqual([]);
  });

  test('a labels write that fails leaves the state as it was', async () => {
    endpointsInService('staging');
    const object = dataObject(T0, 1, 4);
    objects.set(object.key, object.text);
    s3Mock.on(PutObjectCommand).rejects(awsError('InternalError', 'We encountered an internal error'));
    await expect(run()).rejects.toThrow(/PutObject s3:\/\/.*\/labels\/staging\/.* failed: InternalError/);
    expect(objects.has(STATE_KEY)).toBe(false);
    expect(s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key)).not.toContain(STATE_KEY);
  });

  test('a malformed data object: logged skip naming the key, passed over; the records after it are sent', async () => {
    endpointsInService('staging');
    const a = dataObject(T0, 1, 2);
    objects.set(a.key, a.text);
    await run();
    const broken = dataObject(T0 + HOUR, 1, 2);
    const good = dataObject(T0 + 2 * HOUR, 1, 2);
    objects.set(broken.key, 'record_id,age\n"unterminated\n');
    objects.set(good.key, good.text);
    const result = await run();
    expect(result.malformedObjects).toEqual([broken.key]);
    expect(logger.entries).toContainEqual({
      level: 'error',
      message: 'Malformed data object skipped',
      attributes: { key: broken.key, reason: expect.stringContaining(broken.key) },
    });
    expect(result.stages.staging).toMatchObject({ status: 'sent', requests: 2 });
    // Not a crash loop: the next run does not read it again.
    s3Mock.resetHistory();
    await run();
    expect(s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).not.toContain(broken.key);
  });

  test('a data object without the target column is malformed, named with the column', async () => {
    endpointsInService('staging');
    const object = dataObject(T0, 1, 2);
    objects.set(object.key, object.text.replace('churned', 'label'));
    const result = await run();
    expect(result.malformedObjects).toEqual([object.key]);
    expect(
      logger.entries.find((e) => e.message === 'Malformed data object skipped')?.attributes?.reason,
    ).toMatch(/no column "churned" in the header/);
    expect(invocations()).toEqual([]);
  });

  test('a package without prepare_report: the stage is skipped naming the key', async () => {
    endpointsInService('staging');
    smMock
      .on(DescribeModelPackageCommand)
      .resolves({ CustomerMetadataProperties: { problem_type: 'binary' } });
    const result = await run();
    expect(result.stages.staging).toEqual({
      status: 'skipped',
      reason: expect.stringMatching(/records no prepare_report: the model's feature columns are unknown/),
    });
  });

  test('a model whose features the data cannot give: the stage is skipped, the state unchanged', async () => {
    endpointsInService('staging');
    objects.set(
      'training/exec-staging/report/prepare.json',
      JSON.stringify({ ...REPORT, feature_columns: ['credit_score'] }),
    );
    const object = dataObject(T0, 1, 2);
    objects.set(object.key, object.text);
    const result = await run();
    expect(result.stages.staging).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/credit_score/),
    });
    expect(invocations()).toEqual([]);
    expect(objects.has(STATE_KEY)).toBe(false);
  });
});
