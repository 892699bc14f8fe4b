// Recognises and normalises what can invoke the retrain decision: the EventBridge `CloudWatch Alarm
// State Change` event, the payload of a direct CloudWatch alarm → Lambda action, and the scheduled
// re-check (an EventBridge `Scheduled Event` or an EventBridge Scheduler input `{"action":"recheck"}`).
// Anything else is reported as malformed with a reason instead of throwing.
import { z } from 'zod';

/** An alarm changed (or re-announced) its state. Metric, metric-math, anomaly and composite alarms alike. */
export interface AlarmStateChangeTrigger {
  readonly kind: 'alarm-state-change';
  /** How it was delivered. */
  readonly delivery: 'eventbridge' | 'alarm-action';
  readonly alarmName: string;
  readonly alarmArn: string;
  /** `composite` when the alarm has an alarm rule, `metric` otherwise. */
  readonly alarmType: 'metric' | 'composite';
  /** New state: `ALARM`, `OK` or `INSUFFICIENT_DATA`. */
  readonly state: string;
  readonly previousState?: string;
  /** When the alarm took this state (the event's `state.timestamp`). */
  readonly stateChangedAt: Date;
  /** Set when the alarm's actions are suppressed (composite alarms with a suppressor). */
  readonly actionsSuppressedBy?: string;
}

/** The periodic re-check of this project's alarms that are still in ALARM. */
export interface RecheckTrigger {
  readonly kind: 'recheck';
  readonly delivery: 'eventbridge-schedule' | 'scheduler-input' | 'cli';
  /** The schedule's own time for this run, when the event carries it. */
  readonly scheduledTime?: Date;
}

export type RetrainTrigger = AlarmStateChangeTrigger | RecheckTrigger;

export type ParsedRetrainEvent =
  { readonly ok: true; readonly trigger: RetrainTrigger } | { readonly ok: false; readonly error: string };

/** `2023-08-04T12:56:46.138+0000` (CloudWatch) as well as `2019-10-03T16:00:04Z` (EventBridge). */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses the ISO-8601 timestamps CloudWatch and EventBridge write; undefined when not one. */
export function parseAwsTimestamp(text: string): Date | undefined {
  if (!ISO_TIMESTAMP.test(text)) return undefined;
  const normalised = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const timestamp = z.string().transform((text, ctx) => {
  const date = parseAwsTimestamp(text);
  if (date === undefined) {
    ctx.addIssue({ code: 'custom', message: `not an ISO-8601 timestamp: ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return date;
});

const alarmState = z.object({
  value: z.string().min(1),
  timestamp,
  actionsSuppressedBy: z.string().optional(),
});

const alarmConfiguration = z.object({ alarmRule: z.string().optional() }).optional();

const alarmArnPattern = /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/;

const eventBridgeAlarmEvent = z.object({
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.literal('aws.cloudwatch'),
  account: z.string().regex(/^\d{12}$/),
  region: z.string().min(1),
  resources: z.array(z.string()).optional(),
  detail: z.object({
    alarmName: z.string().min(1),
    state: alarmState,
    previousState: z.object({ value: z.string() }).optional(),
    configuration: alarmConfiguration,
  }),
});

const alarmActionPayload = z.object({
  source: z.literal('aws.cloudwatch'),
  alarmArn: z.string().regex(alarmArnPattern, { error: 'is not a CloudWatch alarm ARN' }),
  alarmData: z.object({
    alarmName: z.string().min(1),
    state: alarmState,
    previousState: z.object({ value: z.string() }).optional(),
    configuration: alarmConfiguration,
  }),
});

const scheduledEvent = z.object({
  'detail-type': z.literal('Scheduled Event'),
  source: z.enum(['aws.events', 'aws.scheduler']),
  time: timestamp.optional(),
});

const schedulerInput = z.object({
  action: z.literal('recheck'),
  scheduledTime: timestamp.optional(),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(event)'}: ${issue.message}`)
    .join('; ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns an invocation payload into a trigger, or a one-line explanation of why it is not one.
 * Never throws.
 */
export function parseRetrainEvent(input: unknown): ParsedRetrainEvent {
  if (!isRecord(input)) {
    return {
      ok: false,
      error: `expected a JSON object, got ${Array.isArray(input) ? 'an array' : typeof input}`,
    };
  }
  const detailType = input['detail-type'];

  if (detailType === 'CloudWatch Alarm State Change') {
    const parsed = eventBridgeAlarmEvent.safeParse(input);
    if (!parsed.success) {
      return { ok: false, error: `bad CloudWatch Alarm State Change event: ${describeIssues(parsed.error)}` };
    }
    const event = parsed.data;
    const arnFromResources = event.resources?.find((resource) => alarmArnPattern.test(resource));
    return {
      ok: true,
      trigger: {
        kind: 'alarm-state-change',
        delivery: 'eventbridge',
        alarmName: event.detail.alarmName,
        alarmArn:
          arnFromResources ??
          `arn:aws:cloudwatch:${event.region}:${event.account}:alarm:${event.detail.alarmName}`,
        alarmType: event.detail.configuration?.alarmRule !== undefined ? 'composite' : 'metric',
        state: event.detail.state.value,
        previousState: event.detail.previousState?.value,
        stateChangedAt: event.detail.state.timestamp,
        actionsSuppressedBy: event.detail.state.actionsSuppressedBy,
      },
    };
  }

  if (detailType === 'Scheduled Event') {
    const parsed = scheduledEvent.safeParse(input);
    if (!parsed.success) return { ok: false, error: `bad Scheduled Event: ${describeIssues(parsed.error)}` };
    return {
      ok: true,
      trigger: { kind: 'recheck', delivery: 'eventbridge-schedule', scheduledTime: parsed.data.time },
    };
  }

  if ('alarmData' in input) {
    const parsed = alarmActionPayload.safeParse(input);
    if (!parsed.success) {
      return { ok: false, error: `bad alarm action payload: ${describeIssues(parsed.error)}` };
    }
    const payload = parsed.data;
    return {
      ok: true,
      trigger: {
        kind: 'alarm-state-change',
        delivery: 'alarm-action',
        alarmName: payload.alarmData.alarmName,
        alarmArn: payload.alarmArn,
        alarmType: payload.alarmData.configuration?.alarmRule !== undefined ? 'composite' : 'metric',
        state: payload.alarmData.state.value,
        previousState: payload.alarmData.previousState?.value,
        stateChangedAt: payload.alarmData.state.timestamp,
        actionsSuppressedBy: payload.alarmData.state.actionsSuppressedBy,
      },
    };
  }

  if ('action' in input) {
    const parsed = schedulerInput.safeParse(input);
    if (!parsed.success) return { ok: false, error: `bad scheduler input: ${describeIssues(parsed.error)}` };
    return {
      ok: true,
      trigger: { kind: 'recheck', delivery: 'scheduler-input', scheduledTime: parsed.data.scheduledTime },
    };
  }

  return {
    ok: false,
    error:
      'unrecognised event: expected a CloudWatch Alarm State Change event, an alarm action payload ' +
      '(source aws.cloudwatch with alarmData), a Scheduled Event or {"action":"recheck"}',
  };
}
