// The retrain loop owned by a project: the retrain Lambda, an EventBridge rule that sends this
// project's accuracy alarms entering ALARM to it (matched by alarm-name prefix, so monitoring
// stacks need no Lambda ARN), and an EventBridge Scheduler schedule that runs the same function's
// periodic re-check of alarms still in ALARM (no silent deadlock).
import { CONFIG_DEFAULTS, CONFIG_LIMITS } from '@mlops-templates/retrain';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ProjectFunction } from './project-function';
import { ProjectNames } from './project-names';
import { validateIntegerRange, validateMinutes } from './validation';

/** Event source and detail type of CloudWatch alarm state changes on EventBridge. */
export const ALARM_STATE_CHANGE = {
  source: 'aws.cloudwatch',
  detailType: 'CloudWatch Alarm State Change',
} as const;

/** Properties of {@link RetrainLoop}. */
export interface RetrainLoopProps {
  /** The project's names. */
  readonly names: ProjectNames;
  /** Absolute path of the retrain handler entry (`@mlops-templates/retrain` src/handler.ts). */
  readonly handlerEntry: string;
  /** Topic receiving retrain started/skipped and "person needed" notifications. */
  readonly topic: sns.ITopic;
  /** Key of the topic and of the function's environment. */
  readonly key: kms.IKey;
  /**
   * Minimum time between two retrains.
   * @default RetrainLoop.DEFAULT_COOLDOWN (6 hours: the retrain package's `RETRAIN_COOLDOWN_MINUTES` default)
   */
  readonly cooldown?: Duration;
  /**
   * Retrains without a new approved model per attempt window before the loop stops and asks for a person.
   * @default RetrainLoop.DEFAULT_MAX_ATTEMPTS (3: the retrain package's `RETRAIN_MAX_ATTEMPTS` default)
   */
  readonly maxAttempts?: number;
  /**
   * SSM parameter holding the training-gate threshold passed to each retrain (`default` = the
   * pipeline definition's default).
   * @default - retrains use the pipeline definition's default
   */
  readonly gateThresholdParameter?: ssm.IStringParameter;
  /**
   * Interval of the re-check of alarms still in ALARM (the handler decides "notify once" from it).
   * @default RetrainLoop.DEFAULT_RECHECK_INTERVAL (1 hour: the retrain package's `RECHECK_INTERVAL_MINUTES` default)
   */
  readonly recheckInterval?: Duration;
}

/** Retrain Lambda + alarm rule + re-check schedule. */
export class RetrainLoop extends Construct {
  /** Default cooldown: the retrain package's `CONFIG_DEFAULTS.cooldownMinutes` (one default, one place). */
  public static readonly DEFAULT_COOLDOWN = Duration.minutes(CONFIG_DEFAULTS.cooldownMinutes);
  /** Default attempts per window: the retrain package's `CONFIG_DEFAULTS.maxAttempts`. */
  public static readonly DEFAULT_MAX_ATTEMPTS: number = CONFIG_DEFAULTS.maxAttempts;
  /** Default re-check interval: the retrain package's `CONFIG_DEFAULTS.recheckIntervalMinutes`. */
  public static readonly DEFAULT_RECHECK_INTERVAL = Duration.minutes(CONFIG_DEFAULTS.recheckIntervalMinutes);

  /** The retrain function. */
  public readonly handler: ProjectFunction;
  /** The alarm state change rule. */
  public readonly alarmRule: events.Rule;
  /** The re-check schedule. */
  public readonly recheckSchedule: scheduler.CfnSchedule;

  constructor(scope: Construct, id: string, props: RetrainLoopProps) {
    super(scope, id);
    const { names } = props;
    const cooldown = props.cooldown ?? RetrainLoop.DEFAULT_COOLDOWN;
    const maxAttempts = props.maxAttempts ?? RetrainLoop.DEFAULT_MAX_ATTEMPTS;
    const recheckInterval = props.recheckInterval ?? RetrainLoop.DEFAULT_RECHECK_INTERVAL;
    // The handler's configuration bounds (checked again at its cold start): a value it refuses would
    // fail every invocation. A zero cooldown is allowed (the handler reads it as "no cooldown"); a
    // zero re-check interval is not (no `rate(0 minutes)` schedule).
    validateIntegerRange(
      'maxAttempts',
      maxAttempts,
      CONFIG_LIMITS.maxAttempts.min,
      CONFIG_LIMITS.maxAttempts.max,
    );
    validateMinutes(
      'cooldown',
      cooldown,
      CONFIG_LIMITS.cooldownMinutes.min,
      CONFIG_LIMITS.cooldownMinutes.max,
    );
    validateMinutes(
      'recheckInterval',
      recheckInterval,
      CONFIG_LIMITS.recheckIntervalMinutes.min,
      CONFIG_LIMITS.recheckIntervalMinutes.max,
    );
    this.handler = new ProjectFunction(this, 'Handler', {
      functionName: names.short('retrain'),
      entry: props.handlerEntry,
      description: `Starts a retrain of ${names.modelBuildPipeline} when an accuracy alarm fires`,
      encryptionKey: props.key,
      timeout: Duration.minutes(2),
      // No reserved concurrency: Lambda Developer Guide, "Lambda quotas" / "Configuring reserved
      // concurrency" — reserving is refused when it would leave less than 100 unreserved
      // executions, which fails the launch in accounts with a reduced concurrency quota. Two
      // concurrent decisions cannot start two retrains: StartPipelineExecution is de-duplicated
      // by its ClientRequestToken.
      environment: {
        ALARM_NAME_PREFIX: names.alarmNamePrefix,
        MODEL_BUILD_PIPELINE_NAME: names.modelBuildPipeline,
        MODEL_PACKAGE_GROUP_NAME: names.modelPackageGroup,
        RETRAIN_COOLDOWN_MINUTES: String(cooldown.toMinutes()),
        RETRAIN_MAX_ATTEMPTS: String(maxAttempts),
        NOTIFICATION_TOPIC_ARN: props.topic.topicArn,
        METRIC_NAMESPACE: names.metricNamespace,
        RECHECK_INTERVAL_MINUTES: String(recheckInterval.toMinutes()),
        ...(props.gateThresholdParameter
          ? { GATE_THRESHOLD_PARAMETER_NAME: props.gateThresholdParameter.parameterName }
          : {}),
      },
    });
    const stack = this.handler.function.stack;
    for (const statement of decisionStatements(stack, names)) this.handler.role.addToPolicy(statement);
    // Metrics are written as CloudWatch embedded metric format through the function's logs.
    props.topic.grantPublish(this.handler.role);
    if (props.gateThresholdParameter) {
      // The core reads the threshold with GetParameter only (packages/retrain/src/gate-threshold.ts).
      // Not `grantRead`: it adds ssm:DescribeParameters, which accepts only "*" (Service
      // Authorization Reference: AWS Systems Manager) and so is a dead grant on the parameter ARN.
      this.handler.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadGateThreshold',
          actions: ['ssm:GetParameter'],
          resources: [props.gateThresholdParameter.parameterArn],
        }),
      );
    }

    this.alarmRule = new events.Rule(this, 'AlarmRule', {
      ruleName: names.short('retrain-on-alarm'),
      description: 'Accuracy alarms of this project entering ALARM start a retrain',
      eventPattern: {
        source: [ALARM_STATE_CHANGE.source],
        detailType: [ALARM_STATE_CHANGE.detailType],
        detail: {
          alarmName: [{ prefix: names.alarmNamePrefix }],
          state: { value: ['ALARM'] },
        },
      },
      targets: [
        new targets.LambdaFunction(this.handler.function, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });

    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      roleName: names.short('retrain-recheck'),
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Lets EventBridge Scheduler run the retrain re-check',
    });
    this.handler.function.grantInvoke(schedulerRole);
    // EventBridge Scheduler User Guide, "Encryption at rest": with a customer managed key the
    // schedule's execution role needs kms:Decrypt on it.
    props.key.grantDecrypt(schedulerRole);
    this.recheckSchedule = new scheduler.CfnSchedule(this, 'Recheck', {
      name: names.short('retrain-recheck'),
      description:
        'Re-checks accuracy alarms still in ALARM (retrain after cooldown, stop after max attempts)',
      scheduleExpression: `rate(${recheckInterval.toMinutes()} minutes)`,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      kmsKeyArn: props.key.keyArn,
      target: {
        arn: this.handler.function.functionArn,
        roleArn: schedulerRole.roleArn,
        // The scheduled time makes a retried delivery judge "notify once" against its own slot.
        input: JSON.stringify({ action: 'recheck', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      },
    });
  }
}

/** What the decision reads and starts: the model-build pipeline, the registered models, the project's alarms. */
function decisionStatements(stack: Stack, names: ProjectNames): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const pipelineArn = stack.formatArn({
    service: 'sagemaker',
    resource: 'pipeline',
    resourceName: names.modelBuildPipeline,
  });
  statements.push(
    new iam.PolicyStatement({
      sid: 'StartAndInspectModelBuild',
      actions: [
        'sagemaker:StartPipelineExecution',
        'sagemaker:ListPipelineExecutions',
        'sagemaker:DescribePipelineExecution',
        'sagemaker:ListPipelineParametersForExecution',
      ],
      resources: [pipelineArn, `${pipelineArn}/execution/*`],
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'SeeRegisteredModels',
      actions: ['sagemaker:ListModelPackages'],
      // ListModelPackages accepts only "*" as resource.
      resources: ['*'],
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'ReadOwnAlarms',
      actions: ['cloudwatch:DescribeAlarms'],
      resources: [
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${names.alarmNamePrefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
  return statements;
}
