// Recent data for the endpoint test: the newest CSV objects under the project's data location
// (e.g. s3://<bucket>/data/synthetic/dt=YYYY-MM-DD/part-<first>-<last>.csv), read newest first until
// the context window is covered. Objects whose key names their last timestamp are ordered by it
// (a run's object can hold later dates than its dt=), others by LastModified.
import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { dataKeyRange, parseS3Uri } from '@mlops-templates/metrics';
import { EndpointTestError } from '@mlops-templates/model-deploy';
import { CsvColumns, Observation, parseObservations, SkippedRows } from './request';

export interface RecentDataOptions {
  readonly location: string;
  readonly columns: CsvColumns;
  /** Distinct timestamps wanted (the context window). */
  readonly contextPoints: number;
  /** Upper bound on objects read. */
  readonly maxObjects: number;
}

export interface RecentData {
  readonly observations: Observation[];
  readonly objectsRead: string[];
  readonly skipped: SkippedRows;
}

/** Reads the newest CSV objects of the data location until `contextPoints` timestamps are covered. */
export async function readRecentObservations(s3: S3Client, options: RecentDataOptions): Promise<RecentData> {
  let bucket: string;
  let prefix: string;
  try {
    ({ bucket, key: prefix } = parseS3Uri(options.location));
  } catch (error) {
    throw new EndpointTestError((error as Error).message);
  }
  const objects: { key: string; order: number }[] = [];
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
    } catch (error) {
      const e = error as Error;
      throw new EndpointTestError(`cannot list ${options.location}: ${e.name}: ${e.message}`);
    }
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined || !o.Key.toLowerCase().endsWith('.csv')) continue;
      objects.push({ key: o.Key, order: dataKeyRange(o.Key)?.last ?? o.LastModified?.getTime() ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  if (objects.length === 0) {
    throw new EndpointTestError(
      `no CSV object under ${options.location}: the project's data is configured but empty`,
    );
  }
  objects.sort((a, b) => b.order - a.order || (a.key < b.key ? 1 : -1));

  const chunks: Observation[][] = [];
  const objectsRead: string[] = [];
  const skipped: SkippedRows = { count: 0, examples: [] };
  const timestamps = new Set<number>();
  for (const { key } of objects.slice(0, options.maxObjects)) {
    const uri = `s3://${bucket}/${key}`;
    let text: string;
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      text = (await out.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      const e = error as Error;
      throw new EndpointTestError(`cannot read ${uri}: ${e.name}: ${e.message}`);
    }
    objectsRead.push(uri);
    // Older objects first in the result, so a later duplicate row (newer object) wins.
    const rows = parseObservations(text, options.columns, uri, skipped);
    chunks.push(rows);
    for (const r of rows) timestamps.add(r.timestamp);
    if (timestamps.size >= options.contextPoints) break;
  }
  return { observations: chunks.reverse().flat(), objectsRead, skipped };
}
