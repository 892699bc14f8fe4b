// The monitoring stack of ONE stage (staging or prod), deployed by the project's monitoring pipeline as
// a raw CloudFormation template (no bootstrap, no assets, no IAM resources: the roles are the project's):
//   - the ground-truth collector `sagemaker-<id>-collect-<stage>` and its EventBridge Scheduler schedule;
//   - built-in Data Quality monitoring (job definition + schedule) against the data-quality baseline of
//     the model package the endpoint serves, and the drift alarms `<ALARM_NAME_PREFIX><stage>-data-drift-<n>`;
//   - built-in Model Quality monitoring against its model-quality baseline, merged with the collector's
//     ground truth, and the alarm `<ALARM_NAME_PREFIX><stage>-model-quality`;
//   - the freshness alarm (a monitor that fails or publishes nothing) → SNS, and the dashboard.
// The retrain alarms start with ALARM_NAME_PREFIX, so the product's retrain rule and Lambda act on them.
import * as crypto from 'node:crypto';
import { CODE_KEY_PATTERN, modelMonitorImageUri } from '@mlops-templates/metrics';
import {
  Annotations,
  BootstraplessSynthesizer,
  CfnParameter,
  Duration,
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
import { BASELINE_WINDOW_HOURS, type MonitoringConfig, monitorSchedule, retrainAlarmWindow } from '../config';
import { type DeploymentEnvironment, type Stage, stageNames, type StageNames } from '../environment';
import { MODEL_MONITOR_PROBLEM_TYPE, MODEL_QUALITY_UNSUPPORTED } from '../problem-type';

/**
 * Namespaces of the built-in monitors' metrics, dimensions `Endpoint` and `MonitoringSchedule`. Data
 * quality: the SageMaker Python SDK's data-quality dashboard searches `aws/sagemaker/Endpoints/data-metrics`
 * (the Developer Guide's "CloudWatch Metrics" says `/aws/sagemaker/Endpoints/data-metric` with
 * `EndpointName`/`ScheduleName`, "CloudWatch Metrics for Bring Your Own Containers" says
 * `/aws/sagemaker/Endpoint/data-metrics` with `Endpoint`/`MonitoringSchedule`; the SDK's schema also has a
 * `Feature` dimension — unverified offline, README "Metrics, namespaces and missing data"). Model
 * quality: "Model quality metrics and Amazon CloudWatch monitoring".
 */
export const DATA_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
export const MODEL_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/model-metrics';
/** The drift metric of a feature (SageMaker Developer Guide, "CloudWatch Metrics": `feature_baseline_drift_{feature_name}`). */
export const driftMetricName = (feature: string): string => `feature_baseline_drift_${feature}`;
/** At most 10 metrics per metric-math alarm (CloudWatch User Guide, "Create a CloudWatch alarm based on a metric math expression"). */
export const METRICS_PER_ALARM = 10;
/** Where the monitoring jobs read their inputs inside the container. */
const ENDPOINT_INPUT_PATH = '/opt/ml/processing/input/endpoint';

/** Props of {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  /** The stage this stack watches (its own endpoint only). */
  readonly stage: Stage;
  /** The build's resolved environment. */
  readonly deployment: DeploymentEnvironment;
  /** config/monitoring.json. */
  readonly config: MonitoringConfig;
}

/** The monitoring stack of one stage. */
export class MonitoringStack extends Stack {
  public readonly names: StageNames;
  public readonly collector: lambda.Function;
  /** The alarms whose ALARM starts a retrain. */
  public readonly retrainAlarms: cloudwatch.Alarm[] = [];
  public readonly freshnessAlarm?: cloudwatch.Alarm;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    const vars = props.deployment.environment;
    const names = stageNames(vars, props.stage);
    super(scope, id, {
      ...props,
      stackName: names.stackName,
      description: `Model Monitor data and model quality of the ${props.stage} endpoint ${names.endpointName} (project ${vars.SAGEMAKER_PROJECT_NAME}): ground-truth collector, retrain and freshness alarms, dashboard.`,
      synthesizer: new BootstraplessSynthesizer({}),
      analyticsReporting: false,
    });
    this.names = names;
    const { config, stage } = props;
    const resolution = props.deployment.stages[stage];
    const schedule = monitorSchedule(vars.MONITORING_SCHEDULE);
    const period = Duration.seconds(schedule.periodSeconds);
    // Both retrain alarms breach only when every period of the baseline window breaches (README "Alarms").
    // The window is the project contract's DATA_QUALITY_BASELINE_WINDOW_HOURS (model-build's baseline).
    const retrainWindow = retrainAlarmWindow(schedule.periodSeconds);
    const sustained = `in ${retrainWindow.datapointsToAlarm} of ${retrainWindow.evaluationPeriods} monitoring periods (the ${BASELINE_WINDOW_HOURS} h baseline window)`;
    for (const note of resolution.notes) Annotations.of(this).addInfo(note);

    // ------------------------------------------------------------ ground-truth collector
    const codeKey = new CfnParameter(this, 'CollectorCodeKey', {
      type: 'String',
      description: `S3 key (in ${vars.PROJECT_BUCKET}) of the ground-truth collector bundle uploaded by the monitoring build`,
      default: props.deployment.collectorCodeKey,
      allowedPattern: CODE_KEY_PATTERN.source,
    });
    const bucket = s3.Bucket.fromBucketName(this, 'ProjectBucket', vars.PROJECT_BUCKET);
    Annotations.of(bucket).acknowledgeWarning(
      '@aws-cdk/aws-lambda:codeFromBucketObjectVersionNotSpecified',
      'the code key is content-addressed (sha256 of the bundle): new code, new key, a function update',
    );
    const key = kms.Key.fromKeyArn(this, 'ProjectKey', vars.PROJECT_KMS_KEY_ARN);
    this.collector = new lambda.Function(this, 'Collector', {
      functionName: names.collectorName,
      description: `Converts the ${stage} ground-truth labels into Model Monitor merge records`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromBucket(bucket, codeKey.valueAsString),
      role: iam.Role.fromRoleArn(this, 'CollectorRole', vars.PIPELINE_STEPS_ROLE_ARN, { mutable: false }),
      memorySize: config.collector.memorySize,
      timeout: Duration.seconds(config.collector.timeoutSeconds),
      logGroup: new logs.LogGroup(this, 'CollectorLogs', {
        logGroupName: `/aws/lambda/${names.collectorName}`,
        retention: config.collector.logRetentionDays as logs.RetentionDays,
        encryptionKey: key,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      environment: {
        STAGE: stage,
        PROJECT_BUCKET: vars.PROJECT_BUCKET,
        LABELS_PREFIX: vars.LABELS_PREFIX,
        GROUND_TRUTH_PREFIX: vars.GROUND_TRUTH_PREFIX,
        MONITORING_PREFIX: vars.MONITORING_PREFIX,
        PROBLEM_TYPE: vars.PROBLEM_TYPE,
        COLLECTOR_SETTINGS: JSON.stringify({ maxObjectsPerRun: config.collector.maxObjectsPerRun }),
        POWERTOOLS_SERVICE_NAME: 'ground-truth-collector',
      },
    });
    new scheduler.CfnSchedule(this, 'CollectorSchedule', {
      name: names.collectorName,
      description: `Converts the ${stage} ground-truth labels (${config.collector.scheduleExpression})`,
      scheduleExpression: config.collector.scheduleExpression,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.collector.functionArn,
        roleArn: vars.MONITORING_SCHEDULER_ROLE_ARN,
        input: JSON.stringify({ source: 'schedule', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        // Not retried: the next run picks up where this one stopped (its state is saved only on success).
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 3600 },
      },
    });

    // ------------------------------------------------------------ built-in monitors (only with an endpoint and a baseline)
    const topic = sns.Topic.fromTopicArn(this, 'NotificationTopic', vars.NOTIFICATION_TOPIC_ARN);
    const monitored = resolution.endpointExists;
    const dims = (scheduleName: string) => ({
      Endpoint: names.endpointName,
      MonitoringSchedule: scheduleName,
    });
    const freshnessInputs: Record<string, cloudwatch.IMetric> = {};
    const dq = monitored ? resolution.dataQuality : null;
    // A resolution written before the problem type's limit was known is not trusted (src/problem-type.ts).
    const unsupported = MODEL_QUALITY_UNSUPPORTED[vars.PROBLEM_TYPE];
    if (unsupported !== undefined && resolution.modelQuality !== null) {
      Annotations.of(this).addInfo(
        `model-quality monitor not deployed for ${vars.PROBLEM_TYPE}: ${unsupported}`,
      );
    }
    const mq = monitored && unsupported === undefined ? resolution.modelQuality : null;

    if (dq) {
      this.addMonitor(
        'DataQuality',
        names.dataQualityJobDefinitionPrefix,
        names.dataQualitySchedule,
        schedule.cron,
        {
          dataQualityAppSpecification: {
            imageUri: modelMonitorImageUri(this.region),
            environment: { publish_cloudwatch_metrics: 'Enabled' },
          },
          dataQualityBaselineConfig: {
            constraintsResource: { s3Uri: dq.constraintsUri },
            statisticsResource: { s3Uri: dq.statisticsUri },
          },
          dataQualityJobInput: {
            endpointInput: { endpointName: names.endpointName, localPath: ENDPOINT_INPUT_PATH },
          },
          dataQualityJobOutputConfig: this.outputConfig(vars, stage, 'data-quality'),
          jobResources: this.jobResources(vars, config),
          networkConfig: { enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true },
          roleArn: vars.SAGEMAKER_EXECUTION_ROLE_ARN,
          stoppingCondition: { maxRuntimeInSeconds: config.monitors.maxRuntimeInSeconds },
        },
      );
      const drift = dq.features.map(
        (f) =>
          new cloudwatch.Metric({
            namespace: DATA_METRICS_NAMESPACE,
            metricName: driftMetricName(f),
            dimensionsMap: dims(names.dataQualitySchedule),
            statistic: 'Maximum',
            period,
            label: f,
          }),
      );
      for (let start = 0, group = 1; start < drift.length; start += METRICS_PER_ALARM, group++) {
        const members = drift.slice(start, start + METRICS_PER_ALARM);
        const using = Object.fromEntries(members.map((m, i) => [`d${i}`, m]));
        this.retrainAlarms.push(
          new cloudwatch.Alarm(this, `DataDriftAlarm${group}`, {
            alarmName: names.dataDriftAlarm(group),
            alarmDescription:
              `Feature drift of ${names.endpointName}: the largest feature_baseline_drift of ${members.map((m) => m.label).join(', ')} ` +
              `above ${config.dataQuality.driftThreshold} ${sustained}. ` +
              'Entering ALARM starts a retrain (the project rule matches this name prefix).',
            metric: new cloudwatch.MathExpression({
              expression: `MAX([${Object.keys(using).join(', ')}])`,
              usingMetrics: using,
              period,
              label: 'largest feature drift',
            }),
            threshold: config.dataQuality.driftThreshold,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            ...retrainWindow,
            // No execution, no datapoint: the freshness alarm reports it; a gap never retrains.
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        );
      }
      freshnessInputs.dq = drift[0].with({ statistic: 'SampleCount' });
    }

    let modelQualityMetric: cloudwatch.Metric | undefined;
    if (mq) {
      const problemType = MODEL_MONITOR_PROBLEM_TYPE[vars.PROBLEM_TYPE];
      const binary = vars.PROBLEM_TYPE === 'binary';
      this.addMonitor(
        'ModelQuality',
        names.modelQualityJobDefinitionPrefix,
        names.modelQualitySchedule,
        schedule.cron,
        {
          modelQualityAppSpecification: {
            imageUri: modelMonitorImageUri(this.region),
            problemType,
            environment: { publish_cloudwatch_metrics: 'Enabled' },
          },
          modelQualityBaselineConfig: { constraintsResource: { s3Uri: mq.constraintsUri } },
          modelQualityJobInput: {
            endpointInput: {
              endpointName: names.endpointName,
              localPath: ENDPOINT_INPUT_PATH,
              ...(binary
                ? {
                    probabilityAttribute: config.modelQuality.probabilityAttribute,
                    probabilityThresholdAttribute: config.modelQuality.probabilityThreshold,
                  }
                : { inferenceAttribute: config.modelQuality.inferenceAttribute }),
              startTimeOffset: config.modelQuality.startTimeOffset,
              endTimeOffset: config.modelQuality.endTimeOffset,
            },
            // The collector's merge records: <GROUND_TRUTH_PREFIX><stage>/yyyy/mm/dd/hh/*.jsonl.
            groundTruthS3Input: { s3Uri: `s3://${vars.PROJECT_BUCKET}/${vars.GROUND_TRUTH_PREFIX}${stage}` },
          },
          modelQualityJobOutputConfig: this.outputConfig(vars, stage, 'model-quality'),
          jobResources: this.jobResources(vars, config),
          networkConfig: { enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true },
          roleArn: vars.SAGEMAKER_EXECUTION_ROLE_ARN,
          stoppingCondition: { maxRuntimeInSeconds: config.monitors.maxRuntimeInSeconds },
        },
      );
      modelQualityMetric = new cloudwatch.Metric({
        namespace: MODEL_METRICS_NAMESPACE,
        metricName: mq.metric,
        dimensionsMap: dims(names.modelQualitySchedule),
        statistic: 'Average',
        period,
      });
      const worse = mq.comparison === 'GreaterThanThreshold' ? 'above' : 'below';
      this.retrainAlarms.push(
        new cloudwatch.Alarm(this, 'ModelQualityAlarm', {
          alarmName: names.modelQualityAlarm,
          alarmDescription:
            `Model quality of ${names.endpointName}: ${mq.metric} ${worse} the baseline constraint ${mq.threshold} ` +
            `${sustained}. ` +
            'Entering ALARM starts a retrain (the project rule matches this name prefix).',
          metric: modelQualityMetric,
          threshold: mq.threshold,
          comparisonOperator:
            mq.comparison === 'GreaterThanThreshold'
              ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
              : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          ...retrainWindow,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
      freshnessInputs.mq = modelQualityMetric.with({ statistic: 'SampleCount' });
    }

    // ------------------------------------------------------------ freshness: a monitor that failed or published nothing
    const inputs = Object.keys(freshnessInputs);
    if (inputs.length > 0) {
      this.freshnessAlarm = new cloudwatch.Alarm(this, 'FreshnessAlarm', {
        alarmName: names.freshnessAlarm,
        alarmDescription:
          `A monitor of ${names.endpointName} published no metric in ${config.freshnessAlarm.datapointsToAlarm} of ${config.freshnessAlarm.evaluationPeriods} periods ` +
          '(execution failed, no captured data, or no merged ground truth): the retrain alarms are blind meanwhile. Notifies only.',
        // FILL fills the missing values of a series (CloudWatch User Guide, "Metric math syntax and
        // functions"): one monitor's gap reads 0 while the other has data. When no input has a datapoint
        // in the range the expression has none either; `breaching` (CloudWatch User Guide, "Configuring
        // how CloudWatch alarms treat missing data") makes that an ALARM too.
        metric: new cloudwatch.MathExpression({
          expression: `MIN([${inputs.map((i) => `FILL(${i}, 0)`).join(', ')}])`,
          usingMetrics: freshnessInputs,
          period,
          label: 'datapoints of the least fresh monitor',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: config.freshnessAlarm.evaluationPeriods,
        datapointsToAlarm: config.freshnessAlarm.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      this.freshnessAlarm.addAlarmAction(new cwActions.SnsAction(topic));
      this.freshnessAlarm.addOkAction(new cwActions.SnsAction(topic));
    }
    // The retrain alarms have no action here: the product's retrain rule matches their name prefix and
    // its retrain Lambda notifies the team of what it decided (as for DeepAR's accuracy alarm).

    this.dashboard = this.buildDashboard(props, names, period, modelQualityMetric);
  }

  /** A job definition (content-hashed name: definitions cannot be updated) and its schedule. */
  private addMonitor(
    kind: 'DataQuality' | 'ModelQuality',
    definitionPrefix: string,
    scheduleName: string,
    cron: string,
    properties:
      | Omit<sagemaker.CfnDataQualityJobDefinitionProps, 'jobDefinitionName'>
      | Omit<sagemaker.CfnModelQualityJobDefinitionProps, 'jobDefinitionName'>,
  ): void {
    const digest = crypto
      .createHash('sha256')
      .update(`${kind}${JSON.stringify(properties)}`)
      .digest('hex');
    const jobDefinitionName = `${definitionPrefix}-${digest.slice(0, 8)}`;
    const definition =
      kind === 'DataQuality'
        ? new sagemaker.CfnDataQualityJobDefinition(this, 'DataQualityJobDefinition', {
            ...(properties as sagemaker.CfnDataQualityJobDefinitionProps),
            jobDefinitionName,
          })
        : new sagemaker.CfnModelQualityJobDefinition(this, 'ModelQualityJobDefinition', {
            ...(properties as sagemaker.CfnModelQualityJobDefinitionProps),
            jobDefinitionName,
          });
    const monitoringSchedule = new sagemaker.CfnMonitoringSchedule(this, `${kind}Schedule`, {
      monitoringScheduleName: scheduleName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: jobDefinitionName,
        monitoringType: kind,
        scheduleConfig: { scheduleExpression: cron },
      },
    });
    monitoringSchedule.addResourceDependency(definition, 'the schedule names the job definition');
  }

  private jobResources(vars: DeploymentEnvironment['environment'], config: MonitoringConfig) {
    return {
      clusterConfig: {
        instanceCount: 1,
        instanceType: config.monitors.instanceType,
        volumeSizeInGb: config.monitors.volumeSizeInGB,
        volumeKmsKeyId: vars.PROJECT_KMS_KEY_ARN,
      },
    };
  }

  private outputConfig(vars: DeploymentEnvironment['environment'], stage: Stage, kind: string) {
    return {
      kmsKeyId: vars.PROJECT_KMS_KEY_ARN,
      monitoringOutputs: [
        {
          s3Output: {
            localPath: '/opt/ml/processing/output',
            s3Uri: `s3://${vars.PROJECT_BUCKET}/${vars.MONITORING_PREFIX}${stage}/${kind}`,
            s3UploadMode: 'EndOfJob',
          },
        },
      ],
    };
  }

  private buildDashboard(
    props: MonitoringStackProps,
    names: StageNames,
    period: Duration,
    modelQualityMetric: cloudwatch.Metric | undefined,
  ): cloudwatch.Dashboard {
    const resolution = props.deployment.stages[props.stage];
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: names.dashboard,
      defaultInterval: Duration.days(7),
    });
    const status = [
      `model package: ${resolution.modelPackageArn ?? 'none (no endpoint yet)'}`,
      ...resolution.notes,
    ].join(' · ');
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        width: 24,
        height: 3,
        markdown: [
          `# ${names.stage}: ${names.endpointName}`,
          `Retrain alarms (prefix \`${props.deployment.environment.ALARM_NAME_PREFIX}\`): ${this.retrainAlarms.map((a) => `**${a.alarmName}**`).join(', ') || 'none'} · freshness **${names.freshnessAlarm}** (notifies) · ground truth by **${names.collectorName}**.`,
          status,
        ].join('\n\n'),
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'feature baseline drift (every feature)',
        width: 12,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${DATA_METRICS_NAMESPACE},Endpoint,MonitoringSchedule} feature_baseline_drift Endpoint="${names.endpointName}"', 'Maximum', ${period.toSeconds()})`,
            usingMetrics: {},
            label: 'drift',
            period,
          }),
        ],
        leftAnnotations: [{ value: props.config.dataQuality.driftThreshold, label: 'drift threshold' }],
        leftYAxis: { min: 0 },
      }),
      new cloudwatch.GraphWidget({
        title: `model quality: ${resolution.modelQuality?.metric ?? 'not monitored'}`,
        width: 12,
        left: modelQualityMetric ? [modelQualityMetric] : [],
        leftAnnotations: resolution.modelQuality
          ? [{ value: resolution.modelQuality.threshold, label: 'baseline constraint' }]
          : [],
      }),
    );
    const alarms = [...this.retrainAlarms, ...(this.freshnessAlarm ? [this.freshnessAlarm] : [])];
    if (alarms.length > 0) {
      dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'alarms', width: 24, alarms }));
    }
    return dashboard;
  }
}
