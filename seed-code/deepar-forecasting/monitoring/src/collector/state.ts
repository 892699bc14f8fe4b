// The collector's memory between runs (s3://<bucket>/<monitoring prefix><stage>/collector-state.json):
// the newest observation seen, so a run knows whether new data arrived (freshness) and never sends
// the same context to the endpoint twice.
import type { S3Client } from '@aws-sdk/client-s3';
import { parseIsoTimestamp } from '@mlops-templates/metrics';
import { z } from 'zod';
import { getJson, putJson } from './forecast-store';

export const collectorStateSchema = z.object({
  version: z.literal(1),
  /** Newest observation timestamp seen by the previous run (ISO-8601). */
  lastObservedAt: z.string().refine((s) => parseIsoTimestamp(s) !== undefined),
  /** Newest context observation of the last stored forecast: never forecast the same context twice. */
  lastForecastContextEnd: z
    .string()
    .refine((s) => parseIsoTimestamp(s) !== undefined)
    .optional(),
  /** The last forecast made (for operators). */
  lastInferenceId: z.string().nullable(),
  updatedAt: z.string(),
});
export type CollectorState = z.infer<typeof collectorStateSchema>;

/** Key of a stage's state object. */
export function stateKey(monitoringPrefix: string, stage: string): string {
  return `${monitoringPrefix}${stage}/collector-state.json`;
}

/**
 * Reads the state; `undefined` on the first run. An unreadable state is reported through `onCorrupt`
 * and treated as absent (the run then forecasts again: one extra forecast, never a stuck collector).
 */
export async function readCollectorState(
  s3: S3Client,
  bucket: string,
  key: string,
  onCorrupt: (reason: string) => void,
): Promise<CollectorState | undefined> {
  let document: unknown;
  try {
    document = await getJson(s3, bucket, key);
  } catch (error) {
    if (/is not JSON/.test((error as Error).message)) {
      onCorrupt((error as Error).message);
      return undefined;
    }
    throw error;
  }
  if (document === undefined) return undefined;
  const parsed = collectorStateSchema.safeParse(document);
  if (!parsed.success) {
    onCorrupt(`s3://${bucket}/${key} has an unexpected shape`);
    return undefined;
  }
  return parsed.data;
}

/** Writes the state. */
export async function writeCollectorState(
  s3: S3Client,
  bucket: string,
  key: string,
  state: CollectorState,
): Promise<void> {
  await putJson(s3, bucket, key, state);
}
