// CSV rendering of the synthetic points and the S3 key layout of the generator
// (`<prefix>dt=YYYY-MM-DD/part-<first-ts>-<last-ts>.csv`, `<prefix>_state.json`).
import type { SeriesPoint } from './generator';

export interface CsvColumns {
  readonly timestamp: string;
  /** undefined: single series, no item column. */
  readonly itemId?: string;
  readonly target: string;
}

/** ISO-8601 UTC without milliseconds: 2024-01-31T13:05:00Z. */
export function isoTimestamp(millis: number): string {
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Compact ISO-8601 basic format used in object names: 20240131T130500Z. */
export function compactTimestamp(millis: number): string {
  return isoTimestamp(millis).replace(/[-:]/g, '');
}

/** Inverse of {@link compactTimestamp}; undefined when the text is not one. */
export function parseCompactTimestamp(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const millis = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return compactTimestamp(millis) === text ? millis : undefined;
}

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
  return `${normalizePrefix(prefix)}dt=${isoTimestamp(firstMillis).slice(0, 10)}/`;
}

/** Key prefix shared by every object whose first timestamp is `firstMillis`. */
export function dataKeyPrefix(prefix: string, firstMillis: number): string {
  return `${partitionPrefix(prefix, firstMillis)}part-${compactTimestamp(firstMillis)}-`;
}

/** The data object key of a run writing `firstMillis`..`lastMillis`. */
export function dataKey(prefix: string, firstMillis: number, lastMillis: number): string {
  return `${dataKeyPrefix(prefix, firstMillis)}${compactTimestamp(lastMillis)}.csv`;
}

/** First and last timestamp encoded in a data object key, or undefined for other keys. */
export function parseDataKey(key: string): { first: number; last: number } | undefined {
  const m = /part-(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)\.csv$/.exec(key);
  if (!m) return undefined;
  const first = parseCompactTimestamp(m[1]);
  const last = parseCompactTimestamp(m[2]);
  if (first === undefined || last === undefined || last < first) return undefined;
  return { first, last };
}

export function stateKey(prefix: string): string {
  return `${normalizePrefix(prefix)}_state.json`;
}
