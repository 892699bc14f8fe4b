// Unit tests of the pure retry policy (no AWS, no mocks): the rule order of assessRetry, attempt
// windows, a model on its way, how far back the history is read, the notify-once window and the skip
// decision an assessment gives.
import type { AlarmSnapshot, ExecutionRecord, ModelPackageRecord } from '../src/decision';
import {
  assessRetry,
  currentAttemptWindow,
  historyStart,
  inNotifyWindow,
  modelPackageVersionOf,
  skipDecisionFor,
} from '../src/retry-policy';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const minutesAgo = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);
const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh';
const EXECUTION = (id: string): string =>
  `arn:aws:sagemaker:us-east-1:123456789012:pipeline/model-build/execution/${id}`;

/** An alarm in ALARM for 10 hours, and a policy of 2 attempts with a 1-hour cooldown. */
const alarm: AlarmSnapshot = {
  name: 'ServerCpuTooHigh',
  arn: ALARM_ARN,
  type: 'metric',
  state: 'ALARM',
  enteredStateAt: minutesAgo(600),
};
const config = { cooldownMinutes: 60, maxAttempts: 2 };

describe('assessRetry (pure rules)', () => {
  const retrain = (
    id: string,
    startedMinutesAgo: number,
    status = 'Failed',
    alarmName = alarm.name,
  ): ExecutionRecord => ({
    arn: EXECUTION(id),
    status,
    startTime: minutesAgo(startedMinutesAgo),
    triggerReason: `retrain-alarm:${alarmName}`,
  });

  test('no executions: start', () => {
    expect(assessRetry(alarm, { executions: [] }, config, NOW).verdict).toEqual({ start: true });
  });

  test('a running or stopping execution blocks, whoever started it', () => {
    for (const status of ['Executing', 'Stopping']) {
      const push: ExecutionRecord = { arn: EXECUTION('push'), status, startTime: minutesAgo(300) };
      expect(assessRetry(alarm, { executions: [push] }, config, NOW).verdict).toMatchObject({
        start: false,
        reason: 'execution-running',
        blockingExecution: push,
      });
    }
  });

  test('cooldown counts from the newest start of any execution, boundary exclusive', () => {
    const inside = { arn: EXECUTION('a'), status: 'Succeeded', startTime: minutesAgo(59) };
    const edge = { arn: EXECUTION('b'), status: 'Succeeded', startTime: minutesAgo(60) };
    expect(assessRetry(alarm, { executions: [inside] }, config, NOW).verdict).toMatchObject({
      reason: 'cooldown',
    });
    expect(assessRetry(alarm, { executions: [edge] }, config, NOW).verdict).toEqual({ start: true });
  });

  test('finished retrains of the attempt window count toward the limit; pushes and an earlier window do not', () => {
    const history = {
      executions: [
        retrain('r2', 120),
        { arn: EXECUTION('push'), status: 'Succeeded', startTime: minutesAgo(200) },
        retrain('r1', 300, 'Succeeded', 'ServerLatencyTooHigh'), // another alarm of the project: same model
        retrain('old', 300 + 7 * 24 * 60), // a week before r1: an earlier, ended window
      ],
    };
    const assessment = assessRetry(alarm, history, config, NOW);
    expect(assessment.attemptsWithoutNewModel.map((e) => e.arn)).toEqual([EXECUTION('r2'), EXECUTION('r1')]);
    expect(assessment.attemptsForThisAlarm).toBe(1);
    expect(assessment.verdict).toMatchObject({ start: false, reason: 'max-attempts-reached' });
    expect(assessRetry(alarm, history, { ...config, maxAttempts: 3 }, NOW).verdict).toEqual({ start: true });
  });

  test('#14 finding 2: attempts before the alarm (re-)entered ALARM still count (INSUFFICIENT_DATA gap)', () => {
    // The collector stopped, the alarm went ALARM → INSUFFICIENT_DATA → ALARM 30 min ago: a new episode.
    const reentered: AlarmSnapshot = { ...alarm, enteredStateAt: minutesAgo(30) };
    const history = { executions: [retrain('r2', 400), retrain('r1', 800)] };
    expect(assessRetry(reentered, history, config, NOW).verdict).toMatchObject({
      start: false,
      reason: 'max-attempts-reached',
    });
    // The window (from r1, the first attempt) ends: the loop may try again.
    const windowEnd = new Date(minutesAgo(800).getTime() + 7 * 24 * 3_600_000);
    expect(assessRetry(reentered, history, config, windowEnd).verdict).toEqual({ start: true });
    // A shorter window (600 min from r1) has ended already.
    expect(assessRetry(reentered, history, { ...config, attemptWindowMinutes: 600 }, NOW).verdict).toEqual({
      start: true,
    });
  });

  test('currentAttemptWindow lays windows end to end from the first attempt', () => {
    const attempts = [retrain('a', 1000), retrain('b', 450), retrain('c', 350), retrain('d', 100)];
    // 600-minute windows: [a, b] from 1000 min ago (ends 400 min ago), then [c, d] from 350 min ago.
    expect(currentAttemptWindow(attempts, 600, NOW).map((e) => e.arn)).toEqual([
      EXECUTION('d'),
      EXECUTION('c'),
    ]);
    expect(currentAttemptWindow(attempts, 600, new Date(NOW.getTime() + 249 * 60_000))).toHaveLength(2);
    expect(currentAttemptWindow(attempts, 600, new Date(NOW.getTime() + 250 * 60_000))).toEqual([]);
    expect(currentAttemptWindow([], 600, NOW)).toEqual([]);
  });

  const pkg = (version: number, approvalStatus: string, createdMinutesAgo: number): ModelPackageRecord => ({
    arn: `arn:aws:sagemaker:us-east-1:123456789012:model-package/forecast-models/${version}`,
    version,
    approvalStatus,
    createdAt: minutesAgo(createdMinutesAgo),
  });

  test('#14 finding 1: only an approved model resets the count; pending and rejected ones do not', () => {
    const executions = [retrain('r2', 120), retrain('r1', 300)];
    const approvedAfter = { executions, modelPackages: [pkg(3, 'Approved', 100)] };
    expect(assessRetry(alarm, approvedAfter, config, NOW).verdict).toEqual({ start: true });
    const between = { executions, modelPackages: [pkg(3, 'Approved', 200)] };
    expect(assessRetry(alarm, between, config, NOW).attemptsWithoutNewModel).toHaveLength(1);
    // r2 registered a package that is waiting for approval: no reset (and no new retrain either).
    const pending = {
      executions,
      modelPackages: [pkg(4, 'PendingManualApproval', 100), pkg(3, 'Approved', 400)],
    };
    expect(assessRetry(alarm, pending, config, NOW).verdict).toMatchObject({
      reason: 'max-attempts-reached',
    });
    // r2's package was rejected: r2 was an attempt.
    const rejected = { executions, modelPackages: [pkg(4, 'Rejected', 100), pkg(3, 'Approved', 400)] };
    expect(assessRetry(alarm, rejected, config, NOW).attemptsWithoutNewModel).toHaveLength(2);
    expect(assessRetry(alarm, rejected, config, NOW).verdict).toMatchObject({
      reason: 'max-attempts-reached',
    });
  });

  test('#14 finding 1: no retrain while the newest model waits for approval (pending, then prod)', () => {
    const watching2: AlarmSnapshot = { ...alarm, modelVersion: '2' };
    const executions = [retrain('r1', 300, 'Succeeded')];
    const pending = {
      executions,
      modelPackages: [pkg(3, 'PendingManualApproval', 290), pkg(2, 'Approved', 5000)],
    };
    expect(assessRetry(watching2, pending, config, NOW).verdict).toMatchObject({
      start: false,
      reason: 'model-awaiting-approval',
      awaitingModelPackage: { version: 3 },
      blockingExecution: { arn: EXECUTION('r1') },
    });
    // Approved, deployed to staging, waiting for the prod approval: the prod alarm still watches v2.
    const approved = { executions, modelPackages: [pkg(3, 'Approved', 290), pkg(2, 'Approved', 5000)] };
    expect(assessRetry(watching2, approved, config, NOW).verdict).toMatchObject({
      reason: 'model-awaiting-approval',
    });
    // The staging alarm already watches v3: nothing on its way for it.
    expect(assessRetry({ ...alarm, modelVersion: '3' }, approved, config, NOW).verdict).toEqual({
      start: true,
    });
    // A package left pending longer than the attempt window no longer holds the loop.
    const stale = { executions: [], modelPackages: [pkg(3, 'PendingManualApproval', 8 * 24 * 60)] };
    expect(assessRetry(watching2, stale, config, NOW).verdict).toEqual({ start: true });
  });

  test('max attempts wins over running and cooldown (so the notify-once window is never hidden)', () => {
    const history = {
      executions: [
        { arn: EXECUTION('push'), status: 'Executing', startTime: minutesAgo(5) },
        retrain('r2', 120),
        retrain('r1', 300),
      ],
    };
    expect(assessRetry(alarm, history, config, NOW).verdict).toMatchObject({
      reason: 'max-attempts-reached',
    });
  });

  test('duplicate delivery: a retrain for this alarm started since the event state change', () => {
    const history = { executions: [retrain('r1', 3, 'Executing')] };
    expect(assessRetry(alarm, history, config, NOW, minutesAgo(4)).verdict).toMatchObject({
      reason: 'duplicate-delivery',
      blockingExecution: { arn: EXECUTION('r1') },
    });
    // a later state update of the same alarm is not a duplicate (it is then blocked by the running one)
    expect(assessRetry(alarm, history, config, NOW, minutesAgo(1)).verdict).toMatchObject({
      reason: 'execution-running',
    });
  });
});

describe('skipDecisionFor', () => {
  test('a start verdict gives no decision', () => {
    expect(skipDecisionFor(alarm.name, assessRetry(alarm, { executions: [] }, config, NOW))).toBeUndefined();
  });

  test('a skip verdict gives the skipped decision with its reason, blocking execution and detail', () => {
    const running: ExecutionRecord = {
      arn: EXECUTION('push'),
      status: 'Executing',
      startTime: minutesAgo(5),
    };
    const assessment = assessRetry(alarm, { executions: [running] }, config, NOW);
    expect(skipDecisionFor(alarm.name, assessment)).toEqual({
      alarmName: alarm.name,
      decision: 'skipped',
      reason: 'execution-running',
      pipelineExecutionArn: EXECUTION('push'),
      detail: `pipeline execution ${EXECUTION('push')} is Executing`,
    });
  });

  test('a skip without a blocking execution names none', () => {
    const pending: ModelPackageRecord = {
      arn: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/forecast-models/3',
      version: 3,
      approvalStatus: 'PendingManualApproval',
      createdAt: minutesAgo(10),
    };
    const assessment = assessRetry(alarm, { executions: [], modelPackages: [pending] }, config, NOW);
    expect(skipDecisionFor(alarm.name, assessment)).toMatchObject({
      decision: 'skipped',
      reason: 'model-awaiting-approval',
      pipelineExecutionArn: null,
    });
  });
});

describe('historyStart', () => {
  const reach = { cooldownMinutes: 360, attemptWindowMinutes: 600 };

  test('reads back the longer of the cooldown and two attempt windows', () => {
    expect(historyStart(reach, NOW, minutesAgo(5))).toEqual(minutesAgo(1200));
    expect(historyStart({ ...reach, cooldownMinutes: 1500 }, NOW, minutesAgo(5))).toEqual(minutesAgo(1500));
  });

  test('or further, to when the alarm entered its state', () => {
    expect(historyStart(reach, NOW, minutesAgo(3000))).toEqual(minutesAgo(3000));
  });
});

describe('inNotifyWindow (notify-once rule)', () => {
  test('the window is the re-check interval ending at the scheduled time: start exclusive, end inclusive', () => {
    expect(inNotifyWindow(minutesAgo(59), NOW, 60)).toBe(true);
    expect(inNotifyWindow(NOW, NOW, 60)).toBe(true);
    expect(inNotifyWindow(minutesAgo(60), NOW, 60)).toBe(false);
    expect(inNotifyWindow(new Date(NOW.getTime() + 1), NOW, 60)).toBe(false);
  });

  test('consecutive re-checks cover each end exactly once', () => {
    const finished = minutesAgo(90);
    const schedules = [0, 60, 120, 180].map((m) => minutesAgo(m));
    expect(schedules.filter((s) => inNotifyWindow(finished, s, 60))).toEqual([minutesAgo(60)]);
  });
});

describe('modelPackageVersionOf', () => {
  test('reads the version from a number, <group>/<n> or a package ARN', () => {
    expect(modelPackageVersionOf('7')).toBe(7);
    expect(modelPackageVersionOf(' forecast-models/12 ')).toBe(12);
    expect(
      modelPackageVersionOf('arn:aws:sagemaker:us-east-1:123456789012:model-package/forecast-models/3'),
    ).toBe(3);
  });

  test('gives undefined when the value names no version', () => {
    expect(modelPackageVersionOf('latest')).toBeUndefined();
    expect(modelPackageVersionOf('forecast-models/v3')).toBeUndefined();
  });
});
