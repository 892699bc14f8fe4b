// The synthetic-data generator's configuration and its S3 side (aws-sdk-client-mock): first run,
// continuation, order of writes, corrupt state, crash recovery.
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { dataWindowSteps, requiredBuildSteps, supportedFrequencies } from '@mlops-templates/metrics';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { awsError, RecordingLogger } from './support/recording-logger';
import { loadSyntheticDataConfig, SyntheticDataConfigError } from '../src/synthetic/config';
import {
  FIRST_DATA_RESOURCE_TYPE,
  handleFirstDataEvent,
  isCustomResourceEvent,
} from '../src/synthetic/first-data';
import { CorruptStateError, runSyntheticData } from '../src/synthetic/run';

const HOUR = 3_600_000;
const ENV = {
  DATA_BUCKET: 'sagemaker-project-p-abc123',
  DATA_PREFIX: 'data/synthetic/',
  FREQUENCY: '1H',
  TIMESTAMP_COLUMN: 'timestamp',
  TARGET_COLUMN: 'target',
  ITEM_ID_COLUMN: 'item_id',
  ITEM_COUNT: '2',
  BACKFILL_POINTS: '48',
};
const STATE_KEY = 'data/synthetic/_state.json';

const s3 = new S3Client({ region: 'eu-west-1' });
const s3Mock = mockClient(s3);
let logger: RecordingLogger;
const now = new Date('2024-06-01T12:34:56Z');

function body(text: string): GetObjectCommandOutput['Body'] {
  return { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'];
}

function run(env: Record<string, string> = ENV) {
  return runSyntheticData({ s3, config: loadSyntheticDataConfig(env), logger, clock: () => now });
}

function puts(): PutObjectCommandInput[] {
  return s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
}

function csvLines(input: PutObjectCommandInput): string[] {
  return String(input.Body).trimEnd().split('\n');
}

beforeEach(() => {
  s3Mock.reset();
  logger = new RecordingLogger();
});

describe('loadSyntheticDataConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadSyntheticDataConfig({
      ...ENV,
      ITEM_COUNT: undefined,
      BACKFILL_POINTS: undefined,
      ITEM_ID_COLUMN: 'none',
    });
    expect(config).toMatchObject({
      prefix: 'data/synthetic/',
      itemIdColumn: undefined,
      itemCount: 1,
      levelShiftAt: undefined,
      levelShiftFactor: 1.5,
      // A build's data window for 1H and the default horizon: 90 days.
      backfillPoints: 90 * 24,
      maxPointsPerRun: 5000,
      seed: 42,
    });
    expect(config.frequency.stepMs).toBe(HOUR);
  });

  it('backfills a full data window for every accepted frequency and horizon (issue #14 finding 3)', () => {
    // Without the derivation the first run wrote 720 points: 720 minutes of 1min data, or too few
    // steps for a 1D project with a 168-step horizon.
    for (const frequency of supportedFrequencies()) {
      for (const predictionLength of [1, 24, 168, 500]) {
        const config = loadSyntheticDataConfig({
          ...ENV,
          FREQUENCY: frequency,
          PREDICTION_LENGTH: String(predictionLength),
          BACKFILL_POINTS: undefined,
        });
        expect(config.backfillPoints).toBeGreaterThanOrEqual(requiredBuildSteps({ predictionLength }));
        expect(config.backfillPoints).toBe(
          dataWindowSteps({ frequency: { stepMs: config.frequency.stepMs }, predictionLength }),
        );
      }
    }
    expect(
      loadSyntheticDataConfig({
        ...ENV,
        FREQUENCY: '1D',
        PREDICTION_LENGTH: '24',
        BACKFILL_POINTS: undefined,
      }).backfillPoints,
    ).toBe(146);
    expect(() => loadSyntheticDataConfig({ ...ENV, PREDICTION_LENGTH: '0' })).toThrow(/PREDICTION_LENGTH/);
    expect(() => loadSyntheticDataConfig({ ...ENV, FREQUENCY: '1W' })).toThrow(/FREQUENCY: .*168 hours/);
  });

  it('parses LEVEL_SHIFT_AT as ISO-8601 date-time or date', () => {
    expect(
      loadSyntheticDataConfig({
        ...ENV,
        LEVEL_SHIFT_AT: '2024-06-10T06:00:00+02:00',
      }).levelShiftAt?.toISOString(),
    ).toBe('2024-06-10T04:00:00.000Z');
    expect(
      loadSyntheticDataConfig({ ...ENV, LEVEL_SHIFT_AT: '2024-06-10' }).levelShiftAt?.toISOString(),
    ).toBe('2024-06-10T00:00:00.000Z');
    expect(loadSyntheticDataConfig({ ...ENV, LEVEL_SHIFT_AT: 'none' }).levelShiftAt).toBeUndefined();
  });

  it.each([
    ['DATA_BUCKET', { DATA_BUCKET: 'Not A Bucket' }],
    ['FREQUENCY', { FREQUENCY: '1M' }],
    ['ITEM_COUNT', { ITEM_COUNT: '0' }],
    ['ITEM_COUNT', { ITEM_ID_COLUMN: 'none', ITEM_COUNT: '3' }],
    ['LEVEL_SHIFT_AT', { LEVEL_SHIFT_AT: 'next tuesday' }],
    ['LEVEL_SHIFT_FACTOR', { LEVEL_SHIFT_FACTOR: '-1' }],
    ['BACKFILL_POINTS', { BACKFILL_POINTS: '1.5' }],
    ['MAX_POINTS_PER_RUN', { MAX_POINTS_PER_RUN: '1' }],
    ['TARGET_COLUMN', { TARGET_COLUMN: 'a,b' }],
    ['TARGET_COLUMN', { TARGET_COLUMN: 'timestamp' }],
  ])('names %s when invalid', (name, override) => {
    let caught: unknown;
    try {
      loadSyntheticDataConfig({ ...ENV, ...override });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SyntheticDataConfigError);
    expect((caught as Error).message).toContain(`${name}:`);
  });

  it('names an unset required variable', () => {
    expect(() => loadSyntheticDataConfig({ ...ENV, DATA_BUCKET: undefined })).toThrow(
      /Invalid synthetic-data configuration: DATA_BUCKET is not set/,
    );
  });
});

describe('runSyntheticData', () => {
  it('first run (no state, no data): backfills, writes the data object, then the state', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    s3Mock.on(PutObjectCommand).resolves({});

    const result = await run();

    expect(result).toMatchObject({
      firstRun: true,
      rowsWritten: 96,
      firstTimestamp: '2024-05-30T13:00:00Z',
      lastTimestamp: '2024-06-01T12:00:00Z',
      objectKey: 'data/synthetic/dt=2024-05-30/part-20240530T130000Z-20240601T120000Z.csv',
    });
    const [data, state] = puts();
    expect(puts().map((p) => p.Key)).toEqual([result.objectKey, STATE_KEY]);
    expect(data).toMatchObject({ Bucket: ENV.DATA_BUCKET, ContentType: 'text/csv' });
    const lines = csvLines(data);
    expect(lines[0]).toBe('timestamp,item_id,target');
    expect(lines).toHaveLength(1 + 48 * 2);
    expect(lines[1]).toMatch(/^2024-05-30T13:00:00Z,item_001,\d+\.?\d*$/);
    expect(JSON.parse(String(state.Body))).toMatchObject({
      version: 1,
      lastTimestamp: '2024-06-01T12:00:00Z',
      frequency: '1H',
    });
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, { Prefix: 'data/synthetic/dt=' });
  });

  it('continues from the last written timestamp (exclusive)', async () => {
    s3Mock.on(GetObjectCommand).resolves({
      Body: body(JSON.stringify({ version: 1, lastTimestamp: '2024-06-01T09:00:00Z', frequency: '1H' })),
    });
    s3Mock.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    s3Mock.on(PutObjectCommand).resolves({});

    const result = await run();

    expect(result).toMatchObject({ firstRun: false, rowsWritten: 6, firstTimestamp: '2024-06-01T10:00:00Z' });
    expect(
      csvLines(puts()[0])
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual([
      '2024-06-01T10:00:00Z',
      '2024-06-01T10:00:00Z',
      '2024-06-01T11:00:00Z',
      '2024-06-01T11:00:00Z',
      '2024-06-01T12:00:00Z',
      '2024-06-01T12:00:00Z',
    ]);
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: 'data/synthetic/dt=2024-06-01/part-20240601T100000Z-',
    });
  });

  it('writes the same rows as the first run wrote for those timestamps (deterministic)', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3Mock.on(ListObjectsV2Command).resolves({});
    s3Mock.on(PutObjectCommand).resolves({});
    await run();
    const firstRows = csvLines(puts()[0]).slice(-6);
    s3Mock.reset();
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(JSON.stringify({ version: 1, lastTimestamp: '2024-06-01T09:00:00Z' })) });
    s3Mock.on(ListObjectsV2Command).resolves({});
    s3Mock.on(PutObjectCommand).resolves({});
    await run();
    expect(csvLines(puts()[0]).slice(1)).toEqual(firstRows);
  });

  it('bounds the rows of a run by MAX_POINTS_PER_RUN', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3Mock.on(ListObjectsV2Command).resolves({});
    s3Mock.on(PutObjectCommand).resolves({});
    const result = await run({ ...ENV, MAX_POINTS_PER_RUN: '21' });
    expect(result.rowsWritten).toBe(20); // 10 timestamps × 2 items
    expect(result.firstTimestamp).toBe('2024-05-30T13:00:00Z');
    expect(JSON.parse(String(puts()[1].Body)).lastTimestamp).toBe('2024-05-30T22:00:00Z');
  });

  it('writes nothing when up to date', async () => {
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(JSON.stringify({ version: 1, lastTimestamp: '2024-06-01T12:00:00Z' })) });
    await expect(run()).resolves.toMatchObject({ rowsWritten: 0 });
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['wrong shape', JSON.stringify({ version: 1, lastTimestamp: 'yesterday' })],
    ['unknown version', JSON.stringify({ version: 2, lastTimestamp: '2024-06-01T09:00:00Z' })],
  ])('fails clearly on a corrupt state (%s) and writes nothing', async (_case, text) => {
    s3Mock.on(GetObjectCommand).resolves({ Body: body(text) });
    const promise = run();
    await expect(promise).rejects.toBeInstanceOf(CorruptStateError);
    await expect(promise).rejects.toThrow(
      `Corrupt synthetic-data state s3://${ENV.DATA_BUCKET}/${STATE_KEY}`,
    );
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('propagates a state read error other than not-found, with context, and writes nothing', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('AccessDenied', 'Access Denied'));
    await expect(run()).rejects.toThrow(
      `GetObject s3://${ENV.DATA_BUCKET}/${STATE_KEY} failed: AccessDenied`,
    );
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('does not write the state when the data object write fails', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3Mock.on(ListObjectsV2Command).resolves({});
    s3Mock.on(PutObjectCommand).rejects(awsError('SlowDown'));
    await expect(run()).rejects.toThrow(/PutObject s3:\/\/.*part-.*failed: SlowDown/);
    expect(puts().map((p) => p.Key)).toHaveLength(1);
  });

  it('after a crash between data and state writes, keeps the written object and continues after it', async () => {
    // State says 09:00; an interrupted run wrote 10:00..11:00 but not the state.
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(JSON.stringify({ version: 1, lastTimestamp: '2024-06-01T09:00:00Z' })) });
    s3Mock
      .on(ListObjectsV2Command, { Prefix: 'data/synthetic/dt=2024-06-01/part-20240601T100000Z-' })
      .resolves({
        Contents: [{ Key: 'data/synthetic/dt=2024-06-01/part-20240601T100000Z-20240601T110000Z.csv' }],
      });
    s3Mock
      .on(ListObjectsV2Command, { Prefix: 'data/synthetic/dt=2024-06-01/part-20240601T120000Z-' })
      .resolves({});
    s3Mock.on(PutObjectCommand).resolves({});

    const result = await run();

    expect(result).toMatchObject({
      rowsWritten: 2,
      firstTimestamp: '2024-06-01T12:00:00Z',
      recoveredObjects: ['data/synthetic/dt=2024-06-01/part-20240601T100000Z-20240601T110000Z.csv'],
    });
    expect(puts().map((p) => p.Key)).toEqual([
      'data/synthetic/dt=2024-06-01/part-20240601T120000Z-20240601T120000Z.csv',
      STATE_KEY,
    ]);
  });

  it('when the interrupted run already wrote everything due, only the state is written', async () => {
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(JSON.stringify({ version: 1, lastTimestamp: '2024-06-01T09:00:00Z' })) });
    s3Mock.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'data/synthetic/dt=2024-06-01/part-20240601T100000Z-20240601T120000Z.csv' }],
    });
    s3Mock.on(PutObjectCommand).resolves({});
    await expect(run()).resolves.toMatchObject({ rowsWritten: 0 });
    expect(puts().map((p) => p.Key)).toEqual([STATE_KEY]);
    expect(JSON.parse(String(puts()[0].Body)).lastTimestamp).toBe('2024-06-01T12:00:00Z');
  });

  it('with the state missing but data present, continues after the latest data object (paginated listing)', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3Mock.on(ListObjectsV2Command).resolves({});
    s3Mock
      .on(ListObjectsV2Command, { Prefix: 'data/synthetic/dt=' })
      .resolvesOnce({
        Contents: [{ Key: 'data/synthetic/dt=2024-05-30/part-20240530T130000Z-20240601T080000Z.csv' }],
        IsTruncated: true,
        NextContinuationToken: 'c2',
      })
      .resolvesOnce({
        Contents: [{ Key: 'data/synthetic/dt=2024-06-01/part-20240601T090000Z-20240601T100000Z.csv' }],
      });
    s3Mock.on(PutObjectCommand).resolves({});

    const result = await run();

    expect(result).toMatchObject({ firstRun: false, rowsWritten: 4, firstTimestamp: '2024-06-01T11:00:00Z' });
    expect(logger.messages('warn')).toContain(
      'State missing but data objects exist; continuing after the latest one',
    );
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: 'data/synthetic/dt=',
      ContinuationToken: 'c2',
    });
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Prefix: 'data/synthetic/dt=2024-06-01/part-20240601T110000Z-',
    });
  });

  it('single series: no item column', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3Mock.on(ListObjectsV2Command).resolves({});
    s3Mock.on(PutObjectCommand).resolves({});
    await run({
      ...ENV,
      ITEM_ID_COLUMN: 'none',
      ITEM_COUNT: '1',
      TIMESTAMP_COLUMN: 'ts',
      TARGET_COLUMN: 'y',
    });
    const lines = csvLines(puts()[0]);
    expect(lines[0]).toBe('ts,y');
    expect(lines).toHaveLength(49);
  });
});

describe('first data at creation (custom resource, issue #14 finding 4)', () => {
  const cfnEvent = (RequestType: 'Create' | 'Update' | 'Delete') =>
    ({
      RequestType,
      ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-p-abc123-synthetic-data',
      ResponseURL: 'https://cloudformation-custom-resource-response.example/signed',
      StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/sc-1/abc',
      RequestId: 'req-1',
      LogicalResourceId: 'SyntheticDataFirstData',
      ResourceType: FIRST_DATA_RESOURCE_TYPE,
      ResourceProperties: { ServiceToken: 'x' },
      ...(RequestType === 'Create' ? {} : { PhysicalResourceId: 'synthetic-first-data-req-0' }),
    }) as unknown as CloudFormationCustomResourceEvent;

  function respondRecorder() {
    const responses: { url: string; body: Record<string, unknown> }[] = [];
    return {
      responses,
      respond: async (url: string, text: string) => {
        responses.push({ url, body: JSON.parse(text) as Record<string, unknown> });
      },
    };
  }

  it('Create writes the backfill before answering SUCCESS (the pipelines are created after it)', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('NoSuchKey'));
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [] });
    s3Mock.on(PutObjectCommand).resolves({});
    const { responses, respond } = respondRecorder();
    const answer = await handleFirstDataEvent(cfnEvent('Create'), { run: () => run(), respond, logger });
    expect(answer.status).toBe('SUCCESS');
    expect(puts().map((p) => p.Key)).toEqual([
      expect.stringMatching(/^data\/synthetic\/dt=.*\.csv$/),
      STATE_KEY,
    ]);
    expect(responses).toEqual([
      {
        url: 'https://cloudformation-custom-resource-response.example/signed',
        body: expect.objectContaining({
          Status: 'SUCCESS',
          PhysicalResourceId: 'synthetic-first-data-req-1',
          RequestId: 'req-1',
          LogicalResourceId: 'SyntheticDataFirstData',
          Data: { RowsWritten: String(48 * 2), LastTimestamp: '2024-06-01T12:00:00Z' },
        }),
      },
    ]);
  });

  it('a failing run fails the creation with the reason (not a silent first build on empty data)', async () => {
    s3Mock.on(GetObjectCommand).rejects(awsError('AccessDenied'));
    const { responses, respond } = respondRecorder();
    const answer = await handleFirstDataEvent(cfnEvent('Create'), { run: () => run(), respond, logger });
    expect(answer.status).toBe('FAILED');
    expect(responses[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringMatching(/^Synthetic data generation failed: GetObject .*AccessDenied/),
    });
  });

  it('Delete answers SUCCESS without writing; schedule events are not custom resource events', async () => {
    const { responses, respond } = respondRecorder();
    const runs: string[] = [];
    await handleFirstDataEvent(cfnEvent('Delete'), {
      run: async () => {
        runs.push('run');
        throw new Error('must not run');
      },
      respond,
    });
    expect(runs).toEqual([]);
    expect(responses[0].body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'synthetic-first-data-req-0',
    });
    expect(isCustomResourceEvent(cfnEvent('Update'))).toBe(true);
    expect(isCustomResourceEvent({})).toBe(false);
    expect(isCustomResourceEvent({ source: 'schedule', RequestType: 'Create' })).toBe(false);
  });
});
