// Reads the series from CSV/Parquet files under an S3 prefix (the synthetic data or the project's
// own files). Files whose key shows they lie outside the data window are not read: the synthetic
// generator's `part-<first>-<last>` names and Hive `dt=YYYY-MM-DD` folders are used for that, by the
// layout rule shared with the generator and the monitoring collector (@mlops-templates/metrics).
import { S3Client } from '@aws-sdk/client-s3';
import {
  dataFileFormat,
  type DataObjectSelection,
  selectDataObjects,
  type LogPort,
  parseS3Uri,
  type SeriesObservation,
} from '@mlops-templates/metrics';
import { latestVersions } from './series';
import { ColumnMapping, parseObservationsCsv, parseObservationsParquet } from './tabular';
import { getObjectBytes, getObjectText, ListedObject, listObjects } from '../common/s3';

export { dataFileFormat } from '@mlops-templates/metrics';
export type { DataFileFormat } from '@mlops-templates/metrics';

export type ObjectSelection = DataObjectSelection<ListedObject>;

/** Chooses the data files that may hold observations of [start, end) (pure; the shared layout rule). */
export function selectObjectsForWindow(
  objects: readonly ListedObject[],
  windowStartMs: number,
  windowEndMs: number,
): ObjectSelection {
  return selectDataObjects(objects, windowStartMs, windowEndMs);
}

export interface S3ReadOptions {
  readonly locationUri: string;
  readonly mapping: ColumnMapping;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly logger: LogPort;
}

export interface S3ReadResult {
  readonly observations: SeriesObservation[];
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
  const rows: SeriesObservation[] = [];
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
