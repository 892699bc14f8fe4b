// What the retrain decision does in AWS once it has decided: start the model-build pipeline
// idempotently (ClientRequestToken, TriggerReason, GateThreshold read at start time), and tell the
// notification topic about a start or about alarms whose attempts are exhausted. SNS failures are
// logged, never thrown: the decision stands.
import { createHash } from 'node:crypto';
import { StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { PublishCommand } from '@aws-sdk/client-sns';
import {
  type AlarmSnapshot,
  type DecisionContext,
  TRIGGER_REASON_PARAMETER,
  triggerReasonFor,
} from './decision';
import { chooseGateThreshold } from './gate-threshold';
import type { RetryAssessment } from './retry-policy';

/** ClientRequestToken of a start: sha256 hex (64 chars; SageMaker accepts 32-128). */
export function clientRequestToken(...parts: string[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

/** `retrain-<alarm slug>-<yyyymmdd-hhmmss>`, at most 82 characters of [a-zA-Z0-9-] as SageMaker requires. */
export function executionDisplayName(alarmName: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  const slug =
    alarmName
      .replace(/[^a-zA-Z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 57)
      .replace(/-+$/, '') || 'alarm';
  return `retrain-${slug}-${stamp}`;
}

function asciiSubject(text: string): string {
  // SNS subjects: printable ASCII, no line breaks, at most 100 characters.
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

/** Publishes to the notification topic, if configured. A failure is logged, never thrown. */
async function notify(
  ctx: DecisionContext,
  subject: string,
  message: Record<string, unknown>,
): Promise<boolean> {
  const topicArn = ctx.config.notificationTopicArn;
  if (topicArn === undefined) return false;
  try {
    await ctx.clients.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: asciiSubject(subject),
        Message: JSON.stringify(message, null, 2),
      }),
    );
    return true;
  } catch (error) {
    ctx.logger.error('notification failed; the decision stands', {
      topicArn,
      subject,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return false;
  }
}

/** A retrain to start: for which alarm, with which idempotency token, and why (for logs and the topic). */
export interface StartRequest {
  readonly alarm: AlarmSnapshot;
  readonly token: string;
  readonly cause: string;
}

/** Starts the model-build pipeline for `request` and notifies the topic; resolves to the execution ARN. */
export async function startRetrain(ctx: DecisionContext, request: StartRequest, now: Date): Promise<string> {
  const triggerReason = triggerReasonFor(request.alarm.name);
  // Read at start time, like the model-build repository's pipeline:run: never a value baked in anywhere.
  const gate = await chooseGateThreshold(ctx.config.gateThresholdParameterName, ctx.clients.ssm, ctx.logger);
  const response = await ctx.clients.sagemaker.send(
    new StartPipelineExecutionCommand({
      PipelineName: ctx.config.pipelineName,
      ClientRequestToken: request.token,
      PipelineExecutionDisplayName: executionDisplayName(request.alarm.name, now),
      PipelineExecutionDescription: `Retrain requested by mlops-retrain: ${request.cause}`.slice(0, 3072),
      PipelineParameters: [
        { Name: TRIGGER_REASON_PARAMETER, Value: triggerReason },
        ...gate.pipelineParameters,
      ],
    }),
  );
  const arn = response.PipelineExecutionArn;
  if (arn === undefined) throw new Error('StartPipelineExecution returned no PipelineExecutionArn');
  ctx.logger.info('retrain started', {
    alarmName: request.alarm.name,
    pipelineExecutionArn: arn,
    triggerReason,
    gateThreshold: gate.gateThreshold,
    gateThresholdSource: gate.source,
    clientRequestToken: request.token,
    cause: request.cause,
  });
  await notify(ctx, `Retrain started: ${request.alarm.name}`, {
    event: 'retrain-started',
    alarmName: request.alarm.name,
    alarmArn: request.alarm.arn,
    pipelineName: ctx.config.pipelineName,
    pipelineExecutionArn: arn,
    triggerReason,
    gateThreshold: gate.gateThreshold,
    cause: request.cause,
  });
  return arn;
}

/** An alarm whose attempts are exhausted, with the assessment that says so and when its last attempt ended. */
export interface Escalation {
  readonly alarm: AlarmSnapshot;
  readonly assessment: RetryAssessment;
  readonly finishedAt: Date;
}

/**
 * Tells the topic that a person is needed for `escalations` (one message for all of them); resolves
 * to the alarm names the topic was told about (none when there is no topic or the publish failed).
 */
export async function escalate(ctx: DecisionContext, escalations: readonly Escalation[]): Promise<string[]> {
  if (escalations.length === 0) return [];
  const { config } = ctx;
  const names = escalations.map((e) => e.alarm.name);
  ctx.logger.error('retrain attempts exhausted: a person is needed', { alarms: names });
  const sent = await notify(ctx, `Retrain stopped, a person is needed: ${names.join(', ')}`, {
    event: 'retrain-attempts-exhausted',
    pipelineName: config.pipelineName,
    maxAttempts: config.maxAttempts,
    alarms: escalations.map(({ alarm, assessment, finishedAt }) => ({
      alarmName: alarm.name,
      alarmArn: alarm.arn,
      inAlarmSince: alarm.enteredStateAt.toISOString(),
      attemptsWithoutNewModel: assessment.attemptsWithoutNewModel.map((e) => e.arn),
      lastAttemptFinishedAt: finishedAt.toISOString(),
    })),
    action:
      'No more automatic retrains for these alarms until they leave ALARM or a new model is registered. ' +
      'Investigate the data and the model-build pipeline.',
  });
  return sent ? names : [];
}
