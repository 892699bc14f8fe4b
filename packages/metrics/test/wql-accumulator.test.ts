// WqlAccumulator against published reference values (GluonTS's own test suite, copied in
// test/fixtures/wql/gluonts-cases.json) and on the edge cases: all-zero and missing targets, empty
// input, mismatched lengths, non-numeric values, unknown quantile keys.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_QUANTILES, MetricsInputError, WqlAccumulator } from '../src';

interface GluonTsCase {
  id: string;
  y: (number | null)[] | (number | null)[][];
  quantiles: Record<string, (number | null)[] | (number | null)[][]>;
  expected: Record<string, number | null>;
  derived_not_from_source?: { exact_QuantileLoss_recomputed?: Record<string, number> };
}

// Source: awslabs/gluonts @ 3d05d465 test/evaluation/test_metrics.py (quantile_loss) and
// test/evaluation/test_evaluator.py (Evaluator aggregates); see test/fixtures/README.md.
const CASES: GluonTsCase[] = JSON.parse(
  readFileSync(path.join(__dirname, 'fixtures/wql/gluonts-cases.json'), 'utf8'),
).cases;
const QUANTILE_LOSS_CASES = CASES.filter((c) => c.id.startsWith('gluonts-quantile_loss'));
const EVALUATOR_CASES = CASES.filter((c) => c.id.startsWith('gluonts-evaluator'));

// GluonTS writes these two expected values with fewer digits than the exact result and checks them
// with np.testing.assert_almost_equal(decimal=7): 0.7999999 for 0.8 and 0.0222219 for 0.022222.
// They are checked at the source's tolerance; the 1e-9 check uses the exact recomputed value.
const ROUNDED_IN_SOURCE = new Set([
  'gluonts-quantile_loss-target=[1.0, 2.0, 3.0, 0.0, 0.0]-forecast=[2.0, 3.0, 4.0, 1.0, 0.0] QuantileLoss[0.9]',
  'gluonts-quantile_loss-target=ZEROES-forecast=EXPONENTIAL QuantileLoss[0.9]',
]);

function expectRelativelyClose(actual: number | null | undefined, expected: number, relative = 1e-9): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));
}

/** Straightforward reference: 2·Σ(τ·max(y−q,0) + (1−τ)·max(q−y,0)) / Σ|y| over observed points. */
function referenceWql(
  series: { y: (number | null)[]; q: Record<string, (number | null)[]> }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const level of Object.keys(series[0].q)) {
    const tau = Number(level);
    let loss = 0;
    let denominator = 0;
    for (const s of series) {
      s.y.forEach((y, t) => {
        if (y === null) return;
        const q = s.q[level][t] as number;
        loss += 2 * (tau * Math.max(y - q, 0) + (1 - tau) * Math.max(q - y, 0));
        denominator += Math.abs(y);
      });
    }
    out[level] = loss / denominator;
  }
  return out;
}

describe('GluonTS reference values (quantile_loss, per series)', () => {
  it.each(QUANTILE_LOSS_CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const accumulator = new WqlAccumulator();
    accumulator.add(c.y as number[], c.quantiles as Record<string, number[]>);
    const result = accumulator.result();
    const exact = c.derived_not_from_source?.exact_QuantileLoss_recomputed ?? {};
    for (const [name, expected] of Object.entries(c.expected)) {
      const level = /QuantileLoss\[(.+)\]/.exec(name)![1];
      const actual = result.quantileLoss[level];
      // The source's own tolerance (np.testing.assert_almost_equal, decimal=7).
      expect(Math.abs(actual - (expected as number))).toBeLessThan(1.5e-7);
      if (ROUNDED_IN_SOURCE.has(`${c.id} ${name}`)) {
        expectRelativelyClose(actual, exact[name]);
      } else {
        expectRelativelyClose(actual, expected as number);
      }
    }
  });
});

describe('GluonTS reference values (Evaluator aggregates over several series)', () => {
  it.each(EVALUATOR_CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const accumulator = new WqlAccumulator({ quantiles: DEFAULT_QUANTILES });
    const ys = c.y as (number | null)[][];
    ys.forEach((y, i) => {
      const quantiles = Object.fromEntries(
        Object.entries(c.quantiles).map(([level, rows]) => [level, (rows as (number | null)[][])[i]]),
      );
      // The test's naive forecaster draws 100 identical samples, so its mean is the quantile value.
      accumulator.add(y, quantiles, quantiles['0.5']);
    });
    const result = accumulator.result();
    const expected = c.expected;
    expect(result.absTargetSum).toBe(expected.abs_target_sum);
    if (expected.mean_wQuantileLoss === null) {
      expect(result.mean_wQL).toBeNull();
      expect(result.reason).toMatch(/sum of \|target\| .* is 0/);
      expect(Object.values(result.wQL).every((w) => w === null)).toBe(true);
    } else {
      expectRelativelyClose(result.mean_wQL, expected.mean_wQuantileLoss as number);
      expect(result.reason).toBeUndefined();
    }
    // GluonTS's mean_absolute_QuantileLoss is the mean over levels of the unweighted numerator.
    const meanAbsoluteQuantileLoss =
      Object.values(result.quantileLoss).reduce((a, b) => a + b, 0) / DEFAULT_QUANTILES.length;
    expectRelativelyClose(meanAbsoluteQuantileLoss, expected.mean_absolute_QuantileLoss as number);
    // GluonTS averages per-series MSE; this package pools all points. They agree without missing
    // values; with them the pooled RMSE is checked against its definition.
    const hasMissing = ys.some((y) => y.includes(null));
    if (!hasMissing) {
      expectRelativelyClose(result.rmse, expected.RMSE as number);
    } else {
      const errors = ys.flatMap((y, i) =>
        y.flatMap((v, t) => (v === null ? [] : [v - ((c.quantiles['0.5'] as number[][])[i][t] as number)])),
      );
      expectRelativelyClose(result.rmse, Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length));
    }
  });

  it('matches the closed form of the arange case: every forecast is 1 below the target, so wQL[τ] = 60τ/420', () => {
    const c = EVALUATOR_CASES.find((x) => x.id === 'gluonts-evaluator-arange-5x10')!;
    const accumulator = new WqlAccumulator();
    (c.y as number[][]).forEach((y, i) =>
      accumulator.add(
        y,
        Object.fromEntries(Object.entries(c.quantiles).map(([l, rows]) => [l, (rows as number[][])[i]])),
      ),
    );
    const result = accumulator.result();
    for (const level of DEFAULT_QUANTILES) {
      expectRelativelyClose(result.wQL[level], (60 * Number(level)) / 420);
    }
  });
});

describe('WqlAccumulator', () => {
  const target = [3, 0, 7.5, 2, 10];
  const quantiles = { '0.1': [1, 0.5, 5, 2.5, 6], '0.5': [2.5, 1, 7, 3, 9], '0.9': [4, 2, 9, 4, 12] };

  it('computes wQL as Amazon Forecast defines it, with mean wQL over the levels', () => {
    const accumulator = new WqlAccumulator();
    expect(accumulator.add(target, quantiles)).toBe(5);
    const result = accumulator.result();
    const expected = referenceWql([{ y: target, q: quantiles }]);
    for (const level of ['0.1', '0.5', '0.9']) expectRelativelyClose(result.wQL[level], expected[level]);
    expectRelativelyClose(result.mean_wQL, (expected['0.1'] + expected['0.5'] + expected['0.9']) / 3);
    expect(result.points).toBe(5);
    expect(result.absTargetSum).toBe(22.5);
  });

  it('is the same whether series are added one by one or as one long series (streaming)', () => {
    const oneByOne = new WqlAccumulator();
    const concatenated = {
      y: [] as number[],
      q: { '0.1': [] as number[], '0.5': [] as number[], '0.9': [] as number[] },
    };
    for (let k = 0; k < 50; k++) {
      const y = target.map((v) => v * (1 + k / 10));
      const q = Object.fromEntries(Object.entries(quantiles).map(([l, v]) => [l, v.map((x) => x + k / 7)]));
      oneByOne.add(y, q);
      concatenated.y.push(...y);
      for (const l of Object.keys(q) as (keyof typeof concatenated.q)[]) concatenated.q[l].push(...q[l]);
    }
    const all = new WqlAccumulator();
    all.add(concatenated.y, concatenated.q);
    const a = oneByOne.result();
    const b = all.result();
    expect(a.points).toBe(250);
    for (const level of ['0.1', '0.5', '0.9']) {
      expectRelativelyClose(a.wQL[level], b.wQL[level] as number, 1e-12);
    }
    const expected = referenceWql([concatenated]);
    for (const level of ['0.1', '0.5', '0.9']) expectRelativelyClose(a.wQL[level], expected[level], 1e-12);
  });

  it('excludes missing targets (null, NaN) from numerator and denominator', () => {
    const withGaps = new WqlAccumulator();
    withGaps.add([3, null, 7.5, NaN, 10], {
      '0.1': [1, 99, 5, -99, 6],
      '0.5': [2.5, null, 7, 3, 9],
      '0.9': [4, 2, 9, NaN, 12],
    });
    const withoutGaps = new WqlAccumulator();
    withoutGaps.add([3, 7.5, 10], { '0.1': [1, 5, 6], '0.5': [2.5, 7, 9], '0.9': [4, 9, 12] });
    expect(withGaps.result()).toEqual(withoutGaps.result());
    expect(withGaps.result().points).toBe(3);
  });

  it('accepts typed arrays with NaN for missing values', () => {
    const accumulator = new WqlAccumulator();
    accumulator.add(Float64Array.from([1, NaN, 2]), { '0.5': Float64Array.from([1, 0, 3]) });
    expect(accumulator.result().points).toBe(2);
    expectRelativelyClose(accumulator.result().wQL['0.5'], (2 * 0.5 * 1) / 3);
  });

  it('gives null with a reason, never Infinity or NaN, when Σ|y| = 0', () => {
    const accumulator = new WqlAccumulator();
    accumulator.add([0, 0, 0], { '0.1': [0.1, 0.2, 0], '0.9': [1, 1, 1] });
    const result = accumulator.result();
    expect(result.points).toBe(3);
    expect(result.mean_wQL).toBeNull();
    expect(result.wQL).toEqual({ '0.1': null, '0.9': null });
    expect(result.reason).toMatch(/sum of \|target\| over 3 observed points is 0/);
    expect(result.quantileLoss['0.1']).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });

  it('gives null with a reason when there are no points (empty or all missing)', () => {
    const empty = new WqlAccumulator();
    expect(empty.result()).toMatchObject({ points: 0, mean_wQL: null, wQL: {}, rmse: null, coverage: null });
    expect(empty.result().reason).toMatch(/no observed target points/);

    const allMissing = new WqlAccumulator();
    allMissing.add([null, null], { '0.5': [null, null] }, [null, null]);
    expect(allMissing.result()).toMatchObject({
      points: 0,
      mean_wQL: null,
      wQL: { '0.5': null },
      rmse: null,
    });

    const emptySeries = new WqlAccumulator();
    emptySeries.add([], { '0.5': [] });
    expect(emptySeries.result().mean_wQL).toBeNull();
  });

  it('computes RMSE of the mean over the points that have a mean forecast', () => {
    const accumulator = new WqlAccumulator();
    accumulator.add([1, 2, 3], { '0.5': [1, 2, 3] }, [2, 2, 5]);
    accumulator.add([4], { '0.5': [4] });
    const result = accumulator.result();
    expect(result.meanPoints).toBe(3);
    expectRelativelyClose(result.rmse, Math.sqrt((1 + 0 + 4) / 3));
  });

  it('reports the coverage of the central interval (bounds included)', () => {
    const accumulator = new WqlAccumulator({ quantiles: DEFAULT_QUANTILES });
    const q = (lo: number, hi: number): Record<string, number[]> =>
      Object.fromEntries(DEFAULT_QUANTILES.map((l) => [l, [lo + ((hi - lo) * (Number(l) - 0.1)) / 0.8]]));
    accumulator.add([5], q(5, 9)); // on the lower bound: covered
    accumulator.add([9], q(5, 9)); // on the upper bound: covered
    accumulator.add([4.99], q(5, 9)); // below
    accumulator.add([12], q(5, 9)); // above
    expect(accumulator.result().coverage).toEqual({
      lower: '0.1',
      upper: '0.9',
      nominal: 0.8,
      observed: 0.5,
    });
    const narrow = new WqlAccumulator({
      quantiles: DEFAULT_QUANTILES,
      interval: { lower: '0.3', upper: '0.70' },
    });
    narrow.add([7], q(5, 9));
    expect(narrow.result().coverage).toEqual({ lower: '0.3', upper: '0.7', nominal: 0.4, observed: 1 });
  });

  it('treats "0.50" and "0.5" as the same quantile and reports canonical keys', () => {
    const accumulator = new WqlAccumulator({ quantiles: ['0.10', '.5', '0.9'] });
    expect(accumulator.quantiles).toEqual(['0.1', '0.5', '0.9']);
    accumulator.add([2], { '0.1': [1], '0.50': [2], '0.900': [3] });
    expect(Object.keys(accumulator.result().wQL)).toEqual(['0.1', '0.5', '0.9']);
  });

  it('evaluates only the requested levels and ignores other levels of a forecast', () => {
    const accumulator = new WqlAccumulator({ quantiles: ['0.5'] });
    accumulator.add([2], { '0.1': [100], '0.5': [2], '0.9': [100] });
    expect(accumulator.result().mean_wQL).toBe(0);
  });

  describe('rejects invalid input with a clear error and adds nothing', () => {
    const cases: [string, () => void, RegExp][] = [
      [
        'mismatched lengths',
        () => new WqlAccumulator().add([1, 2, 3], { '0.5': [1, 2] }),
        /quantile 0.5 has 2 values but the target has 3/,
      ],
      [
        'mismatched mean length',
        () => new WqlAccumulator().add([1, 2], { '0.5': [1, 2] }, [1]),
        /mean has 1 values but the target has 2/,
      ],
      [
        'non-numeric target',
        () => new WqlAccumulator().add([1, 'x' as unknown as number], { '0.5': [1, 2] }),
        /target\[1\] is not a number: "x"/,
      ],
      [
        'non-numeric quantile',
        () => new WqlAccumulator().add([1, 2], { '0.5': [1, '2' as unknown as number] }),
        /quantile 0.5\[1\] is "2" where the target is observed/,
      ],
      [
        'missing forecast where the target is observed',
        () => new WqlAccumulator().add([1, 2], { '0.5': [1, null] }),
        /quantile 0.5\[1\] is null where the target is observed/,
      ],
      [
        'infinite target',
        () => new WqlAccumulator().add([Infinity], { '0.5': [1] }),
        /target\[0\] is not finite/,
      ],
      [
        'unknown quantile key',
        () => new WqlAccumulator().add([1], { abc: [1] }),
        /unknown quantile key "abc"/,
      ],
      [
        'quantile level outside (0,1)',
        () => new WqlAccumulator().add([1], { '1.5': [1] }),
        /unknown quantile key "1.5"/,
      ],
      [
        'duplicate level',
        () => new WqlAccumulator().add([1], { '0.5': [1], '0.50': [1] }),
        /"0.5" and "0.50" name the same level 0.5/,
      ],
      [
        'missing requested level',
        () => new WqlAccumulator({ quantiles: DEFAULT_QUANTILES }).add([1], { '0.5': [1] }),
        /quantile 0.1 is missing/,
      ],
      [
        'missing target',
        () => new WqlAccumulator().add(undefined as unknown as number[], { '0.5': [1] }),
        /target must be an array/,
      ],
      ['no quantiles', () => new WqlAccumulator().add([1], {}), /has no quantiles/],
      ['empty quantile set', () => new WqlAccumulator({ quantiles: [] }), /quantile set is empty/],
    ];
    it.each(cases)('%s', (_name, run, message) => {
      expect(run).toThrow(MetricsInputError);
      expect(run).toThrow(message);
    });

    it('requires every later forecast to have the levels of the first when none were requested', () => {
      const accumulator = new WqlAccumulator();
      accumulator.add([1], { '0.1': [1], '0.9': [1] });
      expect(() => accumulator.add([1], { '0.1': [1], '0.5': [1], '0.9': [1] })).toThrow(
        /differ from the evaluated levels/,
      );
      expect(() => accumulator.add([1], { '0.1': [1] })).toThrow(/quantile 0.9 is missing/);
    });

    it('addMany adds nothing when one forecast of the batch is invalid', () => {
      const accumulator = new WqlAccumulator();
      expect(() =>
        accumulator.addMany([
          { target: [1, 2], quantiles: { '0.5': [1, 2] } },
          { target: [1, 2], quantiles: { '0.5': [1] } },
        ]),
      ).toThrow(/forecast 1: quantile 0.5 has 1 values/);
      expect(accumulator.result().points).toBe(0);
      expect(accumulator.quantiles).toBeUndefined();
    });
  });

  it('refuses to report overflowed sums', () => {
    const accumulator = new WqlAccumulator();
    accumulator.add([1.5e308, 1.5e308], { '0.5': [0, 0] });
    expect(() => accumulator.result()).toThrow(/overflowed/);
  });
});

describe('WqlAccumulator.merge', () => {
  it('gives the same result as adding everything to one accumulator', () => {
    const series = [
      { y: [1, 2, null], q: { '0.1': [0, 1, 5], '0.9': [2, 3, 5] }, mean: [1, 2, 2] },
      { y: [4, 0.5], q: { '0.1': [3, 1], '0.9': [5, 2] }, mean: [4, 1] },
      { y: [10], q: { '0.1': [2], '0.9': [8] }, mean: [9] },
    ];
    const all = new WqlAccumulator();
    const first = new WqlAccumulator();
    const second = new WqlAccumulator();
    series.forEach((s, i) => {
      all.add(s.y, s.q, s.mean);
      (i === 0 ? first : second).add(s.y, s.q, s.mean);
    });
    const merged = new WqlAccumulator();
    merged.merge(first);
    merged.merge(second);
    merged.merge(new WqlAccumulator()); // empty: no effect
    expect(merged.result()).toEqual(all.result());
  });

  it('refuses accumulators of different levels', () => {
    const a = new WqlAccumulator();
    a.add([1], { '0.5': [1] });
    const b = new WqlAccumulator();
    b.add([1], { '0.9': [1] });
    expect(() => a.merge(b)).toThrow(/cannot merge accumulators of different levels/);
  });
});

describe('WqlAccumulator.tryAddMany (the evaluation hot path)', () => {
  /** Deterministic pseudo-random numbers in [0, 1). */
  const random = (seed: number) => () => {
    seed = (seed * 16807) % 2147483647;
    return (seed - 1) / 2147483646;
  };

  it('adds exactly the sums addMany adds, missing targets included', () => {
    const next = random(7);
    const viaAddMany = new WqlAccumulator({ quantiles: DEFAULT_QUANTILES });
    const viaTryAddMany = new WqlAccumulator({ quantiles: DEFAULT_QUANTILES });
    for (let request = 0; request < 50; request++) {
      const observations = Array.from({ length: 3 }, () => {
        const mean = Array.from({ length: 12 }, () => 100 * next() - 20);
        return {
          target: Float64Array.from(mean, (m) => (next() < 0.2 ? NaN : m + 30 * (next() - 0.5))),
          quantiles: Object.fromEntries(
            DEFAULT_QUANTILES.map((level) => [
              level,
              mean.map((m) => m + (Number(level) - 0.5) * 25 * next()),
            ]),
          ),
          mean,
        };
      });
      viaAddMany.addMany(observations);
      expect(viaTryAddMany.tryAddMany(observations)).toBe(
        observations.reduce((n, o) => n + o.target.filter((y) => !Number.isNaN(y)).length, 0),
      );
    }
    expect(viaTryAddMany.result()).toEqual(viaAddMany.result());
  });

  it.each([
    ['an infinite target', { target: Float64Array.of(1, Infinity), quantiles: { '0.5': [1, 2] } }],
    ['a null forecast value', { target: Float64Array.of(1, NaN), quantiles: { '0.5': [1, null] } }],
    ['a string forecast value', { target: Float64Array.of(1, 2), quantiles: { '0.5': [1, '2'] } }],
    ['a non-finite mean', { target: Float64Array.of(1, 2), quantiles: { '0.5': [1, 2] }, mean: [1, NaN] }],
    ['a missing level', { target: Float64Array.of(1, 2), quantiles: { '0.9': [1, 2] } }],
    ['a short level', { target: Float64Array.of(1, 2), quantiles: { '0.5': [1] } }],
    ['a plain-array target', { target: [1, 2], quantiles: { '0.5': [1, 2] } }],
  ])('declines %s and leaves every sum as it was', (_, bad) => {
    const accumulator = new WqlAccumulator({ quantiles: ['0.5'] });
    accumulator.add([3, 4], { '0.5': [2, 6] }, [3, 3]);
    const before = accumulator.result();
    const good = { target: Float64Array.of(5, 6), quantiles: { '0.5': [5, 5] }, mean: [5, 5] };
    expect(accumulator.tryAddMany([good, bad as never])).toBeUndefined();
    expect(accumulator.result()).toEqual(before);
  });

  it('declines for an accumulator that takes its levels from the first forecast', () => {
    const accumulator = new WqlAccumulator();
    expect(
      accumulator.tryAddMany([{ target: Float64Array.of(1), quantiles: { '0.5': [1] } }]),
    ).toBeUndefined();
    expect(accumulator.result().points).toBe(0);
  });
});
