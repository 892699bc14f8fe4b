// The stand-in for DeepAR: a seasonal forecaster fitted on the build's data window and then frozen,
// so that its error grows when the series leaves the regime it was trained on (a level shift, a
// drift) and a retrain on newer data repairs it. Fit: the hour-of-week profile (value / the mean of
// the week around it, averaged over the window), the de-seasonalised level of the newest `levelSteps` points, and
// the spread of the relative residuals; forecast: level × profile, with normal quantiles of that
// spread. Backtest: the model-build pipeline's (refit before each of the last `windows` horizons,
// forecast it, wQL of each window with the real metrics package).
import { DEFAULT_QUANTILES, WqlAccumulator } from '@mlops-templates/metrics';

/** A regular series: `values[i]` observed at `start + i·stepMs` (`null` = not observed). */
export interface RegularSeries {
  readonly start: number;
  readonly stepMs: number;
  readonly values: readonly (number | null)[];
}

/** A fitted model. */
export interface FittedModel {
  readonly stepMs: number;
  /** Profile ratio by slot (`slotOf(t)`), 1 where the window had no data. */
  readonly profile: Float64Array;
  readonly slots: number;
  readonly level: number;
  /** Standard deviation of (y / (level·profile) − 1) over the window. */
  readonly relativeSpread: number;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Sunday 00:00 UTC (the synthetic generator's weekly origin). */
const WEEK_ORIGIN = Date.UTC(1970, 0, 4);
/** Newest points whose de-seasonalised mean is the level. */
const LEVEL_STEPS = 12;
const MIN_SPREAD = 0.005;

/** Standard normal quantile (Acklam's rational approximation; |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

function slotCount(stepMs: number): number {
  return stepMs < DAY_MS ? Math.max(1, Math.round(WEEK_MS / stepMs)) : 1;
}

function slotOf(t: number, stepMs: number, slots: number): number {
  if (slots === 1) return 0;
  const offset = (((t - WEEK_ORIGIN) % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return Math.floor(offset / stepMs) % slots;
}

/** Fits on `series` points with index < `end` (exclusive); undefined when fewer than 2 days observed. */
export function fit(series: RegularSeries, end: number = series.values.length): FittedModel | undefined {
  const { start, stepMs, values } = series;
  const slots = slotCount(stepMs);
  const perDay = Math.max(1, Math.round(DAY_MS / stepMs));
  const halfWeek = Math.max(1, Math.round(WEEK_MS / stepMs / 2));
  // Ratio of each value to the mean of the week centred on it (trailing at the end of the window):
  // keeps the daily and weekly shape, removes the level (so a level shift distorts only the ratios
  // within half a week of it).
  const prefix = new Float64Array(end + 1);
  const prefixN = new Float64Array(end + 1);
  for (let i = 0; i < end; i++) {
    const v = values[i];
    prefix[i + 1] = prefix[i] + (v ?? 0);
    prefixN[i + 1] = prefixN[i] + (v === null ? 0 : 1);
  }
  const sum = new Float64Array(slots);
  const count = new Float64Array(slots);
  let observed = 0;
  for (let i = 0; i < end; i++) {
    const v = values[i];
    if (v === null) continue;
    let lo = Math.max(0, i - halfWeek);
    let hi = Math.min(end, i + halfWeek);
    if (hi - lo < 2 * halfWeek) {
      // Near an edge: a full week on the side that has it.
      if (lo === 0) hi = Math.min(end, 2 * halfWeek);
      else lo = Math.max(0, end - 2 * halfWeek);
    }
    const n = prefixN[hi] - prefixN[lo];
    if (n < perDay) continue;
    const mean = (prefix[hi] - prefix[lo]) / n;
    if (mean <= 0) continue;
    const s = slotOf(start + i * stepMs, stepMs, slots);
    sum[s] += v / mean;
    count[s] += 1;
    observed++;
  }
  if (observed < 2 * perDay) return undefined;
  const profile = new Float64Array(slots);
  for (let s = 0; s < slots; s++) profile[s] = count[s] > 0 ? sum[s] / count[s] : 1;
  let levelSum = 0;
  let levelN = 0;
  for (let i = end - 1; i >= 0 && levelN < LEVEL_STEPS; i--) {
    const v = values[i];
    if (v === null) continue;
    levelSum += v / profile[slotOf(start + i * stepMs, stepMs, slots)];
    levelN++;
  }
  if (levelN === 0) return undefined;
  const level = levelSum / levelN;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < end; i++) {
    const v = values[i];
    if (v === null) continue;
    const expected = level * profile[slotOf(start + i * stepMs, stepMs, slots)];
    // Residuals of the in-regime part only would need the regime; the newest 7 days approximate it.
    if (end - i > 7 * perDay) continue;
    sq += (v / expected - 1) ** 2;
    n++;
  }
  const relativeSpread = Math.max(MIN_SPREAD, n > 1 ? Math.sqrt(sq / (n - 1)) : MIN_SPREAD);
  return { stepMs, profile, slots, level, relativeSpread };
}

/** Quantile forecast (the project's quantile levels) and mean of `horizon` steps from `firstStep`. */
export function forecast(
  model: FittedModel,
  firstStep: number,
  horizon: number,
  quantiles: readonly string[] = DEFAULT_QUANTILES,
): { quantiles: Record<string, number[]>; mean: number[] } {
  const mean: number[] = [];
  for (let k = 0; k < horizon; k++) {
    mean.push(model.level * model.profile[slotOf(firstStep + k * model.stepMs, model.stepMs, model.slots)]);
  }
  const out: Record<string, number[]> = {};
  for (const q of quantiles) {
    const z = normalQuantile(Number(q));
    out[q] = mean.map((m) => Math.max(0, m * (1 + z * model.relativeSpread)));
  }
  return { quantiles: out, mean };
}

/** The backtest of a build: mean wQL of each of the last `windows` horizons, and their mean. */
export interface Backtest {
  readonly windowWql: (number | null)[];
  /** Mean over the defined windows; `null` when none is defined. */
  readonly meanWql: number | null;
}

/** Backtest over the last `windows` horizons of `series` (refit before each window). */
export function backtest(series: RegularSeries, horizon: number, windows: number): Backtest {
  const windowWql: (number | null)[] = [];
  const n = series.values.length;
  for (let w = windows; w >= 1; w--) {
    const windowStart = n - w * horizon;
    if (windowStart <= 0) {
      windowWql.push(null);
      continue;
    }
    const model = fit(series, windowStart);
    if (model === undefined) {
      windowWql.push(null);
      continue;
    }
    const target = series.values.slice(windowStart, windowStart + horizon);
    const f = forecast(model, series.start + windowStart * series.stepMs, horizon);
    const acc = new WqlAccumulator({ quantiles: DEFAULT_QUANTILES });
    acc.add(target, f.quantiles, f.mean);
    windowWql.push(acc.result().mean_wQL);
  }
  const defined = windowWql.filter((w): w is number => w !== null);
  return {
    windowWql,
    meanWql: defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length,
  };
}
