// The pure core of the data step: record versions (latest write wins, deletions dropped), resampling
// to the project frequency with gaps marked missing (the shared implementation of
// @mlops-templates/metrics), the training set and the K backtest windows,
// and the DeepAR JSON Lines they are written as. No I/O here.
import { type Frequency, isoSeconds, type RegularSeries, toDeepArInstance } from '@mlops-templates/metrics';

/** A data problem the pipeline cannot train on (the step fails with this message). */
export class PrepareDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrepareDataError';
  }
}

/** Item id used when the data has no item column (a single series). */
export const SINGLE_SERIES_ID = 'series';

/** How a row identifies its record version. */
export interface RecordVersion {
  /** Rows with the same key are versions of one record. */
  readonly key: string;
  /** Write order, compared element by element (larger = later); ties: the later row wins. */
  readonly order: readonly number[];
  /** A deletion marker (Feature Store `is_deleted`). */
  readonly deleted: boolean;
}

export interface LatestVersions<T> {
  /** The latest version of each record, deleted records left out, in input order. */
  readonly kept: T[];
  /** Older versions dropped. */
  readonly duplicates: number;
  /** Records whose latest version is a deletion. */
  readonly deleted: number;
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? Number.NEGATIVE_INFINITY;
    const y = b[i] ?? Number.NEGATIVE_INFINITY;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Keeps the latest version of each record (greatest write order; on a tie the later row) and drops
 * records whose latest version is a deletion. Deletion is decided after deduplication, so a deleted
 * record never comes back through an older version.
 */
export function latestVersions<T>(
  rows: readonly T[],
  versionOf: (row: T) => RecordVersion,
): LatestVersions<T> {
  const latest = new Map<string, { index: number; version: RecordVersion }>();
  rows.forEach((row, index) => {
    const version = versionOf(row);
    const current = latest.get(version.key);
    if (current === undefined || compareOrder(version.order, current.version.order) >= 0) {
      latest.set(version.key, { index, version });
    }
  });
  let deleted = 0;
  const keptIndexes: number[] = [];
  for (const { index, version } of latest.values()) {
    if (version.deleted) deleted++;
    else keptIndexes.push(index);
  }
  keptIndexes.sort((a, b) => a - b);
  return { kept: keptIndexes.map((index) => rows[index]), duplicates: rows.length - latest.size, deleted };
}

// Resampling is shared with the monitoring collector and the endpoint test (same inputs live as in training).
export { resample } from '@mlops-templates/metrics';
export type { RegularSeries, ResampleOptions, ResampleResult } from '@mlops-templates/metrics';

export interface BacktestOptions {
  readonly frequency: Frequency;
  readonly predictionLength: number;
  readonly contextLength: number;
  readonly backtestWindows: number;
}

/** A series as DeepAR reads it. */
export interface DeepArRecord {
  readonly itemId: string;
  readonly startMs: number;
  readonly target: Float64Array;
}

export interface BacktestWindow {
  /** 1 = oldest. */
  readonly index: number;
  /** First forecast time step of the window. */
  readonly forecastStartMs: number;
  /** Transform input: each series' history up to the window (same order as `tests`). */
  readonly inputs: DeepArRecord[];
  /** Each series' history and the window's `predictionLength` actual values. */
  readonly tests: DeepArRecord[];
}

export interface SkippedSeries {
  readonly itemId: string;
  readonly reason: string;
}

export interface BacktestDataset {
  /** Training series: everything before the first backtest window. */
  readonly train: DeepArRecord[];
  readonly windows: BacktestWindow[];
  readonly skipped: SkippedSeries[];
  /** Start of the first backtest window = end (exclusive) of the training data. */
  readonly trainEndMs: number;
  /** End (exclusive) of the data. */
  readonly endMs: number;
}

function countObserved(values: Float64Array, end: number): number {
  let observed = 0;
  for (let i = 0; i < end; i++) if (!Number.isNaN(values[i])) observed++;
  return observed;
}

/**
 * Splits resampled series into the training set and K backtest windows of `predictionLength`
 * steps each, the last window ending at `endMs`. Training stops where the first window starts, so
 * no backtest value is seen in training. A series is kept only when it has at least
 * `contextLength + predictionLength` steps (and one observed value) before the first window;
 * skipped series are listed with the reason. No series left → `PrepareDataError`.
 */
export function buildBacktest(
  series: readonly RegularSeries[],
  endMs: number,
  options: BacktestOptions,
): BacktestDataset {
  const { predictionLength: horizon, contextLength, backtestWindows: windows, frequency } = options;
  for (const [name, value] of Object.entries({
    predictionLength: horizon,
    contextLength,
    backtestWindows: windows,
  })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new PrepareDataError(`${name} must be a positive integer, got ${value}`);
    }
  }
  const step = frequency.stepMs;
  const trainEndMs = endMs - windows * horizon * step;
  const minimumTrainSteps = contextLength + horizon;
  const kept: RegularSeries[] = [];
  const skipped: SkippedSeries[] = [];
  for (const s of series) {
    const trainSteps = Math.round((trainEndMs - s.startMs) / step);
    const totalSteps = s.values.length;
    if (trainSteps < minimumTrainSteps) {
      skipped.push({
        itemId: s.itemId,
        reason:
          `${totalSteps} time steps of ${frequency.text} from ${isoSeconds(s.startMs)} to ${isoSeconds(endMs)}; ` +
          `at least ${minimumTrainSteps + windows * horizon} are needed (context_length ${contextLength} + ` +
          `prediction_length ${horizon} for training + ${windows} backtest windows × ${horizon})`,
      });
    } else if (countObserved(s.values, trainSteps) === 0) {
      skipped.push({ itemId: s.itemId, reason: 'no observed value before the first backtest window' });
    } else {
      kept.push(s);
    }
  }
  if (kept.length === 0) {
    const details = skipped.map((entry) => `series "${entry.itemId}": ${entry.reason}`);
    throw new PrepareDataError(
      series.length === 0
        ? 'no observation in the data window: nothing to train on'
        : `no series is long enough to train and backtest on. ${details.slice(0, 5).join('; ')}` +
            `${details.length > 5 ? `; and ${details.length - 5} more` : ''}. ` +
            'Lengthen the TrainingWindowDays parameter or lower ContextLength / BacktestWindows.',
    );
  }

  const train = kept.map((s) => ({
    itemId: s.itemId,
    startMs: s.startMs,
    target: s.values.subarray(0, Math.round((trainEndMs - s.startMs) / step)),
  }));
  const backtest: BacktestWindow[] = [];
  for (let index = 1; index <= windows; index++) {
    const forecastStartMs = trainEndMs + (index - 1) * horizon * step;
    const inputs: DeepArRecord[] = [];
    const tests: DeepArRecord[] = [];
    for (const s of kept) {
      const cut = Math.round((forecastStartMs - s.startMs) / step);
      inputs.push({ itemId: s.itemId, startMs: s.startMs, target: s.values.subarray(0, cut) });
      tests.push({ itemId: s.itemId, startMs: s.startMs, target: s.values.subarray(0, cut + horizon) });
    }
    backtest.push({ index, forecastStartMs, inputs, tests });
  }
  return { train, windows: backtest, skipped, trainEndMs, endMs };
}

/** One DeepAR JSON line: `{"start":"YYYY-MM-DD HH:MM:SS","target":[...]}`, missing values as "NaN". */
export function toDeepArLine(record: Pick<DeepArRecord, 'startMs' | 'target'>): string {
  const { start, target } = toDeepArInstance({ startMs: record.startMs, target: record.target });
  return JSON.stringify({ start, target });
}

/** JSON Lines text (one record per line, final newline). */
export function toJsonLines(records: readonly Pick<DeepArRecord, 'startMs' | 'target'>[]): string {
  return records.map((record) => `${toDeepArLine(record)}\n`).join('');
}
