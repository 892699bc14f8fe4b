// DeepAR real-time requests from the project's data: CSV rows (timestamp, optional item id, target)
// → the latest context window of each series resampled to the project's frequency grid like training
// (the shared resample), gaps as "NaN" →
// {"instances":[{"start","target"}],"configuration":{"output_types":["mean","quantiles"],...}}.
import {
  alignDown,
  DATA_WINDOW_DEFAULTS,
  parseFrequency,
  resample,
  type SeriesObservation,
} from '@mlops-templates/metrics';
import { parse } from 'csv-parse/sync';
import { EndpointTestError } from './errors';

/** Step (ms) of the project frequency (`FREQUENCY`), in the one grammar shared by the product and every seed. */
export function frequencyToMillis(frequency: string): number {
  try {
    return parseFrequency(frequency).stepMs;
  } catch (error) {
    throw new EndpointTestError((error as Error).message);
  }
}

/** One observation of the project's data. */
export interface Observation {
  readonly timestamp: number;
  readonly itemId: string;
  /** `null` when the target is missing (empty, NaN). */
  readonly value: number | null;
}

/** CSV column names from the project configuration; `itemIdColumn` "none" = a single series. */
export interface CsvColumns {
  readonly timestampColumn: string;
  readonly targetColumn: string;
  readonly itemIdColumn: string;
}

/** Rows that could not be used, for the log (the first few, with the reason). */
export interface SkippedRows {
  count: number;
  examples: string[];
}

const SINGLE_SERIES = '';

/** Parses a CSV object of the project's data. Bad rows are skipped and counted, never fatal. */
export function parseObservations(
  text: string,
  columns: CsvColumns,
  source: string,
  skipped: SkippedRows,
): Observation[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as Record<string, string>[];
  } catch (error) {
    throw new EndpointTestError(`${source} is not readable CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) return [];
  const header = Object.keys(records[0]);
  const needed = [columns.timestampColumn, columns.targetColumn];
  if (columns.itemIdColumn !== 'none') needed.push(columns.itemIdColumn);
  const absent = needed.filter((c) => !header.includes(c));
  if (absent.length > 0) {
    throw new EndpointTestError(
      `${source} has no column(s) ${absent.join(', ')} (header: ${header.join(', ')})`,
    );
  }
  const out: Observation[] = [];
  records.forEach((record, i) => {
    const skip = (reason: string): void => {
      skipped.count += 1;
      if (skipped.examples.length < 5) skipped.examples.push(`${source} row ${i + 2}: ${reason}`);
    };
    const rawTime = record[columns.timestampColumn] ?? '';
    const timestamp = Date.parse(rawTime);
    if (!/^\d{4}-\d{2}-\d{2}/.test(rawTime) || Number.isNaN(timestamp))
      return skip(`timestamp ${JSON.stringify(rawTime)} is not ISO-8601`);
    const rawValue = record[columns.targetColumn] ?? '';
    let value: number | null;
    if (rawValue === '' || /^(nan|null)$/i.test(rawValue)) value = null;
    else {
      value = Number(rawValue);
      if (!Number.isFinite(value)) return skip(`target ${JSON.stringify(rawValue)} is not a number`);
    }
    const itemId = columns.itemIdColumn === 'none' ? SINGLE_SERIES : (record[columns.itemIdColumn] ?? '');
    if (columns.itemIdColumn !== 'none' && itemId === '') return skip('empty item id');
    out.push({ timestamp, itemId, value });
  });
  return out;
}

/** The latest context window of one series. */
export interface ContextWindow {
  readonly itemId: string;
  /** First timestamp of the window (epoch ms, on the series' grid). */
  readonly start: number;
  /** One value per grid step; `null` = missing. */
  readonly target: (number | null)[];
}

export interface WindowOptions {
  readonly stepMillis: number;
  /** Points of history per series (at most). */
  readonly contextPoints: number;
  /** Series in the request (the first item ids in sorted order). */
  readonly maxSeries: number;
}

/**
 * The latest `contextPoints` grid steps of each series (the first `maxSeries` item ids), resampled to
 * the frequency grid exactly as model-build's data step resamples training data (the shared
 * `resample` of @mlops-templates/metrics, aggregation `DATA_WINDOW_DEFAULTS`): several observations
 * of one step are averaged, gaps are missing values, each series ends at its latest observed step and
 * starts no earlier than its first. The step of the newest observation is kept (the test asks for
 * the newest data; a build, whose window ends at "now", would drop it while it is in progress).
 */
export function latestWindows(observations: readonly Observation[], options: WindowOptions): ContextWindow[] {
  const { stepMillis, contextPoints, maxSeries } = options;
  const frequency = { stepMs: stepMillis, anchorMs: 0 };
  const keep = new Set([...new Set(observations.map((o) => o.itemId))].sort().slice(0, maxSeries));
  const input: SeriesObservation[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const o of observations) {
    if (!keep.has(o.itemId)) continue;
    input.push({ itemId: o.itemId, timestampMs: o.timestamp, value: o.value ?? Number.NaN });
    first = Math.min(first, o.timestamp);
    last = Math.max(last, o.timestamp);
  }
  if (input.length === 0) return [];
  const { series } = resample(input, {
    frequency,
    windowStartMs: alignDown(first, frequency),
    windowEndMs: alignDown(last, frequency) + stepMillis,
    aggregation: DATA_WINDOW_DEFAULTS.resampleAggregation,
  });
  const windows: ContextWindow[] = [];
  for (const s of series) {
    let end = s.values.length;
    while (end > 0 && Number.isNaN(s.values[end - 1])) end--;
    let from = Math.max(0, end - contextPoints);
    while (from < end && Number.isNaN(s.values[from])) from++;
    if (from >= end) continue;
    windows.push({
      itemId: s.itemId,
      start: s.startMs + from * stepMillis,
      target: Array.from(s.values.subarray(from, end), (v) => (Number.isNaN(v) ? null : v)),
    });
  }
  return windows;
}

/** A DeepAR instance: missing values as the string "NaN", as DeepAR's JSON format allows. */
export interface DeepArInstance {
  readonly start: string;
  readonly target: (number | 'NaN')[];
}

export interface DeepArRequest {
  readonly instances: DeepArInstance[];
  readonly configuration: {
    readonly num_samples: number;
    readonly output_types: string[];
    readonly quantiles: string[];
  };
}

/** DeepAR's timestamp format: `YYYY-MM-DD HH:MM:SS` (UTC). */
export function deepArTimestamp(epochMillis: number): string {
  return new Date(epochMillis).toISOString().slice(0, 19).replace('T', ' ');
}

/** The request for the given windows, asking for the mean and every configured quantile. */
export function buildDeepArRequest(
  windows: readonly ContextWindow[],
  quantiles: readonly string[],
  numSamples = 100,
): DeepArRequest {
  if (windows.length === 0)
    throw new EndpointTestError('no series to forecast: the data has no observed value');
  return {
    instances: windows.map((w) => ({
      start: deepArTimestamp(w.start),
      target: w.target.map((v) => (v === null ? 'NaN' : v)),
    })),
    configuration: {
      num_samples: numSamples,
      output_types: ['mean', 'quantiles'],
      quantiles: [...quantiles],
    },
  };
}
