// Reads the series from CSV/Parquet files under an S3 prefix (the synthetic data or the project's
// own files). Files whose key shows they lie outside the data window are not read: the synthetic
// generator's `part-<first>-<last>` names and Hive `dt=YYYY-MM-DD` folders are used for that.
import { S3Client } from '@aws-sdk/client-s3';
import { latestVersions, Observation } from './series';
import { ColumnMapping, parseObservationsCsv, parseObservationsParquet } from './tabular';
import { StepLogger } from '../common/logger';
import { getObjectBytes, getObjectText, ListedObject, listObjects, parseS3Uri } from '../common/s3';
import { parseTimestamp, utcDate } from '../common/time';

export type DataFileFormat = 'csv' | 'parquet';

/** The format of a data file from its name, or `undefined` for files that are not data. */
export function dataFileFormat(key: string): DataFileFormat | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name === '' || name.startsWith('_') || name.startsWith('.')) return undefined;
  if (/\.csv(\.gz)?$/i.test(name)) return 'csv';
  if (/\.(parquet|parq)$/i.test(name)) return 'parquet';
  return undefined;
}

const COMPACT_TIME = /part-(\d{8}T\d{6}Z)-(\d{8}T\d{6}Z)/;
const compactToMs = (text: string): number | undefined =>
  parseTimestamp(
    `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(9, 11)}:${text.slice(11, 13)}:${text.slice(13, 15)}Z`,
  );

export interface ObjectSelection {
  readonly selected: ListedObject[];
  /** Data files left unread because their key places them outside the window. */
  readonly outsideWindow: number;
  /** Objects that are not data files (other extensions, `_state.json`, `_SUCCESS`, ...). */
  readonly notData: number;
}

/** Chooses the data files that may hold observations of [start, end) (pure). */
export function selectObjectsForWindow(
  objects: readonly ListedObject[],
  windowStartMs: number,
  windowEndMs: number,
): ObjectSelection {
  const firstDay = utcDate(windowStartMs);
  const lastDay = utcDate(windowEndMs - 1);
  const selected: ListedObject[] = [];
  let outsideWindow = 0;
  let notData = 0;
  for (const object of objects) {
    if (dataFileFormat(object.key) === undefined) {
      notData++;
      continue;
    }
    const part = COMPACT_TIME.exec(object.key);
    const first = part ? compactToMs(part[1]) : undefined;
    const last = part ? compactToMs(part[2]) : undefined;
    const day = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\//.exec(object.key)?.[1];
    let inside = true;
    if (first !== undefined && last !== undefined) inside = last >= windowStartMs && first < windowEndMs;
    else if (day !== undefined) inside = day >= firstDay && day <= lastDay;
    if (inside) selected.push(object);
    else outsideWindow++;
  }
  return { selected, outsideWindow, notData };
}

export interface S3ReadOptions {
  readonly locationUri: string;
  readonly mapping: ColumnMapping;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly logger: StepLogger;
}

export interface S3ReadResult {
  readonly observations: Observation[];
  readonly filesRead: number;
  readonly duplicates: number;
}

/**
 * Reads the selected files in key order. Rows repeating an (item, timestamp) pair are duplicates:
 * the last one in key order wins (a later file is a later write).
 */
export async function readS3Observations(s3: S3Client, options: S3ReadOptions): Promise<S3ReadResult> {
  const location = parseS3Uri(options.locationUri);
  const objects = await listObjects(s3, location);
  const selection = selectObjectsForWindow(objects, options.windowStartMs, options.windowEndMs);
  options.logger.info('data files selected', {
    location: options.locationUri,
    listed: objects.length,
    selected: selection.selected.length,
    outsideWindow: selection.outsideWindow,
    notData: selection.notData,
  });
  const rows: Observation[] = [];
  for (const object of selection.selected) {
    const source = `s3://${location.bucket}/${object.key}`;
    const objectLocation = { bucket: location.bucket, key: object.key };
    const read =
      dataFileFormat(object.key) === 'parquet'
        ? await parseObservationsParquet(await getObjectBytes(s3, objectLocation), options.mapping, source)
        : parseObservationsCsv(await getObjectText(s3, objectLocation), options.mapping, source);
    for (const row of read) rows.push(row);
  }
  const versions = latestVersions(rows, (row) => ({
    key: `${row.itemId}\u0000${row.timestampMs}`,
    order: [],
    deleted: false,
  }));
  return {
    observations: versions.kept,
    filesRead: selection.selected.length,
    duplicates: versions.duplicates,
  };
}
