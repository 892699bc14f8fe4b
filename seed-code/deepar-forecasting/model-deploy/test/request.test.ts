// The DeepAR request builder: project CSV → latest context windows on the frequency grid (gaps as
// "NaN", duplicates, unsorted rows, bad rows skipped) → the request format of the AWS example.
import {
  DEEPAR_REQUEST_RESPONSE_EXAMPLE,
  DEFAULT_QUANTILES,
  deepArStart,
  parseFrequency,
  resample,
  supportedFrequencies,
} from '@mlops-templates/metrics';
import {
  buildEndpointTestRequest,
  frequencyToMillis,
  latestWindows,
  parseObservations,
  SkippedRows,
} from '../src/endpoint-test/request';

const HOUR = 3_600_000;
const columns = { timestampColumn: 'timestamp', itemIdColumn: 'item_id', targetColumn: 'demand' };
const skippedRows = (): SkippedRows => ({ count: 0, examples: [] });

describe('frequency', () => {
  test.each([
    ['1H', HOUR],
    ['H', HOUR],
    ['5min', 5 * 60_000],
    ['1D', 24 * HOUR],
    ['2D', 48 * HOUR],
  ])('%s', (frequency, millis) => expect(frequencyToMillis(frequency)).toBe(millis));

  test('every value the product parameter accepts is a frequency here (issue #14 finding 3)', () => {
    for (const frequency of supportedFrequencies()) {
      expect(frequencyToMillis(frequency)).toBe(parseFrequency(frequency).stepMs);
    }
  });

  test('unsupported frequencies are named (the shared grammar: no weekly, no lower-case h)', () => {
    expect(() => frequencyToMillis('1M')).toThrow('unsupported frequency: "1M"');
    expect(() => frequencyToMillis('0H')).toThrow(/unsupported frequency/);
    expect(() => frequencyToMillis('2W')).toThrow(/336 hours/);
    expect(() => frequencyToMillis('1h')).toThrow(/unsupported frequency/);
  });
});

describe('CSV rows (the synthetic data format: header, ISO-8601 UTC timestamps)', () => {
  test('rows of several items; bad rows are skipped with the reason, not fatal', () => {
    const csv = [
      'timestamp,item_id,demand',
      '2024-06-01T12:00:00Z,item_001,101.5',
      '2024-06-01T12:00:00Z,item_002,99',
      'yesterday,item_001,3',
      '2024-06-01T13:00:00Z,item_001,abc',
      '2024-06-01T13:00:00Z,item_002,',
      '2024-06-01T14:00:00Z,,5',
    ].join('\n');
    const skipped = skippedRows();
    const rows = parseObservations(csv, columns, 's3://b/data/part.csv', skipped);
    expect(rows).toEqual([
      { timestamp: Date.parse('2024-06-01T12:00:00Z'), itemId: 'item_001', value: 101.5 },
      { timestamp: Date.parse('2024-06-01T12:00:00Z'), itemId: 'item_002', value: 99 },
      { timestamp: Date.parse('2024-06-01T13:00:00Z'), itemId: 'item_002', value: null },
    ]);
    expect(skipped.count).toBe(3);
    expect(skipped.examples).toEqual([
      's3://b/data/part.csv row 4: timestamp "yesterday" is not ISO-8601',
      's3://b/data/part.csv row 5: target "abc" is not a number',
      's3://b/data/part.csv row 7: empty item id',
    ]);
  });

  test('a single series (item column "none") and a missing column', () => {
    const csv = 'timestamp,demand\n2024-06-01T12:00:00Z,1\n';
    expect(parseObservations(csv, { ...columns, itemIdColumn: 'none' }, 'f', skippedRows())).toEqual([
      { timestamp: Date.parse('2024-06-01T12:00:00Z'), itemId: null, value: 1 },
    ]);
    expect(() => parseObservations(csv, columns, 's3://b/x.csv', skippedRows())).toThrow(
      's3://b/x.csv has no column(s) item_id (header: timestamp, demand)',
    );
  });
});

describe('latest context windows', () => {
  const at = (h: number) => Date.parse('2024-06-01T00:00:00Z') + h * HOUR;

  test('ends at the latest observation; gaps are missing; observations of one step are averaged (like training); unsorted input', () => {
    const windows = latestWindows(
      [
        { timestamp: at(5), itemId: 'a', value: 5 },
        { timestamp: at(1), itemId: 'a', value: 1 },
        { timestamp: at(2), itemId: 'a', value: 2 },
        { timestamp: at(2), itemId: 'a', value: 2.5 },
        // hour 3 missing, hour 4 explicitly missing
        { timestamp: at(4), itemId: 'a', value: null },
        { timestamp: at(0), itemId: 'a', value: 0 },
      ],
      { stepMillis: HOUR, contextPoints: 5, maxSeries: 5 },
    );
    expect(windows).toEqual([{ itemId: 'a', start: at(1), target: [1, 2.25, null, null, 5] }]);
  });

  test('a series shorter than the context starts at its first observed value; maxSeries keeps the first ids', () => {
    const windows = latestWindows(
      [
        { timestamp: at(10), itemId: 'c', value: 7 },
        { timestamp: at(8), itemId: 'b', value: null },
        { timestamp: at(9), itemId: 'b', value: 3 },
        { timestamp: at(10), itemId: 'b', value: 4 },
        { timestamp: at(3), itemId: 'a', value: 1 },
      ],
      { stepMillis: HOUR, contextPoints: 100, maxSeries: 2 },
    );
    expect(windows).toEqual([
      { itemId: 'a', start: at(3), target: [1] },
      { itemId: 'b', start: at(9), target: [3, 4] },
    ]);
  });
});

describe('resampled like training (issue #14 finding 6)', () => {
  test('irregular readings become the step means model-build trains on, on the frequency grid', () => {
    const t0 = Date.parse('2024-06-01T00:00:00Z');
    const readings: { itemId: string; timestampMs: number; value: number }[] = [];
    for (let h = 0; h < 30; h++) {
      for (const minute of [10, 35, 50]) {
        readings.push({ itemId: 'a', timestampMs: t0 + h * HOUR + minute * 60_000, value: h * 10 + minute });
      }
    }
    const windows = latestWindows(
      readings.map((r) => ({ timestamp: r.timestampMs, itemId: r.itemId, value: r.value })),
      { stepMillis: HOUR, contextPoints: 24, maxSeries: 5 },
    );
    const trained = resample(readings, {
      frequency: parseFrequency('1H'),
      windowStartMs: t0,
      windowEndMs: t0 + 30 * HOUR,
      aggregation: 'mean',
    }).series[0];
    expect(windows).toEqual([
      { itemId: 'a', start: t0 + 6 * HOUR, target: Array.from(trained.values).slice(-24) },
    ]);
    expect(windows[0].target.at(-1)).toBe(290 + (10 + 35 + 50) / 3);
  });
});

describe('the request', () => {
  const example = DEEPAR_REQUEST_RESPONSE_EXAMPLE;

  test('has the shape of the AWS example request, asks for the mean and every default quantile', () => {
    const start = Date.parse('2024-06-01T12:00:00Z');
    const request = buildEndpointTestRequest(
      [{ itemId: 'a', start, target: [1.5, null, 3] }],
      DEFAULT_QUANTILES,
    );
    expect(request).toEqual({
      instances: [{ start: '2024-06-01 12:00:00', target: [1.5, 'NaN', 3] }],
      configuration: {
        num_samples: 100,
        output_types: ['mean', 'quantiles'],
        quantiles: [...DEFAULT_QUANTILES],
      },
    });
    const exampleInstance = example.request.instances[0];
    // Same field names and the same "YYYY-MM-DD HH:MM:SS" start format as the AWS example.
    for (const key of Object.keys(request.instances[0])) expect(Object.keys(exampleInstance)).toContain(key);
    const startFormat = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
    expect(exampleInstance.start).toMatch(startFormat);
    expect(request.instances[0].start).toMatch(startFormat);
    expect(deepArStart(Date.parse(`${(exampleInstance.start as string).replace(' ', 'T')}Z`))).toBe(
      exampleInstance.start,
    );
  });

  test('no series: a clear error', () => {
    expect(() => buildEndpointTestRequest([], DEFAULT_QUANTILES)).toThrow('no series to forecast');
  });
});
