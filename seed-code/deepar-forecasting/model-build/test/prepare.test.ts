// The data step end to end: arguments → data window → observations (duplicates, gaps, unsorted) →
// train.json, K backtest windows (input + test files) and the manifest; and the Lambda handler with
// its SSM configuration and S3 (mocked).
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  parseFrequency,
  requiredBuildSteps,
  supportedFrequencies,
  type SeriesObservation,
} from '@mlops-templates/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogger, DAY, HOUR, MemoryStore, s3Body } from './helpers';
import { exampleEnvironment, parseEnvironment } from '../src/config/environment';
import { handler, resolveDataSource } from '../src/steps/prepare-data/handler';
import {
  BacktestManifest,
  DataSource,
  dataWindow,
  parsePrepareDataArguments,
  prepareData,
  PrepareDataArguments,
} from '../src/steps/prepare-data/prepare';

const NOW = Date.UTC(2024, 5, 30, 12, 30); // 2024-06-30T12:30Z
const OUT = 's3://project-bucket/training/exec-1/data';

function args(overrides: Record<string, unknown> = {}): PrepareDataArguments {
  return parsePrepareDataArguments({
    data_source_type: 'synthetic',
    config_parameter_name: '/sagemaker/demo-p-1/config',
    frequency: '1H',
    prediction_length: 24,
    context_length: 48,
    backtest_windows: 4,
    training_window_days: 20,
    data_window_end: 'latest',
    resample_aggregation: 'mean',
    output_uri: OUT,
    athena_output_uri: 's3://project-bucket/training/exec-1/athena',
    kms_key_arn: '',
    ...overrides,
  });
}

const SOURCE: DataSource = {
  type: 'synthetic',
  location: 's3://project-bucket/data/synthetic/',
  mapping: { timestampColumn: 'timestamp', targetColumn: 'target', itemIdColumn: 'item_id' },
};

/** Two hourly items over the last `days` days before NOW's hour, value = hour index. */
function observations(days: number): SeriesObservation[] {
  const end = Date.UTC(2024, 5, 30, 12);
  const rows: SeriesObservation[] = [];
  for (const itemId of ['item_002', 'item_001']) {
    for (let t = end - days * DAY; t < end; t += HOUR) {
      rows.push({ itemId, timestampMs: t, value: (t - end) / HOUR + 1000 });
    }
  }
  return rows;
}

async function run(
  observed: SeriesObservation[],
  overrides: Record<string, unknown> = {},
): Promise<{
  store: MemoryStore;
  output: Awaited<ReturnType<typeof prepareData>>;
  windows: { startMs: number; endMs: number }[];
}> {
  const store = new MemoryStore();
  const windows: { startMs: number; endMs: number }[] = [];
  const output = await prepareData(args(overrides), SOURCE, {
    readObservations: async (_source, window) => {
      windows.push(window);
      return { observations: observed, details: {} };
    },
    writeText: store.writeText,
    now: () => NOW,
    logger: captureLogger(),
  });
  return { store, output, windows };
}

describe('data window: frequency × steps needed (issue #14 finding 3)', () => {
  test('1D with the default horizon reads 146 days — a fixed 90-day window held 90 of the 144 steps and failed', async () => {
    const end = Date.UTC(2024, 5, 30);
    const daily: SeriesObservation[] = [];
    for (let t = end - 400 * DAY; t < end; t += DAY) daily.push({ itemId: 'a', timestampMs: t, value: 100 });
    const { output, windows } = await run(daily, {
      frequency: '1D',
      prediction_length: 24,
      context_length: 24,
      training_window_days: 90,
    });
    expect((windows[0].endMs - windows[0].startMs) / DAY).toBe(146);
    expect(output.series_count).toBe(1);
    expect(output.skipped_series).toBe(0);
  });

  test('every accepted frequency is a valid FREQUENCY and its window holds a build for every horizon', () => {
    for (const frequency of supportedFrequencies()) {
      expect(parseEnvironment({ ...exampleEnvironment(), FREQUENCY: frequency }).FREQUENCY).toBe(frequency);
      for (const predictionLength of [1, 24, 500]) {
        const window = dataWindow(
          args({
            frequency,
            prediction_length: predictionLength,
            context_length: predictionLength,
            training_window_days: 90,
          }),
          NOW,
        );
        const steps = Math.floor((window.endMs - window.startMs) / parseFrequency(frequency).stepMs);
        expect({
          frequency,
          predictionLength,
          enough: steps >= requiredBuildSteps({ predictionLength }) + 2,
        }).toEqual({ frequency, predictionLength, enough: true });
      }
    }
    expect(() => parseEnvironment({ ...exampleEnvironment(), FREQUENCY: '1W' })).toThrow(
      /FREQUENCY: .*168 hours/,
    );
  });
});

describe('prepareData', () => {
  test('writes train.json, K backtest windows (input = history, test = history + horizon) and a manifest', async () => {
    const { store, output, windows } = await run(observations(15));
    expect(windows).toEqual([{ startMs: NOW - 20 * DAY, endMs: NOW }]);
    expect(store.keys()).toEqual(
      [
        `${OUT}/backtest/input/window-01.jsonl`,
        `${OUT}/backtest/input/window-02.jsonl`,
        `${OUT}/backtest/input/window-03.jsonl`,
        `${OUT}/backtest/input/window-04.jsonl`,
        `${OUT}/backtest/manifest.json`,
        `${OUT}/backtest/test/window-01.jsonl`,
        `${OUT}/backtest/test/window-02.jsonl`,
        `${OUT}/backtest/test/window-03.jsonl`,
        `${OUT}/backtest/test/window-04.jsonl`,
        `${OUT}/train/train.json`,
      ].sort(),
    );
    expect(output).toEqual({
      train_uri: `${OUT}/train/`,
      backtest_input_uri: `${OUT}/backtest/input/`,
      backtest_uri: `${OUT}/backtest/`,
      data_window_start: '2024-06-15T12:00:00Z',
      data_window_end: '2024-06-30T12:00:00Z',
      series_count: 2,
      skipped_series: 0,
      backtest_windows: 4,
    });

    const train = store.lines(`${OUT}/train/train.json`).map((line) => JSON.parse(line));
    expect(train).toHaveLength(2);
    expect(train[0]).toEqual({ start: '2024-06-15 12:00:00', target: expect.any(Array) });
    expect(train[0].target).toHaveLength(15 * 24 - 4 * 24);

    const manifest = JSON.parse(store.objects.get(`${OUT}/backtest/manifest.json`)!.body) as BacktestManifest;
    expect(manifest.items).toEqual(['item_001', 'item_002']);
    expect(manifest.windows.map((w) => w.forecast_start)).toEqual([
      '2024-06-26T12:00:00Z',
      '2024-06-27T12:00:00Z',
      '2024-06-28T12:00:00Z',
      '2024-06-29T12:00:00Z',
    ]);
    for (const window of manifest.windows) {
      const inputs = store.lines(`${OUT}/backtest/${window.input}`).map((line) => JSON.parse(line));
      const tests = store.lines(`${OUT}/backtest/${window.test}`).map((line) => JSON.parse(line));
      expect(inputs).toHaveLength(2);
      tests.forEach((test, i) => {
        expect(test.start).toBe(inputs[i].start);
        expect(test.target.slice(0, inputs[i].target.length)).toEqual(inputs[i].target);
        expect(test.target.length - inputs[i].target.length).toBe(24);
        // the actuals are the values at the forecast start and after (value = hour index from the end + 1000)
        const hoursBeforeEnd = (Date.UTC(2024, 5, 30, 12) - Date.parse(window.forecast_start)) / HOUR;
        expect(test.target[inputs[i].target.length]).toBe(1000 - hoursBeforeEnd);
      });
    }
  });

  test('the configured K is the number of windows written', async () => {
    const { store, output } = await run(observations(15), { backtest_windows: 7 });
    expect(output.backtest_windows).toBe(7);
    expect(store.keys().filter((key) => key.includes('/backtest/input/'))).toHaveLength(7);
    expect(store.keys().filter((key) => key.includes('/backtest/test/'))).toHaveLength(7);
  });

  test('gaps become "NaN", duplicates and unsorted input change nothing else', async () => {
    const clean = observations(15);
    const gapped = clean.filter((row, i) => !(row.itemId === 'item_001' && i % 50 === 7));
    const noisy = [...gapped].reverse();
    noisy.push({ ...gapped[3] }); // an exact duplicate
    const reference = await run(gapped);
    const { store } = await run(noisy);
    expect(store.lines(`${OUT}/train/train.json`)).toEqual(reference.store.lines(`${OUT}/train/train.json`));
    const target = JSON.parse(store.lines(`${OUT}/train/train.json`)[0]).target as unknown[];
    expect(target.filter((v) => v === 'NaN').length).toBeGreaterThan(0);
    expect(target.every((v) => v === 'NaN' || typeof v === 'number')).toBe(true);
  });

  test('an explicit data_window_end bounds the window', async () => {
    const end = '2024-06-25T00:00:00Z';
    const { windows, output } = await run(observations(15), { data_window_end: end });
    expect(windows[0]).toEqual({ startMs: Date.parse(end) - 20 * DAY, endMs: Date.parse(end) });
    expect(output.data_window_end).toBe('2024-06-25T00:00:00Z');
    expect(() => dataWindow(args({ data_window_end: 'tomorrow' }), NOW)).toThrow(
      /neither "latest" nor ISO-8601/,
    );
  });

  test('too little data is a clear error that says what to change', async () => {
    await expect(run(observations(5))).rejects.toThrow(
      /at least 168 are needed .* Lengthen the TrainingWindowDays parameter/,
    );
    await expect(run([])).rejects.toThrow(/no observation in the data window/);
  });

  test('invalid arguments are rejected naming each one', () => {
    expect(() =>
      parsePrepareDataArguments({ ...args(), backtest_windows: 0, output_uri: 'bucket/x' }),
    ).toThrow(/invalid PrepareData arguments: backtest_windows: .*; output_uri: an s3:\/\/ URI/);
    expect(args({ prediction_length: '24', backtest_windows: '5' }).backtest_windows).toBe(5);
  });
});

const ssm = mockClient(SSMClient);
const s3 = mockClient(S3Client);
const PROJECT_CONFIG = {
  dataSourceType: 'synthetic',
  dataSourceLocation: 's3://project-bucket/data/synthetic/',
  targetColumn: 'target',
  timestampColumn: 'timestamp',
  itemIdColumn: 'none',
  frequency: '1H',
  predictionLength: '24',
};

beforeEach(() => {
  ssm.reset();
  s3.reset();
});

describe('resolveDataSource', () => {
  test('reads location and columns from the project configuration; "none" item column = single series', async () => {
    ssm
      .on(GetParameterCommand, { Name: '/sagemaker/demo-p-1/config' })
      .resolves({ Parameter: { Value: JSON.stringify(PROJECT_CONFIG) } });
    expect(await resolveDataSource(args(), new SSMClient({}))).toEqual({
      type: 'synthetic',
      location: 's3://project-bucket/data/synthetic/',
      mapping: { timestampColumn: 'timestamp', targetColumn: 'target', itemIdColumn: null },
    });
    expect(
      (
        await resolveDataSource(
          args({ item_id_column: 'store', data_source_location: 's3://other/x/' }),
          new SSMClient({}),
        )
      ).mapping.itemIdColumn,
    ).toBe('store');
  });

  test('a configuration that is not JSON or lacks a field is a clear error', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'not json' } });
    await expect(resolveDataSource(args(), new SSMClient({}))).rejects.toThrow(/is not JSON/);
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: JSON.stringify({ ...PROJECT_CONFIG, targetColumn: undefined }) } });
    await expect(resolveDataSource(args(), new SSMClient({}))).rejects.toThrow(/targetColumn/);
  });
});

describe('handler', () => {
  test('reads the synthetic CSV data and writes the DeepAR files with the KMS key', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(PROJECT_CONFIG) } });
    const end = Date.UTC(2024, 5, 30, 12);
    const first = end - 12 * DAY;
    const compact = (ms: number): string =>
      new Date(ms)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    const key = `data/synthetic/dt=2024-06-18/part-${compact(first)}-${compact(end - HOUR)}.csv`;
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'data/synthetic/_state.json' }, { Key: key }] });
    let csv = 'timestamp,target\n';
    for (let t = first; t < end; t += HOUR) csv += `${new Date(t).toISOString()},${(t / HOUR) % 24}\n`;
    s3.on(GetObjectCommand, { Key: key }).resolves({ Body: s3Body(csv) });
    s3.on(PutObjectCommand).resolves({});

    const output = await handler({
      ...args({
        data_window_end: '2024-06-30T12:00:00Z',
        kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      }),
    });
    expect(output.series_count).toBe(1);
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => put.Key)).toContain('training/exec-1/data/train/train.json');
    expect(puts).toHaveLength(1 + 4 * 2 + 1);
    expect(
      puts.every(
        (put) =>
          put.ServerSideEncryption === 'aws:kms' &&
          put.SSEKMSKeyId === 'arn:aws:kms:eu-west-1:123456789012:key/k',
      ),
    ).toBe(true);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1); // _state.json is not data
  });

  test('a malformed event fails before any AWS call', async () => {
    await expect(handler({ frequency: '1H' })).rejects.toThrow(/invalid PrepareData arguments/);
    expect(ssm.calls()).toHaveLength(0);
  });
});
