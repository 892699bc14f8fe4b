// What is published and why: freshness (no new data / too few matured points → points_evaluated = 0,
// no mean_wQL), the per-version threshold from SSM through the threshold policy's warm-up, dimensions.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { metricData, publishMetricData } from '../src/collector/publication';
import { decidePublication, parseThresholdParameter, type PublicationInput } from '@mlops-templates/metrics';

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

describe('metric data', () => {
  const at = new Date(Date.UTC(2024, 5, 1, 12));

  test('Stage and ModelVersion dimensions; points_evaluated also per stage only', () => {
    const data = metricData(
      { pointsEvaluated: 240, meanWql: 0.18, threshold: 0.25 },
      'prod',
      'arn:aws:sagemaker:eu-west-1:123456789012:model-package/g/5',
      at,
    );
    expect(data).toEqual([
      {
        MetricName: 'points_evaluated',
        Dimensions: [{ Name: 'Stage', Value: 'prod' }],
        Timestamp: at,
        Value: 240,
        Unit: 'Count',
      },
      {
        MetricName: 'points_evaluated',
        Dimensions: [
          { Name: 'Stage', Value: 'prod' },
          { Name: 'ModelVersion', Value: '5' },
        ],
        Timestamp: at,
        Value: 240,
        Unit: 'Count',
      },
      {
        MetricName: 'mean_wQL',
        Dimensions: [
          { Name: 'Stage', Value: 'prod' },
          { Name: 'ModelVersion', Value: '5' },
        ],
        Timestamp: at,
        Value: 0.18,
        Unit: 'None',
      },
      {
        MetricName: 'threshold',
        Dimensions: [
          { Name: 'Stage', Value: 'prod' },
          { Name: 'ModelVersion', Value: '5' },
        ],
        Timestamp: at,
        Value: 0.25,
        Unit: 'None',
      },
    ]);
  });

  test('a freshness-only run publishes points_evaluated = 0 and nothing else', () => {
    const data = metricData({ pointsEvaluated: 0, accuracyReason: 'no new data' }, 'staging', null, at);
    expect(data.map((d) => [d.MetricName, d.Value])).toEqual([
      ['points_evaluated', 0],
      ['points_evaluated', 0],
    ]);
    expect(data[1].Dimensions).toContainEqual({ Name: 'ModelVersion', Value: 'unknown' });
  });

  test('publishMetricData sends them to the project namespace', async () => {
    const cw = mockClient(CloudWatchClient);
    cw.on(PutMetricDataCommand).resolves({});
    const data = metricData({ pointsEvaluated: 0 }, 'staging', '1', at);
    await publishMetricData(
      new CloudWatchClient({ region: 'us-east-1' }),
      'SageMakerProjects/demo-p-1',
      data,
    );
    const call = cw.commandCalls(PutMetricDataCommand)[0].args[0].input;
    expect(call.Namespace).toBe('SageMakerProjects/demo-p-1');
    expect(call.MetricData).toEqual(data);
    cw.restore();
  });
});
