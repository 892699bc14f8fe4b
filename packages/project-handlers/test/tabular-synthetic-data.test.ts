// The tabular synthetic-data generator's configuration (the contract's variables; malformed values
// rejected naming the variable) and its S3 side (aws-sdk-client-mock): header CSVs in the partitioned
// layout, labels keyed by record id, order of writes, continuation and crash recovery.
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { parseTabularCsv, tabularColumn } from '@mlops-templates/metrics';
import { requiredVariables } from '@mlops-templates/project-contract';
import { mockClient } from 'aws-sdk-client-mock';
import {
  loadTabularSyntheticConfig,
  planTabularHours,
  runTabularSyntheticData,
  TabularSyntheticConfigError,
  tabularSyntheticEnvironmentSchema,
} from '../src';
import { RecordingLogger } from './support/recording-logger';
import { TABULAR_SYNTHETIC_ENV } from './support/tabular-synthetic-fixtures';

const ENV: Record<string, string> = { ...TABULAR_SYNTHETIC_ENV };
const STATE_KEY = 'data/_state.json';
const now = new Date('2024-06-01T12:34:56Z');
const s3 = new S3Client({ region: 'eu-west-1' });
const s3Mock = mockClient(s3);
let logger: RecordingLogger;

function body(text: string): GetObjectCommandOutput['Body'] {
  return { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'];
}
const notFound = () => Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
const puts = (): PutObjectCommandInput[] => s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
const run = (env: Record<string, string> = ENV) =>
  runTabularSyntheticData({ s3, config: loadTabularSyntheticConfig(env), logger, clock: () => now });

beforeEach(() => {
  s3Mock.reset();
  logger = new RecordingLogger();
  s3Mock.on(PutObjectCommand).resolves({});
  s3Mock.on(ListObjectsV2Command).resolves({});
});

describe('loadTabularSyntheticConfig', () => {
  it('applies the contract defaults', () => {
    expect(loadTabularSyntheticConfig(ENV)).toEqual({
      bucket: 'sagemaker-project-p-abc123',
      dataPrefix: 'data/',
      labelsPrefix: 'labels/',
      problemType: 'binary',
      targetColumn: 'churned',
      rowsPerHour: 10,
      backfillHours: 3,
      maxRowsPerRun: 100_000,
      seed: 42,
    });
    expect(requiredVariables(tabularSyntheticEnvironmentSchema).sort()).toEqual([
      'DATA_PREFIX',
      'PROBLEM_TYPE',
      'PROJECT_BUCKET',
      'SYNTHETIC_LABELS_PREFIX',
      'TARGET_COLUMN',
    ]);
  });

  it('reads a covariate drift', () => {
    const config = loadTabularSyntheticConfig({
      ...ENV,
      SYNTHETIC_DRIFT: 'covariate',
      SYNTHETIC_DRIFT_AT: '2024-06-10T00:00:00Z',
      SYNTHETIC_DRIFT_FEATURE: 'income_k',
      SYNTHETIC_DRIFT_MAGNITUDE: '1.5',
    });
    expect(config.drift).toEqual({
      kind: 'covariate',
      at: new Date('2024-06-10T00:00:00Z'),
      feature: 'income_k',
      magnitude: 1.5,
    });
  });

  it.each([
    [{ PROBLEM_TYPE: 'ranking' }, /PROBLEM_TYPE: must be "regression", "binary" or "multiclass"/],
    [{ PROJECT_BUCKET: '' }, /PROJECT_BUCKET is not set/],
    [{ DATA_PREFIX: 'data' }, /DATA_PREFIX: must be an S3 key prefix ending with "\/"/],
    [{ SYNTHETIC_ROWS_PER_HOUR: '0' }, /SYNTHETIC_ROWS_PER_HOUR: must be at least 1/],
    [{ SYNTHETIC_ROWS_PER_HOUR: 'many' }, /SYNTHETIC_ROWS_PER_HOUR: must be a number/],
    [{ TARGET_COLUMN: 'a,b' }, /TARGET_COLUMN: must not contain a comma/],
    [{ TARGET_COLUMN: 'income_k' }, /TARGET_COLUMN: must differ from the generator's columns/],
    [{ SYNTHETIC_LABELS_PREFIX: 'data/' }, /SYNTHETIC_LABELS_PREFIX: must differ from DATA_PREFIX/],
    [
      { SYNTHETIC_MAX_ROWS_PER_RUN: '5' },
      /SYNTHETIC_MAX_ROWS_PER_RUN: must be at least SYNTHETIC_ROWS_PER_HOUR/,
    ],
    [{ SYNTHETIC_DRIFT: 'sudden' }, /SYNTHETIC_DRIFT: must be "none", "covariate" or "concept"/],
    [{ SYNTHETIC_DRIFT: 'concept' }, /SYNTHETIC_DRIFT_AT is not set/],
    [
      { SYNTHETIC_DRIFT: 'concept', SYNTHETIC_DRIFT_AT: 'next week' },
      /SYNTHETIC_DRIFT_AT: must be an ISO-8601 date-time/,
    ],
    [
      { SYNTHETIC_DRIFT: 'covariate', SYNTHETIC_DRIFT_AT: '2024-06-10T00:00:00Z' },
      /SYNTHETIC_DRIFT_FEATURE is not set/,
    ],
    [
      {
        SYNTHETIC_DRIFT: 'covariate',
        SYNTHETIC_DRIFT_AT: '2024-06-10T00:00:00Z',
        SYNTHETIC_DRIFT_FEATURE: 'height',
      },
      /SYNTHETIC_DRIFT_FEATURE: must be one of age, income_k, tenure_months, usage_hours, region, plan, got "height"/,
    ],
  ])('rejects %p naming the variable', (change, message) => {
    expect(() => loadTabularSyntheticConfig({ ...ENV, ...change })).toThrow(TabularSyntheticConfigError);
    expect(() => loadTabularSyntheticConfig({ ...ENV, ...change })).toThrow(message);
  });
});

describe('runTabularSyntheticData', () => {
  it('first run: labels, then data (header CSVs, partitioned layout), then the state', async () => {
    s3Mock.on(GetObjectCommand).rejects(notFound());
    const result = await run();
    expect(result).toMatchObject({
      rowsWritten: 30,
      firstRun: true,
      firstHour: '2024-06-01T09:00:00Z',
      lastHour: '2024-06-01T11:00:00Z',
      dataKey: 'data/dt=2024-06-01/part-20240601T090000Z-20240601T115400Z.csv',
      labelsKey: 'labels/dt=2024-06-01/part-20240601T090000Z-20240601T115400Z.csv',
    });
    const written = puts();
    expect(written.map((p) => p.Key)).toEqual([result.labelsKey, result.dataKey, STATE_KEY]);
    const data = parseTabularCsv(String(written[1].Body));
    expect(data.header).toEqual([
      'record_id',
      'event_time',
      'age',
      'income_k',
      'tenure_months',
      'usage_hours',
      'region',
      'plan',
      'churned',
    ]);
    expect(data.rows).toHaveLength(30);
    const labels = parseTabularCsv(String(written[0].Body));
    expect(labels.header).toEqual(['record_id', 'event_time', 'churned']);
    // The labels are the data's target, keyed by the same record ids.
    expect(tabularColumn(labels, 'record_id')).toEqual(tabularColumn(data, 'record_id'));
    expect(tabularColumn(labels, 'churned')).toEqual(tabularColumn(data, 'churned'));
    expect(new Set(tabularColumn(data, 'churned'))).toEqual(new Set(['0', '1']));
    expect(JSON.parse(String(written[2].Body))).toMatchObject({
      version: 1,
      lastTimestamp: '2024-06-01T11:00:00Z',
      frequency: '1H',
      seed: 42,
    });
  });

  it("contract defaults: the first run (the first-data resource's Create) plans the whole 336 h backfill at once", () => {
    // What the first model-build reads: model-build's PrepareData takes every CSV under InputDataUri
    // (no time window), so the first build gets all 336 h × 200 = 67,200 rows — one run, because the
    // default SYNTHETIC_MAX_ROWS_PER_RUN (100,000) allows 500 hours of 200 rows.
    const hoursOf = (env: Record<string, string | undefined>) => {
      const config = loadTabularSyntheticConfig(env);
      const hours = planTabularHours({
        now,
        backfillHours: config.backfillHours,
        maxHours: Math.floor(config.maxRowsPerRun / config.rowsPerHour),
      });
      return {
        hours: hours.length,
        rows: hours.length * config.rowsPerHour,
        first: hours[0],
        last: hours.at(-1),
      };
    };
    const defaults = { ...ENV, SYNTHETIC_ROWS_PER_HOUR: undefined, SYNTHETIC_BACKFILL_HOURS: undefined };
    expect(hoursOf(defaults)).toEqual({
      hours: 336,
      rows: 67_200,
      first: Date.parse('2024-05-18T12:00:00Z'),
      last: Date.parse('2024-06-01T11:00:00Z'),
    });
    // Negative control: more rows per hour than the run limit allows for the backfill → the first run
    // writes only the oldest floor(100000 / 1000) = 100 hours; later runs catch up.
    expect(hoursOf({ ...defaults, SYNTHETIC_ROWS_PER_HOUR: '1000' })).toMatchObject({
      hours: 100,
      rows: 100_000,
    });
  });

  it('continues after the last written hour and writes nothing while the hour has not ended', async () => {
    s3Mock
      .on(GetObjectCommand, { Key: STATE_KEY })
      .resolves({ Body: body(JSON.stringify({ version: 1, lastTimestamp: '2024-06-01T10:00:00Z' })) });
    await expect(run()).resolves.toMatchObject({ rowsWritten: 10, firstHour: '2024-06-01T11:00:00Z' });
    s3Mock.reset();
    s3Mock.on(ListObjectsV2Command).resolves({});
    s3Mock
      .on(GetObjectCommand, { Key: STATE_KEY })
      .resolves({ Body: body(JSON.stringify({ version: 1, lastTimestamp: '2024-06-01T11:00:00Z' })) });
    await expect(run()).resolves.toMatchObject({ rowsWritten: 0 });
    expect(puts()).toEqual([]);
  });

  it('after a crash between the data and the state, keeps the written object and continues after it', async () => {
    s3Mock
      .on(GetObjectCommand, { Key: STATE_KEY })
      .resolves({ Body: body(JSON.stringify({ version: 1, lastTimestamp: '2024-06-01T08:00:00Z' })) });
    const orphan = 'data/dt=2024-06-01/part-20240601T090000Z-20240601T095400Z.csv';
    s3Mock
      .on(ListObjectsV2Command, { Prefix: 'data/dt=2024-06-01/part-20240601T090000Z-' })
      .resolves({ Contents: [{ Key: orphan }] });
    const result = await run();
    expect(result).toMatchObject({
      recoveredObjects: [orphan],
      firstHour: '2024-06-01T10:00:00Z',
      rowsWritten: 20,
    });
    expect(logger.messages('warn')).toEqual(
      expect.arrayContaining([expect.stringMatching(/interrupted run/)]),
    );
  });

  it('does not write the state when the data write fails', async () => {
    s3Mock.on(GetObjectCommand).rejects(notFound());
    s3Mock
      .on(PutObjectCommand, { Key: 'data/dt=2024-06-01/part-20240601T090000Z-20240601T115400Z.csv' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(run()).rejects.toThrow(
      /PutObject s3:\/\/sagemaker-project-p-abc123\/data\/dt=2024-06-01\/.*AccessDenied/,
    );
    expect(puts().map((p) => p.Key)).not.toContain(STATE_KEY);
  });
});
