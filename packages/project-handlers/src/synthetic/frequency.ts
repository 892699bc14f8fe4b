// Pandas-style fixed frequencies as used by DeepAR's `time_freq` (`1min`, `5min`, `1H`, `1D`, `1W`, ...):
// parsing, alignment of timestamps to the frequency grid, and stepping.

export type FrequencyUnit = 'min' | 'H' | 'D' | 'W';

export interface Frequency {
  /** The text it was parsed from, e.g. `5min`. */
  readonly text: string;
  readonly count: number;
  readonly unit: FrequencyUnit;
  /** Length of one step in milliseconds. */
  readonly stepMillis: number;
  /** A grid point: timestamps are `anchorMillis + k * stepMillis` (weeks are anchored on Sundays). */
  readonly anchorMillis: number;
}

const MINUTE = 60_000;
const UNIT_MILLIS: Record<FrequencyUnit, number> = {
  min: MINUTE,
  H: 60 * MINUTE,
  D: 24 * 60 * MINUTE,
  W: 7 * 24 * 60 * MINUTE,
};

/** 1970-01-04T00:00:00Z, a Sunday: pandas `W` (= `W-SUN`) labels weeks by their Sunday. */
const SUNDAY_ANCHOR = Date.UTC(1970, 0, 4);

/** `<count><unit>` with unit min, H (or h), D, W; the count defaults to 1. */
export const FREQUENCY_PATTERN = /^([1-9][0-9]*)?(min|H|h|D|W)$/;

/** Parses a frequency such as `1min`, `15min`, `1H`, `1D`, `1W`; throws on anything else. */
export function parseFrequency(text: string): Frequency {
  const match = FREQUENCY_PATTERN.exec(text.trim());
  if (!match) {
    throw new Error(
      `Unsupported frequency "${text}": expected <count><unit> with unit min, H, D or W (e.g. 5min, 1H)`,
    );
  }
  const count = match[1] === undefined ? 1 : Number(match[1]);
  const unit = (match[2] === 'h' ? 'H' : match[2]) as FrequencyUnit;
  return {
    text: text.trim(),
    count,
    unit,
    stepMillis: count * UNIT_MILLIS[unit],
    anchorMillis: unit === 'W' ? SUNDAY_ANCHOR : 0,
  };
}

/** The latest grid point at or before `millis`. */
export function alignDown(frequency: Frequency, millis: number): number {
  const offset = millis - frequency.anchorMillis;
  return frequency.anchorMillis + Math.floor(offset / frequency.stepMillis) * frequency.stepMillis;
}

/** The first grid point strictly after `millis` (also right for a `millis` off the grid). */
export function nextAfter(frequency: Frequency, millis: number): number {
  return alignDown(frequency, millis) + frequency.stepMillis;
}
