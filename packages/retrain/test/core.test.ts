// Unit tests of the decision core with aws-sdk-client-mock: the rule order of assessRetry, a running
// execution, partial failures (SNS down after a start, a failing ListPipelineExecutions), pagination,
// the ClientRequestToken of concurrent duplicates, and the notify-once window of the re-check.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribePipelineExecutionCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  type AlarmSnapshot,
  assessRetry,
  clientRequestToken,
  currentAttemptWindow,
  decisionMetrics,
  type ExecutionRecord,
  executionDisplayName,
  type ModelPackageRecord,
  type RetrainClients,
  runRetrainDecision,
} from '../src/core';
import { createHandler } from '../src/lambda';
import { FIXTURES, loadEvent, recordingLogger, testConfig } from './support/helpers';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const minutesAgo = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);
const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh';
const EXECUTION = (id: string): string =>
  `arn:aws:sagemaker:us-east-1:123456789012:pipeline/model-build/execution/${id}`;

describe('assessRetry (pure rules)', () => {
  const alarm: AlarmSnapshot = {
    name: 'ServerCpuTooHigh',
    arn: ALARM_ARN,
    type: 'metric',
    state: 'ALARM',
    enteredStateAt: minutesAgo(600),
  };
  const config = { cooldownMinutes: 60, maxAttempts: 2 };
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

describe('names and tokens', () => {
  test('display names satisfy SageMaker (<= 82 chars of [a-zA-Z0-9-], alphanumeric ends)', () => {
    const names = [
      'ServerCpuTooHigh',
      'EC2 CPU Utilization Anomaly',
      'CompositeDemo.Main',
      `${'x'.repeat(300)}`,
      '---ünïcødé---',
      `forecast-${'-'.repeat(56)}a`,
    ];
    for (const name of names) {
      const display = executionDisplayName(name, NOW);
      expect(display.length).toBeLessThanOrEqual(82);
      expect(display).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}$/);
      expect(display.endsWith('-20260301-120000')).toBe(true);
    }
    expect(executionDisplayName('EC2 CPU Utilization Anomaly', NOW)).toBe(
      'retrain-EC2-CPU-Utilization-Anomaly-20260301-120000',
    );
  });

  test('client request tokens are 64 hex chars, deterministic, distinct per input', () => {
    const a = clientRequestToken(ALARM_ARN, '2019-10-02T17:04:40.989Z');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(clientRequestToken(ALARM_ARN, '2019-10-02T17:04:40.989Z')).toBe(a);
    expect(clientRequestToken(ALARM_ARN, '2019-10-02T17:04:40.990Z')).not.toBe(a);
  });
});

describe('decision with mocked AWS', () => {
  const sagemaker = new SageMakerClient({ region: 'us-east-1' });
  const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });
  const sns = new SNSClient({ region: 'us-east-1' });
  const clients: RetrainClients = { sagemaker, cloudwatch, sns };
  const sagemakerMock = mockClient(sagemaker);
  const cloudwatchMock = mockClient(cloudwatch);
  const snsMock = mockClient(sns);
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:retrain';
  const config = testConfig({ alarmNamePrefix: 'Server', notificationTopicArn: topicArn, maxAttempts: 2 });
  const event = loadEvent(FIXTURES.singleMetric);

  const alarmInAlarm = (enteredStateAt = minutesAgo(600)) => ({
    MetricAlarms: [
      {
        AlarmName: 'ServerCpuTooHigh',
        AlarmArn: ALARM_ARN,
        StateValue: 'ALARM' as const,
        StateTransitionedTimestamp: enteredStateAt,
      },
    ],
    CompositeAlarms: [],
  });

  beforeEach(() => {
    sagemakerMock.reset();
    cloudwatchMock.reset();
    snsMock.reset();
    cloudwatchMock.on(DescribeAlarmsCommand).resolves(alarmInAlarm());
    sagemakerMock.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
    sagemakerMock.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    sagemakerMock.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXECUTION('new') });
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  test('starts with TriggerReason, a deterministic token and a display name, then notifies', async () => {
    const outcome = await runRetrainDecision(event, {
      config,
      clients,
      logger: recordingLogger(),
      now: () => NOW,
    });
    expect(outcome).toMatchObject({ decision: 'started', pipelineExecutionArn: EXECUTION('new') });
    expect(sagemakerMock).toHaveReceivedCommandWith(StartPipelineExecutionCommand, {
      PipelineName: 'model-build',
      PipelineParameters: [{ Name: 'TriggerReason', Value: 'retrain-alarm:ServerCpuTooHigh' }],
      ClientRequestToken: clientRequestToken(ALARM_ARN, '2019-10-02T17:04:40.989Z'),
      PipelineExecutionDisplayName: 'retrain-ServerCpuTooHigh-20260301-120000',
    });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    const published = JSON.parse(snsMock.commandCalls(PublishCommand)[0].args[0].input.Message as string);
    expect(published).toMatchObject({ event: 'retrain-started', pipelineExecutionArn: EXECUTION('new') });
  });

  test('concurrent duplicate deliveries (neither sees the other) send the same ClientRequestToken', async () => {
    const ctx = { config, clients, logger: recordingLogger(), now: () => NOW };
    await Promise.all([runRetrainDecision(event, ctx), runRetrainDecision(structuredClone(event), ctx)]);
    const tokens = sagemakerMock
      .commandCalls(StartPipelineExecutionCommand)
      .map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).toBe(tokens[1]); // SageMaker returns the first execution for the second call
  });

  test('a running execution: skipped, no start, retrain_skipped{Reason=execution-running}', async () => {
    sagemakerMock.on(ListPipelineExecutionsCommand).resolves({
      PipelineExecutionSummaries: [
        {
          PipelineExecutionArn: EXECUTION('running'),
          PipelineExecutionStatus: 'Executing',
          StartTime: minutesAgo(240),
        },
      ],
    });
    sagemakerMock.on(ListPipelineParametersForExecutionCommand).resolves({ PipelineParameters: [] });
    const outcome = await runRetrainDecision(event, {
      config,
      clients,
      logger: recordingLogger(),
      now: () => NOW,
    });
    expect(outcome).toMatchObject({
      decision: 'skipped',
      reason: 'execution-running',
      pipelineExecutionArn: EXECUTION('running'),
    });
    expect(sagemakerMock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
    expect(decisionMetrics(outcome)).toEqual([
      { name: 'retrain_skipped', dimensions: { Reason: 'execution-running' } },
    ]);
  });

  test('SNS publish fails after a successful start: still started, error logged, metric published', async () => {
    snsMock.on(PublishCommand).rejects(Object.assign(new Error('topic gone'), { name: 'NotFoundException' }));
    const logger = new Logger({ serviceName: 'mlops-retrain', logLevel: 'SILENT' });
    const errorSpy = jest.spyOn(logger, 'error');
    const metrics = new Metrics({ namespace: 'RetrainTest', serviceName: 'mlops-retrain' });
    const emitted: string[] = [];
    const stdoutSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      emitted.push(String(chunk));
      return true;
    });
    let outcome;
    try {
      outcome = await createHandler({ config, clients, logger, metrics, now: () => NOW })(event);
    } finally {
      stdoutSpy.mockRestore();
    }
    expect(outcome).toMatchObject({ decision: 'started', pipelineExecutionArn: EXECUTION('new') });
    expect(errorSpy).toHaveBeenCalledWith(
      'notification failed; the decision stands',
      expect.objectContaining({ error: 'NotFoundException: topic gone' }),
    );
    const emf = emitted
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ retrain_triggered: 1, service: 'mlops-retrain' });
  });

  test('ListPipelineExecutions fails: no start, the error propagates (Lambda retries; token keeps it idempotent)', async () => {
    sagemakerMock
      .on(ListPipelineExecutionsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    await expect(
      runRetrainDecision(event, { config, clients, logger: recordingLogger(), now: () => NOW }),
    ).rejects.toThrow('not authorized');
    expect(sagemakerMock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
    expect(snsMock).not.toHaveReceivedCommand(PublishCommand);
  });

  test('a throttling error surfacing from the client (SDK retries exhausted): no start, error propagates', async () => {
    cloudwatchMock
      .on(DescribeAlarmsCommand)
      .rejects(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $retryable: { throttling: true } }),
      );
    await expect(
      runRetrainDecision(event, { config, clients, logger: recordingLogger(), now: () => NOW }),
    ).rejects.toThrow('Rate exceeded');
    expect(sagemakerMock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
  });

  test('pagination stops at the first page older than needed', async () => {
    const page = (ids: string[], startedMinutesAgo: number, token?: string) => ({
      PipelineExecutionSummaries: ids.map((id) => ({
        PipelineExecutionArn: EXECUTION(id),
        PipelineExecutionStatus: 'Succeeded' as const,
        StartTime: minutesAgo(startedMinutesAgo),
      })),
      NextToken: token,
    });
    sagemakerMock
      .on(ListPipelineExecutionsCommand)
      .resolvesOnce(page(['a', 'b'], 90, 't1'))
      .resolvesOnce(page(['c'], 15 * 24 * 60, 't2'))
      .resolvesOnce(page(['never'], 900));
    sagemakerMock.on(ListPipelineParametersForExecutionCommand).resolves({ PipelineParameters: [] });
    const outcome = await runRetrainDecision(event, {
      config,
      clients,
      logger: recordingLogger(),
      now: () => NOW,
    });
    expect(outcome.decision).toBe('started');
    expect(sagemakerMock).toHaveReceivedCommandTimes(ListPipelineExecutionsCommand, 2);
    expect(sagemakerMock).toHaveReceivedNthSpecificCommandWith(2, ListPipelineExecutionsCommand, {
      NextToken: 't1',
    });
    // parameters are looked up only for executions of the last two attempt windows (14 days)
    expect(sagemakerMock).toHaveReceivedCommandTimes(ListPipelineParametersForExecutionCommand, 2);
  });

  test('no MODEL_PACKAGE_GROUP_NAME: the registry is not consulted', async () => {
    await runRetrainDecision(event, {
      config: { ...config, modelPackageGroupName: undefined },
      clients,
      logger: recordingLogger(),
      now: () => NOW,
    });
    expect(sagemakerMock).not.toHaveReceivedCommand(ListModelPackagesCommand);
  });

  describe('re-check notify-once window', () => {
    const exhausted = (lastFinishedAt: Date) => {
      sagemakerMock.on(ListPipelineExecutionsCommand).resolves({
        PipelineExecutionSummaries: [
          {
            PipelineExecutionArn: EXECUTION('r2'),
            PipelineExecutionStatus: 'Failed',
            StartTime: minutesAgo(200),
          },
          {
            PipelineExecutionArn: EXECUTION('r1'),
            PipelineExecutionStatus: 'Failed',
            StartTime: minutesAgo(400),
          },
        ],
      });
      sagemakerMock.on(ListPipelineParametersForExecutionCommand).resolves({
        PipelineParameters: [{ Name: 'TriggerReason', Value: 'retrain-alarm:ServerCpuTooHigh' }],
      });
      sagemakerMock.on(DescribePipelineExecutionCommand).resolves({ LastModifiedTime: lastFinishedAt });
    };

    test.each([
      ['just before the scheduled time', 1, true],
      ['59 minutes before', 59, true],
      ['exactly one interval before (previous window)', 60, false],
      ['two hours before', 120, false],
    ])(
      'last attempt finished %s (%i min) → notify: %s',
      async (_label, finishedMinutesBeforeSchedule, notified) => {
        exhausted(minutesAgo(finishedMinutesBeforeSchedule));
        const outcome = await runRetrainDecision(
          { action: 'recheck', scheduledTime: NOW.toISOString() },
          { config, clients, logger: recordingLogger(), now: () => new Date(NOW.getTime() + 90_000) },
        );
        expect(outcome).toMatchObject({ decision: 'skipped', reason: 'max-attempts-reached' });
        expect(outcome.escalated).toEqual(notified ? ['ServerCpuTooHigh'] : []);
        expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, notified ? 1 : 0);
        expect(sagemakerMock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
      },
    );

    test('an alarm event (not the re-check) never escalates', async () => {
      exhausted(minutesAgo(1));
      // a later state update of the alarm (ALARM → ALARM), so not a duplicate of the earlier retrains
      const update = structuredClone(event);
      ((update.detail as Record<string, unknown>).state as Record<string, unknown>).timestamp =
        minutesAgo(1).toISOString();
      const outcome = await runRetrainDecision(update, {
        config,
        clients,
        logger: recordingLogger(),
        now: () => NOW,
      });
      expect(outcome).toMatchObject({ decision: 'skipped', reason: 'max-attempts-reached' });
      expect(snsMock).not.toHaveReceivedCommand(PublishCommand);
    });

    test('escalation publish fails: logged, reported as not escalated, decision unchanged', async () => {
      exhausted(minutesAgo(1));
      snsMock.on(PublishCommand).rejects(new Error('SNS down'));
      const logger = recordingLogger();
      const outcome = await runRetrainDecision(
        { action: 'recheck' },
        { config, clients, logger, now: () => NOW },
      );
      expect(outcome).toMatchObject({ decision: 'skipped', reason: 'max-attempts-reached', escalated: [] });
      expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.message)).toEqual([
        'retrain attempts exhausted: a person is needed',
        'notification failed; the decision stands',
      ]);
    });
  });
});
