// The retry policy: pure rules that judge one alarm against the pipeline history (duplicate delivery,
// attempts per attempt window, a model on its way, a running execution, cooldown), how far back the
// history must be read, and the re-check's notify-once window. No AWS calls; see README.md for the rules.
import { CONFIG_DEFAULTS, type RetrainConfig } from './config';
import {
  type AlarmDecision,
  type AlarmSnapshot,
  type ExecutionRecord,
  type ModelPackageRecord,
  type PipelineHistory,
  TRIGGER_REASON_PREFIX,
  triggerReasonFor,
} from './decision';

const RUNNING_STATUSES = new Set(['Executing', 'Stopping']);
const FINISHED_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped']);
const MINUTE_MS = 60_000;

/** The model package version a ModelVersion value names (`7`, `<group>/7` or a package ARN). */
export function modelPackageVersionOf(value: string): number | undefined {
  const match = /(?:^|\/)(\d+)$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
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

/** The `skipped` decision for `alarmName` when the assessment says not to start; undefined when it says start. */
export function skipDecisionFor(alarmName: string, assessment: RetryAssessment): AlarmDecision | undefined {
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
export function historyStart(
  config: Pick<RetrainConfig, 'cooldownMinutes' | 'attemptWindowMinutes'>,
  now: Date,
  enteredStateAt: Date,
): Date {
  const back = Math.max(config.cooldownMinutes, 2 * config.attemptWindowMinutes) * MINUTE_MS;
  const from = new Date(now.getTime() - back);
  return enteredStateAt < from ? enteredStateAt : from;
}

/**
 * Notify-once rule: a person is asked for in the re-check whose window (the re-check interval ending
 * at its scheduled time) contains the end of the attempt that exhausted the limit.
 */
export function inNotifyWindow(finishedAt: Date, windowEnd: Date, recheckIntervalMinutes: number): boolean {
  const windowStart = new Date(windowEnd.getTime() - recheckIntervalMinutes * MINUTE_MS);
  return finishedAt > windowStart && finishedAt <= windowEnd;
}
