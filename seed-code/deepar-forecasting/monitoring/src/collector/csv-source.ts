// Time-predicated read of the series from S3 CSV objects (the synthetic source and the `s3` source),
// with the object selection model-build's data step uses (the shared data layout of
// @mlops-templates/metrics): the location is listed and only the objects that can hold window data are
// fetched — by the `part-<first>-<last>.csv` range of the name (an object may hold later days than its
// `dt=` folder: the generator's backfill is one object in the partition of its FIRST day), else by the
// `dt=YYYY-MM-DD/` folder. Listing only the window's `dt=` partitions missed the backfill (issue #14).
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import {
  dataKeyRange,
  type S3Location,
  selectDataObjects,
  type Observation,
  parseIsoTimestamp,
} from '@mlops-templates/metrics';
import { parse } from 'csv-parse/sync';

/** The columns of the series. */
export interface SeriesColumns {
  readonly timestampColumn: string;
  readonly targetColumn: string;
  /** `none` = a single series. */
  readonly itemIdColumn: string;
}

/** What one read of the window produced. */
export interface WindowRead {
  readonly observations: Observation[];
  /** Objects (or query result rows) read. */
  readonly objectsRead: number;
  /** Objects skipped, with the reason (outside the window, not CSV, unreadable). */
  readonly objectsSkipped: number;
  /** Rows that could not be read (bad timestamp, non-numeric target, wrong column count). */
  readonly malformedRows: number;
  /** The first few malformed rows or unreadable objects, `where: reason`. */
  readonly malformedExamples: string[];
}

const MAX_EXAMPLES = 5;

/**
 * The time range an object name announces (`part-20240601T000000Z-20240601T230000Z.csv`, as the
 * synthetic generator writes them); `undefined` when the name does not follow that pattern.
 */
export function objectTimeRange(key: string): { first: number; last: number } | undefined {
  return /\.csv$/i.test(key) ? dataKeyRange(key) : undefined;
}

/** Why an object is not read for the window [fromMs, toMs], or `undefined` when it must be read. */
export function objectSkipReason(key: string, fromMs: number, toMs: number): string | undefined {
  if (key.endsWith('/')) return 'folder marker';
  if (/\.parquet$/i.test(key)) return 'Parquet objects are not read by the collector (CSV only)';
  if (!/\.csv$/i.test(key)) return 'not a .csv object';
  // The shared layout rule (model-build reads with it too); the window end is inclusive here.
  if (selectDataObjects([{ key }], fromMs, toMs + 1).selected.length === 0) {
    return 'outside the window (by its name)';
  }
  return undefined;
}

/**
 * Parses a CSV document with a header row into observations inside [fromMs, toMs]. Rows outside
 * the window are dropped silently; unreadable rows are counted (never a crash, never a guess).
 */
export function parseSeriesCsv(
  text: string,
  columns: SeriesColumns,
  fromMs: number,
  toMs: number,
  source = 'csv',
): { observations: Observation[]; malformedRows: number; malformedExamples: string[] } {
  const rows = parse(text, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as string[][];
  const observations: Observation[] = [];
  const malformedExamples: string[] = [];
  let malformedRows = 0;
  const bad = (line: number, reason: string): void => {
    malformedRows++;
    if (malformedExamples.length < MAX_EXAMPLES) malformedExamples.push(`${source}:${line}: ${reason}`);
  };
  if (rows.length === 0) return { observations, malformedRows, malformedExamples };
  const header = rows[0];
  const tsIndex = header.indexOf(columns.timestampColumn);
  const targetIndex = header.indexOf(columns.targetColumn);
  const itemIndex = columns.itemIdColumn === 'none' ? -1 : header.indexOf(columns.itemIdColumn);
  const missing = [
    tsIndex < 0 ? columns.timestampColumn : undefined,
    targetIndex < 0 ? columns.targetColumn : undefined,
    columns.itemIdColumn !== 'none' && itemIndex < 0 ? columns.itemIdColumn : undefined,
  ].filter((c): c is string => c !== undefined);
  if (missing.length > 0) {
    bad(1, `the header has no column ${missing.join(', ')} (header: ${header.join(',')})`);
    // Every data row of the object is unusable.
    return { observations, malformedRows: Math.max(1, rows.length - 1), malformedExamples };
  }
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    const line = i + 1;
    if (row.length !== header.length) {
      bad(line, `${row.length} fields, the header has ${header.length}`);
      continue;
    }
    const timestamp = parseIsoTimestamp(row[tsIndex]);
    if (timestamp === undefined) {
      bad(line, `timestamp ${JSON.stringify(row[tsIndex])} is not ISO-8601`);
      continue;
    }
    if (timestamp < fromMs || timestamp > toMs) continue;
    const raw = row[targetIndex];
    let value: number | null;
    if (raw === '' || /^(nan|null)$/i.test(raw)) value = null;
    else {
      value = Number(raw);
      if (!Number.isFinite(value)) {
        bad(line, `${columns.targetColumn} ${JSON.stringify(raw)} is not a number`);
        continue;
      }
    }
    let itemId: string | null = null;
    if (itemIndex >= 0) {
      itemId = row[itemIndex];
      if (itemId === '') {
        bad(line, `empty ${columns.itemIdColumn}`);
        continue;
      }
    }
    observations.push({ itemId, timestamp, value });
  }
  return { observations, malformedRows, malformedExamples };
}

/**
 * Reads the observations of [fromMs, toMs] from the objects under `location` (a folder: its key ends
 * with `/` or is empty) that can hold them.
 */
export async function readCsvWindow(
  s3: S3Client,
  location: S3Location,
  columns: SeriesColumns,
  fromMs: number,
  toMs: number,
): Promise<WindowRead> {
  const observations: Observation[] = [];
  const malformedExamples: string[] = [];
  let objectsRead = 0;
  let objectsSkipped = 0;
  let malformedRows = 0;
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client: s3 },
    { Bucket: location.bucket, Prefix: location.key },
  )) {
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
  }
  for (const key of keys.sort()) {
    if (objectSkipReason(key, fromMs, toMs) !== undefined) {
      objectsSkipped++;
      continue;
    }
    const response = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
    const text = (await response.Body?.transformToString('utf-8')) ?? '';
    const where = `s3://${location.bucket}/${key}`;
    let parsed: ReturnType<typeof parseSeriesCsv>;
    try {
      parsed = parseSeriesCsv(text, columns, fromMs, toMs, where);
    } catch (error) {
      objectsSkipped++;
      malformedRows++;
      if (malformedExamples.length < MAX_EXAMPLES) {
        malformedExamples.push(`${where}: not readable as CSV: ${(error as Error).message}`);
      }
      continue;
    }
    objectsRead++;
    malformedRows += parsed.malformedRows;
    for (const example of parsed.malformedExamples) {
      if (malformedExamples.length < MAX_EXAMPLES) malformedExamples.push(example);
    }
    for (const o of parsed.observations) observations.push(o);
  }
  return { observations, objectsRead, objectsSkipped, malformedRows, malformedExamples };
}
