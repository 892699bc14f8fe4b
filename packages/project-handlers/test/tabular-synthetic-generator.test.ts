// The tabular synthetic dataset as pure functions: feature distributions, the known relation to the
// target for each problem type (fitted slope, calibration), determinism and batching independence,
// covariate shift and concept drift from the chosen instant and not before, and the hours a run plans.
import {
  BINARY_OFFSET,
  CATEGORICAL_FEATURES,
  generateTabularRecords,
  NUMERIC_FEATURES,
  planTabularHours,
  REGRESSION_NOISE_SD,
  REGRESSION_SCALE,
  sigmoid,
  tabularRecord,
  type TabularParameters,
  type TabularRecord,
} from '../src';

const HOUR = 3_600_000;
const START = Date.parse('2024-06-01T00:00:00Z');
const PER_HOUR = 250;
const hours = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i * HOUR);

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: readonly number[]) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};
/** Least-squares slope of y on x. */
function slope(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}
/** Two-sample Kolmogorov–Smirnov statistic (sup distance of the empirical CDFs). */
function ks(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

const REGRESSION: TabularParameters = { seed: 42, problemType: 'regression' };
const cache = new Map<string, TabularRecord[]>();
/** The records of `count` hours from `from` (memoized: the same inputs give the same records). */
function recordsOf(params: TabularParameters, from = START, count = 80): TabularRecord[] {
  const key = JSON.stringify([params, from, count]);
  if (!cache.has(key)) cache.set(key, generateTabularRecords(params, hours(from, count), PER_HOUR));
  return cache.get(key) as TabularRecord[];
}
const column = (records: readonly TabularRecord[], name: keyof typeof NUMERIC_FEATURES) =>
  records.map((r) => r.numeric[name]);

describe('features', () => {
  const records = recordsOf(REGRESSION); // 20 000 records

  it.each(Object.entries(NUMERIC_FEATURES))('%s is normal(mean, sd) clipped to its range', (name, spec) => {
    const values = column(records, name as keyof typeof NUMERIC_FEATURES);
    expect(Math.abs(mean(values) - spec.mean)).toBeLessThan(0.05 * spec.sd + 0.02 * spec.mean);
    expect(sd(values)).toBeGreaterThan(0.85 * spec.sd);
    expect(sd(values)).toBeLessThan(1.05 * spec.sd);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(spec.min);
    expect(Math.max(...values)).toBeLessThanOrEqual(spec.max);
  });

  it.each(Object.entries(CATEGORICAL_FEATURES))('%s follows its level probabilities', (name, spec) => {
    spec.levels.forEach((level, i) => {
      const share =
        records.filter((r) => r.categorical[name as keyof typeof CATEGORICAL_FEATURES] === level).length /
        records.length;
      expect(Math.abs(share - spec.probabilities[i])).toBeLessThan(0.015);
    });
  });

  it('gives unique record ids that fit an InferenceId (≤ 64 printable characters)', () => {
    const ids = new Set(records.map((r) => r.recordId));
    expect(ids.size).toBe(records.length);
    expect(records[0].recordId).toBe('20240601T000000Z-00000');
    expect(records.every((r) => /^\S[\x21-\x7e]{0,63}$/.test(r.recordId))).toBe(true);
    // Event times spread over the hour, in order.
    expect(records[1].millis - records[0].millis).toBe(HOUR / PER_HOUR);
    expect(records.every((r, i) => i === 0 || r.millis > records[i - 1].millis)).toBe(true);
  });
});

describe('the known relation to the target', () => {
  it('regression: the fitted slope on each numeric feature is the documented one (within 10 %)', () => {
    const records = recordsOf(REGRESSION);
    const target = records.map((r) => r.target);
    for (const [name, spec] of Object.entries(NUMERIC_FEATURES)) {
      const expected = (REGRESSION_SCALE * spec.weight) / spec.sd;
      const fitted = slope(column(records, name as keyof typeof NUMERIC_FEATURES), target);
      expect(Math.abs(fitted - expected)).toBeLessThan(0.1 * Math.abs(expected));
    }
    // The residual around the noise-free score has the documented noise.
    const residual = records.map((r) => r.target - (100 + REGRESSION_SCALE * r.score));
    expect(Math.abs(sd(residual) - REGRESSION_NOISE_SD)).toBeLessThan(0.2);
  });

  it('regression: a negative control (a shuffled target) has no slope', () => {
    const records = recordsOf(REGRESSION);
    const shuffled = records.map((_, i) => records[(i * 7919) % records.length].target);
    expect(Math.abs(slope(column(records, 'income_k'), shuffled))).toBeLessThan(0.1);
  });

  it('binary: labels are 0/1 and calibrated on sigmoid(score - offset)', () => {
    const records = recordsOf({ seed: 42, problemType: 'binary' });
    expect(new Set(records.map((r) => r.target))).toEqual(new Set([0, 1]));
    const buckets = [-3, -1.5, 0, 1.5, 3, 4.5];
    for (let b = 0; b + 1 < buckets.length; b++) {
      const inBucket = records.filter((r) => r.score >= buckets[b] && r.score < buckets[b + 1]);
      expect(inBucket.length).toBeGreaterThan(300);
      const rate = mean(inBucket.map((r) => r.target));
      const expected = mean(inBucket.map((r) => sigmoid(r.score - BINARY_OFFSET)));
      expect(Math.abs(rate - expected)).toBeLessThan(0.03);
    }
  });

  it('multiclass: three classes, ordered by the score', () => {
    const records = recordsOf({ seed: 42, problemType: 'multiclass' });
    const byClass = [0, 1, 2].map((c) => records.filter((r) => r.target === c));
    for (const group of byClass) expect(group.length).toBeGreaterThan(0.15 * records.length);
    const means = byClass.map((g) => mean(g.map((r) => r.score)));
    expect(means[0]).toBeLessThan(means[1] - 0.5);
    expect(means[1]).toBeLessThan(means[2] - 0.5);
  });
});

describe('determinism', () => {
  it('is a pure function of seed, hour and index, independent of batching', () => {
    const together = generateTabularRecords(REGRESSION, hours(START, 6), PER_HOUR);
    const split = [
      ...generateTabularRecords(REGRESSION, hours(START, 2), PER_HOUR),
      ...generateTabularRecords(REGRESSION, hours(START + 2 * HOUR, 4), PER_HOUR),
    ];
    expect(split).toEqual(together);
    expect(tabularRecord(REGRESSION, START, 3, PER_HOUR)).toEqual(
      tabularRecord(REGRESSION, START, 3, PER_HOUR),
    );
    expect(tabularRecord({ ...REGRESSION, seed: 7 }, START, 3, PER_HOUR)).not.toEqual(
      tabularRecord(REGRESSION, START, 3, PER_HOUR),
    );
  });
});

describe('drift', () => {
  const AT = START + 40 * HOUR;

  it('covariate shift moves the named feature from the chosen hour on, and not before', () => {
    const params: TabularParameters = {
      ...REGRESSION,
      drift: { kind: 'covariate', at: new Date(AT), feature: 'income_k', magnitude: 2 },
    };
    const baseline = recordsOf(REGRESSION);
    const drifted = recordsOf(params);
    const before = drifted.filter((r) => r.millis < AT);
    const after = drifted.filter((r) => r.millis >= AT);
    // Before: identical to the undrifted data.
    expect(before).toEqual(baseline.filter((r) => r.millis < AT));
    // After: the mean moved by 2 sd; the other features did not move.
    const spec = NUMERIC_FEATURES.income_k;
    expect(mean(column(after, 'income_k')) - mean(column(before, 'income_k'))).toBeGreaterThan(1.8 * spec.sd);
    expect(ks(column(before, 'income_k'), column(after, 'income_k'))).toBeGreaterThan(0.5);
    expect(ks(column(before, 'age'), column(after, 'age'))).toBeLessThan(0.05);
    // The relation is unchanged (covariate shift only): the residual is still the noise.
    const residual = after.map((r) => r.target - (100 + REGRESSION_SCALE * r.score));
    expect(Math.abs(mean(residual))).toBeLessThan(0.3);
    expect(
      slope(
        column(after, 'age'),
        after.map((r) => r.target),
      ),
    ).toBeGreaterThan(0);
  });

  it('covariate shift of a categorical feature reverses its level probabilities', () => {
    const params: TabularParameters = {
      ...REGRESSION,
      drift: { kind: 'covariate', at: new Date(AT), feature: 'region', magnitude: 0 },
    };
    const after = recordsOf(params).filter((r) => r.millis >= AT);
    const share = (level: string) =>
      after.filter((r) => r.categorical.region === level).length / after.length;
    expect(share('west')).toBeGreaterThan(0.37);
    expect(share('north')).toBeLessThan(0.13);
  });

  it('concept drift changes the relation from the chosen hour on, the features stay', () => {
    const params: TabularParameters = { ...REGRESSION, drift: { kind: 'concept', at: new Date(AT) } };
    const records = recordsOf(params);
    const before = records.filter((r) => r.millis < AT);
    const after = records.filter((r) => r.millis >= AT);
    const slopeOf = (rs: TabularRecord[]) =>
      slope(
        column(rs, 'income_k'),
        rs.map((r) => r.target),
      );
    expect(slopeOf(before)).toBeGreaterThan(0.6);
    expect(slopeOf(after)).toBeLessThan(-0.6);
    expect(ks(column(before, 'income_k'), column(after, 'income_k'))).toBeLessThan(0.05);
  });
});

describe('planTabularHours', () => {
  const now = new Date('2024-06-01T12:34:56Z');
  it('first run: the backfill hours ending with the last ended hour', () => {
    const planned = planTabularHours({ now, backfillHours: 3, maxHours: 100 });
    expect(planned.map((t) => new Date(t).toISOString())).toEqual([
      '2024-06-01T09:00:00.000Z',
      '2024-06-01T10:00:00.000Z',
      '2024-06-01T11:00:00.000Z',
    ]);
  });
  it('later runs continue after the last written hour, at most maxHours', () => {
    const lastWritten = Date.parse('2024-06-01T05:00:00Z');
    expect(planTabularHours({ now, lastWritten, backfillHours: 3, maxHours: 2 })).toEqual([
      Date.parse('2024-06-01T06:00:00Z'),
      Date.parse('2024-06-01T07:00:00Z'),
    ]);
    expect(
      planTabularHours({
        now,
        lastWritten: Date.parse('2024-06-01T11:00:00Z'),
        backfillHours: 3,
        maxHours: 2,
      }),
    ).toEqual([]);
  });
});
