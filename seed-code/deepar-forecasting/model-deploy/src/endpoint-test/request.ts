// DeepAR real-time requests from the project's data: CSV rows (timestamp, optional item id, target)
// → the latest context window of each series resampled to the project's frequency grid like training
// (the shared resample), gaps as "NaN" → the shared DeepAR request
//
// {"instances":[{"start","target"}],"configuration":{"output_types":["mean","quantiles"],...}}.
import {
  alignDown,
  buildDeepArRequest,
  DATA_WINDOW_DEFAULTS,
  type DeepArRequest,
  itemKey,
  type Observation,
  parseFrequency,
  resample,
  type SeriesObservation,
} from '@mlops-templates/metrics';
import { parse } from 'csv-parse/sync';
import { EndpointTestError } from '@mlops-templates/model-deploy';

/** Step (ms) of the project frequency (`FREQUENCY`), in the one grammar shared by the product and every seed. */
export function frequencyToMillis(frequency: string): number {
  try {
    return parseFrequency(frequency).stepMs;
  } catch (error) {
    throw new EndpointTestError((error as Error).message);
  }
}

/** One observation of the project's data (the shared encoding: `itemId` null = single series). */
export type { Observation };

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
    const itemId = columns.itemIdColumn === 'none' ? null : (record[columns.itemIdColumn] ?? '');
    if (itemId === '') return skip('empty item id');
    out.push({ timestamp, itemId, value });
  });
  return out;
}

/** The latest context window of one series. */
export interface ContextWindow {
  /** The item id; `""` for the single series (`itemKey` of the shared package). */
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
  const keep = new Set([...new Set(observations.map((o) => itemKey(o.itemId)))].sort().slice(0, maxSeries));
  const input: SeriesObservation[] = [];
  let first = Infinity;
  let last = -Infinity;
  for (const o of observations) {
    const item = itemKey(o.itemId);
    if (!keep.has(item)) continue;
    input.push({ itemId: item, timestampMs: o.timestamp, value: o.value ?? Number.NaN });
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

/** The endpoint test's request: the mean and every configured quantile of the given windows. */
export function buildEndpointTestRequest(
  windows: readonly ContextWindow[],
  quantiles: readonly string[],
  numSamples = 100,
): DeepArRequest {
  if (windows.length === 0)
    throw new EndpointTestError('no series to forecast: the data has no observed value');
  return buildDeepArRequest(
    windows.map((w) => ({ startMs: w.start, target: w.target })),
    { numSamples, quantiles },
  );
}
