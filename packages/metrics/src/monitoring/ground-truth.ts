// Ground truth for earlier forecasts: when a forecast's horizon has been observed, its targets are
// the observations at forecastStart + k·step (the points AFTER the forecast start, never the oldest
// history of the window). They are written as Model Quality merge records under
//   s3://<bucket>/<ground-truth prefix><stage>/<yyyy>/<mm>/<dd>/<hh>/<run id>.jsonl
// (the hour the labels were collected, as the merge job expects), never under the data-capture prefix.
import { toGroundTruthRecord } from '../ground-truth';
import type { StoredForecast } from './forecast-record';
import { horizonObservations, itemKey, type SeriesWindow } from './series';
import { hourPath, parseIsoTimestamp } from './time';

/** Where a forecast stands with respect to its ground truth. */
export type Maturity =
  /** The data has not reached its last step yet, and the grace period is not over. */
  | { readonly state: 'pending' }
  /** Its horizon is observed (or the grace period ran out): write its ground truth. */
  | { readonly state: 'matured'; readonly targets: (number | null)[][]; readonly observedPoints: number };

/**
 * Decides whether a forecast's horizon has been observed. It has when every instance's series has
 * reached the instance's last forecast step, or when `graceMs` has passed since the forecast's last
 * step (late data no longer awaited; unobserved steps stay `null`).
 */
export function forecastMaturity(
  forecast: StoredForecast,
  window: SeriesWindow,
  nowMs: number,
  graceMs: number,
): Maturity {
  const dueAt = parseIsoTimestamp(forecast.dueAt)!;
  const horizon = forecast.predictionLength;
  const step = forecast.stepMs;
  let reached = true;
  const targets = forecast.instances.map((instance) => {
    const start = parseIsoTimestamp(instance.forecastStart)!;
    const item = window.get(itemKey(instance.itemId));
    const last = start + (horizon - 1) * step;
    if (item === undefined || item.latest < last) reached = false;
    return horizonObservations(item, start, horizon, step);
  });
  if (!reached && nowMs < dueAt + graceMs) return { state: 'pending' };
  const observedPoints = targets.reduce((n, row) => n + row.filter((y) => y !== null).length, 0);
  return { state: 'matured', targets, observedPoints };
}

/** Key of the ground-truth object a run writes. */
export function groundTruthKey(
  groundTruthPrefix: string,
  stage: string,
  nowMs: number,
  runId: string,
): string {
  return `${groundTruthPrefix}${stage}/${hourPath(nowMs)}/${runId}.jsonl`;
}

/**
 * The JSON Lines body of merge records (`{"groundTruthData":{"data":"{\"targets\":[[...]]}",
 * "encoding":"JSON"},"eventMetadata":{"eventId":"<inferenceId>"},"eventVersion":"0"}`), one per
 * forecast, joined by the capture's `inferenceId`.
 */
export function renderGroundTruthLines(
  records: readonly { inferenceId: string; targets: (number | null)[][] }[],
): string {
  return records.map((r) => JSON.stringify(toGroundTruthRecord(r.inferenceId, r.targets))).join('\n') + '\n';
}

/**
 * Throws when a key the collector is about to write is under the endpoint's data-capture prefix
 * (ground truth and the collector's files must stay separate from the endpoint's own capture).
 */
export function assertOutsideDataCapture(key: string, dataCapturePrefix: string): void {
  if (dataCapturePrefix !== '' && key.startsWith(dataCapturePrefix)) {
    throw new Error(`refusing to write ${key}: it is under the data-capture prefix ${dataCapturePrefix}`);
  }
}
