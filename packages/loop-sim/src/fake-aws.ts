// In-memory AWS SDK v3 clients backed by the simulated world: they implement `send` for exactly the
// commands the retrain decision core uses (DescribeAlarms; ListPipelineExecutions,
// DescribePipelineExecution, ListPipelineParametersForExecution, ListModelPackages,
// StartPipelineExecution; SNS Publish; SSM GetParameter), with the response shapes, sort orders,
// pagination and ClientRequestToken idempotency of the real APIs. Any other command throws.
import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import {
  DescribePipelineExecutionCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  type ModelPackageSummary,
  type Parameter,
  type PipelineExecutionSummary,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { AlarmState } from './alarm-model';

export type ExecutionStatus = 'Executing' | 'Succeeded' | 'Failed' | 'Stopped';
export type ApprovalStatus = 'PendingManualApproval' | 'Approved' | 'Rejected';

/** A model-build pipeline execution of the simulated world. */
export interface SimExecution {
  readonly arn: string;
  status: ExecutionStatus;
  readonly startTime: number;
  lastModifiedTime: number;
  readonly parameters: readonly Parameter[];
  readonly clientRequestToken?: string;
}

/** A model package of the simulated registry. */
export interface SimModelPackage {
  readonly arn: string;
  readonly version: number;
  readonly creationTime: number;
  approval: ApprovalStatus;
}

/** A metric alarm as DescribeAlarms shows it. */
export interface SimAlarmView {
  readonly name: string;
  readonly arn: string;
  readonly state: AlarmState;
  readonly stateTransitionedAt: number;
  readonly stateUpdatedAt: number;
  /** The ModelVersion dimension of its metrics (metric math over mean_wQL and threshold); none for a single metric. */
  readonly modelVersion?: string;
  readonly stage: string;
  readonly namespace: string;
  /**
   * A single-metric alarm (the tabular loop's, on a Model Monitor metric) instead of the metric math
   * `wql - thr` over the project's mean_wQL and threshold.
   */
  readonly singleMetric?: {
    readonly metricName: string;
    readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
    readonly statistic: 'Sum' | 'Average' | 'Maximum';
    readonly threshold: number;
  };
}

/** A message published to the notification topic. */
export interface PublishedMessage {
  readonly at: number;
  readonly topicArn: string;
  readonly subject: string;
  /** The `event` field of the JSON message, when it has one. */
  readonly event: string | null;
  readonly message: string;
}

/** What the fakes read and change. */
export interface FakeWorld {
  readonly pipelineName: string;
  readonly modelPackageGroupName: string;
  readonly executions: SimExecution[];
  readonly modelPackages: SimModelPackage[];
  readonly parameters: Map<string, string>;
  readonly published: PublishedMessage[];
  now(): number;
  alarms(): readonly SimAlarmView[];
  /** Creates an execution for a StartPipelineExecution that is not a repeat of an earlier token. */
  startExecution(parameters: readonly Parameter[], token: string | undefined): SimExecution;
}

class UnsupportedCommandError extends Error {
  constructor(client: string, command: unknown) {
    super(
      `the simulated ${client} does not implement ${(command as object)?.constructor?.name ?? String(command)}`,
    );
    this.name = 'UnsupportedCommandError';
  }
}

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function page<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined) {
  const start = nextToken === undefined ? 0 : Number(nextToken);
  const size = maxResults ?? 100;
  const slice = items.slice(start, start + size);
  return { slice, next: start + size < items.length ? String(start + size) : undefined };
}

/** SageMaker: pipeline executions and the model registry. */
export class FakeSageMaker {
  constructor(private readonly world: FakeWorld) {}

  async send(command: unknown): Promise<unknown> {
    const world = this.world;
    if (command instanceof ListPipelineExecutionsCommand) {
      const input = command.input;
      if (input.PipelineName !== world.pipelineName) {
        throw awsError('ResourceNotFound', `Pipeline ${input.PipelineName} does not exist`);
      }
      const sorted = [...world.executions].sort((a, b) =>
        input.SortOrder === 'Ascending' ? a.startTime - b.startTime : b.startTime - a.startTime,
      );
      const { slice, next } = page(sorted, input.MaxResults, input.NextToken);
      const summaries: PipelineExecutionSummary[] = slice.map((e) => ({
        PipelineExecutionArn: e.arn,
        PipelineExecutionStatus: e.status,
        StartTime: new Date(e.startTime),
      }));
      return { PipelineExecutionSummaries: summaries, NextToken: next };
    }
    if (command instanceof ListPipelineParametersForExecutionCommand) {
      const execution = world.executions.find((e) => e.arn === command.input.PipelineExecutionArn);
      if (execution === undefined) throw awsError('ResourceNotFound', 'no such pipeline execution');
      const { slice, next } = page(execution.parameters, command.input.MaxResults, command.input.NextToken);
      return { PipelineParameters: slice, NextToken: next };
    }
    if (command instanceof DescribePipelineExecutionCommand) {
      const execution = world.executions.find((e) => e.arn === command.input.PipelineExecutionArn);
      if (execution === undefined) throw awsError('ResourceNotFound', 'no such pipeline execution');
      return {
        PipelineExecutionArn: execution.arn,
        PipelineExecutionStatus: execution.status,
        CreationTime: new Date(execution.startTime),
        LastModifiedTime: new Date(execution.lastModifiedTime),
      };
    }
    if (command instanceof ListModelPackagesCommand) {
      const input = command.input;
      const packages = world.modelPackages
        .filter(() => input.ModelPackageGroupName === world.modelPackageGroupName)
        .filter((p) => input.ModelApprovalStatus === undefined || p.approval === input.ModelApprovalStatus)
        .sort((a, b) =>
          input.SortOrder === 'Ascending' ? a.creationTime - b.creationTime : b.creationTime - a.creationTime,
        );
      const { slice, next } = page(packages, input.MaxResults, input.NextToken);
      const list: ModelPackageSummary[] = slice.map((p) => ({
        ModelPackageArn: p.arn,
        ModelPackageGroupName: world.modelPackageGroupName,
        ModelPackageVersion: p.version,
        CreationTime: new Date(p.creationTime),
        ModelPackageStatus: 'Completed',
        ModelApprovalStatus: p.approval,
      }));
      return { ModelPackageSummaryList: list, NextToken: next };
    }
    if (command instanceof StartPipelineExecutionCommand) {
      const input = command.input;
      if (input.PipelineName !== world.pipelineName) {
        throw awsError('ResourceNotFound', `Pipeline ${input.PipelineName} does not exist`);
      }
      // ClientRequestToken: a repeated token returns the execution it started (idempotent start).
      const token = input.ClientRequestToken;
      const earlier =
        token === undefined ? undefined : world.executions.find((e) => e.clientRequestToken === token);
      const execution = earlier ?? world.startExecution(input.PipelineParameters ?? [], token);
      return { PipelineExecutionArn: execution.arn };
    }
    throw new UnsupportedCommandError('SageMaker client', command);
  }
}

/** CloudWatch: DescribeAlarms over the simulated accuracy alarms. */
export class FakeCloudWatch {
  constructor(private readonly world: FakeWorld) {}

  async send(command: unknown): Promise<unknown> {
    if (!(command instanceof DescribeAlarmsCommand)) {
      throw new UnsupportedCommandError('CloudWatch client', command);
    }
    const input = command.input;
    const wantsMetric = input.AlarmTypes === undefined || input.AlarmTypes.includes('MetricAlarm');
    const alarms = this.world
      .alarms()
      .filter((a) => input.AlarmNames === undefined || input.AlarmNames.includes(a.name))
      .filter((a) => input.AlarmNamePrefix === undefined || a.name.startsWith(input.AlarmNamePrefix))
      .filter((a) => input.StateValue === undefined || a.state === input.StateValue)
      .sort((a, b) => a.name.localeCompare(b.name));
    const { slice, next } = page(wantsMetric ? alarms : [], input.MaxRecords, input.NextToken);
    const metricAlarms: MetricAlarm[] = slice.map((a) => {
      const common: MetricAlarm = {
        AlarmName: a.name,
        AlarmArn: a.arn,
        StateValue: a.state,
        StateTransitionedTimestamp: new Date(a.stateTransitionedAt),
        StateUpdatedTimestamp: new Date(a.stateUpdatedAt),
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'missing',
      };
      if (a.singleMetric !== undefined) {
        return {
          ...common,
          Namespace: a.namespace,
          MetricName: a.singleMetric.metricName,
          Dimensions: a.singleMetric.dimensions.map((d) => ({ ...d })),
          Statistic: a.singleMetric.statistic,
          Period: 3600,
          Threshold: a.singleMetric.threshold,
        };
      }
      const dimensions = [
        { Name: 'Stage', Value: a.stage },
        { Name: 'ModelVersion', Value: a.modelVersion ?? '' },
      ];
      const stat = (id: string, metricName: string) => ({
        Id: id,
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: a.namespace, MetricName: metricName, Dimensions: dimensions },
          Period: 3600,
          Stat: 'Average',
        },
      });
      return {
        ...common,
        Threshold: 0,
        Metrics: [
          { Id: 'expr_1', Expression: 'wql - thr', ReturnData: true },
          stat('wql', 'mean_wQL'),
          stat('thr', 'threshold'),
        ],
      };
    });
    return { MetricAlarms: metricAlarms, CompositeAlarms: [], NextToken: next };
  }
}

/** SNS: Publish records the message. */
export class FakeSns {
  constructor(private readonly world: FakeWorld) {}

  async send(command: unknown): Promise<unknown> {
    if (!(command instanceof PublishCommand)) throw new UnsupportedCommandError('SNS client', command);
    const message = command.input.Message ?? '';
    let event: string | null = null;
    try {
      const parsed = JSON.parse(message) as { event?: unknown };
      event = typeof parsed.event === 'string' ? parsed.event : null;
    } catch {
      event = null;
    }
    this.world.published.push({
      at: this.world.now(),
      topicArn: command.input.TopicArn ?? '',
      subject: command.input.Subject ?? '',
      event,
      message,
    });
    return { MessageId: `m-${this.world.published.length}` };
  }
}

/** SSM: GetParameter over the simulated parameters. */
export class FakeSsm {
  constructor(private readonly world: FakeWorld) {}

  async send(command: unknown): Promise<unknown> {
    if (!(command instanceof GetParameterCommand)) throw new UnsupportedCommandError('SSM client', command);
    const name = command.input.Name ?? '';
    const value = this.world.parameters.get(name);
    if (value === undefined) throw awsError('ParameterNotFound', `parameter ${name} not found`);
    return { Parameter: { Name: name, Type: 'String', Value: value, Version: 1 } };
  }
}
