// The parameters a data scientist fills in Studio when creating a DeepAR forecasting project,
// validated by CloudFormation (AllowedPattern/AllowedValues/Min/Max and Rules).
import {
  COLUMN_NAME_PATTERN,
  DATA_RETENTION_PARAMETER,
  DATA_SOURCE_LOCATION_PARAMETER,
  INSTANCE_TYPE_PATTERN,
  NOTIFICATION_EMAIL_PARAMETER,
  SageMakerProjectProductStack,
} from '@mlops-templates/constructs';
import {
  FREQUENCY_ALLOWED_PATTERN,
  FREQUENCY_DESCRIPTION,
  MONITORING_SCHEDULE_ALLOWED_PATTERN,
} from '@mlops-templates/metrics';
import { CfnCondition, CfnParameter, CfnRule, Fn } from 'aws-cdk-lib';

/** The template's parameters (CloudFormation tokens) and derived conditions. */
export interface DeepArParameters {
  readonly dataSourceType: CfnParameter;
  readonly dataSourceLocation: CfnParameter;
  readonly targetColumn: CfnParameter;
  readonly timestampColumn: CfnParameter;
  readonly itemIdColumn: CfnParameter;
  readonly frequency: CfnParameter;
  readonly predictionLength: CfnParameter;
  readonly monitoringSchedule: CfnParameter;
  readonly stagingInstanceType: CfnParameter;
  readonly prodInstanceType: CfnParameter;
  readonly notificationEmail: CfnParameter;
  readonly syntheticLevelShiftAt: CfnParameter;
  readonly dataRetention: CfnParameter;
  /** True when the project generates its own synthetic series. */
  readonly isSynthetic: CfnCondition;
  /** DataSourceType = s3. */
  readonly isS3Source: CfnCondition;
  /** DataSourceType = feature-group. */
  readonly isFeatureGroupSource: CfnCondition;
  /** True when an e-mail address was given. */
  readonly hasEmail: CfnCondition;
}

/** Declares the DeepAR template's parameters on its product stack. */
export function declareDeepArParameters(stack: SageMakerProjectProductStack): DeepArParameters {
  const dataSourceType = stack.addOptionalParameter('DataSourceType', {
    type: 'String',
    description:
      'Where the series comes from: synthetic (generated in the project bucket), s3 (CSV/Parquet) or feature-group.',
    allowedValues: ['synthetic', 's3', 'feature-group'],
    default: 'synthetic',
  });
  const dataSourceLocation = stack.addOptionalParameter('DataSourceLocation', DATA_SOURCE_LOCATION_PARAMETER);
  const targetColumn = stack.addOptionalParameter('TargetColumn', {
    type: 'String',
    description: 'Column holding the value to forecast.',
    allowedPattern: COLUMN_NAME_PATTERN,
    default: 'target',
  });
  const timestampColumn = stack.addOptionalParameter('TimestampColumn', {
    type: 'String',
    description: 'Column holding the ISO-8601 timestamp of each observation.',
    allowedPattern: COLUMN_NAME_PATTERN,
    default: 'timestamp',
  });
  const itemIdColumn = stack.addOptionalParameter('ItemIdColumn', {
    type: 'String',
    description: 'Column identifying the series (several items); none for a single series.',
    allowedPattern: '^(none|[A-Za-z_][A-Za-z0-9_]{0,63})$',
    default: 'none',
  });
  const frequency = stack.addOptionalParameter('Frequency', {
    type: 'String',
    description: 'Sampling frequency of the series (DeepAR time_freq), e.g. 1min, 5min, 1H, 1D.',
    // The one grammar every consumer parses (issue #14): no weekly or 3-day steps, which the
    // 3-period monitoring alarms cannot evaluate within CloudWatch's 7-day range.
    allowedPattern: FREQUENCY_ALLOWED_PATTERN,
    constraintDescription: FREQUENCY_DESCRIPTION,
    default: '1H',
  });
  const predictionLength = stack.addOptionalParameter('PredictionLength', {
    type: 'Number',
    description: 'Forecast horizon in time steps (DeepAR prediction_length).',
    minValue: 1,
    maxValue: 500,
    default: '24',
  });
  const monitoringSchedule = stack.addOptionalParameter('MonitoringSchedule', {
    type: 'String',
    description: 'How often the monitoring collector runs: rate(...) or cron(...) expression.',
    // At most 56 hours between runs: 3 one-run alarm periods must fit CloudWatch's 7 days (issue #14).
    allowedPattern: MONITORING_SCHEDULE_ALLOWED_PATTERN,
    constraintDescription:
      'a cron(...) expression or a rate(...) of at most 56 hours (1-3360 minutes, 1-56 hours, 1-2 days)',
    default: 'rate(1 hour)',
  });
  const stagingInstanceType = stack.addOptionalParameter('StagingInstanceType', {
    type: 'String',
    description: 'Instance type of the staging endpoint.',
    allowedPattern: INSTANCE_TYPE_PATTERN,
    default: 'ml.m5.large',
  });
  const prodInstanceType = stack.addOptionalParameter('ProdInstanceType', {
    type: 'String',
    description: 'Instance type of the prod endpoint.',
    allowedPattern: INSTANCE_TYPE_PATTERN,
    default: 'ml.m5.large',
  });
  const notificationEmail = stack.addOptionalParameter('NotificationEmail', NOTIFICATION_EMAIL_PARAMETER);
  const syntheticLevelShiftAt = stack.addOptionalParameter('SyntheticLevelShiftAt', {
    type: 'String',
    description:
      'Synthetic data only: UTC time (YYYY-MM-DDTHH:MM:SSZ) from which the level shifts, to exercise the retrain loop; none for no shift.',
    allowedPattern: '^(none|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)$',
    default: 'none',
  });
  const dataRetention = stack.addOptionalParameter('DataRetention', DATA_RETENTION_PARAMETER);

  const isSynthetic = new CfnCondition(stack, 'IsSyntheticDataSource', {
    expression: Fn.conditionEquals(dataSourceType.valueAsString, 'synthetic'),
  });
  const isS3Source = new CfnCondition(stack, 'IsS3DataSource', {
    expression: Fn.conditionEquals(dataSourceType.valueAsString, 's3'),
  });
  const isFeatureGroupSource = new CfnCondition(stack, 'IsFeatureGroupDataSource', {
    expression: Fn.conditionEquals(dataSourceType.valueAsString, 'feature-group'),
  });
  const hasEmail = new CfnCondition(stack, 'HasNotificationEmail', {
    expression: Fn.conditionNot(Fn.conditionEquals(notificationEmail.valueAsString, 'none')),
  });

  new CfnRule(stack, 'ExternalDataSourceNeedsLocation', {
    ruleCondition: Fn.conditionNot(Fn.conditionEquals(dataSourceType.valueAsString, 'synthetic')),
    assertions: [
      {
        assert: Fn.conditionNot(Fn.conditionEquals(dataSourceLocation.valueAsString, 'none')),
        assertDescription: 'DataSourceLocation is required when DataSourceType is s3 or feature-group',
      },
    ],
  });
  new CfnRule(stack, 'SyntheticDataSourceHasNoLocation', {
    ruleCondition: Fn.conditionEquals(dataSourceType.valueAsString, 'synthetic'),
    assertions: [
      {
        assert: Fn.conditionEquals(dataSourceLocation.valueAsString, 'none'),
        assertDescription: 'DataSourceLocation must be none when DataSourceType is synthetic',
      },
    ],
  });
  new CfnRule(stack, 'LevelShiftOnlyForSyntheticData', {
    ruleCondition: Fn.conditionNot(Fn.conditionEquals(dataSourceType.valueAsString, 'synthetic')),
    assertions: [
      {
        assert: Fn.conditionEquals(syntheticLevelShiftAt.valueAsString, 'none'),
        assertDescription: 'SyntheticLevelShiftAt applies only to the synthetic data source',
      },
    ],
  });

  return {
    dataSourceType,
    dataSourceLocation,
    targetColumn,
    timestampColumn,
    itemIdColumn,
    frequency,
    predictionLength,
    monitoringSchedule,
    stagingInstanceType,
    prodInstanceType,
    notificationEmail,
    syntheticLevelShiftAt,
    dataRetention,
    isS3Source,
    isFeatureGroupSource,
    isSynthetic,
    hasEmail,
  };
}
