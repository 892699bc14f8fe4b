// DeepAR real-time requests from the project's data: CSV rows (timestamp, optional item id, target)
// → the latest context window of each series on the project's frequency grid, gaps as "NaN" →
// {"instances":[{"start","target"}],"configuration":{"output_types":["mean","quantiles"],...}}.
import { parseFrequency } from '@mlops-templates/metrics';
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
 * The latest `contextPoints` grid steps of each series, ending at its latest observation and
 * starting no earlier than its first; duplicates of a timestamp keep the last row read, gaps are
 * missing values, and rows off the grid are put in the step they fall into.
 */
export function latestWindows(observations: readonly Observation[], options: WindowOptions): ContextWindow[] {
  const { stepMillis, contextPoints, maxSeries } = options;
  const byItem = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = byItem.get(o.itemId);
    if (list) list.push(o);
    else byItem.set(o.itemId, [o]);
  }
  const windows: ContextWindow[] = [];
  for (const itemId of [...byItem.keys()].sort().slice(0, maxSeries)) {
    const rows = byItem.get(itemId) as Observation[];
    let end = -Infinity;
    let first = Infinity;
    for (const r of rows) {
      end = Math.max(end, r.timestamp);
      first = Math.min(first, r.timestamp);
    }
    const steps = Math.min(contextPoints, Math.floor((end - first) / stepMillis) + 1);
    const start = end - (steps - 1) * stepMillis;
    const target: (number | null)[] = new Array<number | null>(steps).fill(null);
    for (const r of rows) {
      if (r.timestamp < start - stepMillis + 1) continue;
      const index = Math.min(steps - 1, Math.max(0, Math.ceil((r.timestamp - start) / stepMillis)));
      if (r.value !== null || target[index] === null) target[index] = r.value;
    }
    // The window starts at the first observed value.
    const firstObserved = target.findIndex((v) => v !== null);
    if (firstObserved === -1) continue;
    windows.push({ itemId, start: start + firstObserved * stepMillis, target: target.slice(firstObserved) });
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
