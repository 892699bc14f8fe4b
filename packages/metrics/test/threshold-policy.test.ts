// Threshold policy: derived from the deployed version's own backtest (upper percentile × tolerance),
// set only after a successful deployment of that version to that stage, warm-up on the current
// version's matured points, and the reference EWMA formula for comparison.

import type { DecideThresholdInput, ThresholdState } from '../src';
import {
  backtestThreshold,
  decideThreshold,
  forecastsOfModelVersion,
  percentile,
  referenceEwmaThreshold,
  warmUpStatus,
} from '../src';

const BACKTEST_V2 = {
  modelVersion: 'v2',
  windowWql: [0.1, 0.12, 0.11, 0.2, 0.15, null, 0.13, 0.14, 0.16, 0.18, 0.1],
};
const CURRENT_V1: ThresholdState = { stage: 'prod', modelVersion: 'v1', threshold: 0.25 };
const DEPLOYED_V2 = { modelVersion: 'v2', stage: 'prod', status: 'Succeeded' } as const;

function decide(overrides: Partial<DecideThresholdInput> = {}): ReturnType<typeof decideThreshold> {
  return decideThreshold({
    stage: 'prod',
    current: CURRENT_V1,
    deployment: DEPLOYED_V2,
    backtest: BACKTEST_V2,
    ...overrides,
  });
}

describe('percentile', () => {
  it('interpolates linearly between closest ranks (numpy default)', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(percentile([10, 20], 90)).toBeCloseTo(19, 12);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 12);
    expect(percentile([7], 90)).toBe(7);
  });

  it('rejects empty input, non-finite values and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 90)).toThrow(/empty/);
    expect(() => percentile([1, NaN], 90)).toThrow(/non-finite/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
    expect(() => percentile([1], 101)).toThrow(/\(0, 100\]/);
  });
});

describe('backtestThreshold', () => {
  const defined = BACKTEST_V2.windowWql.filter((w): w is number => w !== null);

  it('is p90 of the defined per-window wQL × 1.2 by default (undefined windows ignored)', () => {
    expect(backtestThreshold(BACKTEST_V2.windowWql)).toBeCloseTo(percentile(defined, 90) * 1.2, 12);
  });

  it('takes the percentile and the tolerance as options', () => {
    expect(backtestThreshold(BACKTEST_V2.windowWql, { percentile: 50, tolerance: 1 })).toBeCloseTo(
      percentile(defined, 50),
      12,
    );
    expect(backtestThreshold([0.1, 0.3], { percentile: 100, tolerance: 1.5 })).toBeCloseTo(0.45, 12);
  });

  it('gives no threshold without enough defined windows', () => {
    expect(backtestThreshold([null, null])).toBeUndefined();
    expect(backtestThreshold([0.1, 0.2], { minBacktestWindows: 3 })).toBeUndefined();
    expect(backtestThreshold([0.1, 0.2, 0.3], { minBacktestWindows: 3 })).toBeDefined();
  });

  it('rejects invalid windows and options', () => {
    expect(() => backtestThreshold([0.1, -1])).toThrow(/non-negative/);
    expect(() => backtestThreshold([0.1], { tolerance: 0 })).toThrow(/tolerance/);
    expect(() => backtestThreshold([0.1], { percentile: 0 })).toThrow(/percentile/);
  });
});

describe('decideThreshold', () => {
  it("sets the deployed version's backtest threshold after its successful deployment to this stage", () => {
    const decision = decide();
    expect(decision).toMatchObject({ changed: true, modelVersion: 'v2', policy: 'backtest-percentile' });
    expect(decision.threshold).toBeCloseTo(backtestThreshold(BACKTEST_V2.windowWql)!, 12);
    expect(decision.reason).toMatch(/successful deployment of v2 to prod: p90 .* × 1.2/);
  });

  it('can raise the threshold as well as lower it (no ratchet)', () => {
    const low = decide({ current: { ...CURRENT_V1, threshold: 0.01 } });
    expect(low.threshold!).toBeGreaterThan(0.01);
    const high = decide({ current: { ...CURRENT_V1, threshold: 5 } });
    expect(high.threshold!).toBeLessThan(5);
  });

  it.each([
    ['there is no deployment record', { deployment: undefined }, /no deployment record/],
    [
      'the deployment failed',
      { deployment: { ...DEPLOYED_V2, status: 'Failed' as const } },
      /is Failed, not Succeeded/,
    ],
    [
      'the deployment is in progress',
      { deployment: { ...DEPLOYED_V2, status: 'InProgress' as const } },
      /is InProgress/,
    ],
    [
      'the deployment is to another stage',
      { deployment: { ...DEPLOYED_V2, stage: 'staging' } },
      /to stage staging, not prod/,
    ],
    ['the backtest is missing', { backtest: undefined }, /no backtest of v2/],
    [
      'the backtest is of another version',
      { backtest: { ...BACKTEST_V2, modelVersion: 'v3' } },
      /backtest is of v3, not of the deployed v2/,
    ],
    [
      'the backtest has too few windows',
      { backtest: { modelVersion: 'v2', windowWql: [null] } },
      /fewer than 1 windows/,
    ],
  ])('keeps the current threshold with a reason when %s', (_name, overrides, reason) => {
    const decision = decide(overrides);
    expect(decision).toMatchObject({ changed: false, threshold: 0.25, modelVersion: 'v1' });
    expect(decision.reason).toMatch(reason);
  });

  it('is idempotent: a repeated deployment event of the version already in force changes nothing', () => {
    const first = decide();
    const again = decide({
      current: { stage: 'prod', modelVersion: first.modelVersion, threshold: first.threshold },
    });
    expect(again).toMatchObject({ changed: false, threshold: first.threshold, modelVersion: 'v2' });
    expect(again.reason).toMatch(/already set/);
  });

  it('sets a first threshold when none is in force', () => {
    const decision = decide({ current: { stage: 'prod', modelVersion: null, threshold: null } });
    expect(decision.changed).toBe(true);
    expect(decision.threshold).toBeCloseTo(backtestThreshold(BACKTEST_V2.windowWql)!, 12);
  });

  it('refuses a current threshold of another stage', () => {
    expect(() => decide({ current: { ...CURRENT_V1, stage: 'staging' } })).toThrow(/stage staging, not prod/);
  });

  describe("policy 'reference-ewma' (θ_new = (1−r)·ℓ_new + r·θ_old)", () => {
    const options = { policy: 'reference-ewma', retention: 0.25 } as const;

    it('blends the new loss with the old threshold after a successful deployment', () => {
      const decision = decide({ options, newModelLoss: { modelVersion: 'v2', value: 0.1 } });
      expect(decision).toMatchObject({ changed: true, modelVersion: 'v2', policy: 'reference-ewma' });
      expect(decision.threshold).toBeCloseTo(0.75 * 0.1 + 0.25 * 0.25, 12);
      expect(referenceEwmaThreshold(0.1, 0.25, 0.25)).toBeCloseTo(0.1375, 12);
      expect(referenceEwmaThreshold(0.1, null, 0.25)).toBe(0.1);
    });

    it('follows the same deployment rules', () => {
      const loss = { modelVersion: 'v2', value: 0.1 };
      expect(
        decide({ options, newModelLoss: loss, deployment: { ...DEPLOYED_V2, status: 'Failed' } }).changed,
      ).toBe(false);
      expect(decide({ options, newModelLoss: { ...loss, modelVersion: 'v1' } }).reason).toMatch(
        /loss is of v1/,
      );
      expect(decide({ options }).reason).toMatch(/no loss of v2/);
    });

    it('needs r in [0, 1]', () => {
      expect(() => decide({ options: { policy: 'reference-ewma' } })).toThrow(/needs options.retention/);
      expect(() => decide({ options: { policy: 'reference-ewma', retention: 1.5 } })).toThrow(/\[0, 1\]/);
    });

    it('converges onto recent losses, leaving no headroom above them (why it is not the default)', () => {
      let threshold: number | null = 0.3;
      for (const loss of [0.2, 0.19, 0.21, 0.2]) threshold = referenceEwmaThreshold(loss, threshold, 0.5);
      expect(threshold).toBeLessThan(0.22);
    });
  });

  it('rejects an unknown policy', () => {
    expect(() => decide({ options: { policy: 'magic' as 'reference-ewma' } })).toThrow(
      /unknown threshold policy/,
    );
  });
});

describe('warm-up', () => {
  it('counts only forecasts made by the current model version', () => {
    const records = [
      { id: 1, modelVersion: 'v1' },
      { id: 2, modelVersion: 'v2' },
      { id: 3 },
      { id: 4, modelVersion: null },
      { id: 5, modelVersion: 'v2' },
    ];
    expect(forecastsOfModelVersion(records, 'v2').map((r) => r.id)).toEqual([2, 5]);
    expect(forecastsOfModelVersion(records, 'v3')).toEqual([]);
  });

  const state: ThresholdState = { stage: 'prod', modelVersion: 'v2', threshold: 0.2 };

  it('uses the threshold only after the minimum number of matured points of the current version', () => {
    expect(warmUpStatus({ currentModelVersion: 'v2', state, maturedPoints: 99 })).toMatchObject({
      active: false,
      minMaturedPoints: 100,
      reason: expect.stringMatching(/warming up: 99 of 100/),
    });
    expect(warmUpStatus({ currentModelVersion: 'v2', state, maturedPoints: 100 })).toMatchObject({
      active: true,
      threshold: 0.2,
    });
    expect(
      warmUpStatus({ currentModelVersion: 'v2', state, maturedPoints: 5, minMaturedPoints: 5 }).active,
    ).toBe(true);
  });

  it("does not apply another version's threshold to the current model", () => {
    const status = warmUpStatus({ currentModelVersion: 'v3', state, maturedPoints: 10_000 });
    expect(status.active).toBe(false);
    expect(status.reason).toMatch(/belongs to v2, not to the current v3/);
  });

  it('is inactive while no threshold is set', () => {
    const status = warmUpStatus({
      currentModelVersion: 'v2',
      state: { ...state, threshold: null },
      maturedPoints: 500,
    });
    expect(status).toMatchObject({ active: false, reason: 'no threshold is set yet' });
  });

  it('rejects invalid counts', () => {
    expect(() => warmUpStatus({ currentModelVersion: 'v2', state, maturedPoints: -1 })).toThrow(
      /maturedPoints/,
    );
    expect(() =>
      warmUpStatus({ currentModelVersion: 'v2', state, maturedPoints: 1, minMaturedPoints: 1.5 }),
    ).toThrow(/minMaturedPoints/);
  });
});

describe('alarm threshold, gate and model version (#14 finding 8)', () => {
  const uncapped = backtestThreshold(BACKTEST_V2.windowWql) as number;

  it('caps the threshold at the gate the version passed: never above the gate', () => {
    expect(uncapped).toBeGreaterThan(0.2);
    const capped = decide({ gateThreshold: 0.2 });
    expect(capped.threshold).toBe(0.2);
    expect(capped.modelVersion).toBe('v2');
    expect(capped.reason).toMatch(/capped at the gate 0\.2/);
    // Below the gate the policy value stands.
    expect(decide({ gateThreshold: 1 }).threshold).toBeCloseTo(uncapped, 12);
    // Without a gate (older callers), no cap: the negative control.
    expect(decide().threshold).toBeCloseTo(uncapped, 12);
  });

  it('a worse model does not get a laxer alarm than the gate allows', () => {
    const worse = {
      modelVersion: 'v2',
      windowWql: BACKTEST_V2.windowWql.map((w) => (w === null ? null : w * 3)),
    };
    expect(decide({ backtest: worse }).threshold).toBeGreaterThan(decide().threshold as number);
    expect(decide({ backtest: worse, gateThreshold: 0.2 }).threshold).toBe(0.2);
  });

  it('rejects a gate that is not a positive number', () => {
    expect(() => decide({ gateThreshold: 0 })).toThrow(/gateThreshold/);
    expect(() => decide({ gateThreshold: Number.NaN })).toThrow(/gateThreshold/);
  });
});
