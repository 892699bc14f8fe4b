// The synthetic series: a pure, deterministic function of (seed, item, timestamp) — level + trend +
// daily and weekly seasonality + hash-seeded noise, times a factor after an optional level shift — and
// the pure planning of which timestamps one run writes.
import { createHash } from 'node:crypto';
import { alignDown, type Frequency, nextGridPoint } from '@mlops-templates/metrics';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Trend origin: the trend term is 0 on 2020-01-01T00:00:00Z. */
const TREND_ORIGIN = Date.UTC(2020, 0, 1);
/** A Sunday 00:00 UTC, origin of the weekly cycle. */
const WEEK_ORIGIN = Date.UTC(1970, 0, 4);
const TWO_POW_48 = 2 ** 48;

export interface SeriesParameters {
  readonly seed: number;
  /** From this instant on (inclusive), values are multiplied by `levelShiftFactor`. */
  readonly levelShiftAt?: Date;
  readonly levelShiftFactor: number;
}

/**
 * A uniform number in (0, 1) derived from a SHA-256 of the inputs: the same inputs always give the
 * same number, independently of how runs are batched.
 */
export function hashUniform(...parts: (string | number)[]): number {
  const digest = createHash('sha256').update(parts.join('|')).digest();
  return (digest.readUIntBE(0, 6) + 0.5) / TWO_POW_48;
}

/** A standard normal number from two hash-derived uniforms (Box–Muller). */
function hashGaussian(...parts: (string | number)[]): number {
  const u1 = hashUniform(...parts, 'n1');
  const u2 = hashUniform(...parts, 'n2');
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function positiveModulo(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}

/** The per-item shape of the series (depends on seed and item only). */
export interface ItemProfile {
  /** Base level, 80–120. */
  readonly level: number;
  readonly dailyAmplitude: number;
  readonly weeklyAmplitude: number;
  /** Increase per day (0.02 % of the level: about +7 % a year from 2020-01-01). */
  readonly trendPerDay: number;
  readonly noiseStdDev: number;
}

export function itemProfile(seed: number, itemIndex: number): ItemProfile {
  const level = 80 + 40 * hashUniform(seed, itemIndex, 'level');
  return {
    level,
    dailyAmplitude: 0.2 * level,
    weeklyAmplitude: 0.1 * level,
    trendPerDay: 0.0002 * level,
    noiseStdDev: 0.03 * level,
  };
}

/**
 * The value of item `itemIndex` (0-based) at `millis`: level + trend + daily seasonality (peak at
 * 12:00 UTC) + weekly seasonality (period 7 days) + noise, floored at 1% of the level, multiplied by
 * the level-shift factor from `levelShiftAt` on, rounded to 3 decimals.
 */
export function seriesValue(params: SeriesParameters, itemIndex: number, millis: number): number {
  const profile = itemProfile(params.seed, itemIndex);
  const dayFraction = positiveModulo(millis, DAY) / DAY;
  const weekFraction = positiveModulo(millis - WEEK_ORIGIN, WEEK) / WEEK;
  const trend = (profile.trendPerDay * (millis - TREND_ORIGIN)) / DAY;
  const daily = profile.dailyAmplitude * Math.sin(2 * Math.PI * (dayFraction - 0.25));
  const weekly = profile.weeklyAmplitude * Math.sin(2 * Math.PI * weekFraction);
  const noise = profile.noiseStdDev * hashGaussian(params.seed, itemIndex, millis);
  let value = Math.max(profile.level + trend + daily + weekly + noise, 0.01 * profile.level);
  if (params.levelShiftAt !== undefined && millis >= params.levelShiftAt.getTime()) {
    value *= params.levelShiftFactor;
  }
  return Math.round(value * 1000) / 1000;
}

/** Name of the item with 0-based index `itemIndex`: item_001, item_002, ... */
export function itemName(itemIndex: number): string {
  return `item_${String(itemIndex + 1).padStart(3, '0')}`;
}

export interface RunPlanInput {
  readonly frequency: Frequency;
  /** The last timestamp already written, or undefined on the first run. */
  readonly lastWritten?: Date;
  readonly now: Date;
  /** Timestamps written on the first run (ending at `now` aligned). */
  readonly backfillPoints: number;
  /** Maximum timestamps per run (each timestamp is written for every item). */
  readonly maxTimestampsPerRun: number;
}

/**
 * The timestamps (ms, ascending, on the frequency grid) one run writes: from the grid point after the
 * last written timestamp (or `backfillPoints` back from now on the first run) up to now aligned down,
 * at most `maxTimestampsPerRun` of them (the oldest first, so later runs catch up without gaps).
 */
export function planRunTimestamps(input: RunPlanInput): number[] {
  const { frequency } = input;
  const end = alignDown(input.now.getTime(), frequency);
  const start =
    input.lastWritten === undefined
      ? end - (input.backfillPoints - 1) * frequency.stepMs
      : nextGridPoint(input.lastWritten.getTime(), frequency);
  if (start > end || input.backfillPoints < 1) return [];
  const available = Math.floor((end - start) / frequency.stepMs) + 1;
  const count = Math.min(available, input.maxTimestampsPerRun);
  return Array.from({ length: count }, (_, i) => start + i * frequency.stepMs);
}

/** One CSV row. */
export interface SeriesPoint {
  readonly millis: number;
  /** undefined for a single series without item column. */
  readonly item?: string;
  readonly value: number;
}

/** The points for the timestamps, for `itemCount` items (or a single unnamed series). */
export function generatePoints(
  params: SeriesParameters,
  timestamps: readonly number[],
  items: { readonly count: number; readonly named: boolean },
): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const millis of timestamps) {
    for (let index = 0; index < items.count; index++) {
      points.push({
        millis,
        item: items.named ? itemName(index) : undefined,
        value: seriesValue(params, index, millis),
      });
    }
  }
  return points;
}
