// The monitoring collector's records of its own forecasts (pure; moved from the monitoring seed, #15):
//   s3://<bucket>/<monitoring prefix><stage>/forecasts/<yyyy>/<mm>/<dd>/<hh>/<inferenceId>.json
// partitioned by the hour of the forecast's LAST step (when it matures), and, once its horizon is
// observed, a sibling `<inferenceId>.ground-truth.json` with the observed targets. The schemas, the keys
// and the validation; the S3 reads and writes stay in the collector.
import { z } from 'zod';
import { describeZodError } from '../validation';
import { hourPath, parseIsoTimestamp } from './time';

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

/** Suffix of a forecast's ground-truth marker next to `<inferenceId>.json`. */
export const FORECAST_MARKER_SUFFIX = '.ground-truth.json';

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
  return forecastKeyValue.replace(/\.json$/, FORECAST_MARKER_SUFFIX);
}

/** Validates a stored forecast. Throws an Error naming the object and the bad fields. */
export function parseStoredForecast(document: unknown, where: string): StoredForecast {
  const parsed = storedForecastSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(`${where} is not a stored forecast: ${describeZodError(parsed.error, Infinity)}`);
  }
  return parsed.data;
}

/** Validates a ground-truth marker. Throws an Error naming the object and the bad fields. */
export function parseGroundTruthMarker(document: unknown, where: string): GroundTruthMarker {
  const parsed = groundTruthMarkerSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(`${where} is not a ground-truth marker: ${describeZodError(parsed.error, Infinity)}`);
  }
  return parsed.data;
}
