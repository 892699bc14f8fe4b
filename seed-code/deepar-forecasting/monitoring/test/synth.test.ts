// Synthesized stacks, per stage: the collector and its schedule on the stage's OWN endpoint, the
// accuracy alarm (M of N, missing data = missing, the retrain prefix), the freshness alarm (SNS), the
// dashboard, the optional Model Quality schedule; raw-template deployable (no bootstrap, no assets,
// no IAM).
import { Match, Template } from 'aws-cdk-lib/assertions';
import { collectorEnvironmentFor } from '../src/build/collect-once';
import { loadCollectorEnvironment } from '../src/collector/environment';
import { buildMonitoringApp } from '../src/infra/app';
import { exampleDeploymentEnvironment, type Stage } from '../src/infra/deployment-environment';
import { loadMonitoringConfig, type MonitoringConfig } from '../src/infra/monitoring-config';

const deployment = exampleDeploymentEnvironment();
const vars = deployment.environment;
const config = loadMonitoringConfig();

function synth(c: MonitoringConfig = config): Record<Stage, Template> {
  const { stacks } = buildMonitoringApp({
    deployment,
    config: c,
    account: '123456789012',
    region: 'eu-west-1',
  });
  return { staging: Template.fromStack(stacks.staging), prod: Template.fromStack(stacks.prod) };
}

const templates = synth();
/** The committed config with the built-in Model Quality monitor switched on (it is off by default). */
const withMonitor: MonitoringConfig = {
  ...config,
  modelQualityMonitor: { ...config.modelQualityMonitor, enabled: true },
};
const templatesWithMonitor = synth(withMonitor);
const endpointOf = (stage: Stage) =>
  stage === 'staging' ? vars.STAGING_ENDPOINT_NAME : vars.PROD_ENDPOINT_NAME;
const otherStage = (stage: Stage): Stage => (stage === 'staging' ? 'prod' : 'staging');
const shortPrefix = `sagemaker-${vars.SAGEMAKER_PROJECT_ID}`;

describe.each(['staging', 'prod'] as const)('%s stack', (stage) => {
  const template = templates[stage];
  const json = JSON.stringify(template.toJSON());

  test('deployable as a raw template: no bootstrap rule, no asset parameters, no IAM', () => {
    const t = template.toJSON();
    expect(Object.keys(t.Parameters).sort()).toEqual(['CollectorCodeKey', 'ModelVersion']);
    expect(t.Rules).toBeUndefined();
    expect(
      Object.values(t.Resources as Record<string, { Type: string }>).filter((r) =>
        r.Type.startsWith('AWS::IAM::'),
      ),
    ).toEqual([]);
  });

  test('the collector watches this stage’s endpoint only, with the project roles', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `${shortPrefix}-collect-${stage}`,
      Role: vars.PIPELINE_STEPS_ROLE_ARN,
      Code: { S3Bucket: vars.PROJECT_BUCKET, S3Key: { Ref: 'CollectorCodeKey' } },
      Environment: {
        Variables: Match.objectLike({
          STAGE: stage,
          ENDPOINT_NAME: endpointOf(stage),
          THRESHOLD_PARAMETER_NAME:
            stage === 'staging'
              ? vars.STAGING_ALARM_THRESHOLD_PARAMETER_NAME
              : vars.PROD_ALARM_THRESHOLD_PARAMETER_NAME,
          METRIC_NAMESPACE: vars.METRIC_NAMESPACE,
          COLLECTOR_SETTINGS: JSON.stringify(config.collector),
        }),
      },
    });
    expect(json).not.toContain(endpointOf(otherStage(stage)));
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: `${shortPrefix}-collect-${stage}`,
      ScheduleExpression: vars.MONITORING_SCHEDULE,
      Target: {
        Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        RoleArn: vars.MONITORING_SCHEDULER_ROLE_ARN,
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/lambda/${shortPrefix}-collect-${stage}`,
    });
  });

  test('the function environment is a valid collector environment (same as the local runner)', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(loadCollectorEnvironment(fn.Properties.Environment.Variables)).toEqual(
      collectorEnvironmentFor(vars, config, stage),
    );
  });

  test('accuracy alarm: mean_wQL > threshold of the serving version, M of N, missing data = missing, retrain prefix', () => {
    const metric = (name: string) =>
      Match.objectLike({
        Id: name === 'mean_wQL' ? 'wql' : 'thr',
        MetricStat: Match.objectLike({
          Metric: {
            Namespace: vars.METRIC_NAMESPACE,
            MetricName: name,
            Dimensions: [
              { Name: 'ModelVersion', Value: { Ref: 'ModelVersion' } },
              { Name: 'Stage', Value: stage },
            ],
          },
        }),
        ReturnData: false,
      });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${vars.ALARM_NAME_PREFIX}${stage}`,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      DatapointsToAlarm: config.accuracyAlarm.datapointsToAlarm,
      EvaluationPeriods: config.accuracyAlarm.evaluationPeriods,
      TreatMissingData: 'missing',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'wql - thr', ReturnData: true }),
        metric('mean_wQL'),
        metric('threshold'),
      ]),
      AlarmActions: Match.absent(),
    });
  });

  test('only the accuracy alarm starts with the retrain prefix', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (r) => r.Properties.AlarmName as string,
    );
    expect(alarms).toHaveLength(2);
    expect(alarms.filter((n) => n.startsWith(vars.ALARM_NAME_PREFIX))).toEqual([
      `${vars.ALARM_NAME_PREFIX}${stage}`,
    ]);
  });

  test('freshness alarm: no (or zero) points evaluated notifies SNS', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `sagemaker-${vars.SAGEMAKER_PROJECT_NAME}-${vars.SAGEMAKER_PROJECT_ID}-freshness-${stage}`,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      DatapointsToAlarm: config.freshnessAlarm.datapointsToAlarm,
      EvaluationPeriods: config.freshnessAlarm.evaluationPeriods,
      AlarmActions: [vars.NOTIFICATION_TOPIC_ARN],
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: 'points_evaluated',
              Dimensions: [{ Name: 'Stage', Value: stage }],
            }),
          }),
        }),
      ]),
    });
  });

  test('dashboard: threshold line, metric, points evaluated, retrain events, built-in RMSE', () => {
    const dashboards = templatesWithMonitor[stage].findResources('AWS::CloudWatch::Dashboard', {
      Properties: { DashboardName: `${shortPrefix}-${stage}` },
    });
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(Object.values(dashboards)[0].Properties.DashboardBody);
    for (const needle of [
      '\\"mean_wQL\\"',
      '\\"threshold\\"',
      '\\"points_evaluated\\"',
      'retrain_triggered',
      'retrain_skipped',
      '\\"service\\",\\"mlops-retrain\\"',
      'aws/sagemaker/Endpoints/model-metrics',
      '\\"rmse\\"',
      `\\"MonitoringSchedule\\",\\"${shortPrefix}-model-quality-${stage}\\"`,
    ]) {
      expect(body).toContain(needle);
    }
  });

  test('built-in Model Quality monitor (Regression) on the same ground truth, behind a parameter, when switched on', () => {
    const template = templatesWithMonitor[stage];
    const jobs = template.findResources('AWS::SageMaker::ModelQualityJobDefinition');
    expect(Object.values(jobs)).toHaveLength(1);
    const job = Object.values(jobs)[0];
    expect(job.Condition).toBe('ModelQualityMonitorOn');
    expect(job.Properties).toMatchObject({
      JobDefinitionName: expect.stringMatching(new RegExp(`^${shortPrefix}-mq-${stage}-[0-9a-f]{8}$`)),
      RoleArn: vars.SAGEMAKER_EXECUTION_ROLE_ARN,
      ModelQualityAppSpecification: {
        ProblemType: 'Regression',
        ImageUri: '468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer',
      },
      ModelQualityJobInput: {
        EndpointInput: {
          EndpointName: endpointOf(stage),
          EndTimeOffset: '-PT30H',
          StartTimeOffset: '-PT54H',
        },
        GroundTruthS3Input: { S3Uri: `s3://${vars.PROJECT_BUCKET}/${vars.GROUND_TRUTH_PREFIX}${stage}` },
      },
    });
    template.hasResource('AWS::SageMaker::MonitoringSchedule', {
      Condition: 'ModelQualityMonitorOn',
      Properties: {
        MonitoringScheduleName: `${shortPrefix}-model-quality-${stage}`,
        MonitoringScheduleConfig: {
          MonitoringJobDefinitionName: job.Properties.JobDefinitionName,
          MonitoringType: 'ModelQuality',
        },
      },
    });
    template.hasParameter('ModelQualityMonitorEnabled', {
      AllowedValues: ['true', 'false'],
      Default: 'true',
    });
  });
});

test('with the committed config (built-in monitor off until verified), no Model Quality resources are synthesized', () => {
  for (const off of Object.values(templates)) {
    off.resourceCountIs('AWS::SageMaker::ModelQualityJobDefinition', 0);
    off.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
    expect(Object.keys(off.toJSON().Parameters)).not.toContain('ModelQualityMonitorEnabled');
  }
});

test('the longest accepted steps synthesize (alarm period = the step); a weekly series is rejected by the grammar', () => {
  const withFrequency = (FREQUENCY: string) =>
    buildMonitoringApp({
      deployment: { ...deployment, environment: { ...deployment.environment, FREQUENCY } },
      config,
      account: '123456789012',
      region: 'eu-west-1',
    });
  for (const [frequency, period] of [
    ['56H', 56 * 3600],
    ['2D', 2 * 86_400],
  ] as const) {
    Template.fromStack(withFrequency(frequency).stacks.prod).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('accuracy'),
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Period: period }) })]),
    });
  }
  expect(() => withFrequency('1W')).toThrow(/unsupported frequency: "1W"/);
});
