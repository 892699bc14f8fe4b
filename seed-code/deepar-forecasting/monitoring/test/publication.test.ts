// The CloudWatch datapoints of a publication (dimensions, namespace). The decision itself is tested with
// its core in @mlops-templates/metrics (test/monitoring/publication.test.ts).
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { metricData, publishMetricData } from '../src/collector/publication';

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
