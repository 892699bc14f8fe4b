// The data step's pure core: record versions, resampling with gaps, training/backtest split and the
// DeepAR JSON Lines it writes.
import type { SeriesObservation } from '@mlops-templates/metrics';
import { DAY, HOUR } from './helpers';
import { parseFrequency } from '../src/steps/common/time';
import {
  buildBacktest,
  latestVersions,
  PrepareDataError,
  resample,
  toDeepArLine,
  toJsonLines,
} from '../src/steps/prepare-data/series';

const hourly = parseFrequency('1H');
const T0 = Date.UTC(2024, 5, 1); // 2024-06-01T00:00Z

function hourlySeries(itemId: string, startMs: number, values: number[]): SeriesObservation[] {
  return values.map((value, i) => ({ itemId, timestampMs: startMs + i * HOUR, value }));
}

describe('latestVersions', () => {
  test('keeps the latest write of each record and drops records whose latest version is deleted', () => {
    const rows = [
      { id: 'a', t: 1, write: 10, deleted: false, value: 1 },
      { id: 'a', t: 1, write: 30, deleted: false, value: 3 },
      { id: 'a', t: 1, write: 20, deleted: false, value: 2 },
      { id: 'b', t: 1, write: 10, deleted: false, value: 5 },
      { id: 'b', t: 1, write: 11, deleted: true, value: Number.NaN },
      { id: 'c', t: 1, write: 11, deleted: true, value: Number.NaN },
      { id: 'c', t: 1, write: 12, deleted: false, value: 7 },
    ];
    const result = latestVersions(rows, (row) => ({
      key: `${row.id}/${row.t}`,
      order: [row.write],
      deleted: row.deleted,
    }));
    expect(result.kept.map((row) => [row.id, row.value])).toEqual([
      ['a', 3],
      ['c', 7],
    ]);
    expect(result.duplicates).toBe(4);
    expect(result.deleted).toBe(1);
  });

  test('a deletion older than the latest write does not hide the record, and an older version never resurfaces', () => {
    const rows = [
      { key: 'x', order: [5], deleted: false },
      { key: 'x', order: [9], deleted: true },
      { key: 'x', order: [7], deleted: false },
    ];
    expect(latestVersions(rows, (row) => row).kept).toEqual([]);
  });

  test('ties on the write order go to the later row; the second order element breaks ties', () => {
    const rows = [
      { key: 'k', order: [1, 5], v: 'first' },
      { key: 'k', order: [1, 5], v: 'second' },
      { key: 'k', order: [1, 4], v: 'older api time' },
    ];
    expect(latestVersions(rows, (row) => ({ ...row, deleted: false })).kept.map((row) => row.v)).toEqual([
      'second',
    ]);
  });
});

describe('resample', () => {
  const window = {
    frequency: hourly,
    windowStartMs: T0,
    windowEndMs: T0 + 10 * HOUR,
    aggregation: 'mean' as const,
  };

  test('marks missing time steps as NaN and starts each series at its first observation', () => {
    const observations = [
      ...hourlySeries('a', T0, [1, 2]),
      { itemId: 'a', timestampMs: T0 + 5 * HOUR, value: 6 },
      ...hourlySeries('b', T0 + 3 * HOUR, [10, Number.NaN, 12]),
    ];
    const result = resample(observations, window);
    expect(result.endMs).toBe(T0 + 6 * HOUR);
    const [a, b] = result.series;
    expect(a.itemId).toBe('a');
    expect(a.startMs).toBe(T0);
    expect(Array.from(a.values)).toEqual([1, 2, Number.NaN, Number.NaN, Number.NaN, 6]);
    expect(b.startMs).toBe(T0 + 3 * HOUR);
    expect(Array.from(b.values)).toEqual([10, Number.NaN, 12]);
  });

  test('gives the same series whatever the input order', () => {
    const observations = [...hourlySeries('a', T0, [1, 2, 3, 4]), ...hourlySeries('b', T0, [5, 6, 7, 8])];
    const shuffled = [
      observations[5],
      observations[2],
      observations[7],
      observations[0],
      observations[3],
      observations[6],
      observations[1],
      observations[4],
    ];
    const sorted = resample(observations, window);
    const unsorted = resample(shuffled, window);
    expect(unsorted.series.map((s) => [s.itemId, s.startMs, Array.from(s.values)])).toEqual(
      sorted.series.map((s) => [s.itemId, s.startMs, Array.from(s.values)]),
    );
  });

  test('combines observations inside one time step (mean, sum, last) and ignores missing values', () => {
    const observations = [
      { itemId: 'a', timestampMs: T0 + 40 * 60_000, value: 4 },
      { itemId: 'a', timestampMs: T0 + 10 * 60_000, value: 2 },
      { itemId: 'a', timestampMs: T0 + 20 * 60_000, value: Number.NaN },
    ];
    expect(resample(observations, window).series[0].values[0]).toBe(3);
    expect(resample(observations, { ...window, aggregation: 'sum' }).series[0].values[0]).toBe(6);
    expect(resample(observations, { ...window, aggregation: 'last' }).series[0].values[0]).toBe(4);
  });

  test('drops observations outside the window and time steps only partly inside it', () => {
    const observations = [
      { itemId: 'a', timestampMs: T0 - HOUR, value: 99 },
      ...hourlySeries('a', T0, [1, 2]),
      { itemId: 'a', timestampMs: T0 + 9 * HOUR + 10 * 60_000, value: 97 }, // its step 9:00-10:00 ends after the window
      { itemId: 'a', timestampMs: T0 + 10 * HOUR - 60_000, value: 98 }, // after the window end
    ];
    const result = resample(observations, { ...window, windowEndMs: T0 + 10 * HOUR - 30 * 60_000 });
    expect(result.outsideWindow).toBe(3);
    expect(Array.from(result.series[0].values)).toEqual([1, 2]);
  });

  test('lists items that have no observed value', () => {
    const result = resample(
      [{ itemId: 'empty', timestampMs: T0, value: Number.NaN }, ...hourlySeries('a', T0, [1])],
      window,
    );
    expect(result.emptyItems).toEqual(['empty']);
    expect(result.series.map((s) => s.itemId)).toEqual(['a']);
  });

  test('2-day data on the 2-day grid from the epoch; weekly data is not a project frequency', () => {
    const twoDays = parseFrequency('2D');
    const gridPoint = Date.UTC(2024, 5, 2); // 19876 days after the epoch: a 2-day grid point
    const result = resample([{ itemId: 'a', timestampMs: gridPoint + 3 * 3_600_000, value: 1 }], {
      frequency: twoDays,
      windowStartMs: gridPoint - 4 * DAY,
      windowEndMs: gridPoint + 4 * DAY,
      aggregation: 'sum',
    });
    expect(result.series[0].startMs).toBe(gridPoint);
    expect(() => parseFrequency('1W')).toThrow(/168 hours/);
  });
});

describe('buildBacktest', () => {
  const options = { frequency: hourly, predictionLength: 3, contextLength: 4, backtestWindows: 4 };

  function series(
    itemId: string,
    length: number,
    startMs = T0,
  ): { itemId: string; startMs: number; values: Float64Array } {
    return { itemId, startMs, values: Float64Array.from({ length }, (_, i) => i + 1) };
  }

  test('produces K windows of prediction_length steps ending at the data end, and trains before the first', () => {
    const length = 30;
    const dataset = buildBacktest([series('a', length)], T0 + length * HOUR, options);
    expect(dataset.windows).toHaveLength(4);
    expect(dataset.trainEndMs).toBe(T0 + (length - 4 * 3) * HOUR);
    expect(Array.from(dataset.train[0].target)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    dataset.windows.forEach((window, k) => {
      const cut = 18 + k * 3;
      expect(window.index).toBe(k + 1);
      expect(window.forecastStartMs).toBe(T0 + cut * HOUR);
      expect(window.inputs[0].target.length).toBe(cut);
      expect(Array.from(window.tests[0].target.subarray(cut))).toEqual([cut + 1, cut + 2, cut + 3]);
      expect(Array.from(window.tests[0].target.subarray(0, cut))).toEqual(
        Array.from(window.inputs[0].target),
      );
    });
    expect(dataset.windows[3].forecastStartMs + 3 * HOUR).toBe(dataset.endMs);
  });

  test('uses the configured number of windows', () => {
    for (const backtestWindows of [1, 6]) {
      const dataset = buildBacktest([series('a', 60)], T0 + 60 * HOUR, { ...options, backtestWindows });
      expect(dataset.windows.map((w) => w.index)).toEqual(
        Array.from({ length: backtestWindows }, (_, i) => i + 1),
      );
    }
  });

  test('a series too short for training and the backtest is a clear error naming what is needed', () => {
    const needed = 4 + 3 + 4 * 3;
    expect(() => buildBacktest([series('only', needed - 1)], T0 + (needed - 1) * HOUR, options)).toThrow(
      PrepareDataError,
    );
    expect(() => buildBacktest([series('only', needed - 1)], T0 + (needed - 1) * HOUR, options)).toThrow(
      /series "only": 18 time steps of 1H .* at least 19 are needed \(context_length 4 \+ prediction_length 3 for training \+ 4 backtest windows × 3\)/,
    );
    expect(() => buildBacktest([series('only', needed)], T0 + needed * HOUR, options)).not.toThrow();
  });

  test('skips (and lists) short series when others are long enough', () => {
    const dataset = buildBacktest(
      [series('long', 40), series('short', 10, T0 + 30 * HOUR)],
      T0 + 40 * HOUR,
      options,
    );
    expect(dataset.train.map((r) => r.itemId)).toEqual(['long']);
    expect(dataset.skipped).toEqual([
      { itemId: 'short', reason: expect.stringContaining('at least 19 are needed') },
    ]);
    expect(dataset.windows.every((w) => w.inputs.length === 1)).toBe(true);
  });

  test('skips a series with no observed value before the first window', () => {
    const values = Float64Array.from({ length: 40 }, (_, i) => (i < 28 ? Number.NaN : i));
    const dataset = buildBacktest(
      [{ itemId: 'late', startMs: T0, values }, series('ok', 40)],
      T0 + 40 * HOUR,
      options,
    );
    expect(dataset.skipped.map((s) => s.itemId)).toEqual(['late']);
  });

  test('no observation at all is an error', () => {
    expect(() => buildBacktest([], T0, options)).toThrow(/no observation in the data window/);
  });
});

describe('DeepAR JSON Lines', () => {
  test('one {"start","target"} object per line, start as YYYY-MM-DD HH:MM:SS, missing values as "NaN"', () => {
    const text = toJsonLines([
      { startMs: Date.UTC(2024, 0, 2, 3, 0, 0), target: Float64Array.from([1.5, Number.NaN, 2]) },
      { startMs: Date.UTC(2024, 0, 2, 4, 0, 0), target: Float64Array.from([7]) },
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0])).toEqual({ start: '2024-01-02 03:00:00', target: [1.5, 'NaN', 2] });
    expect(Object.keys(JSON.parse(lines[1]))).toEqual(['start', 'target']);
    expect(toDeepArLine({ startMs: 0, target: new Float64Array(0) })).toBe(
      '{"start":"1970-01-01 00:00:00","target":[]}',
    );
  });
});
