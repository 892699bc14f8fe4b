// The monitoring stack of ONE stage (staging or prod), deployed by the project's monitoring pipeline as
// a raw CloudFormation template (no CDK bootstrap, no asset publishing, no IAM resources: the roles
// come from the project):
//   - the collector function `sagemaker-<id>-collect-<stage>` (code uploaded by the build, key by
//     template parameter) and its EventBridge Scheduler schedule; it watches this stage's endpoint only;
//   - the accuracy alarm `<ALARM_NAME_PREFIX><stage>`: mean_wQL > threshold (metric math on the two
//     metrics the collector publishes for the serving model version), M of N, missing data = missing;
//   - the freshness alarm: points_evaluated < 1 or no datapoint, M of N → SNS (never retrains);
//   - the dashboard `sagemaker-<id>-<stage>`;
//   - optionally (parameter, default on) the built-in Model Quality monitor (Regression) on the same
//     ground truth: secondary, see README.
import * as crypto from 'node:crypto';
import { CODE_KEY_PATTERN, METRIC_NAMES, parseFrequency } from '@mlops-templates/metrics';
import {
  Annotations,
  BootstraplessSynthesizer,
  CfnCondition,
  CfnParameter,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import {
  type DeploymentEnvironment,
  type Stage,
  stageNames,
  type StageNames,
} from './deployment-environment';
import { modelMonitorImageUri } from './model-monitor-image';
import type { MonitoringConfig } from './monitoring-config';
import { alarmPeriodSeconds, negativeHoursOffset } from './schedule';

/** Namespace and dimensions of the built-in Model Quality monitor's CloudWatch metrics. */
export const MODEL_QUALITY_NAMESPACE = 'aws/sagemaker/Endpoints/model-metrics';
/** The retrain Lambda's metrics (packages/retrain: Powertools Metrics, service dimension). */
export const RETRAIN_SERVICE = 'mlops-retrain';

export interface MonitoringStackProps extends StackProps {
  readonly stage: Stage;
  readonly deployment: DeploymentEnvironment;
  readonly config: MonitoringConfig;
}

/** The monitoring stack of one stage. */
export class MonitoringStack extends Stack {
  public readonly names: StageNames;
  public readonly collector: lambda.Function;
  public readonly accuracyAlarm: cloudwatch.Alarm;
  public readonly freshnessAlarm: cloudwatch.Alarm;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    const vars = props.deployment.environment;
    const names = stageNames(vars, props.stage);
    super(scope, id, {
      ...props,
      stackName: names.stackName,
      description: `Monitoring of the ${props.stage} endpoint ${names.endpointName} (project ${vars.SAGEMAKER_PROJECT_NAME}): wQL collector, accuracy and freshness alarms, dashboard.`,
      // The pipeline deploys the raw template: no bootstrap version rule, and any asset is an error.
      synthesizer: new BootstraplessSynthesizer({}),
      analyticsReporting: false,
    });
    this.names = names;
    const { config, stage } = props;
    const stageResolution = props.deployment.stages[stage];

    // ---------------------------------------------------------------- parameters (the build's config file sets them)
    const codeKey = new CfnParameter(this, 'CollectorCodeKey', {
      type: 'String',
      description: `S3 key (in ${vars.PROJECT_BUCKET}) of the collector bundle uploaded by the monitoring build`,
      default: props.deployment.collectorCodeKey,
      allowedPattern: CODE_KEY_PATTERN.source,
    });
    const modelVersion = new CfnParameter(this, 'ModelVersion', {
      type: 'String',
      description:
        'Model version served by the endpoint when the build ran (ModelVersion dimension of the accuracy alarm); "none" before the first deploy',
      default: stageResolution.modelVersion,
      minLength: 1,
      maxLength: 255,
    });

    // ---------------------------------------------------------------- collector
    const bucket = s3.Bucket.fromBucketName(this, 'ProjectBucket', vars.PROJECT_BUCKET);
    Annotations.of(bucket).acknowledgeWarning(
      '@aws-cdk/aws-lambda:codeFromBucketObjectVersionNotSpecified',
      'the code key is content-addressed (sha256 of the bundle): new code = new key = a function update',
    );
    const key = kms.Key.fromKeyArn(this, 'ProjectKey', vars.PROJECT_KMS_KEY_ARN);
    const logGroup = new logs.LogGroup(this, 'CollectorLogs', {
      logGroupName: `/aws/lambda/${names.collectorName}`,
      retention: config.collectorFunction.logRetentionDays as logs.RetentionDays,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.collector = new lambda.Function(this, 'Collector', {
      functionName: names.collectorName,
      description: `Collects forecasts and ground truth of ${names.endpointName} and publishes its wQL (${stage})`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromBucket(bucket, codeKey.valueAsString),
      role: iam.Role.fromRoleArn(this, 'PipelineStepsRole', vars.PIPELINE_STEPS_ROLE_ARN, { mutable: false }),
      memorySize: config.collectorFunction.memorySize,
      timeout: Duration.seconds(config.collectorFunction.timeoutSeconds),
      logGroup,
      environment: {
        STAGE: stage,
        ENDPOINT_NAME: names.endpointName,
        PROJECT_BUCKET: vars.PROJECT_BUCKET,
        METRIC_NAMESPACE: vars.METRIC_NAMESPACE,
        CONFIG_PARAMETER_NAME: vars.CONFIG_PARAMETER_NAME,
        THRESHOLD_PARAMETER_NAME: names.thresholdParameterName,
        MONITORING_PREFIX: vars.MONITORING_PREFIX,
        GROUND_TRUTH_PREFIX: vars.GROUND_TRUTH_PREFIX,
        DATA_CAPTURE_PREFIX: vars.DATA_CAPTURE_PREFIX,
        COLLECTOR_SETTINGS: JSON.stringify(config.collector),
        POWERTOOLS_SERVICE_NAME: 'monitoring-collector',
      },
    });
    new scheduler.CfnSchedule(this, 'CollectorSchedule', {
      name: names.collectorName,
      description: `Runs the ${stage} monitoring collector (${vars.MONITORING_SCHEDULE})`,
      scheduleExpression: vars.MONITORING_SCHEDULE,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.collector.functionArn,
        roleArn: vars.MONITORING_SCHEDULER_ROLE_ARN,
        input: JSON.stringify({ source: 'schedule', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        // A failed run is not retried by the schedule: the next run catches up; the freshness alarm reports gaps.
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 3600 },
      },
    });

    // ---------------------------------------------------------------- alarms
    const period = Duration.seconds(
      alarmPeriodSeconds(
        config.alarmPeriodSeconds,
        vars.MONITORING_SCHEDULE,
        [config.accuracyAlarm.evaluationPeriods, config.freshnessAlarm.evaluationPeriods],
        parseFrequency(vars.FREQUENCY).stepMs / 1000,
      ),
    );
    const byVersion = { Stage: stage, ModelVersion: modelVersion.valueAsString };
    const metric = (
      metricName: string,
      dimensionsMap: Record<string, string>,
      statistic: string,
      label: string,
    ) =>
      new cloudwatch.Metric({
        namespace: vars.METRIC_NAMESPACE,
        metricName,
        dimensionsMap,
        statistic,
        period,
        label,
      });
    const meanWql = metric(METRIC_NAMES.meanWql, byVersion, 'Average', 'mean_wQL');
    const threshold = metric(METRIC_NAMES.threshold, byVersion, 'Average', 'threshold');
    const pointsEvaluated = metric(
      METRIC_NAMES.pointsEvaluated,
      { Stage: stage },
      'Maximum',
      'points evaluated',
    );

    this.accuracyAlarm = new cloudwatch.Alarm(this, 'AccuracyAlarm', {
      alarmName: names.accuracyAlarmName,
      alarmDescription:
        `mean wQL of ${names.endpointName} (model version = ModelVersion parameter) above its threshold in ` +
        `${config.accuracyAlarm.datapointsToAlarm} of ${config.accuracyAlarm.evaluationPeriods} periods. ` +
        'Entering ALARM starts a retrain (the project rule matches this name prefix).',
      metric: new cloudwatch.MathExpression({
        expression: 'wql - thr',
        usingMetrics: { wql: meanWql, thr: threshold },
        period,
        label: 'mean_wQL minus threshold',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: config.accuracyAlarm.evaluationPeriods,
      datapointsToAlarm: config.accuracyAlarm.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });

    const topic = sns.Topic.fromTopicArn(this, 'NotificationTopic', vars.NOTIFICATION_TOPIC_ARN);
    this.freshnessAlarm = new cloudwatch.Alarm(this, 'FreshnessAlarm', {
      alarmName: names.freshnessAlarmName,
      alarmDescription:
        `No accuracy measured for ${names.endpointName}: points_evaluated was 0 or missing in ` +
        `${config.freshnessAlarm.datapointsToAlarm} of ${config.freshnessAlarm.evaluationPeriods} periods ` +
        '(no new data, too few matured forecasts e.g. right after a deploy, or a failing collector). Notifies only.',
      metric: pointsEvaluated,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: config.freshnessAlarm.evaluationPeriods,
      datapointsToAlarm: config.freshnessAlarm.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.freshnessAlarm.addAlarmAction(new cwActions.SnsAction(topic));
    this.freshnessAlarm.addOkAction(new cwActions.SnsAction(topic));

    // ---------------------------------------------------------------- built-in Model Quality monitor (optional)
    let rmseSchedule: string | undefined;
    if (config.modelQualityMonitor.enabled) {
      const enabled = new CfnParameter(this, 'ModelQualityMonitorEnabled', {
        type: 'String',
        description:
          'Built-in SageMaker Model Quality monitor (secondary to the wQL collector); the build sets false while the endpoint does not exist',
        allowedValues: ['true', 'false'],
        default: stageResolution.endpointExists ? 'true' : 'false',
      });
      const condition = new CfnCondition(this, 'ModelQualityMonitorOn', {
        expression: Fn.conditionEquals(enabled.valueAsString, 'true'),
      });
      rmseSchedule = this.addModelQualityMonitor(props, names, condition);
    }

    // ---------------------------------------------------------------- dashboard
    this.dashboard = this.buildDashboard(
      props,
      names,
      period,
      { meanWql, threshold, pointsEvaluated },
      rmseSchedule,
    );
  }

  /** The ModelQualityJobDefinition + MonitoringSchedule; returns the schedule name. */
  private addModelQualityMonitor(
    props: MonitoringStackProps,
    names: StageNames,
    condition: CfnCondition,
  ): string {
    const vars = props.deployment.environment;
    const mq = props.config.modelQualityMonitor;
    const stepMs = parseFrequency(vars.FREQUENCY).stepMs;
    const horizonMs = vars.PREDICTION_LENGTH * stepMs;
    // Captured forecasts get their ground truth one horizon (+ grace) after the capture.
    const endOffsetMs = horizonMs + props.config.collector.groundTruthGracePeriods * stepMs;
    const jobProperties: sagemaker.CfnModelQualityJobDefinitionProps = {
      jobResources: {
        clusterConfig: {
          instanceCount: 1,
          instanceType: mq.instanceType,
          volumeSizeInGb: mq.volumeSizeInGB,
          volumeKmsKeyId: vars.PROJECT_KMS_KEY_ARN,
        },
      },
      modelQualityAppSpecification: {
        imageUri: modelMonitorImageUri(this.region),
        problemType: 'Regression',
        environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      modelQualityJobInput: {
        endpointInput: {
          endpointName: names.endpointName,
          localPath: '/opt/ml/processing/input/endpoint',
          inferenceAttribute: mq.inferenceAttribute,
          startTimeOffset: negativeHoursOffset(endOffsetMs + mq.lookbackHorizons * horizonMs),
          endTimeOffset: negativeHoursOffset(endOffsetMs),
        },
        groundTruthS3Input: {
          s3Uri: `s3://${vars.PROJECT_BUCKET}/${vars.GROUND_TRUTH_PREFIX}${names.stage}`,
        },
      },
      modelQualityJobOutputConfig: {
        kmsKeyId: vars.PROJECT_KMS_KEY_ARN,
        monitoringOutputs: [
          {
            s3Output: {
              localPath: '/opt/ml/processing/output',
              s3Uri: `s3://${vars.PROJECT_BUCKET}/${vars.MONITORING_PREFIX}${names.stage}/model-quality`,
              s3UploadMode: 'EndOfJob',
            },
          },
        ],
      },
      roleArn: vars.SAGEMAKER_EXECUTION_ROLE_ARN,
      stoppingCondition: { maxRuntimeInSeconds: mq.maxRuntimeInSeconds },
    };
    // Job definitions cannot be updated: a content hash in the name lets CloudFormation replace them.
    const hash = crypto.createHash('sha256').update(JSON.stringify(jobProperties)).digest('hex').slice(0, 8);
    const jobDefinitionName = `${names.modelQualityJobDefinitionPrefix}-${hash}`;
    const jobDefinition = new sagemaker.CfnModelQualityJobDefinition(this, 'ModelQualityJobDefinition', {
      ...jobProperties,
      jobDefinitionName,
    });
    const schedule = new sagemaker.CfnMonitoringSchedule(this, 'ModelQualitySchedule', {
      monitoringScheduleName: names.modelQualityScheduleName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: jobDefinitionName,
        monitoringType: 'ModelQuality',
        scheduleConfig: { scheduleExpression: mq.scheduleExpression },
      },
    });
    schedule.addResourceDependency(jobDefinition, 'the schedule names the job definition');
    jobDefinition.cfnOptions.condition = condition;
    schedule.cfnOptions.condition = condition;
    return names.modelQualityScheduleName;
  }

  private buildDashboard(
    props: MonitoringStackProps,
    names: StageNames,
    period: Duration,
    metrics: { meanWql: cloudwatch.Metric; threshold: cloudwatch.Metric; pointsEvaluated: cloudwatch.Metric },
    rmseSchedule: string | undefined,
  ): cloudwatch.Dashboard {
    const vars = props.deployment.environment;
    const ns = vars.METRIC_NAMESPACE;
    const periodSeconds = period.toSeconds();
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: names.dashboardName,
      defaultInterval: Duration.days(7),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        width: 24,
        height: 3,
        markdown: [
          `# ${names.stage}: ${names.endpointName}`,
          `Accuracy alarm **${names.accuracyAlarmName}** (mean_wQL > threshold, ${props.config.accuracyAlarm.datapointsToAlarm} of ${props.config.accuracyAlarm.evaluationPeriods} periods; ALARM starts a retrain) · ` +
            `freshness alarm **${names.freshnessAlarmName}** (notifies) · collector **${names.collectorName}** (${vars.MONITORING_SCHEDULE}). ` +
            'The threshold is set per model version by the deploy pipeline; the built-in Model Quality RMSE is secondary.',
        ].join('\n\n'),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'mean wQL and threshold (serving model version)',
        width: 12,
        left: [metrics.meanWql, metrics.threshold.with({ color: cloudwatch.Color.RED })],
        leftYAxis: { min: 0 },
      }),
      new cloudwatch.GraphWidget({
        title: 'mean wQL, every model version',
        width: 12,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{"${ns}",ModelVersion,Stage} MetricName="${METRIC_NAMES.meanWql}" Stage="${names.stage}"', 'Average', ${periodSeconds})`,
            usingMetrics: {},
            label: 'mean_wQL',
            period,
          }),
          new cloudwatch.MathExpression({
            expression: `SEARCH('{"${ns}",ModelVersion,Stage} MetricName="${METRIC_NAMES.threshold}" Stage="${names.stage}"', 'Average', ${periodSeconds})`,
            usingMetrics: {},
            label: 'threshold',
            period,
          }),
        ],
        leftYAxis: { min: 0 },
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'points evaluated (0 = no accuracy datapoint)',
        width: 12,
        left: [metrics.pointsEvaluated],
        leftAnnotations: [
          { value: props.config.collector.minPointsEvaluated, label: 'minimum for a datapoint' },
        ],
        leftYAxis: { min: 0 },
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'alarms',
        width: 12,
        alarms: [this.accuracyAlarm, this.freshnessAlarm],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'retrain events (project retrain Lambda)',
        width: 12,
        left: [
          new cloudwatch.Metric({
            namespace: ns,
            metricName: 'retrain_triggered',
            dimensionsMap: { service: RETRAIN_SERVICE },
            statistic: 'Sum',
            period,
            label: 'retrain started',
          }),
          new cloudwatch.MathExpression({
            expression: `SEARCH('{"${ns}",Reason,service} MetricName="retrain_skipped"', 'Sum', ${periodSeconds})`,
            usingMetrics: {},
            label: 'skipped',
            period,
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'built-in Model Quality monitor: RMSE (secondary)',
        width: 12,
        left: [
          new cloudwatch.Metric({
            namespace: MODEL_QUALITY_NAMESPACE,
            metricName: 'rmse',
            dimensionsMap: {
              Endpoint: names.endpointName,
              MonitoringSchedule: rmseSchedule ?? names.modelQualityScheduleName,
            },
            statistic: 'Average',
            period: Duration.hours(1),
            label: 'rmse',
          }),
        ],
      }),
    );
    return dashboard;
  }
}
