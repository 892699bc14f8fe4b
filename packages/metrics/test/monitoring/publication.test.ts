// What the collector publishes and why (the pure decision): freshness (no new data / too few matured
// points → points_evaluated = 0, no mean_wQL) and the per-version threshold from SSM through the
// threshold policy's warm-up. Moved with the core from the monitoring seed (#15).
import { decidePublication, parseThresholdParameter, type PublicationInput } from '../../src';

describe('parseThresholdParameter', () => {
  test('"unset" and an absent parameter mean no threshold', () => {
    expect(parseThresholdParameter('unset', 'staging')).toEqual({ kind: 'unset' });
    expect(parseThresholdParameter(undefined, 'staging')).toEqual({ kind: 'unset' });
  });
  test('the threshold policy decision (JSON with its model version)', () => {
    const value = JSON.stringify({
      threshold: 0.21,
      modelVersion: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/g/5',
      policy: 'backtest-percentile',
      reason: 'x',
    });
    expect(parseThresholdParameter(value, 'prod')).toEqual({
      kind: 'versioned',
      state: {
        stage: 'prod',
        modelVersion: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/g/5',
        threshold: 0.21,
      },
    });
  });
  test('a bare number is a manual override', () => {
    expect(parseThresholdParameter(' 0.3 ', 'prod')).toEqual({ kind: 'manual', threshold: 0.3 });
  });
  test.each([
    ['{"threshold": 0.2}', /modelVersion/],
    ['{"threshold": -1, "modelVersion": "1"}', /positive/],
    ['{"threshold": 0.2, "modelVersion": "1", "stage": "staging"}', /stage staging, not prod/],
    ['[1]', /not an object/],
    ['0', /positive/],
    ['high', /neither/],
  ])('invalid: %s', (value, reason) => {
    const parsed = parseThresholdParameter(value, 'prod');
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.reason).toMatch(reason);
  });
});

describe('decidePublication', () => {
  const base: PublicationInput = {
    stage: 'prod',
    newData: true,
    modelVersion: '5',
    points: 240,
    meanWql: 0.18,
    minPointsEvaluated: 100,
    threshold: { kind: 'versioned', state: { stage: 'prod', modelVersion: 'g/5', threshold: 0.25 } },
  };

  test('fresh data, enough points, threshold of the serving version: all three datapoints', () => {
    expect(decidePublication(base)).toEqual({ pointsEvaluated: 240, meanWql: 0.18, threshold: 0.25 });
  });

  test('no new data: points_evaluated = 0 and no mean_wQL', () => {
    const p = decidePublication({ ...base, newData: false });
    expect(p.pointsEvaluated).toBe(0);
    expect(p.meanWql).toBeUndefined();
    expect(p.threshold).toBeUndefined();
    expect(p.accuracyReason).toMatch(/no new data/);
  });

  test('too few matured points: points_evaluated = 0 and no mean_wQL', () => {
    const p = decidePublication({ ...base, points: 99 });
    expect(p).toMatchObject({ pointsEvaluated: 0, accuracyReason: expect.stringMatching(/99 < 100/) });
    expect(p.meanWql).toBeUndefined();
  });

  test('undefined wQL (all-zero targets): no datapoint, with the reason', () => {
    const p = decidePublication({ ...base, meanWql: null, accuracyReason: 'the sum of |target| is 0' });
    expect(p).toMatchObject({ pointsEvaluated: 0, accuracyReason: 'the sum of |target| is 0' });
  });

  test('"unset": mean_wQL but no threshold datapoint, and the reason', () => {
    const p = decidePublication({ ...base, threshold: { kind: 'unset' } });
    expect(p.meanWql).toBe(0.18);
    expect(p.threshold).toBeUndefined();
    expect(p.thresholdReason).toMatch(/unset/);
  });

  test('a threshold of another model version is not used (per version)', () => {
    const p = decidePublication({
      ...base,
      threshold: { kind: 'versioned', state: { stage: 'prod', modelVersion: '4', threshold: 0.25 } },
    });
    expect(p.meanWql).toBe(0.18);
    expect(p.threshold).toBeUndefined();
    expect(p.thresholdReason).toMatch(/belongs to 4, not to the current 5/);
  });

  test('a manual threshold applies to the serving version', () => {
    expect(decidePublication({ ...base, threshold: { kind: 'manual', threshold: 0.4 } }).threshold).toBe(0.4);
  });
});
