// Streaming accumulator of forecast accuracy: weighted quantile loss as Amazon Forecast defines it,
// RMSE of the mean forecast and coverage of the central interval. It keeps sums only, so memory is
// constant in the number of points added; every add() is validated before anything is summed.

import { MetricsInputError } from './errors';
import { normaliseQuantileKey, normaliseQuantileKeys, normaliseQuantileRecord } from './quantiles';

// The per-point loops read these through module-scope constants rather than the globals: under jest
// (a vm context, whose global object answers through interceptors) every `Number.`/`Math.` lookup in a
// hot loop is slow and blocks inlining — a 30-day loop-sim scenario ran 4x slower there than in node.
const isFiniteNumber = Number.isFinite;
const isNaNNumber = Number.isNaN;
const abs = Math.abs;

/** A series of values; `null` (or NaN) marks a missing value. Plain arrays and typed arrays work. */
export type NumericSeries = ArrayLike<number | null>;

/** One forecast of one series and the values observed over its horizon. */
export interface ForecastObservation {
  /** Observed values over the forecast horizon; `null`/NaN = not observed (excluded). */
  readonly target: NumericSeries;
  /** Quantile forecasts by level ("0.1", "0.5", ...), each as long as the target. */
  readonly quantiles: Readonly<Record<string, NumericSeries>>;
  /** Mean forecast (for RMSE), as long as the target. */
  readonly mean?: NumericSeries;
}

/** The interval whose empirical coverage is reported, given by its two quantile levels. */
export interface CentralInterval {
  readonly lower: string;
  readonly upper: string;
}

export interface WqlAccumulatorOptions {
  /**
   * Quantile levels to evaluate (e.g. `DEFAULT_QUANTILES`). Every forecast must contain them; other
   * levels are ignored. When omitted, the levels of the first forecast are used and every later
   * forecast must have exactly the same levels.
   */
  readonly quantiles?: readonly string[];
  /** Interval for the coverage figure; default: the lowest and the highest evaluated level. */
  readonly interval?: CentralInterval;
}

/** Share of observed points that fell inside [q_lower, q_upper] (bounds included). */
export interface IntervalCoverage {
  readonly lower: string;
  readonly upper: string;
  /** Coverage the interval should have: τ_upper − τ_lower. */
  readonly nominal: number;
  /** Observed share, or `null` when there is no observed point. */
  readonly observed: number | null;
}

/** Accuracy over everything added so far. No field is ever NaN or ±Infinity. */
export interface AccuracyResult {
  /** Observed (non-missing) target points evaluated. */
  readonly points: number;
  /** Σ|y| over the observed points: the wQL denominator. */
  readonly absTargetSum: number;
  /** Unweighted numerator per level: 2·Σ(τ·max(y−q,0) + (1−τ)·max(q−y,0)). */
  readonly quantileLoss: Record<string, number>;
  /** wQL[τ] = quantileLoss[τ] / Σ|y|; `null` when undefined (see `reason`). */
  readonly wQL: Record<string, number | null>;
  /** Mean of wQL over the evaluated levels; `null` when undefined (see `reason`). */
  // eslint-disable-next-line @typescript-eslint/naming-convention
  readonly mean_wQL: number | null;
  /** Why `mean_wQL` is `null`. */
  readonly reason?: string;
  /** Root mean squared error of the mean forecast, over the points that had one; else `null`. */
  readonly rmse: number | null;
  /** Observed points that had a mean forecast (the RMSE's denominator). */
  readonly meanPoints: number;
  /** Coverage of the central interval; `null` when fewer than two levels are evaluated. */
  readonly coverage: IntervalCoverage | null;
}

interface PreparedObservation {
  readonly target: NumericSeries;
  readonly byLevel: readonly NumericSeries[];
  readonly mean: NumericSeries | undefined;
}

interface ResolvedInterval {
  readonly lower: string;
  readonly upper: string;
  readonly lowerIndex: number;
  readonly upperIndex: number;
  readonly nominal: number;
}

/**
 * Accumulates weighted quantile loss, RMSE and interval coverage over any number of forecasts.
 *
 * wQL[τ] = 2·Σ(τ·max(y−q_τ,0) + (1−τ)·max(q_τ−y,0)) / Σ|y|, summed over all series and time points
 * (Amazon Forecast's definition); missing targets are excluded from numerator and denominator.
 */
export class WqlAccumulator {
  private readonly requestedLevels: readonly string[] | undefined;
  private readonly requestedInterval: CentralInterval | undefined;
  private levels: readonly string[] | undefined;
  private taus: Float64Array = new Float64Array(0);
  private pinballSums: Float64Array = new Float64Array(0);
  /** Scratch of {@link tryAddMany}: the sums before the current call, and one forecast's series by level. */
  private savedSums: Float64Array = new Float64Array(5);
  private byLevelScratch: NumericSeries[] = [];
  private interval: ResolvedInterval | undefined;
  private points = 0;
  private absTargetSum = 0;
  private squaredErrorSum = 0;
  private meanPoints = 0;
  private coveredPoints = 0;

  constructor(options: WqlAccumulatorOptions = {}) {
    if (options.quantiles !== undefined) {
      if (options.quantiles.length === 0) throw new MetricsInputError('the quantile set is empty');
      this.requestedLevels = normaliseQuantileKeys(options.quantiles);
    }
    this.requestedInterval = options.interval;
    if (this.requestedLevels) this.lockLevels(this.requestedLevels);
  }

  /** The evaluated levels (canonical keys, ascending), or `undefined` before the first forecast. */
  get quantiles(): readonly string[] | undefined {
    return this.levels;
  }

  /**
   * Adds one forecast. Throws {@link MetricsInputError} (and adds nothing) on mismatched lengths,
   * non-numeric values, unknown or missing quantile levels. Returns the observed points added.
   */
  add(
    target: NumericSeries,
    quantiles: Readonly<Record<string, NumericSeries>>,
    mean?: NumericSeries,
  ): number {
    return this.addMany([{ target, quantiles, mean }]);
  }

  /**
   * Adds several forecasts atomically: all are validated first, and nothing is added when any is
   * invalid (e.g. the instances of one endpoint request). Returns the observed points added.
   */
  addMany(observations: readonly ForecastObservation[]): number {
    if (observations.length === 0) return 0;
    const levels = this.levels ?? this.levelsOf(observations[0], '');
    const strict = this.requestedLevels === undefined;
    const prepared = observations.map((observation, i) =>
      this.prepare(observation, levels, strict, observations.length > 1 ? `forecast ${i}: ` : ''),
    );
    if (!this.levels) this.lockLevels(levels);
    let added = 0;
    for (const p of prepared) added += this.accumulate(p);
    return added;
  }

  /**
   * Adds several forecasts like {@link addMany} when every one is plainly valid for the evaluated
   * levels (each level present under its canonical key, every length equal to the target's, every
   * forecast value finite, every target finite or NaN); otherwise adds nothing and returns
   * `undefined` without building an error, so that the caller can call {@link addMany} for the
   * reason. Only for accumulators created with `quantiles`. The hot path of evaluations.
   * @internal
   */
  tryAddMany(observations: readonly ForecastObservation[]): number | undefined {
    const levels = this.levels;
    if (levels === undefined || this.requestedLevels === undefined) return undefined;
    const levelCount = levels.length;
    const byLevel = this.byLevelScratch;
    // The values are checked while they are summed; on a bad one the sums are put back.
    this.saveSums();
    let added = 0;
    for (let i = 0; i < observations.length; i++) {
      const { target, quantiles, mean } = observations[i];
      let fits = target instanceof Float64Array && isPlainObject(quantiles);
      const horizon = fits ? target.length : 0;
      for (let j = 0; fits && j < levelCount; j++) {
        const values = quantiles[levels[j]];
        fits = isSeries(values) && values.length === horizon;
        byLevel[j] = values;
      }
      fits &&= mean === undefined || (isSeries(mean) && mean.length === horizon);
      const n = fits ? this.accumulateByLevel(target as Float64Array, byLevel, mean) : -1;
      if (n < 0) {
        this.restoreSums();
        byLevel.fill(EMPTY_SERIES);
        return undefined;
      }
      added += n;
    }
    byLevel.fill(EMPTY_SERIES); // keep no reference to the caller's arrays
    return added;
  }

  /**
   * Adds the sums of another accumulator (e.g. one per time window or per worker) to this one.
   * Both must evaluate the same levels and coverage interval (or one of them be empty).
   */
  merge(other: WqlAccumulator): void {
    if (other.levels === undefined || other.points === 0) return;
    if (this.levels === undefined) this.lockLevels(other.levels);
    const same =
      this.levels!.length === other.levels.length &&
      this.levels!.every((level, j) => level === other.levels![j]) &&
      this.interval?.lower === other.interval?.lower &&
      this.interval?.upper === other.interval?.upper;
    if (!same) {
      throw new MetricsInputError(
        `cannot merge accumulators of different levels or intervals: ${describeLevels(this.levels!)} and ${describeLevels(other.levels)}`,
      );
    }
    for (let j = 0; j < this.pinballSums.length; j++) this.pinballSums[j] += other.pinballSums[j];
    this.points += other.points;
    this.absTargetSum += other.absTargetSum;
    this.squaredErrorSum += other.squaredErrorSum;
    this.meanPoints += other.meanPoints;
    this.coveredPoints += other.coveredPoints;
  }

  /**
   * The metrics over everything added so far. Throws {@link MetricsInputError} if a sum overflowed
   * (values near ±1e308), rather than reporting Infinity or a wrong number.
   */
  result(): AccuracyResult {
    const levels = this.levels ?? [];
    const sums = [this.absTargetSum, this.squaredErrorSum, ...this.pinballSums];
    if (!sums.every(Number.isFinite)) {
      throw new MetricsInputError('the accuracy sums overflowed: the values are too large to evaluate');
    }
    let reason: string | undefined;
    if (levels.length === 0 || this.points === 0) {
      reason = 'no observed target points: nothing to evaluate';
    } else if (this.absTargetSum === 0) {
      reason = `the sum of |target| over ${this.points} observed points is 0: wQL is undefined (division by zero)`;
    } else if (!this.pinballSums.every((sum) => Number.isFinite((2 * sum) / this.absTargetSum))) {
      reason = 'the sum of |target| is too small: wQL overflows';
    }
    const quantileLoss: Record<string, number> = {};
    const wQL: Record<string, number | null> = {};
    let wqlSum = 0;
    levels.forEach((level, j) => {
      const loss = 2 * this.pinballSums[j];
      quantileLoss[level] = loss;
      const weighted = reason === undefined ? loss / this.absTargetSum : null;
      wQL[level] = weighted;
      wqlSum += weighted ?? 0;
    });
    const interval = this.interval;
    return {
      points: this.points,
      absTargetSum: this.absTargetSum,
      quantileLoss,
      wQL,
      mean_wQL: reason === undefined ? wqlSum / levels.length : null,
      ...(reason !== undefined ? { reason } : {}),
      rmse: this.meanPoints > 0 ? Math.sqrt(this.squaredErrorSum / this.meanPoints) : null,
      meanPoints: this.meanPoints,
      coverage: interval
        ? {
            lower: interval.lower,
            upper: interval.upper,
            nominal: interval.nominal,
            observed: this.points > 0 ? this.coveredPoints / this.points : null,
          }
        : null,
    };
  }

  private levelsOf(observation: ForecastObservation, prefix: string): string[] {
    if (!isPlainObject(observation.quantiles)) {
      throw new MetricsInputError(`${prefix}quantiles must be an object of quantile level → values`);
    }
    const levels = normaliseQuantileKeys(Object.keys(observation.quantiles));
    if (levels.length === 0) throw new MetricsInputError(`${prefix}the forecast has no quantiles`);
    return levels;
  }

  private lockLevels(levels: readonly string[]): void {
    this.levels = levels;
    this.taus = Float64Array.from(levels, Number);
    this.pinballSums = new Float64Array(levels.length);
    this.savedSums = new Float64Array(5 + levels.length);
    this.byLevelScratch = new Array<NumericSeries>(levels.length).fill(EMPTY_SERIES);
    this.interval = this.resolveInterval(levels);
  }

  private resolveInterval(levels: readonly string[]): ResolvedInterval | undefined {
    let lower: string;
    let upper: string;
    if (this.requestedInterval) {
      lower = normaliseQuantileKey(this.requestedInterval.lower);
      upper = normaliseQuantileKey(this.requestedInterval.upper);
      if (!levels.includes(lower) || !levels.includes(upper)) {
        throw new MetricsInputError(
          `the coverage interval [${lower}, ${upper}] uses a level that is not evaluated (${levels.join(', ')})`,
        );
      }
      if (Number(lower) >= Number(upper)) {
        throw new MetricsInputError(`the coverage interval [${lower}, ${upper}] is empty`);
      }
    } else {
      if (levels.length < 2) return undefined;
      lower = levels[0];
      upper = levels[levels.length - 1];
    }
    return {
      lower,
      upper,
      lowerIndex: levels.indexOf(lower),
      upperIndex: levels.indexOf(upper),
      nominal: Number((Number(upper) - Number(lower)).toFixed(12)),
    };
  }

  private prepare(
    observation: ForecastObservation,
    levels: readonly string[],
    strict: boolean,
    prefix: string,
  ): PreparedObservation {
    if (observation === null || typeof observation !== 'object') {
      throw new MetricsInputError(`${prefix}a forecast must be an object`);
    }
    const target = observation.target;
    if (!isSeries(target)) throw new MetricsInputError(`${prefix}target must be an array of numbers`);
    const horizon = target.length;
    if (!isPlainObject(observation.quantiles)) {
      throw new MetricsInputError(`${prefix}quantiles must be an object of quantile level → values`);
    }
    const byKey = normaliseQuantileRecord(observation.quantiles);
    if (strict) {
      const extra = Object.keys(byKey).filter((k) => !levels.includes(k));
      if (extra.length > 0) {
        throw new MetricsInputError(
          `${prefix}quantile levels ${describeLevels(Object.keys(byKey))} differ from the evaluated levels ${describeLevels(levels)}`,
        );
      }
    }
    const byLevel = levels.map((level) => {
      const values = byKey[level];
      if (values === undefined) {
        throw new MetricsInputError(
          `${prefix}quantile ${level} is missing (the forecast has ${describeLevels(Object.keys(byKey))})`,
        );
      }
      checkSeriesLength(values, horizon, `${prefix}quantile ${level}`);
      return values;
    });
    const mean = observation.mean ?? undefined;
    if (mean !== undefined) checkSeriesLength(mean, horizon, `${prefix}mean`);

    const observed = new Array<boolean>(horizon);
    for (let t = 0; t < horizon; t++) observed[t] = isObserved(target[t], `${prefix}target`, t);
    byLevel.forEach((values, j) => checkForecastValues(values, observed, `${prefix}quantile ${levels[j]}`));
    if (mean !== undefined) checkForecastValues(mean, observed, `${prefix}mean`);
    return { target, byLevel, mean };
  }

  /**
   * {@link accumulate} for a Float64Array target, one level at a time (one series in the inner
   * loop), checking the values as it goes: returns -1 as soon as a target is infinite or a forecast
   * value is not a finite number (the sums are then partly updated: restore them). Every sum
   * receives the same terms in the same order as in {@link accumulate}, so the result is identical.
   */
  private accumulateByLevel(
    target: Float64Array,
    byLevel: readonly NumericSeries[],
    mean: NumericSeries | undefined,
  ): number {
    const horizon = target.length;
    let added = 0;
    let absTargetSum = this.absTargetSum;
    for (let t = 0; t < horizon; t++) {
      const y = target[t];
      if (y === y) {
        if (y - y !== 0) return -1; // ±Infinity
        added++;
        absTargetSum += abs(y);
      }
    }
    this.absTargetSum = absTargetSum;
    const taus = this.taus;
    const sums = this.pinballSums;
    for (let j = 0; j < taus.length; j++) {
      const values = byLevel[j];
      const tau = taus[j];
      let sum = sums[j];
      for (let t = 0; t < horizon; t++) {
        const q = values[t];
        if (typeof q !== 'number' || q - q !== 0) return -1; // not a finite number
        const y = target[t];
        if (y !== y) continue; // NaN: not observed
        const diff = y - q;
        sum += diff >= 0 ? tau * diff : (tau - 1) * diff;
      }
      sums[j] = sum;
    }
    const interval = this.interval;
    if (interval) {
      const lower = byLevel[interval.lowerIndex] as ArrayLike<number>;
      const upper = byLevel[interval.upperIndex] as ArrayLike<number>;
      let covered = 0;
      for (let t = 0; t < horizon; t++) {
        const y = target[t];
        if (lower[t] <= y && y <= upper[t]) covered++; // false for NaN
      }
      this.coveredPoints += covered;
    }
    if (mean !== undefined) {
      let squaredErrorSum = this.squaredErrorSum;
      for (let t = 0; t < horizon; t++) {
        const m = mean[t];
        if (typeof m !== 'number' || m - m !== 0) return -1;
        const y = target[t];
        if (y !== y) continue;
        const error = y - m;
        squaredErrorSum += error * error;
      }
      this.squaredErrorSum = squaredErrorSum;
      this.meanPoints += added;
    }
    this.points += added;
    return added;
  }

  /** Copies every sum into `savedSums` (see {@link restoreSums}). */
  private saveSums(): void {
    const saved = this.savedSums;
    saved[0] = this.points;
    saved[1] = this.absTargetSum;
    saved[2] = this.squaredErrorSum;
    saved[3] = this.meanPoints;
    saved[4] = this.coveredPoints;
    saved.set(this.pinballSums, 5);
  }

  private restoreSums(): void {
    const saved = this.savedSums;
    this.points = saved[0];
    this.absTargetSum = saved[1];
    this.squaredErrorSum = saved[2];
    this.meanPoints = saved[3];
    this.coveredPoints = saved[4];
    this.pinballSums.set(saved.subarray(5));
  }

  private accumulate(p: PreparedObservation): number {
    const { target, byLevel, mean } = p;
    const taus = this.taus;
    const sums = this.pinballSums;
    const levelCount = taus.length;
    const interval = this.interval;
    let added = 0;
    for (let t = 0; t < target.length; t++) {
      const y = target[t];
      if (y === null || isNaNNumber(y)) continue;
      added++;
      this.absTargetSum += abs(y);
      for (let j = 0; j < levelCount; j++) {
        const diff = y - (byLevel[j][t] as number);
        sums[j] += diff >= 0 ? taus[j] * diff : (taus[j] - 1) * diff;
      }
      if (
        interval &&
        (byLevel[interval.lowerIndex][t] as number) <= y &&
        y <= (byLevel[interval.upperIndex][t] as number)
      ) {
        this.coveredPoints++;
      }
      if (mean !== undefined) {
        const error = y - (mean[t] as number);
        this.squaredErrorSum += error * error;
        this.meanPoints++;
      }
    }
    this.points += added;
    return added;
  }
}

const EMPTY_SERIES: NumericSeries = Object.freeze([]);

function isSeries(value: unknown): value is NumericSeries {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSeriesLength(values: unknown, horizon: number, what: string): void {
  if (!isSeries(values)) throw new MetricsInputError(`${what} must be an array of numbers`);
  if (values.length !== horizon) {
    throw new MetricsInputError(`${what} has ${values.length} values but the target has ${horizon}`);
  }
}

/** Whether a target value is observed; throws when it is neither a number nor null. */
// The element's name (`what[t]`) is built only for the error: building it for every point cost more
// than the check itself (a 30-day loop-sim run spent most of its time there).
function isObserved(y: unknown, what: string, t: number): boolean {
  if (y === null || y === undefined) return false;
  if (typeof y !== 'number') {
    throw new MetricsInputError(`${what}[${t}] is not a number: ${JSON.stringify(y)}`);
  }
  if (isNaNNumber(y)) return false;
  if (!isFiniteNumber(y)) throw new MetricsInputError(`${what}[${t}] is not finite: ${y}`);
  return true;
}

/** Checks forecast values: finite where the target is observed, a number or null elsewhere. */
function checkForecastValues(values: NumericSeries, observed: readonly boolean[], what: string): void {
  // Fast path: every value finite (the usual case).
  let allFinite = true;
  for (let t = 0; t < values.length && allFinite; t++) allFinite = isFiniteNumber(values[t]);
  if (allFinite) return;
  for (let t = 0; t < values.length; t++) checkForecastValue(values[t], observed[t], what, t);
}

function checkForecastValue(value: unknown, observed: boolean, what: string, t: number): void {
  if (typeof value === 'number' && isFiniteNumber(value)) return;
  if (!observed && (value === null || value === undefined || typeof value === 'number')) return;
  const shown = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? 'undefined');
  throw new MetricsInputError(
    observed
      ? `${what}[${t}] is ${shown} where the target is observed`
      : `${what}[${t}] is not a number: ${shown}`,
  );
}

function describeLevels(levels: readonly string[]): string {
  return `[${levels.join(', ')}]`;
}
