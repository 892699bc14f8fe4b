// The synthetic generator's view of the project frequency: parsed by the one shared grammar
// (`@mlops-templates/metrics`, the same the product parameter and every seed use), with grid
// alignment and stepping in the generator's millisecond vocabulary.
import {
  alignDown as gridAlignDown,
  parseFrequency as parseProjectFrequency,
} from '@mlops-templates/metrics';
import type { FrequencyUnit } from '@mlops-templates/metrics';

export type { FrequencyUnit };

export interface Frequency {
  /** The text it was parsed from, e.g. `5min`. */
  readonly text: string;
  readonly count: number;
  readonly unit: FrequencyUnit;
  /** Length of one step in milliseconds. */
  readonly stepMillis: number;
  /** A grid point: timestamps are `anchorMillis + k * stepMillis`. */
  readonly anchorMillis: number;
}

/** Parses a frequency such as `1min`, `15min`, `1H`, `1D`; throws (naming what is accepted) on anything else. */
export function parseFrequency(text: string): Frequency {
  const f = parseProjectFrequency(text);
  return { text: f.text, count: f.count, unit: f.unit, stepMillis: f.stepMs, anchorMillis: f.anchorMs };
}

/** The latest grid point at or before `millis`. */
export function alignDown(frequency: Frequency, millis: number): number {
  return gridAlignDown(millis, { stepMs: frequency.stepMillis, anchorMs: frequency.anchorMillis });
}

/** The first grid point strictly after `millis` (also right for a `millis` off the grid). */
export function nextAfter(frequency: Frequency, millis: number): number {
  return alignDown(frequency, millis) + frequency.stepMillis;
}
