// The tabular loop's model side: Model Monitor's numeric drift distance (checked against a brute-force
// two-sample Kolmogorov–Smirnov statistic, with ties, and its bounds), the stand-in's fit recovering the
// generator's known relation, and a build's split, gate metric and baseline window.
import {
  NUMERIC_FEATURES,
  REGRESSION_INTERCEPT,
  REGRESSION_NOISE_SD,
  REGRESSION_SCALE,
} from '@mlops-templates/project-handlers';
import {
  baselineDrift,
  buildTabular,
  featureBaselineDriftMetric,
  fitTabular,
  TabularRecords,
} from '../src/tabular-model';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 5);

/** sup |F_a − F_b| evaluated at every value of both samples (the definition, O(n·m)). */
function bruteForceKs(a: readonly number[], b: readonly number[]): number {
  const cdf = (xs: readonly number[], v: number) => xs.filter((x) => x <= v).length / xs.length;
  return Math.max(...[...a, ...b].map((v) => Math.abs(cdf(a, v) - cdf(b, v))));
}

/** A deterministic pseudo-random sample (rounded, so that ties occur). */
function sample(n: number, seed: number, shift = 0): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return Math.round((x / 2 ** 31) * 20 + shift);
  });
}

describe('baselineDrift (feature_baseline_drift_<feature>)', () => {
  it.each([
    [200, 50, 0],
    [300, 40, 3],
    [64, 64, 10],
  ])('is the two-sample KS statistic (baseline %d, current %d, shift %d)', (m, n, shift) => {
    const baseline = sample(m, 7);
    const current = sample(n, 11, shift);
    const sorted = Float64Array.from(baseline).sort();
    expect(baselineDrift(sorted, current)).toBeCloseTo(bruteForceKs(baseline, current), 12);
  });

  it('is 0 for the same data, 1 for disjoint data, NaN without data', () => {
    const values = sample(100, 3);
    expect(baselineDrift(Float64Array.from(values).sort(), values)).toBe(0);
    expect(baselineDrift(Float64Array.from([1, 2, 3]), [10, 11])).toBe(1);
    expect(baselineDrift(new Float64Array(0), [1])).toBeNaN();
    expect(baselineDrift(Float64Array.from([1]), [])).toBeNaN();
  });

  it('names the metric as Model Monitor does', () => {
    expect(featureBaselineDriftMetric('income_k')).toBe('feature_baseline_drift_income_k');
  });
});

describe('the stand-in model and a build', () => {
  const records = new TabularRecords({ seed: 3, problemType: 'regression' }, 100);

  it('recovers the generator relation (intercept and numeric coefficients within 5 %)', () => {
    const fit = fitTabular(records.between(START, START + 48 * HOUR));
    expect(fit).toBeDefined();
    const c = fit?.coefficients ?? [];
    expect(Math.abs(c[0] - REGRESSION_INTERCEPT)).toBeLessThan(1);
    Object.values(NUMERIC_FEATURES).forEach((spec, i) => {
      const expected = REGRESSION_SCALE * spec.weight;
      expect(Math.abs(c[i + 1] - expected)).toBeLessThan(0.05 * Math.abs(expected));
    });
    expect(fitTabular(records.between(START, START + HOUR).slice(0, 20))).toBeUndefined();
  });

  it('gates on the test RMSE (about the noise) and baselines the newest hours of its window', () => {
    const dataEnd = START + 72 * HOUR + 30 * 60_000;
    const build = buildTabular(records, dataEnd, 48, 6);
    expect(build).toBeDefined();
    expect(build?.testRmse).toBeGreaterThan(0.8 * REGRESSION_NOISE_SD);
    expect(build?.testRmse).toBeLessThan(1.2 * REGRESSION_NOISE_SD);
    // The baseline: the 6 whole hours before the data end, sorted.
    const expected = records
      .between(START + 66 * HOUR, START + 72 * HOUR)
      .map((r) => r.numeric.age)
      .sort((a, b) => a - b);
    expect(Array.from(build?.baseline.age ?? [])).toEqual(expected);
  });
});
