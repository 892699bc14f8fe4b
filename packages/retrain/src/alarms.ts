// What the retrain decision reads from CloudWatch: one alarm by name (event path) or every alarm of the
// project in ALARM (re-check), as snapshots with the model version the alarm watches. AWS reads only.
import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmSnapshot } from './decision';

/** Name of the metric dimension that says which model version an accuracy alarm watches. */
export const MODEL_VERSION_DIMENSION = 'ModelVersion';

function toSnapshot(
  alarm: MetricAlarm | CompositeAlarm,
  type: 'metric' | 'composite',
): AlarmSnapshot | undefined {
  const enteredStateAt = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  if (alarm.AlarmName === undefined || alarm.AlarmArn === undefined || enteredStateAt === undefined) {
    return undefined;
  }
  const suppressedBy = 'ActionsSuppressedBy' in alarm ? alarm.ActionsSuppressedBy : undefined;
  const modelVersion = type === 'metric' ? modelVersionOf(alarm as MetricAlarm) : undefined;
  return {
    name: alarm.AlarmName,
    arn: alarm.AlarmArn,
    type,
    state: alarm.StateValue ?? 'UNKNOWN',
    enteredStateAt,
    actionsSuppressedBy: suppressedBy,
    ...(modelVersion !== undefined ? { modelVersion } : {}),
  };
}

/** The ModelVersion dimension of a metric alarm (single metric, or any metric of its metric math). */
function modelVersionOf(alarm: MetricAlarm): string | undefined {
  const dimensionSets = [
    alarm.Dimensions ?? [],
    ...(alarm.Metrics ?? []).map((m) => m.MetricStat?.Metric?.Dimensions ?? []),
  ];
  for (const dimensions of dimensionSets) {
    const value = dimensions.find((d) => d.Name === MODEL_VERSION_DIMENSION)?.Value;
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** The alarm named `alarmName`, or every alarm whose name starts with `prefix` and is in ALARM. */
export async function describeAlarms(
  cloudwatch: CloudWatchClient,
  query: { alarmName: string } | { prefix: string },
): Promise<AlarmSnapshot[]> {
  const snapshots: AlarmSnapshot[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudwatch.send(
      new DescribeAlarmsCommand({
        ...('alarmName' in query
          ? { AlarmNames: [query.alarmName] }
          : { AlarmNamePrefix: query.prefix, StateValue: 'ALARM' }),
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: 100,
        NextToken: nextToken,
      }),
    );
    for (const alarm of page.MetricAlarms ?? []) {
      const snapshot = toSnapshot(alarm, 'metric');
      if (snapshot !== undefined) snapshots.push(snapshot);
    }
    for (const alarm of page.CompositeAlarms ?? []) {
      const snapshot = toSnapshot(alarm, 'composite');
      if (snapshot !== undefined) snapshots.push(snapshot);
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return snapshots;
}
