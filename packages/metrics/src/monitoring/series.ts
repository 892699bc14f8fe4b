// The monitoring collector's view of the observed series (pure; moved from the monitoring seed, #15):
// the series of the current window, by item — resampled to the project frequency the way
// training resamples it — and the two ways the collector reads it: the newest steps for a request, and
// the steps AFTER a forecast's start for its ground truth (never the oldest history of the window).

import { DATA_WINDOW_DEFAULTS } from '../data-window';
import { alignDown, type Frequency } from '../frequency';
import { resample, type SeriesObservation } from '../resample';

/** One observation read from the data source. */
export interface Observation {
  /** Item id; `null` for a single series. */
  readonly itemId: string | null;
  /** Epoch milliseconds (UTC). */
  readonly timestamp: number;
  /** Observed value; `null` = missing. */
  readonly value: number | null;
}

/** Observations of one item, by timestamp (ms). */
export interface ItemSeries {
  readonly itemId: string | null;
  readonly values: ReadonlyMap<number, number | null>;
  /** Newest timestamp observed (ms). */
  readonly latest: number;
}

/** Every item of the window, sorted by item id (`null`, the single series, first). */
export type SeriesWindow = ReadonlyMap<string, ItemSeries>;

/** Key of an item in a {@link SeriesWindow}: the id, or `""` for the single series. */
export function itemKey(itemId: string | null): string {
  return itemId ?? '';
}

/**
 * Groups observations by item. A timestamp seen twice for one item keeps the last value read (a
 * corrected observation written later wins).
 */
export function buildSeriesWindow(observations: Iterable<Observation>): SeriesWindow {
  const byItem = new Map<string, { itemId: string | null; values: Map<number, number | null> }>();
  for (const o of observations) {
    const key = itemKey(o.itemId);
    let entry = byItem.get(key);
    if (!entry) {
      entry = { itemId: o.itemId, values: new Map() };
      byItem.set(key, entry);
    }
    entry.values.set(o.timestamp, o.value);
  }
  const window = new Map<string, ItemSeries>();
  for (const key of [...byItem.keys()].sort()) {
    const { itemId, values } = byItem.get(key)!;
    let latest = -Infinity;
    for (const t of values.keys()) if (t > latest) latest = t;
    window.set(key, { itemId, values, latest });
  }
  return window;
}

/** Newest timestamp over every item; `undefined` for an empty window. */
export function latestObservation(window: SeriesWindow): number | undefined {
  let latest: number | undefined;
  for (const item of window.values()) if (latest === undefined || item.latest > latest) latest = item.latest;
  return latest;
}

/**
 * The request target of an item: the `length` steps ending at its newest observation, oldest first,
 * `null` where a step was not observed. Returns the timestamp of the first step too.
 */
export function contextTarget(
  item: ItemSeries,
  length: number,
  stepMs: number,
): { start: number; target: (number | null)[] } {
  const start = item.latest - (length - 1) * stepMs;
  const target: (number | null)[] = [];
  for (let i = 0; i < length; i++) target.push(item.values.get(start + i * stepMs) ?? null);
  // Leading steps before the first observation carry no information: drop them.
  let first = 0;
  while (first < target.length - 1 && target[first] === null) first++;
  return { start: start + first * stepMs, target: target.slice(first) };
}

/**
 * The observed values of the horizon of a forecast that starts at `forecastStart` (the step after
 * its context): `horizon` values at `forecastStart + k·step`, `null` where not observed (yet).
 */
export function horizonObservations(
  item: ItemSeries | undefined,
  forecastStart: number,
  horizon: number,
  stepMs: number,
): (number | null)[] {
  const out: (number | null)[] = [];
  for (let k = 0; k < horizon; k++) out.push(item?.values.get(forecastStart + k * stepMs) ?? null);
  return out;
}

/**
 * The observations resampled to the project frequency grid exactly as model-build's data step does
 * (the shared `resample` of @mlops-templates/metrics, aggregation `DATA_WINDOW_DEFAULTS`): observations
 * of one step combined (`mean`), each value at its step's grid point, steps without an observed value
 * left out (read as missing). The window is [fromMs, the end of the step `toMs` falls in): unlike a
 * build, whose window ends at "now", the step in progress is kept, so the newest observation is used
 * as soon as it is written (for data with one observation per step it is already complete).
 */
export function resampleObservations(
  observations: readonly Observation[],
  frequency: Pick<Frequency, 'stepMs' | 'anchorMs'>,
  fromMs: number,
  toMs: number,
): Observation[] {
  const ids = new Map<string, string | null>();
  const input: SeriesObservation[] = observations.map((o) => {
    ids.set(itemKey(o.itemId), o.itemId);
    return { itemId: itemKey(o.itemId), timestampMs: o.timestamp, value: o.value ?? Number.NaN };
  });
  const result = resample(input, {
    frequency,
    windowStartMs: fromMs,
    windowEndMs: alignDown(toMs, frequency) + frequency.stepMs,
    aggregation: DATA_WINDOW_DEFAULTS.resampleAggregation,
  });
  const out: Observation[] = [];
  for (const series of result.series) {
    const itemId = ids.get(series.itemId) ?? null;
    series.values.forEach((value, i) => {
      if (!Number.isNaN(value)) {
        out.push({ itemId, timestamp: series.startMs + i * frequency.stepMs, value });
      }
    });
  }
  return out;
}
