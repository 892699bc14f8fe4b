// Resampling of observations to the project frequency grid — one implementation for training
// (model-build's data step) and live scoring (the monitoring collector, the endpoint test), so a
// model is scored on the same inputs it was trained on: observations in one time step are combined
// (`mean`, `sum` or `last`, missing values ignored), steps with no observed value are missing (NaN),
// a step not wholly inside the window is dropped.
import type { ResampleAggregation } from './data-window';
import { alignDown, alignUp, type Frequency } from './frequency';

/** One observation of one series; `value` NaN = observed as missing. */
export interface SeriesObservation {
  readonly itemId: string;
  readonly timestampMs: number;
  readonly value: number;
}

/** A series on the frequency grid; `values[i]` is at `startMs + i · step`, NaN = missing. */
export interface RegularSeries {
  readonly itemId: string;
  readonly startMs: number;
  readonly values: Float64Array;
}

export interface ResampleOptions {
  readonly frequency: Pick<Frequency, 'stepMs' | 'anchorMs'>;
  /** First instant of the data window (inclusive). */
  readonly windowStartMs: number;
  /** End of the data window (exclusive); a time step not wholly inside the window is dropped. */
  readonly windowEndMs: number;
  readonly aggregation: ResampleAggregation;
}

export interface ResampleResult {
  /** Series in item-id order, each from its first observed step to the common end. */
  readonly series: RegularSeries[];
  /** End (exclusive) shared by every series: the step after the last observed step of any item. */
  readonly endMs: number;
  /** Observations dropped because their time step is not wholly inside the window. */
  readonly outsideWindow: number;
  /** Items with no observed (non-missing) value in the window. */
  readonly emptyItems: string[];
}

interface SlotState {
  sum: number;
  count: number;
  last: number;
  lastTimestamp: number;
}

/**
 * Resamples observations (any order) to the frequency grid: observations in one time step are
 * combined (`mean`, `sum` or `last`, missing values ignored); steps with no observed value are NaN.
 */
export function resample(
  observations: readonly SeriesObservation[],
  options: ResampleOptions,
): ResampleResult {
  const { frequency } = options;
  const step = frequency.stepMs;
  const firstSlot = alignUp(options.windowStartMs, frequency);
  const slotLimit = alignDown(options.windowEndMs, frequency); // slots < slotLimit end inside the window
  const byItem = new Map<string, Map<number, SlotState>>();
  let outsideWindow = 0;
  for (const observation of observations) {
    const slot = alignDown(observation.timestampMs, frequency);
    if (
      observation.timestampMs < options.windowStartMs ||
      observation.timestampMs >= options.windowEndMs ||
      slot < firstSlot ||
      slot >= slotLimit
    ) {
      outsideWindow++;
      continue;
    }
    let slots = byItem.get(observation.itemId);
    if (slots === undefined) byItem.set(observation.itemId, (slots = new Map()));
    let state = slots.get(slot);
    if (state === undefined) {
      slots.set(
        slot,
        (state = { sum: 0, count: 0, last: Number.NaN, lastTimestamp: Number.NEGATIVE_INFINITY }),
      );
    }
    if (Number.isNaN(observation.value)) continue;
    state.sum += observation.value;
    state.count++;
    if (observation.timestampMs >= state.lastTimestamp) {
      state.last = observation.value;
      state.lastTimestamp = observation.timestampMs;
    }
  }

  const observedSlots = new Map<string, number[]>();
  const emptyItems: string[] = [];
  let lastSlot = Number.NEGATIVE_INFINITY;
  for (const [itemId, slots] of byItem) {
    const observed = [...slots.entries()].filter(([, state]) => state.count > 0).map(([slot]) => slot);
    if (observed.length === 0) {
      emptyItems.push(itemId);
      continue;
    }
    observed.sort((a, b) => a - b);
    observedSlots.set(itemId, observed);
    lastSlot = Math.max(lastSlot, observed[observed.length - 1]);
  }
  const endMs = lastSlot + step;
  const aggregate = (state: SlotState): number => {
    if (state.count === 0) return Number.NaN;
    if (options.aggregation === 'sum') return state.sum;
    if (options.aggregation === 'last') return state.last;
    return state.sum / state.count;
  };
  const series = [...observedSlots.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([itemId, observed]) => {
      const startMs = observed[0];
      const values = new Float64Array(Math.round((endMs - startMs) / step)).fill(Number.NaN);
      for (const [slot, state] of byItem.get(itemId) as Map<number, SlotState>) {
        if (slot >= startMs) values[Math.round((slot - startMs) / step)] = aggregate(state);
      }
      return { itemId, startMs, values };
    });
  return {
    series,
    endMs: series.length > 0 ? endMs : firstSlot,
    outsideWindow,
    emptyItems: emptyItems.sort(),
  };
}
