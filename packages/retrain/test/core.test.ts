// Unit tests of the decision core with aws-sdk-client-mock (the pure rules are in retry-policy.test.ts):
// display names and tokens, a running execution, partial failures (SNS down after a start, a failing ListPipelineExecutions), pagination,
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
import { clientRequestToken, executionDisplayName } from '../src/actions';
import { decisionMetrics, type RetrainClients } from '../src/decision';
import { createHandler } from '../src/lambda';
import { runRetrainDecision } from '../src/orchestration';
import { FIXTURES, loadEvent, recordingLogger, testConfig } from './support/helpers';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const minutesAgo = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);
const ALARM_ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh';
const EXECUTION = (id: string): string =>
  `arn:aws:sagemaker:us-east-1:123456789012:pipeline/model-build/execution/${id}`;

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
