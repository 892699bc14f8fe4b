// Shared test helpers of the retrain package: fixture events, a recording logger, a configuration
// builder, moto setup (pipeline with a TriggerReason parameter, alarms, model packages) and a local
// HTTP endpoint that receives SNS notifications from moto.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  type CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  type PipelineExecutionSummary,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { RetrainConfig } from '../../src/config';
import type { DecisionLogger } from '../../src/decision';

export const FIXTURE_EVENTS_DIR = join(__dirname, '..', 'fixtures', 'events');

export const FIXTURES = {
  singleMetric: 'cloudwatch-alarm-state-change-single-metric.json',
  metricMath: 'cloudwatch-alarm-state-change-metric-math.json',
  anomaly: 'cloudwatch-alarm-state-change-anomaly-detection.json',
  compositeSuppressed: 'cloudwatch-alarm-state-change-composite-suppressor.json',
  actionMetric: 'cloudwatch-alarm-lambda-action-metric.json',
  actionComposite: 'cloudwatch-alarm-lambda-action-composite.json',
} as const;

export type JsonObject = Record<string, unknown>;

export function fixturePath(name: string): string {
  return join(FIXTURE_EVENTS_DIR, name);
}

export function loadEvent(name: string): JsonObject {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as JsonObject;
}

/** The alarm-state object of either event shape (EventBridge `detail`, alarm action `alarmData`). */
function alarmBody(event: JsonObject): JsonObject {
  return (event.detail ?? event.alarmData) as JsonObject;
}

/** A copy of the event with another `state.value`. */
export function withState(event: JsonObject, value: string): JsonObject {
  const copy = structuredClone(event);
  (alarmBody(copy).state as JsonObject).value = value;
  return copy;
}

/** A copy of the event without the actions-suppression fields of its state. */
export function withoutSuppression(event: JsonObject): JsonObject {
  const copy = structuredClone(event);
  const state = alarmBody(copy).state as JsonObject;
  delete state.actionsSuppressedBy;
  delete state.actionsSuppressedReason;
  return copy;
}

export function alarmNameOf(event: JsonObject): string {
  return alarmBody(event).alarmName as string;
}

/** A logger that keeps what it is told. */
export interface RecordingLogger extends DecisionLogger {
  readonly entries: Array<{
    level: 'info' | 'warn' | 'error';
    message: string;
    attributes?: Record<string, unknown>;
  }>;
}

export function recordingLogger(): RecordingLogger {
  const entries: RecordingLogger['entries'] = [];
  return {
    entries,
    info: (message, attributes) => entries.push({ level: 'info', message, attributes }),
    warn: (message, attributes) => entries.push({ level: 'warn', message, attributes }),
    error: (message, attributes) => entries.push({ level: 'error', message, attributes }),
  };
}

export const PIPELINE_NAME = 'model-build';
export const MODEL_PACKAGE_GROUP = 'forecast-models';

export function testConfig(overrides: Partial<RetrainConfig> = {}): RetrainConfig {
  return {
    alarmNamePrefix: 'Server',
    pipelineName: PIPELINE_NAME,
    cooldownMinutes: 30,
    maxAttempts: 3,
    attemptWindowMinutes: 7 * 24 * 60,
    metricNamespace: 'RetrainTest',
    recheckIntervalMinutes: 60,
    modelPackageGroupName: MODEL_PACKAGE_GROUP,
    ...overrides,
  };
}

/** A minimal valid pipeline definition with the `TriggerReason` String and `GateThreshold` Float parameters. */
export const MINIMAL_PIPELINE_DEFINITION = JSON.stringify({
  Version: '2020-12-01',
  Parameters: [
    { Name: 'TriggerReason', Type: 'String', DefaultValue: 'manual' },
    { Name: 'GateThreshold', Type: 'Float', DefaultValue: 0.3 },
  ],
  Steps: [
    { Name: 'NothingToDo', Type: 'Fail', Arguments: { ErrorMessage: 'placeholder model-build pipeline' } },
  ],
});

export async function createModelBuildPipeline(sagemaker: SageMakerClient): Promise<void> {
  await sagemaker.send(
    new CreatePipelineCommand({
      PipelineName: PIPELINE_NAME,
      PipelineDefinition: MINIMAL_PIPELINE_DEFINITION,
      RoleArn: 'arn:aws:iam::123456789012:role/model-build',
      ClientRequestToken: 'create-model-build-pipeline-0000000000',
    }),
  );
  await sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: MODEL_PACKAGE_GROUP }));
}

export async function registerModelPackage(
  sagemaker: SageMakerClient,
  approval: 'PendingManualApproval' | 'Approved' | 'Rejected' = 'PendingManualApproval',
): Promise<void> {
  await sagemaker.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: MODEL_PACKAGE_GROUP,
      ModelApprovalStatus: approval,
      InferenceSpecification: {
        Containers: [{ Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/forecast:1' }],
        SupportedContentTypes: ['application/json'],
        SupportedResponseMIMETypes: ['application/json'],
      },
    }),
  );
}

/** A metric alarm (plain, or metric math when `metricMath` is set) put into `state`. */
export async function putAlarm(
  cloudwatch: CloudWatchClient,
  name: string,
  state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA',
  metricMath = false,
): Promise<void> {
  await cloudwatch.send(
    new PutMetricAlarmCommand(
      metricMath
        ? {
            AlarmName: name,
            EvaluationPeriods: 1,
            Threshold: 10000,
            ComparisonOperator: 'GreaterThanThreshold',
            Metrics: [
              { Id: 'e1', Expression: 'SUM(METRICS())', Label: 'Total Network Traffic', ReturnData: true },
              {
                Id: 'm1',
                MetricStat: {
                  Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkIn' },
                  Period: 300,
                  Stat: 'Maximum',
                },
                ReturnData: false,
              },
              {
                Id: 'm2',
                MetricStat: {
                  Metric: { Namespace: 'AWS/EC2', MetricName: 'NetworkOut' },
                  Period: 300,
                  Stat: 'Maximum',
                },
                ReturnData: false,
              },
            ],
          }
        : {
            AlarmName: name,
            Namespace: 'Forecast/Accuracy',
            MetricName: 'mean_wQuantileLoss',
            Statistic: 'Average',
            Period: 3600,
            EvaluationPeriods: 1,
            Threshold: 0.2,
            ComparisonOperator: 'GreaterThanThreshold',
          },
    ),
  );
  await setAlarmState(cloudwatch, name, state);
}

export async function setAlarmState(
  cloudwatch: CloudWatchClient,
  name: string,
  state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA',
): Promise<void> {
  await cloudwatch.send(
    new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: 'test' }),
  );
}

export interface ExecutionWithReason extends PipelineExecutionSummary {
  readonly triggerReason?: string;
}

/** Every execution of the model-build pipeline, newest first, with its TriggerReason. */
export async function listExecutions(sagemaker: SageMakerClient): Promise<ExecutionWithReason[]> {
  const listed = await sagemaker.send(
    new ListPipelineExecutionsCommand({
      PipelineName: PIPELINE_NAME,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
    }),
  );
  // moto returns executions oldest first whatever SortOrder says: sort here.
  const summaries = [...(listed.PipelineExecutionSummaries ?? [])].sort(
    (a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0),
  );
  return Promise.all(
    summaries.map(async (summary) => {
      const parameters = await sagemaker.send(
        new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: summary.PipelineExecutionArn }),
      );
      return {
        ...summary,
        triggerReason: parameters.PipelineParameters?.find((p) => p.Name === 'TriggerReason')?.Value,
      };
    }),
  );
}

/** A loopback HTTP endpoint subscribed to an SNS topic in moto; collects the published messages. */
export interface NotificationInbox {
  readonly topicArn: string;
  readonly messages: Array<{ subject?: string; body: JsonObject }>;
  close(): Promise<void>;
}

export async function subscribeInbox(sns: SNSClient, topicName: string): Promise<NotificationInbox> {
  const messages: NotificationInbox['messages'] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const envelope = JSON.parse(text) as { Type?: string; Subject?: string; Message?: string };
      if (envelope.Type === 'Notification' && envelope.Message !== undefined) {
        messages.push({ subject: envelope.Subject, body: JSON.parse(envelope.Message) as JsonObject });
      }
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const topic = await sns.send(new CreateTopicCommand({ Name: topicName }));
  const topicArn = topic.TopicArn as string;
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `http://127.0.0.1:${port}/sns` }),
  );
  return {
    topicArn,
    messages,
    close: async () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A clock the test moves by hand. */
export interface ManualClock {
  now(): Date;
  set(date: Date): void;
  advanceMinutes(minutes: number): void;
}

export function manualClock(start = new Date()): ManualClock {
  let current = start;
  return {
    now: () => current,
    set: (date) => {
      current = date;
    },
    advanceMinutes: (minutes) => {
      current = new Date(current.getTime() + minutes * 60_000);
    },
  };
}
