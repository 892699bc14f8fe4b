// The retrain decision: given a trigger (alarm state change or scheduled re-check), the injected AWS
// clients and a clock, decide whether to start the model-build SageMaker pipeline, start it
// idempotently, and say why. All state is derived from AWS (alarm state, pipeline executions and
// their TriggerReason parameter, model packages); nothing is stored. See README.md for the rules.
import { createHash } from 'node:crypto';
import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribePipelineExecutionCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  type PipelineExecutionSummary,
  type SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { CONFIG_DEFAULTS, type RetrainConfig } from './config';
import {
  type AlarmStateChangeTrigger,
  parseRetrainEvent,
  type RecheckTrigger,
  type RetrainTrigger,
} from './events';
import { chooseGateThreshold } from './gate-threshold';

/** The AWS SDK v3 clients the decision uses (inject mocks or moto-pointed clients in tests). */
export interface RetrainClients {
  readonly sagemaker: SageMakerClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  /**
   * Reads `GATE_THRESHOLD_PARAMETER_NAME` before each start. Optional: without it (or without the
   * variable) retrains start with the pipeline definition's GateThreshold; `createRetrainClients` makes one.
   */
  readonly ssm?: SSMClient;
}

/** Structured logger; Powertools Logger fits, the CLI uses a stderr JSON logger. */
export interface DecisionLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export interface DecisionContext {
  readonly config: RetrainConfig;
  readonly clients: RetrainClients;
  readonly logger: DecisionLogger;
  /** The clock; defaults to the system time. */
  readonly now?: () => Date;
}

export type Decision = 'started' | 'skipped' | 'ignored';

/** Machine-readable reason codes (stable: used as the `Reason` metric dimension). */
export type DecisionReason =
  // started
  | 'alarm-state-change'
  | 'recheck-still-in-alarm'
  // skipped
  | 'duplicate-delivery'
  | 'max-attempts-reached'
  | 'model-awaiting-approval'
  | 'execution-running'
  | 'cooldown'
  | 'retrain-started-for-other-alarm'
  // ignored
  | 'malformed-event'
  | 'state-not-alarm'
  | 'foreign-alarm'
  | 'actions-suppressed'
  | 'alarm-not-found'
  | 'alarm-no-longer-in-alarm'
  | 'no-alarm-in-alarm-state';

/** The decision for one alarm. */
export interface AlarmDecision {
  readonly alarmName: string;
  readonly decision: Decision;
  readonly reason: DecisionReason;
  /** The execution started, or the one that caused the skip; null when none. */
  readonly pipelineExecutionArn: string | null;
  /** Human-readable explanation. */
  readonly detail: string;
}

/** The decision of one run (one event, or one re-check over every alarm of the project). */
export interface RetrainOutcome extends Omit<AlarmDecision, 'alarmName'> {
  readonly alarmName: string | null;
  readonly trigger: 'alarm-state-change' | 'recheck' | 'malformed-event';
  /** Re-check only: the decision per examined alarm. */
  readonly alarms?: readonly AlarmDecision[];
  /** Re-check only: alarms for which this run told the topic that a person is needed. */
  readonly escalated?: readonly string[];
}

/** Service name of logs and the `service` metric dimension (Lambda and CLI alike). */
export const SERVICE_NAME = 'mlops-retrain';

/** Name of the model-build pipeline parameter that records why it ran. */
export const TRIGGER_REASON_PARAMETER = 'TriggerReason';
/** Prefix of TriggerReason values written by this package: `retrain-alarm:<alarm name>`. */
export const TRIGGER_REASON_PREFIX = 'retrain-alarm:';

const RUNNING_STATUSES = new Set(['Executing', 'Stopping']);
const FINISHED_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped']);
const UNUSABLE_MODEL_PACKAGE_STATUSES = new Set(['Failed', 'Deleting']);
/** ListPipelineExecutions pages (100 each) read at most per run. */
const MAX_EXECUTION_PAGES = 10;
const PARAMETER_LOOKUP_CONCURRENCY = 5;
const MINUTE_MS = 60_000;

export function triggerReasonFor(alarmName: string): string {
  return `${TRIGGER_REASON_PREFIX}${alarmName}`;
}

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

/** An alarm as CloudWatch reports it now. */
export interface AlarmSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly type: 'metric' | 'composite';
  readonly state: string;
  /** When the alarm took its current state (StateTransitionedTimestamp, else StateUpdatedTimestamp). */
  readonly enteredStateAt: Date;
  readonly actionsSuppressedBy?: string;
  /**
   * The `ModelVersion` dimension of the alarm's metric(s), when it has one (the monitoring stack's
   * accuracy alarm watches one model version: see README "Model versions").
   */
  readonly modelVersion?: string;
}

/** One execution of the model-build pipeline. */
export interface ExecutionRecord {
  readonly arn: string;
  readonly status: string;
  readonly startTime?: Date;
  /** The TriggerReason parameter; only looked up for executions recent enough to matter. */
  readonly triggerReason?: string;
}

/** A model package of the project's group, as ListModelPackages reports it. */
export interface ModelPackageRecord {
  readonly arn: string;
  /** ModelPackageVersion. */
  readonly version?: number;
  /** ModelApprovalStatus: `PendingManualApproval`, `Approved` or `Rejected`. */
  readonly approvalStatus: string;
  readonly createdAt: Date;
}

/** What the decision needs to know about the pipeline and the model registry. */
export interface PipelineHistory {
  /** Newest first. */
  readonly executions: readonly ExecutionRecord[];
  /** Creation time of the newest usable model package (any approval status); informational. */
  readonly latestModelPackageAt?: Date;
  /**
   * Usable model packages of `MODEL_PACKAGE_GROUP_NAME` (not Failed/Deleting), newest first; absent
   * when no group is configured (then every finished retrain counts as an attempt).
   */
  readonly modelPackages?: readonly ModelPackageRecord[];
}

function toSnapshot(
  alarm: MetricAlarm | CompositeAlarm,
  type: 'metric' | 'composite',
): AlarmSnapshot | undefined {
  const enteredStateAt = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  if (alarm.AlarmName === undefined || alarm.AlarmArn === undefined || enteredStateAt === undefined) {
    return undefined;
  }
  const suppressedBy = 'ActionsSuppressedBy' in alarm ? alarm.ActionsSuppressedBy : undefined;
  const modelVersion = type === 'metric' ? modelVersionOf(alarm as MetricAlarm) : undefined;
  return {
    name: alarm.AlarmName,
    arn: alarm.AlarmArn,
    type,
    state: alarm.StateValue ?? 'UNKNOWN',
    enteredStateAt,
    actionsSuppressedBy: suppressedBy,
    ...(modelVersion !== undefined ? { modelVersion } : {}),
  };
}

/** Name of the metric dimension that says which model version an accuracy alarm watches. */
export const MODEL_VERSION_DIMENSION = 'ModelVersion';

/** The ModelVersion dimension of a metric alarm (single metric, or any metric of its metric math). */
function modelVersionOf(alarm: MetricAlarm): string | undefined {
  const dimensionSets = [
    alarm.Dimensions ?? [],
    ...(alarm.Metrics ?? []).map((m) => m.MetricStat?.Metric?.Dimensions ?? []),
  ];
  for (const dimensions of dimensionSets) {
    const value = dimensions.find((d) => d.Name === MODEL_VERSION_DIMENSION)?.Value;
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** The model package version a ModelVersion value names (`7`, `<group>/7` or a package ARN). */
export function modelPackageVersionOf(value: string): number | undefined {
  const match = /(?:^|\/)(\d+)$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

async function describeAlarms(
  cloudwatch: CloudWatchClient,
  query: { alarmName: string } | { prefix: string },
): Promise<AlarmSnapshot[]> {
  const snapshots: AlarmSnapshot[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudwatch.send(
      new DescribeAlarmsCommand({
        ...('alarmName' in query
          ? { AlarmNames: [query.alarmName] }
          : { AlarmNamePrefix: query.prefix, StateValue: 'ALARM' }),
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: 100,
        NextToken: nextToken,
      }),
    );
    for (const alarm of page.MetricAlarms ?? []) {
      const snapshot = toSnapshot(alarm, 'metric');
      if (snapshot !== undefined) snapshots.push(snapshot);
    }
    for (const alarm of page.CompositeAlarms ?? []) {
      const snapshot = toSnapshot(alarm, 'composite');
      if (snapshot !== undefined) snapshots.push(snapshot);
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return snapshots;
}

async function triggerReasonOf(
  sagemaker: SageMakerClient,
  executionArn: string,
): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sagemaker.send(
      new ListPipelineParametersForExecutionCommand({
        PipelineExecutionArn: executionArn,
        NextToken: nextToken,
      }),
    );
    const parameter = page.PipelineParameters?.find((p) => p.Name === TRIGGER_REASON_PARAMETER);
    if (parameter !== undefined) return parameter.Value;
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return undefined;
}

/**
 * Reads the pipeline's executions back to `listSince` (at least the newest page, for running ones),
 * the TriggerReason of those started at or after `parametersSince`, and the newest model package.
 */
export async function loadPipelineHistory(
  ctx: DecisionContext,
  listSince: Date,
  parametersSince: Date,
): Promise<PipelineHistory> {
  const { sagemaker } = ctx.clients;
  const summaries: PipelineExecutionSummary[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await sagemaker.send(
      new ListPipelineExecutionsCommand({
        PipelineName: ctx.config.pipelineName,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 100,
        NextToken: nextToken,
      }),
    );
    pages += 1;
    const batch = page.PipelineExecutionSummaries ?? [];
    summaries.push(...batch);
    const oldest = batch[batch.length - 1]?.StartTime;
    nextToken = oldest !== undefined && oldest < listSince ? undefined : page.NextToken;
  } while (nextToken !== undefined && pages < MAX_EXECUTION_PAGES);
  if (nextToken !== undefined) {
    ctx.logger.warn('pipeline execution history truncated', { pages, executions: summaries.length });
  }

  const executions: ExecutionRecord[] = summaries
    .filter(
      (s): s is PipelineExecutionSummary & { PipelineExecutionArn: string } =>
        s.PipelineExecutionArn !== undefined,
    )
    .map((s) => ({
      arn: s.PipelineExecutionArn,
      status: s.PipelineExecutionStatus ?? 'Unknown',
      startTime: s.StartTime,
    }))
    .sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0));

  const needReason = executions.filter((e) => e.startTime !== undefined && e.startTime >= parametersSince);
  const reasons = new Map<string, string | undefined>();
  for (let i = 0; i < needReason.length; i += PARAMETER_LOOKUP_CONCURRENCY) {
    const batch = needReason.slice(i, i + PARAMETER_LOOKUP_CONCURRENCY);
    const values = await Promise.all(batch.map(async (e) => triggerReasonOf(sagemaker, e.arn)));
    batch.forEach((e, index) => reasons.set(e.arn, values[index]));
  }

  let modelPackages: ModelPackageRecord[] | undefined;
  if (ctx.config.modelPackageGroupName !== undefined) {
    const packages = await sagemaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: ctx.config.modelPackageGroupName,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 20,
      }),
    );
    modelPackages = (packages.ModelPackageSummaryList ?? [])
      .filter((p) => !UNUSABLE_MODEL_PACKAGE_STATUSES.has(p.ModelPackageStatus ?? ''))
      .filter(
        (p): p is typeof p & { ModelPackageArn: string; CreationTime: Date } =>
          p.ModelPackageArn !== undefined && p.CreationTime !== undefined,
      )
      .map((p) => ({
        arn: p.ModelPackageArn,
        version: p.ModelPackageVersion,
        approvalStatus: p.ModelApprovalStatus ?? 'Unknown',
        createdAt: p.CreationTime,
      }))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  return {
    executions: executions.map((e) => (reasons.has(e.arn) ? { ...e, triggerReason: reasons.get(e.arn) } : e)),
    latestModelPackageAt: modelPackages?.[0]?.createdAt,
    ...(modelPackages !== undefined ? { modelPackages } : {}),
  };
}

/** What the pipeline history says about retrying for one alarm. */
export interface RetryAssessment {
  readonly verdict:
    | { readonly start: true }
    | {
        readonly start: false;
        readonly reason:
          | 'duplicate-delivery'
          | 'max-attempts-reached'
          | 'model-awaiting-approval'
          | 'execution-running'
          | 'cooldown';
        /** The execution that caused the skip (for `model-awaiting-approval`: the newest retrain, if any). */
        readonly blockingExecution?: ExecutionRecord;
        /** `model-awaiting-approval`: the model package on its way. */
        readonly awaitingModelPackage?: ModelPackageRecord;
        readonly detail: string;
      };
  /**
   * The attempts of the current attempt window: finished retrains (any `retrain-alarm:` TriggerReason)
   * started after the newest approved model package, grouped into windows of `attemptWindowMinutes`
   * from the first attempt of each (see {@link currentAttemptWindow}). Newest first.
   */
  readonly attemptsWithoutNewModel: readonly ExecutionRecord[];
  /** Retrains recorded for this very alarm since it entered ALARM (any status). */
  readonly attemptsForThisAlarm: number;
}

const latest = (a: Date, b: Date | undefined): Date => (b !== undefined && b > a ? b : a);

/**
 * The attempts of the attempt window `now` is in. `attempts` are the finished retrains since the
 * newest approved model, any order. Windows are laid end to end from the first of them: a window
 * starts at the first attempt not inside the previous one and lasts `windowMinutes`. Once the last
 * window is over (`now` ≥ its end) there is no current window: the list is empty. Returns newest first.
 * An ALARM → INSUFFICIENT_DATA → ALARM gap changes nothing here (#14 finding 2).
 */
export function currentAttemptWindow(
  attempts: readonly ExecutionRecord[],
  windowMinutes: number,
  now: Date,
): ExecutionRecord[] {
  const ascending = attempts
    .filter((e): e is ExecutionRecord & { startTime: Date } => e.startTime !== undefined)
    .sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const length = windowMinutes * MINUTE_MS;
  let windowStart: number | undefined;
  let inWindow: ExecutionRecord[] = [];
  for (const attempt of ascending) {
    const t = attempt.startTime.getTime();
    if (windowStart === undefined || t >= windowStart + length) {
      windowStart = t;
      inWindow = [attempt];
    } else {
      inWindow.push(attempt);
    }
  }
  if (windowStart === undefined || now.getTime() >= windowStart + length) return [];
  return inWindow.reverse();
}

/** The model package a retrain would only duplicate, if any (see README "Model versions"). */
function modelOnItsWay(
  alarm: AlarmSnapshot,
  packages: readonly ModelPackageRecord[],
  windowMinutes: number,
  now: Date,
): { readonly pkg: ModelPackageRecord; readonly why: string } | undefined {
  const fresh = (p: ModelPackageRecord) => now.getTime() - p.createdAt.getTime() < windowMinutes * MINUTE_MS;
  const newest = packages[0];
  if (newest?.approvalStatus === 'PendingManualApproval' && fresh(newest)) {
    return { pkg: newest, why: 'waits for its approval (PendingManualApproval)' };
  }
  const watched = alarm.modelVersion === undefined ? undefined : modelPackageVersionOf(alarm.modelVersion);
  const approved = packages.find((p) => p.approvalStatus === 'Approved');
  if (
    watched !== undefined &&
    approved?.version !== undefined &&
    approved.version > watched &&
    fresh(approved)
  ) {
    return {
      pkg: approved,
      why: `is approved but not yet what this alarm watches (ModelVersion ${alarm.modelVersion}): deploy or prod approval pending`,
    };
  }
  return undefined;
}

/**
 * The pure part of the decision, in order: duplicate delivery (event path only), max attempts (per
 * attempt window), a model on its way (pending approval, or approved and not yet deployed where this
 * alarm looks), running execution, cooldown; otherwise start.
 */
export function assessRetry(
  alarm: AlarmSnapshot,
  history: PipelineHistory,
  config: Pick<RetrainConfig, 'cooldownMinutes' | 'maxAttempts'> &
    Partial<Pick<RetrainConfig, 'attemptWindowMinutes'>>,
  now: Date,
  eventStateChangedAt?: Date,
): RetryAssessment {
  const executions = history.executions;
  const windowMinutes = config.attemptWindowMinutes ?? CONFIG_DEFAULTS.attemptWindowMinutes;
  const startedSince = (e: ExecutionRecord, since: Date): boolean =>
    e.startTime !== undefined && e.startTime >= since;
  const ownReason = triggerReasonFor(alarm.name);
  const attemptsForThisAlarm = executions.filter(
    (e) => e.triggerReason === ownReason && startedSince(e, alarm.enteredStateAt),
  ).length;
  // Only an approved model resets the count: a pending one may never be approved, a rejected one
  // is a failed attempt (#14 finding 1).
  const approvedAt = history.modelPackages?.find((p) => p.approvalStatus === 'Approved')?.createdAt;
  const attemptsWithoutNewModel = currentAttemptWindow(
    executions.filter(
      (e) =>
        e.triggerReason?.startsWith(TRIGGER_REASON_PREFIX) === true &&
        FINISHED_STATUSES.has(e.status) &&
        (approvedAt === undefined || startedSince(e, approvedAt)),
    ),
    windowMinutes,
    now,
  );
  const result = (verdict: RetryAssessment['verdict']): RetryAssessment => ({
    verdict,
    attemptsWithoutNewModel,
    attemptsForThisAlarm,
  });

  if (eventStateChangedAt !== undefined) {
    const duplicate = executions.find(
      (e) =>
        e.triggerReason === ownReason && startedSince(e, latest(alarm.enteredStateAt, eventStateChangedAt)),
    );
    if (duplicate !== undefined) {
      return result({
        start: false,
        reason: 'duplicate-delivery',
        blockingExecution: duplicate,
        detail: `a retrain for this alarm state (${eventStateChangedAt.toISOString()}) already started: ${duplicate.arn}`,
      });
    }
  }
  if (attemptsWithoutNewModel.length >= config.maxAttempts) {
    const first = attemptsWithoutNewModel[attemptsWithoutNewModel.length - 1].startTime as Date;
    const until = new Date(first.getTime() + windowMinutes * MINUTE_MS);
    return result({
      start: false,
      reason: 'max-attempts-reached',
      blockingExecution: attemptsWithoutNewModel[0],
      detail:
        `${attemptsWithoutNewModel.length} retrains since ${first.toISOString()} gave no approved model ` +
        `(limit ${config.maxAttempts} per ${windowMinutes}-minute attempt window); ` +
        `no more retries until a model is approved or the window ends at ${until.toISOString()}`,
    });
  }
  const onItsWay = modelOnItsWay(alarm, history.modelPackages ?? [], windowMinutes, now);
  if (onItsWay !== undefined) {
    const newestRetrain = executions.find((e) => e.triggerReason?.startsWith(TRIGGER_REASON_PREFIX) === true);
    return result({
      start: false,
      reason: 'model-awaiting-approval',
      ...(newestRetrain !== undefined ? { blockingExecution: newestRetrain } : {}),
      awaitingModelPackage: onItsWay.pkg,
      detail:
        `model package ${onItsWay.pkg.arn} (created ${onItsWay.pkg.createdAt.toISOString()}) ${onItsWay.why}; ` +
        'a retrain now would only register another one',
    });
  }
  const running = executions.find((e) => RUNNING_STATUSES.has(e.status));
  if (running !== undefined) {
    return result({
      start: false,
      reason: 'execution-running',
      blockingExecution: running,
      detail: `pipeline execution ${running.arn} is ${running.status}`,
    });
  }
  const cooldownStart = new Date(now.getTime() - config.cooldownMinutes * MINUTE_MS);
  const recent = executions.find((e) => e.startTime !== undefined && e.startTime > cooldownStart);
  if (recent !== undefined && recent.startTime !== undefined) {
    const until = new Date(recent.startTime.getTime() + config.cooldownMinutes * MINUTE_MS);
    return result({
      start: false,
      reason: 'cooldown',
      blockingExecution: recent,
      detail: `pipeline execution started at ${recent.startTime.toISOString()}, within the ${config.cooldownMinutes}-minute cooldown (until ${until.toISOString()})`,
    });
  }
  return result({ start: true });
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

interface StartRequest {
  readonly alarm: AlarmSnapshot;
  readonly token: string;
  readonly cause: string;
}

async function startRetrain(ctx: DecisionContext, request: StartRequest, now: Date): Promise<string> {
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

function skippedOrStarted(alarmName: string, assessment: RetryAssessment): AlarmDecision | undefined {
  if (assessment.verdict.start) return undefined;
  return {
    alarmName,
    decision: 'skipped',
    reason: assessment.verdict.reason,
    pipelineExecutionArn: assessment.verdict.blockingExecution?.arn ?? null,
    detail: assessment.verdict.detail,
  };
}

/**
 * How far back executions (and their TriggerReason) are read: the cooldown, the alarm's current state,
 * and two attempt windows (enough to find where the current window starts unless retrains ran back
 * to back for longer than that, in which case a person was already told).
 */
function historyStart(config: RetrainConfig, now: Date, enteredStateAt: Date): Date {
  const back = Math.max(config.cooldownMinutes, 2 * config.attemptWindowMinutes) * MINUTE_MS;
  const from = new Date(now.getTime() - back);
  return enteredStateAt < from ? enteredStateAt : from;
}

async function decideForAlarmEvent(
  trigger: AlarmStateChangeTrigger,
  ctx: DecisionContext,
): Promise<RetrainOutcome> {
  const { config } = ctx;
  const now = (ctx.now ?? (() => new Date()))();
  const base = {
    alarmName: trigger.alarmName,
    trigger: 'alarm-state-change' as const,
    pipelineExecutionArn: null,
  };
  if (trigger.state !== 'ALARM') {
    return {
      ...base,
      decision: 'ignored',
      reason: 'state-not-alarm',
      detail: `alarm state is ${trigger.state}`,
    };
  }
  if (!trigger.alarmName.startsWith(config.alarmNamePrefix)) {
    return {
      ...base,
      decision: 'ignored',
      reason: 'foreign-alarm',
      detail: `alarm name does not start with ${JSON.stringify(config.alarmNamePrefix)}`,
    };
  }
  if (trigger.actionsSuppressedBy !== undefined) {
    return {
      ...base,
      decision: 'ignored',
      reason: 'actions-suppressed',
      detail: `alarm actions are suppressed (${trigger.actionsSuppressedBy}); the re-check acts once they are not`,
    };
  }
  const [alarm] = await describeAlarms(ctx.clients.cloudwatch, { alarmName: trigger.alarmName });
  if (alarm === undefined) {
    return {
      ...base,
      decision: 'ignored',
      reason: 'alarm-not-found',
      detail: 'DescribeAlarms does not know this alarm',
    };
  }
  if (alarm.state !== 'ALARM') {
    return {
      ...base,
      decision: 'ignored',
      reason: 'alarm-no-longer-in-alarm',
      detail: `the alarm is ${alarm.state} now (event state ALARM at ${trigger.stateChangedAt.toISOString()})`,
    };
  }
  const since = historyStart(config, now, alarm.enteredStateAt);
  const history = await loadPipelineHistory(ctx, since, since);
  const assessment = assessRetry(alarm, history, config, now, trigger.stateChangedAt);
  const skipped = skippedOrStarted(trigger.alarmName, assessment);
  if (skipped !== undefined) return { ...skipped, trigger: 'alarm-state-change' };

  const arn = await startRetrain(
    ctx,
    {
      // Alarm ARN (as delivered) + state-change time: every delivery of this state change maps to one execution.
      alarm: { ...alarm, arn: trigger.alarmArn },
      token: clientRequestToken(trigger.alarmArn, trigger.stateChangedAt.toISOString()),
      cause: `alarm ${trigger.alarmName} entered ALARM at ${trigger.stateChangedAt.toISOString()} (${trigger.delivery})`,
    },
    now,
  );
  return {
    ...base,
    decision: 'started',
    reason: 'alarm-state-change',
    pipelineExecutionArn: arn,
    detail: `started ${config.pipelineName} with ${TRIGGER_REASON_PARAMETER}=${triggerReasonFor(trigger.alarmName)}`,
  };
}

async function lastAttemptFinishedAt(
  ctx: DecisionContext,
  attempt: ExecutionRecord,
): Promise<Date | undefined> {
  const described = await ctx.clients.sagemaker.send(
    new DescribePipelineExecutionCommand({ PipelineExecutionArn: attempt.arn }),
  );
  return described.LastModifiedTime ?? attempt.startTime;
}

async function recheck(trigger: RecheckTrigger, ctx: DecisionContext): Promise<RetrainOutcome> {
  const { config } = ctx;
  const now = (ctx.now ?? (() => new Date()))();
  const alarms = (await describeAlarms(ctx.clients.cloudwatch, { prefix: config.alarmNamePrefix }))
    .filter((a) => a.name.startsWith(config.alarmNamePrefix) && a.state === 'ALARM')
    .sort((a, b) => a.enteredStateAt.getTime() - b.enteredStateAt.getTime());
  if (alarms.length === 0) {
    return {
      alarmName: null,
      decision: 'ignored',
      reason: 'no-alarm-in-alarm-state',
      pipelineExecutionArn: null,
      detail: `no alarm named ${JSON.stringify(config.alarmNamePrefix)}* is in ALARM`,
      trigger: 'recheck',
      alarms: [],
      escalated: [],
    };
  }

  const since = historyStart(config, now, alarms[0].enteredStateAt);
  const history = await loadPipelineHistory(ctx, since, since);

  // Notify-once rule: a person is asked for in the re-check whose window (interval ending at the
  // scheduled time) contains the end of the attempt that exhausted the limit.
  const windowEnd = trigger.scheduledTime ?? now;
  const windowStart = new Date(windowEnd.getTime() - config.recheckIntervalMinutes * MINUTE_MS);

  const decisions: AlarmDecision[] = [];
  const toEscalate: Array<{ alarm: AlarmSnapshot; assessment: RetryAssessment; finishedAt: Date }> = [];
  let started: AlarmDecision | undefined;
  for (const alarm of alarms) {
    if (alarm.actionsSuppressedBy !== undefined) {
      decisions.push({
        alarmName: alarm.name,
        decision: 'ignored',
        reason: 'actions-suppressed',
        pipelineExecutionArn: null,
        detail: `alarm actions are suppressed (${alarm.actionsSuppressedBy})`,
      });
      continue;
    }
    if (started !== undefined) {
      decisions.push({
        alarmName: alarm.name,
        decision: 'skipped',
        reason: 'retrain-started-for-other-alarm',
        pipelineExecutionArn: started.pipelineExecutionArn,
        detail: `this run already started a retrain for ${started.alarmName}`,
      });
      continue;
    }
    const assessment = assessRetry(alarm, history, config, now);
    const skipped = skippedOrStarted(alarm.name, assessment);
    if (skipped !== undefined) {
      decisions.push(skipped);
      if (skipped.reason === 'max-attempts-reached') {
        const finishedAt = await lastAttemptFinishedAt(ctx, assessment.attemptsWithoutNewModel[0]);
        if (finishedAt !== undefined && finishedAt > windowStart && finishedAt <= windowEnd) {
          toEscalate.push({ alarm, assessment, finishedAt });
        }
      }
      continue;
    }
    const attemptNumber = assessment.attemptsForThisAlarm + 1;
    const arn = await startRetrain(
      ctx,
      {
        alarm,
        // Deterministic per alarm episode and attempt: concurrent re-checks start at most one execution.
        token: clientRequestToken(
          alarm.arn,
          alarm.enteredStateAt.toISOString(),
          'recheck',
          String(attemptNumber),
        ),
        cause:
          `alarm ${alarm.name} still in ALARM since ${alarm.enteredStateAt.toISOString()} ` +
          `(scheduled re-check, retrain ${attemptNumber} for this alarm)`,
      },
      now,
    );
    started = {
      alarmName: alarm.name,
      decision: 'started',
      reason: 'recheck-still-in-alarm',
      pipelineExecutionArn: arn,
      detail: `re-check started retrain ${attemptNumber} for this alarm since it entered ALARM`,
    };
    decisions.push(started);
  }

  const escalated: string[] = [];
  if (toEscalate.length > 0) {
    const names = toEscalate.map((e) => e.alarm.name);
    ctx.logger.error('retrain attempts exhausted: a person is needed', { alarms: names });
    const sent = await notify(ctx, `Retrain stopped, a person is needed: ${names.join(', ')}`, {
      event: 'retrain-attempts-exhausted',
      pipelineName: config.pipelineName,
      maxAttempts: config.maxAttempts,
      alarms: toEscalate.map(({ alarm, assessment, finishedAt }) => ({
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
    if (sent) escalated.push(...names);
  }

  const headline =
    started ?? decisions.find((d) => d.decision === 'skipped') ?? (decisions[0] as AlarmDecision | undefined);
  return {
    alarmName: headline?.alarmName ?? null,
    decision: headline?.decision ?? 'ignored',
    reason: headline?.reason ?? 'no-alarm-in-alarm-state',
    pipelineExecutionArn: headline?.pipelineExecutionArn ?? null,
    detail: headline?.detail ?? '',
    trigger: 'recheck',
    alarms: decisions,
    escalated,
  };
}

/** The `ignored` outcome of an input that is not a usable event; logs the error. */
export function malformedEventOutcome(error: string, logger: DecisionLogger): RetrainOutcome {
  logger.error('malformed event: no retrain started', { error });
  const outcome: RetrainOutcome = {
    alarmName: null,
    decision: 'ignored',
    reason: 'malformed-event',
    pipelineExecutionArn: null,
    detail: error,
    trigger: 'malformed-event',
  };
  logger.info('retrain decision', { ...outcome });
  return outcome;
}

/** Decides (and acts) for an already parsed trigger. AWS errors (after the SDK's retries) are thrown. */
export async function decide(trigger: RetrainTrigger, ctx: DecisionContext): Promise<RetrainOutcome> {
  const outcome =
    trigger.kind === 'recheck' ? await recheck(trigger, ctx) : await decideForAlarmEvent(trigger, ctx);
  ctx.logger.info('retrain decision', { ...outcome });
  return outcome;
}

/**
 * Runs the decision for one invocation payload. Malformed payloads give `ignored` with a logged
 * error (never an exception, so no retry loop); AWS errors (after the SDK's retries) are thrown.
 */
export async function runRetrainDecision(event: unknown, ctx: DecisionContext): Promise<RetrainOutcome> {
  const parsed = parseRetrainEvent(event);
  return parsed.ok ? decide(parsed.trigger, ctx) : malformedEventOutcome(parsed.error, ctx.logger);
}

/** One metric data point the run should publish. */
export interface DecisionMetric {
  readonly name: 'retrain_triggered' | 'retrain_skipped';
  /** `Reason` for skips (low cardinality: the reason codes above). */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** retrain_triggered per start, retrain_skipped (by Reason) per skip; nothing for ignored. */
export function decisionMetrics(outcome: RetrainOutcome): DecisionMetric[] {
  const decisions: ReadonlyArray<Pick<AlarmDecision, 'decision' | 'reason'>> = outcome.alarms ?? [outcome];
  return decisions.flatMap((d): DecisionMetric[] => {
    if (d.decision === 'started') return [{ name: 'retrain_triggered', dimensions: {} }];
    if (d.decision === 'skipped') return [{ name: 'retrain_skipped', dimensions: { Reason: d.reason } }];
    return [];
  });
}

/** The one JSON line the CLI prints (and the Lambda returns). */
export function outcomeLine(outcome: RetrainOutcome): string {
  return JSON.stringify({
    decision: outcome.decision,
    reason: outcome.reason,
    pipelineExecutionArn: outcome.pipelineExecutionArn,
    alarmName: outcome.alarmName,
    detail: outcome.detail,
    ...(outcome.alarms !== undefined ? { alarms: outcome.alarms, escalated: outcome.escalated ?? [] } : {}),
  });
}
