// CSV rendering of the synthetic points and the S3 keys of the generator: the data objects follow the
// layout shared with every reader (`@mlops-templates/metrics` data-layout:
// `<prefix>dt=YYYY-MM-DD/part-<first-ts>-<last-ts>.csv`), plus the generator's `<prefix>_state.json`.
import {
  compactTimestamp,
  dataKey as sharedDataKey,
  dataKeyPrefix as sharedDataKeyPrefix,
  dataKeyRange,
  dataPartitionPrefix,
  isoSeconds,
  parseCompactTimestamp,
} from '@mlops-templates/metrics';
import type { SeriesPoint } from './generator';

export interface CsvColumns {
  readonly timestamp: string;
  /** undefined: single series, no item column. */
  readonly itemId?: string;
  readonly target: string;
}

/** ISO-8601 UTC without milliseconds: 2024-01-31T13:05:00Z. */
export const isoTimestamp = isoSeconds;

export { compactTimestamp, parseCompactTimestamp };

/** The CSV (header + one line per point, `\n` line ends). */
export function renderCsv(columns: CsvColumns, points: readonly SeriesPoint[]): string {
  const header =
    columns.itemId === undefined
      ? [columns.timestamp, columns.target]
      : [columns.timestamp, columns.itemId, columns.target];
  const lines = [header.join(',')];
  for (const p of points) {
    const fields =
      columns.itemId === undefined
        ? [isoTimestamp(p.millis), String(p.value)]
        : [isoTimestamp(p.millis), p.item ?? '', String(p.value)];
    lines.push(fields.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** `data/synthetic` / `/data/synthetic/` / `` → `data/synthetic/` / `data/synthetic/` / ``. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** The partition folder (date of the first timestamp) of an object starting at `firstMillis`. */
export function partitionPrefix(prefix: string, firstMillis: number): string {
  return dataPartitionPrefix(normalizePrefix(prefix), firstMillis);
}

/** Key prefix shared by every object whose first timestamp is `firstMillis`. */
export function dataKeyPrefix(prefix: string, firstMillis: number): string {
  return sharedDataKeyPrefix(normalizePrefix(prefix), firstMillis);
}

/** The data object key of a run writing `firstMillis`..`lastMillis` (the shared layout). */
export function dataKey(prefix: string, firstMillis: number, lastMillis: number): string {
  return sharedDataKey(normalizePrefix(prefix), firstMillis, lastMillis);
}

/** First and last timestamp encoded in a data object key, or undefined for other keys. */
export function parseDataKey(key: string): { first: number; last: number } | undefined {
  return /\.csv$/.test(key) ? dataKeyRange(key) : undefined;
}

export function stateKey(prefix: string): string {
  return `${normalizePrefix(prefix)}_state.json`;
}
