// The retrain decision's orchestration: for an alarm event or a scheduled re-check, read the alarms and
// the pipeline history (alarms.ts, pipeline-history.ts), judge each alarm with the pure retry policy
// (retry-policy.ts), act (actions.ts) and return the outcome. All state is derived from AWS (alarm
// state, pipeline executions and their TriggerReason parameter, model packages); nothing is stored.
import { clientRequestToken, type Escalation, escalate, startRetrain } from './actions';
import { describeAlarms } from './alarms';
import {
  type AlarmDecision,
  type DecisionContext,
  type DecisionLogger,
  type RetrainOutcome,
  TRIGGER_REASON_PARAMETER,
  triggerReasonFor,
} from './decision';
import {
  type AlarmStateChangeTrigger,
  parseRetrainEvent,
  type RecheckTrigger,
  type RetrainTrigger,
} from './events';
import { lastAttemptFinishedAt, loadPipelineHistory } from './pipeline-history';
import { assessRetry, historyStart, inNotifyWindow, skipDecisionFor } from './retry-policy';

/** The event path: one alarm's state change, checked against CloudWatch now, then judged and acted on. */
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
  const skipped = skipDecisionFor(trigger.alarmName, assessment);
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

/** The scheduled re-check: every alarm of the project in ALARM, oldest first; at most one start per run. */
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

  // Notify-once rule (inNotifyWindow): the window is the re-check interval ending at the scheduled time.
  const windowEnd = trigger.scheduledTime ?? now;

  const decisions: AlarmDecision[] = [];
  const toEscalate: Escalation[] = [];
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
    const skipped = skipDecisionFor(alarm.name, assessment);
    if (skipped !== undefined) {
      decisions.push(skipped);
      if (skipped.reason === 'max-attempts-reached') {
        const finishedAt = await lastAttemptFinishedAt(ctx, assessment.attemptsWithoutNewModel[0]);
        if (
          finishedAt !== undefined &&
          inNotifyWindow(finishedAt, windowEnd, config.recheckIntervalMinutes)
        ) {
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

  const escalated = await escalate(ctx, toEscalate);

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
