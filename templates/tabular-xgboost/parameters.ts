// The parameters a data scientist fills in Studio when creating a tabular XGBoost project, validated by
// CloudFormation (AllowedPattern/AllowedValues and Rules, e.g. a gate metric that suits the problem type).
import {
  COLUMN_NAME_PATTERN,
  DATA_RETENTION_PARAMETER,
  DATA_SOURCE_LOCATION_PARAMETER,
  INSTANCE_TYPE_PATTERN,
  NOTIFICATION_EMAIL_PARAMETER,
  OptionalParameterProps,
  SageMakerProjectProductStack,
} from '@mlops-templates/constructs';
import {
  MODEL_MONITOR_SCHEDULE_ALLOWED_PATTERN,
  MODEL_MONITOR_SCHEDULE_DESCRIPTION,
} from '@mlops-templates/metrics';
import { TABULAR_GATE_METRICS, TABULAR_PROBLEM_TYPES } from '@mlops-templates/project-contract';
import { TABULAR_FEATURE_NAMES } from '@mlops-templates/project-handlers';
import {
  CfnCondition,
  CfnParameter,
  CfnRule,
  Fn,
  ICfnConditionExpression,
  ICfnRuleConditionExpression,
} from 'aws-cdk-lib';

/** The template's parameters (CloudFormation tokens) and derived conditions. */
export interface TabularParameters {
  readonly dataSourceType: CfnParameter;
  readonly dataSourceLocation: CfnParameter;
  readonly targetColumn: CfnParameter;
  readonly problemType: CfnParameter;
  readonly gateMetric: CfnParameter;
  readonly gateThreshold: CfnParameter;
  readonly trainingInstanceType: CfnParameter;
  readonly processingInstanceType: CfnParameter;
  readonly stagingInstanceType: CfnParameter;
  readonly prodInstanceType: CfnParameter;
  readonly monitoringSchedule: CfnParameter;
  readonly notificationEmail: CfnParameter;
  readonly syntheticDrift: CfnParameter;
  readonly syntheticDriftAt: CfnParameter;
  readonly syntheticDriftFeature: CfnParameter;
  readonly dataRetention: CfnParameter;
  /** True when the project generates its own synthetic data. */
  readonly isSynthetic: CfnCondition;
  /** DataSourceType = s3. */
  readonly isS3Source: CfnCondition;
  /** DataSourceType = feature-group. */
  readonly isFeatureGroupSource: CfnCondition;
  /** True when an e-mail address was given. */
  readonly hasEmail: CfnCondition;
  /** True when the synthetic data drift (SyntheticDrift is not none). */
  readonly hasSyntheticDrift: CfnCondition;
}

/** Declares the tabular template's parameters on its product stack. */
export function declareTabularParameters(stack: SageMakerProjectProductStack): TabularParameters {
  const p = (id: string, props: OptionalParameterProps) => stack.addOptionalParameter(id, props);
  const dataSourceType = p('DataSourceType', {
    type: 'String',
    description:
      'Where the data come from: synthetic (generated in the project bucket), s3 (CSV/Parquet files with a header) or feature-group (its offline store).',
    allowedValues: ['synthetic', 's3', 'feature-group'],
    default: 'synthetic',
  });
  const dataSourceLocation = p('DataSourceLocation', DATA_SOURCE_LOCATION_PARAMETER);
  const targetColumn = p('TargetColumn', {
    type: 'String',
    description: 'Column holding the value to predict.',
    allowedPattern: COLUMN_NAME_PATTERN,
    default: 'target',
  });
  const problemType = p('ProblemType', {
    type: 'String',
    description: 'regression (a number), binary (two classes) or multiclass (three or more classes).',
    allowedValues: [...TABULAR_PROBLEM_TYPES],
    default: 'regression',
  });
  const gateMetric = p('GateMetric', {
    type: 'String',
    description:
      'Test-set metric the training gate compares with GateThreshold: rmse or mae (regression, at most), auc or f1 (classification, at least).',
    allowedValues: [...new Set(Object.values(TABULAR_GATE_METRICS).flat())],
    default: 'rmse',
  });
  const gateThreshold = p('GateThreshold', {
    type: 'String',
    description:
      'Training gate: the GateMetric value a model must reach to be registered; default = the model-build config value for the metric.',
    allowedPattern: '^(default|[0-9]{1,6}(\\.[0-9]{1,6})?)$',
    constraintDescription: 'default or a positive decimal number',
    default: 'default',
  });
  const instanceType = (id: string, what: string, fallback: string) =>
    p(id, {
      type: 'String',
      description: `Instance type of ${what}.`,
      allowedPattern: INSTANCE_TYPE_PATTERN,
      default: fallback,
    });
  const trainingInstanceType = instanceType(
    'TrainingInstanceType',
    'the XGBoost training job',
    'ml.m5.xlarge',
  );
  const processingInstanceType = instanceType(
    'ProcessingInstanceType',
    'the data preparation, evaluation and baseline jobs',
    'ml.m5.xlarge',
  );
  const stagingInstanceType = instanceType('StagingInstanceType', 'the staging endpoint', 'ml.m5.large');
  const prodInstanceType = instanceType('ProdInstanceType', 'the prod endpoint', 'ml.m5.large');
  const monitoringSchedule = p('MonitoringSchedule', {
    type: 'String',
    description:
      'How often the data-quality and model-quality monitors run: rate(1 hour), rate(1 day), cron(0 * ? * * *) or cron(0 H ? * * *).',
    allowedPattern: MODEL_MONITOR_SCHEDULE_ALLOWED_PATTERN,
    constraintDescription: MODEL_MONITOR_SCHEDULE_DESCRIPTION,
    default: 'rate(1 hour)',
  });
  const notificationEmail = p('NotificationEmail', NOTIFICATION_EMAIL_PARAMETER);
  const syntheticDrift = p('SyntheticDrift', {
    type: 'String',
    description:
      'Synthetic data only: drift injected from SyntheticDriftAt on, to exercise monitoring and the retrain loop: covariate (SyntheticDriftFeature shifts), concept (the relation to the target changes) or none.',
    allowedValues: ['none', 'covariate', 'concept'],
    default: 'none',
  });
  const syntheticDriftAt = p('SyntheticDriftAt', {
    type: 'String',
    description: 'Synthetic data only: UTC time (YYYY-MM-DDTHH:MM:SSZ) the drift starts; none without drift.',
    allowedPattern: '^(none|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)$',
    default: 'none',
  });
  const syntheticDriftFeature = p('SyntheticDriftFeature', {
    type: 'String',
    description: 'Synthetic data only: the feature a covariate drift shifts.',
    allowedValues: [...TABULAR_FEATURE_NAMES],
    default: 'income_k',
  });
  const dataRetention = p('DataRetention', DATA_RETENTION_PARAMETER);

  const equals = (param: CfnParameter, value: string) => Fn.conditionEquals(param.valueAsString, value);
  const condition = (id: string, expression: ICfnConditionExpression) =>
    new CfnCondition(stack, id, { expression });
  const isSynthetic = condition('IsSyntheticDataSource', equals(dataSourceType, 'synthetic'));
  const isS3Source = condition('IsS3DataSource', equals(dataSourceType, 's3'));
  const isFeatureGroupSource = condition('IsFeatureGroupDataSource', equals(dataSourceType, 'feature-group'));
  const hasEmail = condition('HasNotificationEmail', Fn.conditionNot(equals(notificationEmail, 'none')));
  const hasSyntheticDrift = condition(
    'HasSyntheticDrift',
    Fn.conditionAnd(isSynthetic, Fn.conditionNot(equals(syntheticDrift, 'none'))),
  );

  const rule = (
    id: string,
    when: ICfnRuleConditionExpression,
    assert: ICfnRuleConditionExpression,
    description: string,
  ) =>
    new CfnRule(stack, id, { ruleCondition: when, assertions: [{ assert, assertDescription: description }] });
  rule(
    'ExternalDataSourceNeedsLocation',
    Fn.conditionNot(equals(dataSourceType, 'synthetic')),
    Fn.conditionNot(equals(dataSourceLocation, 'none')),
    'DataSourceLocation is required when DataSourceType is s3 or feature-group',
  );
  rule(
    'SyntheticDataSourceHasNoLocation',
    equals(dataSourceType, 'synthetic'),
    equals(dataSourceLocation, 'none'),
    'DataSourceLocation must be none when DataSourceType is synthetic',
  );
  rule(
    'DriftOnlyForSyntheticData',
    Fn.conditionNot(equals(dataSourceType, 'synthetic')),
    equals(syntheticDrift, 'none'),
    'SyntheticDrift applies only to the synthetic data source',
  );
  rule(
    'DriftNeedsItsTime',
    Fn.conditionNot(equals(syntheticDrift, 'none')),
    Fn.conditionNot(equals(syntheticDriftAt, 'none')),
    'SyntheticDriftAt is required when SyntheticDrift is covariate or concept',
  );
  rule(
    'DriftTimeNeedsDrift',
    equals(syntheticDrift, 'none'),
    equals(syntheticDriftAt, 'none'),
    'SyntheticDriftAt must be none when SyntheticDrift is none',
  );
  // The gate metric must suit the problem type (model-build refuses any other pairing at its build;
  // the rule refuses it at creation). Rules functions: Fn::Contains (CloudFormation User Guide,
  // "Rules", supported functions).
  for (const type of TABULAR_PROBLEM_TYPES) {
    const metrics = TABULAR_GATE_METRICS[type];
    rule(
      `${type[0].toUpperCase()}${type.slice(1)}GateMetric`,
      equals(problemType, type),
      Fn.conditionContains([...metrics], gateMetric.valueAsString),
      `GateMetric must be ${metrics.join(' or ')} when ProblemType is ${type}`,
    );
  }

  return {
    dataSourceType,
    dataSourceLocation,
    targetColumn,
    problemType,
    gateMetric,
    gateThreshold,
    trainingInstanceType,
    processingInstanceType,
    stagingInstanceType,
    prodInstanceType,
    monitoringSchedule,
    notificationEmail,
    syntheticDrift,
    syntheticDriftAt,
    syntheticDriftFeature,
    dataRetention,
    isSynthetic,
    isS3Source,
    isFeatureGroupSource,
    hasEmail,
    hasSyntheticDrift,
  };
}
