// The collector's own forecasts, kept so later runs can mature them:
//   s3://<bucket>/<monitoring prefix><stage>/forecasts/<yyyy>/<mm>/<dd>/<hh>/<inferenceId>.json
// partitioned by the hour of the forecast's LAST step (when it matures), so a run lists only the
// partitions of its evaluation window. Once its horizon is observed, a sibling
// `<inferenceId>.ground-truth.json` records the observed targets and where its merge record went.
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { describeZodError } from './settings';
import { daysBetween, hourPath, parseIsoTimestamp } from './time';

const isoTimestamp = z
  .string()
  .refine((s) => parseIsoTimestamp(s) !== undefined, 'not an ISO-8601 timestamp');
const finiteArray = z.array(z.number().refine(Number.isFinite, 'not finite'));

/** A forecast made by the collector. */
export const storedForecastSchema = z.object({
  version: z.literal(1),
  inferenceId: z.string().min(1),
  stage: z.string(),
  endpointName: z.string(),
  /** Model version that answered; `null` when it is not known for sure (excluded from evaluation). */
  modelVersion: z.string().nullable(),
  modelVersionSource: z.string().nullable(),
  invokedVariant: z.string().nullable(),
  createdAt: isoTimestamp,
  frequency: z.string(),
  stepMs: z.number().int().positive(),
  predictionLength: z.number().int().positive(),
  /** Timestamp of the latest forecast step over all instances (the maturity partition). */
  dueAt: isoTimestamp,
  instances: z.array(
    z.object({
      itemId: z.string().nullable(),
      /** Newest observation of the context. */
      contextEnd: isoTimestamp,
      /** First forecast step: contextEnd + one step. */
      forecastStart: isoTimestamp,
    }),
  ),
  forecasts: z.array(z.object({ quantiles: z.record(z.string(), finiteArray), mean: finiteArray })),
});
export type StoredForecast = z.infer<typeof storedForecastSchema>;

/** What was observed for a forecast, written once its horizon was observed (or its grace ran out). */
export const groundTruthMarkerSchema = z.object({
  version: z.literal(1),
  inferenceId: z.string().min(1),
  writtenAt: isoTimestamp,
  /** The ground-truth object holding its merge record; `null` when nothing was observed. */
  groundTruthKey: z.string().nullable(),
  /** One array per instance, `null` where a step was not observed. */
  targets: z.array(z.array(z.number().nullable())),
});
export type GroundTruthMarker = z.infer<typeof groundTruthMarkerSchema>;

/** A forecast found in the store. */
export interface ForecastEntry {
  readonly forecastKey: string;
  readonly inferenceId: string;
  /** Hour partition of its last step (ms, start of the hour). */
  readonly dueHour: number;
  /** Key of its ground-truth marker, when one exists. */
  readonly markerKey?: string;
}

const MARKER_SUFFIX = '.ground-truth.json';

/** Folder of a stage's forecasts, e.g. `monitoring/staging/forecasts/`. */
export function forecastsFolder(monitoringPrefix: string, stage: string): string {
  return `${monitoringPrefix}${stage}/forecasts/`;
}

/** Key of a forecast. */
export function forecastKey(
  monitoringPrefix: string,
  stage: string,
  dueAtMs: number,
  inferenceId: string,
): string {
  return `${forecastsFolder(monitoringPrefix, stage)}${hourPath(dueAtMs)}/${inferenceId}.json`;
}

/** Key of a forecast's ground-truth marker. */
export function markerKeyOf(forecastKeyValue: string): string {
  return forecastKeyValue.replace(/\.json$/, MARKER_SUFFIX);
}

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
        if (name.endsWith(MARKER_SUFFIX)) markers.set(name.slice(0, -MARKER_SUFFIX.length), key);
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

/** Validates a stored forecast. Throws an Error naming the object and the bad fields. */
export function parseStoredForecast(document: unknown, where: string): StoredForecast {
  const parsed = storedForecastSchema.safeParse(document);
  if (!parsed.success)
    throw new Error(`${where} is not a stored forecast: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** Validates a ground-truth marker. Throws an Error naming the object and the bad fields. */
export function parseGroundTruthMarker(document: unknown, where: string): GroundTruthMarker {
  const parsed = groundTruthMarkerSchema.safeParse(document);
  if (!parsed.success)
    throw new Error(`${where} is not a ground-truth marker: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
