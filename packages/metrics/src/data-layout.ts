// The S3 layout of the series data, defined once: the synthetic generator writes
// `<prefix>dt=YYYY-MM-DD/part-<first>-<last>.csv` (`dt` = UTC date of the object's FIRST timestamp,
// `<first>`/`<last>` as `20240601T120000Z`), and every reader (model-build's data step, the
// monitoring collector) chooses the objects of a time window with the same rule: by the range in the
// name when there is one (an object may hold later days than its `dt`: the backfill, catch-up runs),
// else by the `dt=` folder, else read it.

/** ISO-8601 UTC without milliseconds: `2024-01-31T13:05:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Compact ISO-8601 basic format used in object names: `20240131T130500Z`. */
export function compactTimestamp(ms: number): string {
  return isoSeconds(ms).replace(/[-:]/g, '');
}

/** Inverse of {@link compactTimestamp}; `undefined` when the text is not one (or not a real instant). */
export function parseCompactTimestamp(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(ms) || compactTimestamp(ms) !== text ? undefined : ms;
}

/** The partition folder of an object whose first timestamp is `firstMs`; `prefix` is empty or ends with `/`. */
export function dataPartitionPrefix(prefix: string, firstMs: number): string {
  return `${prefix}dt=${isoSeconds(firstMs).slice(0, 10)}/`;
}

/** Key prefix shared by every object whose first timestamp is `firstMs`. */
export function dataKeyPrefix(prefix: string, firstMs: number): string {
  return `${dataPartitionPrefix(prefix, firstMs)}part-${compactTimestamp(firstMs)}-`;
}

/** The key of an object holding `firstMs`..`lastMs`. */
export function dataKey(prefix: string, firstMs: number, lastMs: number): string {
  return `${dataKeyPrefix(prefix, firstMs)}${compactTimestamp(lastMs)}.csv`;
}

const PART_RANGE = /(?:^|\/)part-(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)\.[A-Za-z0-9.]+$/;

/** The time range (inclusive) a key's `part-<first>-<last>` name announces; `undefined` otherwise. */
export function dataKeyRange(key: string): { first: number; last: number } | undefined {
  const m = PART_RANGE.exec(key);
  if (!m) return undefined;
  const first = parseCompactTimestamp(m[1]);
  const last = parseCompactTimestamp(m[2]);
  if (first === undefined || last === undefined || last < first) return undefined;
  return { first, last };
}

/** The data file formats readers understand. */
export type DataFileFormat = 'csv' | 'parquet';

/** The format of a data file from its name; `undefined` for objects that are not data (`_state.json`, `_SUCCESS`, ...). */
export function dataFileFormat(key: string): DataFileFormat | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name === '' || name.startsWith('_') || name.startsWith('.')) return undefined;
  if (/\.csv(\.gz)?$/i.test(name)) return 'csv';
  if (/\.(parquet|parq)$/i.test(name)) return 'parquet';
  return undefined;
}

/** Which objects may hold observations of a window. */
export interface DataObjectSelection<T extends { readonly key: string }> {
  readonly selected: T[];
  /** Data files left unread because their name places them outside the window. */
  readonly outsideWindow: number;
  /** Objects that are not data files. */
  readonly notData: number;
}

/**
 * Chooses the data files that may hold observations of [startMs, endMs) (pure): a `part-<first>-<last>`
 * name is read when its range overlaps the window, else a `dt=YYYY-MM-DD/` folder when its day does,
 * else the file is read (nothing in the name says otherwise). Input order is kept.
 */
export function selectDataObjects<T extends { readonly key: string }>(
  objects: readonly T[],
  startMs: number,
  endMs: number,
): DataObjectSelection<T> {
  const firstDay = isoSeconds(startMs).slice(0, 10);
  const lastDay = isoSeconds(endMs - 1).slice(0, 10);
  const selected: T[] = [];
  let outsideWindow = 0;
  let notData = 0;
  for (const object of objects) {
    if (dataFileFormat(object.key) === undefined) {
      notData++;
      continue;
    }
    const range = dataKeyRange(object.key);
    const day = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\//.exec(object.key)?.[1];
    let inside = true;
    if (range !== undefined) inside = range.last >= startMs && range.first < endMs;
    else if (day !== undefined) inside = day >= firstDay && day <= lastDay;
    if (inside) selected.push(object);
    else outsideWindow++;
  }
  return { selected, outsideWindow, notData };
}
