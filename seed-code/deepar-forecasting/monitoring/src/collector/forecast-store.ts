// The collector's own forecasts, kept so later runs can mature them:
//   s3://<bucket>/<monitoring prefix><stage>/forecasts/<yyyy>/<mm>/<dd>/<hh>/<inferenceId>.json
// partitioned by the hour of the forecast's LAST step (when it matures), so a run lists only the
// partitions of its evaluation window. Once its horizon is observed, a sibling
// `<inferenceId>.ground-truth.json` records the observed targets and where its merge record went.
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  daysBetween,
  FORECAST_MARKER_SUFFIX,
  forecastsFolder,
  hourPath,
  type ForecastEntry,
} from '@mlops-templates/metrics';

/**
 * Lists the forecasts whose last step falls in [fromMs, toMs] (hour resolution), listing only the
 * day folders of that range.
 */
export async function listForecasts(
  s3: S3Client,
  bucket: string,
  monitoringPrefix: string,
  stage: string,
  fromMs: number,
  toMs: number,
): Promise<ForecastEntry[]> {
  const folder = forecastsFolder(monitoringPrefix, stage);
  const fromHour = Math.floor(fromMs / 3_600_000) * 3_600_000;
  const forecasts = new Map<string, { key: string; dueHour: number }>();
  const markers = new Map<string, string>();
  for (const day of daysBetween(fromMs, toMs)) {
    const prefix = `${folder}${hourPath(day).slice(0, 10)}/`;
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? '';
        const m = /(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/([^/]+)$/.exec(key.slice(folder.length));
        if (!m) continue;
        const dueHour = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4]);
        if (dueHour < fromHour || dueHour > toMs) continue;
        const name = m[5];
        if (name.endsWith(FORECAST_MARKER_SUFFIX))
          markers.set(name.slice(0, -FORECAST_MARKER_SUFFIX.length), key);
        else if (name.endsWith('.json')) forecasts.set(name.slice(0, -'.json'.length), { key, dueHour });
      }
    }
  }
  return [...forecasts.entries()]
    .map(([inferenceId, { key, dueHour }]) => ({
      forecastKey: key,
      inferenceId,
      dueHour,
      ...(markers.has(inferenceId) ? { markerKey: markers.get(inferenceId) } : {}),
    }))
    .sort((a, b) => a.dueHour - b.dueHour || a.inferenceId.localeCompare(b.inferenceId));
}

/** Reads a JSON object; `undefined` when it does not exist. */
export async function getJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await response.Body?.transformToString('utf-8')) ?? '';
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`s3://${bucket}/${key} is not JSON: ${(error as Error).message}`);
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Writes a JSON object. */
export async function putJson(s3: S3Client, bucket: string, key: string, document: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(document),
      ContentType: 'application/json',
    }),
  );
}
