// The CloudWatch side of the collector's publication: the datapoints of a decision (the decision itself,
// `decidePublication`, is the pure core in @mlops-templates/metrics) and the PutMetricData call.
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { METRIC_NAMES, normaliseModelVersion, type Publication } from '@mlops-templates/metrics';

/**
 * The CloudWatch datapoints of a publication: every metric with dimensions {Stage, ModelVersion};
 * `points_evaluated` also with {Stage} alone (the freshness alarm does not depend on the version).
 */
export function metricData(
  publication: Publication,
  stage: string,
  modelVersion: string | null,
  timestamp: Date,
): MetricDatum[] {
  const version = modelVersion === null ? 'unknown' : normaliseModelVersion(modelVersion);
  const byVersion = [
    { Name: 'Stage', Value: stage },
    { Name: 'ModelVersion', Value: version },
  ];
  const data: MetricDatum[] = [
    {
      MetricName: METRIC_NAMES.pointsEvaluated,
      Dimensions: [{ Name: 'Stage', Value: stage }],
      Timestamp: timestamp,
      Value: publication.pointsEvaluated,
      Unit: 'Count',
    },
    {
      MetricName: METRIC_NAMES.pointsEvaluated,
      Dimensions: byVersion,
      Timestamp: timestamp,
      Value: publication.pointsEvaluated,
      Unit: 'Count',
    },
  ];
  if (publication.meanWql !== undefined) {
    data.push({
      MetricName: METRIC_NAMES.meanWql,
      Dimensions: byVersion,
      Timestamp: timestamp,
      Value: publication.meanWql,
      Unit: 'None',
    });
  }
  if (publication.threshold !== undefined) {
    data.push({
      MetricName: METRIC_NAMES.threshold,
      Dimensions: byVersion,
      Timestamp: timestamp,
      Value: publication.threshold,
      Unit: 'None',
    });
  }
  return data;
}

/** Publishes the datapoints (one PutMetricData call: at most 4 datapoints). */
export async function publishMetricData(
  cloudwatch: CloudWatchClient,
  namespace: string,
  data: MetricDatum[],
): Promise<void> {
  await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
}
