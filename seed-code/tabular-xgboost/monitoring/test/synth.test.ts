// The stage stacks, asserted on the synthesized templates: the two built-in monitors against the
// served package's baselines (image of the region, KMS, network isolation, problem type, ground truth),
// the retrain alarms with the project's prefix, freshness → SNS, each stage on its own endpoint only.
import { Match } from 'aws-cdk-lib/assertions';
import { loadMonitoringConfig, monitorSchedule } from '../src/config';
import { exampleDeploymentEnvironment, type DeploymentEnvironment } from '../src/environment';
import { synthTemplates } from './support';

const example = exampleDeploymentEnvironment();
const VARS = example.environment;
const ALARM = (t: ReturnType<typeof synthTemplates>['staging']) =>
  Object.values(t.findResources('AWS::CloudWatch::Alarm')).map(
    (r) => r.Properties as Record<string, unknown>,
  );

/** The example with other stage resolutions. */
function withStages(
  patch: (s: DeploymentEnvironment['stages']['staging']) => DeploymentEnvironment['stages']['staging'],
  vars = {},
): DeploymentEnvironment {
  const base = exampleDeploymentEnvironment(vars);
  return { ...base, stages: { staging: patch(base.stages.staging), prod: patch(base.stages.prod) } };
}

describe.each(['staging', 'prod'] as const)('%s stack', (stage) => {
  const t = synthTemplates()[stage];
  const endpoint = stage === 'staging' ? VARS.STAGING_ENDPOINT_NAME : VARS.PROD_ENDPOINT_NAME;
  const other = stage === 'staging' ? VARS.PROD_ENDPOINT_NAME : VARS.STAGING_ENDPOINT_NAME;
  const resolved = example.stages[stage];

  test('data-quality monitor on the served package baselines, encrypted and network-isolated', () => {
    t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      JobDefinitionName: Match.stringLikeRegexp(`^sagemaker-p-abcdefghijkl-dq-${stage}-[0-9a-f]{8}$`),
      DataQualityAppSpecification: {
        ImageUri: '468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer',
        Environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      DataQualityBaselineConfig: {
        ConstraintsResource: { S3Uri: resolved.dataQuality!.constraintsUri },
        StatisticsResource: { S3Uri: resolved.dataQuality!.statisticsUri },
      },
      DataQualityJobInput: { EndpointInput: { EndpointName: endpoint } },
      DataQualityJobOutputConfig: {
        KmsKeyId: VARS.PROJECT_KMS_KEY_ARN,
        MonitoringOutputs: [
          { S3Output: { S3Uri: `s3://${VARS.PROJECT_BUCKET}/monitoring/${stage}/data-quality` } },
        ],
      },
      JobResources: { ClusterConfig: { VolumeKmsKeyId: VARS.PROJECT_KMS_KEY_ARN } },
      NetworkConfig: { EnableNetworkIsolation: true },
      RoleArn: VARS.SAGEMAKER_EXECUTION_ROLE_ARN,
    });
    t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleName: `sagemaker-p-abcdefghijkl-data-quality-${stage}`,
      MonitoringScheduleConfig: {
        MonitoringType: 'DataQuality',
        ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
        MonitoringJobDefinitionName: Match.stringLikeRegexp(`-dq-${stage}-`),
      },
    });
  });

  test('model-quality monitor: problem type, prediction column, the collector ground truth', () => {
    t.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: { ProblemType: 'Regression' },
      ModelQualityBaselineConfig: { ConstraintsResource: { S3Uri: resolved.modelQuality!.constraintsUri } },
      ModelQualityJobInput: {
        EndpointInput: {
          EndpointName: endpoint,
          InferenceAttribute: '0',
          StartTimeOffset: '-P1D',
          EndTimeOffset: '-PT1H',
        },
        GroundTruthS3Input: { S3Uri: `s3://${VARS.PROJECT_BUCKET}/ground-truth/${stage}` },
      },
      ModelQualityJobOutputConfig: { KmsKeyId: VARS.PROJECT_KMS_KEY_ARN },
      NetworkConfig: { EnableNetworkIsolation: true },
    });
    t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleName: `sagemaker-p-abcdefghijkl-model-quality-${stage}`,
      MonitoringScheduleConfig: { MonitoringType: 'ModelQuality' },
    });
  });

  test('retrain alarms start with ALARM_NAME_PREFIX; the freshness alarm does not and notifies', () => {
    const alarms = ALARM(t);
    const names = alarms.map((a) => a.AlarmName as string).sort();
    expect(names).toEqual(
      [
        `${VARS.ALARM_NAME_PREFIX}${stage}-data-drift-1`,
        `${VARS.ALARM_NAME_PREFIX}${stage}-model-quality`,
        `sagemaker-demand-forecast-p-abcdefghijkl-freshness-${stage}`,
      ].sort(),
    );
    const drift = alarms.find((a) => (a.AlarmName as string).endsWith('data-drift-1'))!;
    const metrics = drift.Metrics as Array<{
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: Record<string, unknown> };
    }>;
    expect(metrics.find((m) => m.Expression)!.Expression).toBe('MAX([d0, d1, d2, d3, d4, d5])');
    expect(metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric.MetricName)).toEqual(
      resolved.dataQuality!.features.map((f) => `feature_baseline_drift_${f}`),
    );
    expect(metrics.find((m) => m.MetricStat)!.MetricStat!.Metric).toMatchObject({
      Namespace: 'aws/sagemaker/Endpoints/data-metrics',
      Dimensions: [
        { Name: 'Endpoint', Value: endpoint },
        { Name: 'MonitoringSchedule', Value: `sagemaker-p-abcdefghijkl-data-quality-${stage}` },
      ],
    });
    // Hourly schedule, 24 h baseline window: the breach must last the whole window (24 of 24).
    expect(drift).toMatchObject({
      Threshold: 0.1,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      EvaluationPeriods: 24,
      DatapointsToAlarm: 24,
    });
    expect(drift.AlarmDescription).toContain('in 24 of 24 monitoring periods (the 24 h baseline window)');
    const quality = alarms.find((a) => (a.AlarmName as string).endsWith('model-quality'))!;
    expect(quality).toMatchObject({
      Namespace: 'aws/sagemaker/Endpoints/model-metrics',
      MetricName: 'rmse',
      Threshold: resolved.modelQuality!.threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 3600,
      EvaluationPeriods: 24,
      DatapointsToAlarm: 24,
    });
    expect(drift.AlarmActions).toBeUndefined();
    const freshness = alarms.find((a) => (a.AlarmName as string).includes('-freshness-'))!;
    expect(freshness).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [VARS.NOTIFICATION_TOPIC_ARN],
      OKActions: [VARS.NOTIFICATION_TOPIC_ARN],
    });
    expect((freshness.Metrics as Array<{ Expression?: string }>).find((m) => m.Expression)!.Expression).toBe(
      'MIN([FILL(dq, 0), FILL(mq, 0)])',
    );
  });

  test('the collector runs with the project roles on its schedule; the stack creates no IAM resource', () => {
    t.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `sagemaker-p-abcdefghijkl-collect-${stage}`,
      Role: VARS.PIPELINE_STEPS_ROLE_ARN,
      Environment: {
        Variables: Match.objectLike({ STAGE: stage, LABELS_PREFIX: 'labels/', PROBLEM_TYPE: 'regression' }),
      },
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: `sagemaker-p-abcdefghijkl-collect-${stage}`,
      Target: { RoleArn: VARS.MONITORING_SCHEDULER_ROLE_ARN },
    });
    expect(Object.keys(t.findResources('AWS::IAM::Role'))).toEqual([]);
    expect(Object.keys(t.findResources('AWS::IAM::Policy'))).toEqual([]);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('watches its own endpoint only', () => {
    expect(JSON.stringify(t.toJSON())).not.toContain(other);
  });
});

describe('stage resolutions and problem types', () => {
  test('no endpoint yet: the collector only, no monitor, no alarm', () => {
    const t = synthTemplates(
      withStages(() => ({
        endpointExists: false,
        modelPackageArn: null,
        dataQuality: null,
        modelQuality: null,
        notes: ['no endpoint'],
      })),
    );
    for (const template of Object.values(t)) {
      template.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.resourceCountIs('AWS::Lambda::Function', 1);
    }
  });

  test('23 features: three drift alarms of at most 10 metrics each', () => {
    const features = Array.from({ length: 23 }, (_, i) => `f${i}`);
    const t = synthTemplates(
      withStages((s) => ({ ...s, dataQuality: { ...s.dataQuality!, features } })),
    ).staging;
    const drift = ALARM(t).filter((a) => /data-drift-\d$/.test(a.AlarmName as string));
    expect(drift.map((a) => (a.Metrics as unknown[]).length - 1).sort()).toEqual([10, 10, 3]);
  });

  test('binary classification: probability column and threshold, auc below its constraint', () => {
    const t = synthTemplates(
      withStages(
        (s) => ({
          ...s,
          modelQuality: {
            ...s.modelQuality!,
            metric: 'auc',
            threshold: 0.8,
            comparison: 'LessThanThreshold',
          },
        }),
        {
          PROBLEM_TYPE: 'binary',
        },
      ),
    ).prod;
    t.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: { ProblemType: 'BinaryClassification' },
      ModelQualityJobInput: {
        EndpointInput: {
          ProbabilityAttribute: '0',
          ProbabilityThresholdAttribute: 0.5,
          InferenceAttribute: Match.absent(),
        },
      },
    });
    expect(ALARM(t).find((a) => (a.AlarmName as string).endsWith('model-quality'))).toMatchObject({
      MetricName: 'auc',
      ComparisonOperator: 'LessThanThreshold',
    });
  });

  test('multiclass: no model-quality monitor even from a resolution that has one; drift stays', () => {
    // The example resolution carries a model-quality baseline: the stack still refuses it for
    // multiclass (the softprob response has no predicted-class column, src/problem-type.ts).
    const t = synthTemplates(exampleDeploymentEnvironment({ PROBLEM_TYPE: 'multiclass' })).staging;
    t.resourceCountIs('AWS::SageMaker::ModelQualityJobDefinition', 0);
    t.resourceCountIs('AWS::SageMaker::DataQualityJobDefinition', 1);
    const names = ALARM(t).map((a) => a.AlarmName as string);
    expect(names.some((n) => n.endsWith('model-quality'))).toBe(false);
    expect(names.some((n) => n.endsWith('data-drift-1'))).toBe(true);
    const freshness = ALARM(t).find((a) => (a.AlarmName as string).includes('-freshness-'))!;
    expect((freshness.Metrics as Array<{ Expression?: string }>).find((m) => m.Expression)!.Expression).toBe(
      'MIN([FILL(dq, 0)])',
    );
  });

  test('a region without analyzer image fails the synth naming it', () => {
    expect(() => synthTemplates(example, loadMonitoringConfig(), 'us-gov-east-1')).toThrow(/us-gov-east-1/);
  });

  test('a daily MONITORING_SCHEDULE gives daily monitors and one-day alarm periods; other schedules are refused', () => {
    const t = synthTemplates(exampleDeploymentEnvironment({ MONITORING_SCHEDULE: 'rate(1 day)' })).staging;
    t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: { ScheduleConfig: { ScheduleExpression: 'cron(0 0 ? * * *)' } },
    });
    // Daily schedule, 24 h baseline window: one daily datapoint covers the window (1 of 1).
    for (const suffix of ['model-quality', 'data-drift-1']) {
      expect(ALARM(t).find((a) => (a.AlarmName as string).endsWith(suffix))).toMatchObject({
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
      });
    }
    expect(ALARM(t).find((a) => (a.AlarmName as string).endsWith('model-quality'))).toMatchObject({
      Period: 86400,
    });
    expect(monitorSchedule('cron(0 7 ? * * *)')).toEqual({ cron: 'cron(0 7 ? * * *)', periodSeconds: 86400 });
    expect(() => monitorSchedule('rate(5 minutes)')).toThrow(/MONITORING_SCHEDULE .*hourly or daily/);
  });
});
