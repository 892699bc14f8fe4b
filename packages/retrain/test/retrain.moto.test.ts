// Integration tests of the retrain decision against moto_server with the real sample alarm events:
// exactly one execution per alarm state change, ignored states and foreign alarms, cooldown, the
// scheduled re-check, and the stop-and-notify-once rule after RETRAIN_MAX_ATTEMPTS. The CLI and the
// Lambda handler run in-process against the emulator (AWS_ENDPOINT_URL set by the harness).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CloudWatchClient, DescribeAlarmsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { ListPipelineParametersForExecutionCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describeWithTool, MOTO_SERVER, useMotoServer } from '@mlops-templates/test-harness';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../src/cli';
import type { RetrainConfig } from '../src/config';
import type { RetrainClients, RetrainOutcome } from '../src/decision';
import { createHandler } from '../src/lambda';
import { runRetrainDecision } from '../src/orchestration';
import {
  alarmNameOf,
  createModelBuildPipeline,
  FIXTURES,
  fixturePath,
  listExecutions,
  loadEvent,
  manualClock,
  putAlarm,
  recordingLogger,
  registerModelPackage,
  setAlarmState,
  subscribeInbox,
  testConfig,
  withoutSuppression,
  withState,
} from './support/helpers';

function configEnvironment(config: RetrainConfig): Record<string, string | undefined> {
  return {
    ALARM_NAME_PREFIX: config.alarmNamePrefix,
    MODEL_BUILD_PIPELINE_NAME: config.pipelineName,
    RETRAIN_COOLDOWN_MINUTES: String(config.cooldownMinutes),
    RETRAIN_MAX_ATTEMPTS: String(config.maxAttempts),
    NOTIFICATION_TOPIC_ARN: config.notificationTopicArn,
    MODEL_PACKAGE_GROUP_NAME: config.modelPackageGroupName,
    METRIC_NAMESPACE: config.metricNamespace,
    RECHECK_INTERVAL_MINUTES: String(config.recheckIntervalMinutes),
    GATE_THRESHOLD_PARAMETER_NAME: config.gateThresholdParameterName,
  };
}

/** Runs the CLI in-process; returns its exit status, the parsed stdout line(s) and stderr. */
async function runCli(
  argv: string[],
  config: RetrainConfig,
  extra: { now?: () => Date; stdinText?: string } = {},
): Promise<{ code: number; lines: Array<Record<string, unknown>>; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: extra.stdinText !== undefined ? [extra.stdinText] : undefined,
    env: configEnvironment(config),
    now: extra.now,
  });
  const lines = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, lines, stderr };
}

describeWithTool(MOTO_SERVER, 'retrain against moto_server', () => {
  const moto = useMotoServer();
  let clients: RetrainClients;

  beforeAll(() => {
    clients = {
      sagemaker: new SageMakerClient({}),
      cloudwatch: new CloudWatchClient({}),
      sns: new SNSClient({}),
      ssm: new SSMClient({}),
    };
  });

  beforeEach(async () => {
    await moto.server.reset();
    await createModelBuildPipeline(clients.sagemaker);
  });

  describe('alarm events', () => {
    test('duplicate deliveries of one state change start exactly one execution (CLI, EventBridge sample)', async () => {
      // cooldown 0: the duplicate is recognised from the executions' TriggerReason, not from the cooldown
      const config = testConfig({ alarmNamePrefix: 'ServerCpu', cooldownMinutes: 0 });
      await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
      const file = fixturePath(FIXTURES.singleMetric);

      const first = await runCli(['--event', file], config);
      const second = await runCli(['--event', file], config);
      const third = await runCli(['--event', '-'], config, {
        stdinText: JSON.stringify(loadEvent(FIXTURES.singleMetric)),
      });

      expect([first.code, second.code, third.code]).toEqual([0, 0, 0]);
      for (const run of [first, second, third]) expect(run.lines).toHaveLength(1);
      expect(first.lines[0]).toMatchObject({
        decision: 'started',
        reason: 'alarm-state-change',
        alarmName: 'ServerCpuTooHigh',
      });
      expect(second.lines[0]).toMatchObject({ decision: 'skipped', reason: 'duplicate-delivery' });
      expect(third.lines[0]).toMatchObject({ decision: 'skipped', reason: 'duplicate-delivery' });
      expect(second.lines[0].pipelineExecutionArn).toBe(first.lines[0].pipelineExecutionArn);

      const executions = await listExecutions(clients.sagemaker);
      expect(executions).toHaveLength(1);
      expect(executions[0].PipelineExecutionArn).toBe(first.lines[0].pipelineExecutionArn);
      expect(executions[0].triggerReason).toBe('retrain-alarm:ServerCpuTooHigh');
      expect(executions[0].PipelineExecutionDisplayName).toMatch(/^retrain-ServerCpuTooHigh-\d{8}-\d{6}$/);

      // the CLI published the metrics with PutMetricData
      const metrics = await clients.cloudwatch.send(
        new ListMetricsCommand({ Namespace: config.metricNamespace }),
      );
      expect(new Set(metrics.Metrics?.map((m) => m.MetricName))).toEqual(
        new Set(['retrain_triggered', 'retrain_skipped']),
      );
      const skipped = metrics.Metrics?.find((m) => m.MetricName === 'retrain_skipped');
      expect(skipped?.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'Reason', Value: 'duplicate-delivery' },
          { Name: 'service', Value: 'mlops-retrain' },
        ]),
      );
    });

    test('duplicate deliveries through the Lambda handler (alarm-action sample) start one execution', async () => {
      const config = testConfig({ alarmNamePrefix: 'lambda-demo-' });
      const event = loadEvent(FIXTURES.actionMetric);
      await putAlarm(clients.cloudwatch, alarmNameOf(event), 'ALARM');
      const emitted: string[] = [];
      const stdoutSpy = jest
        .spyOn(process.stdout, 'write')
        .mockImplementation((chunk: string | Uint8Array) => {
          emitted.push(String(chunk));
          return true;
        });
      let outcomes: RetrainOutcome[];
      try {
        const handler = createHandler({
          config,
          clients,
          logger: new Logger({ serviceName: 'mlops-retrain', logLevel: 'SILENT' }),
          metrics: new Metrics({ namespace: config.metricNamespace, serviceName: 'mlops-retrain' }),
        });
        outcomes = [await handler(event), await handler(structuredClone(event))];
      } finally {
        stdoutSpy.mockRestore();
      }
      expect(outcomes.map((o) => o.decision)).toEqual(['started', 'skipped']);
      expect(outcomes[1].reason).toBe('duplicate-delivery');
      expect(await listExecutions(clients.sagemaker)).toHaveLength(1);
      const emf = emitted.flatMap((text) => text.split('\n')).filter((line) => line.includes('"_aws"'));
      expect(emf.map((line) => Object.keys(JSON.parse(line) as object))).toEqual([
        expect.arrayContaining(['retrain_triggered']),
        expect.arrayContaining(['retrain_skipped', 'Reason']),
      ]);
    });

    test.each([
      ['OK', FIXTURES.singleMetric],
      ['INSUFFICIENT_DATA', FIXTURES.singleMetric],
      ['OK', FIXTURES.actionMetric],
      ['INSUFFICIENT_DATA', FIXTURES.metricMath],
    ])('state %s is ignored (%s)', async (state, fixture) => {
      const event = withState(loadEvent(fixture), state);
      const config = testConfig({ alarmNamePrefix: alarmNameOf(event).slice(0, 5) });
      await putAlarm(clients.cloudwatch, alarmNameOf(event), 'ALARM');
      const logger = recordingLogger();
      const outcome = await runRetrainDecision(event, { config, clients, logger });
      expect(outcome).toMatchObject({
        decision: 'ignored',
        reason: 'state-not-alarm',
        pipelineExecutionArn: null,
      });
      expect(await listExecutions(clients.sagemaker)).toHaveLength(0);
    });

    test('alarms of another project (foreign prefix) are ignored', async () => {
      const config = testConfig({ alarmNamePrefix: 'forecast-prod-' });
      for (const fixture of [FIXTURES.singleMetric, FIXTURES.actionMetric, FIXTURES.metricMath]) {
        const event = loadEvent(fixture);
        await putAlarm(clients.cloudwatch, alarmNameOf(event), 'ALARM');
        const run = await runCli(['--event', fixturePath(fixture)], config);
        expect(run.code).toBe(0);
        expect(run.lines[0]).toMatchObject({ decision: 'ignored', reason: 'foreign-alarm' });
      }
      expect(await listExecutions(clients.sagemaker)).toHaveLength(0);
    });

    test('an event for an alarm that is no longer in ALARM is ignored', async () => {
      const config = testConfig({ alarmNamePrefix: 'Server' });
      await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'OK');
      const outcome = await runRetrainDecision(loadEvent(FIXTURES.singleMetric), {
        config,
        clients,
        logger: recordingLogger(),
      });
      expect(outcome).toMatchObject({ decision: 'ignored', reason: 'alarm-no-longer-in-alarm' });
      expect(await listExecutions(clients.sagemaker)).toHaveLength(0);
    });

    test('metric-math and anomaly-detection alarm events start a retrain', async () => {
      const config = testConfig({ alarmNamePrefix: 'T', cooldownMinutes: 0 });
      const mathEvent = loadEvent(FIXTURES.metricMath);
      await putAlarm(clients.cloudwatch, alarmNameOf(mathEvent), 'ALARM', true);
      const described = await clients.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNames: [alarmNameOf(mathEvent)] }),
      );
      expect(described.MetricAlarms?.[0]?.Metrics?.length).toBe(3);
      const math = await runRetrainDecision(mathEvent, { config, clients, logger: recordingLogger() });
      expect(math).toMatchObject({ decision: 'started', alarmName: 'TotalNetworkTrafficTooHigh' });

      const anomalyEvent = loadEvent(FIXTURES.anomaly);
      await putAlarm(clients.cloudwatch, alarmNameOf(anomalyEvent), 'ALARM');
      const anomaly = await runRetrainDecision(anomalyEvent, {
        config: { ...config, alarmNamePrefix: 'EC2 ' },
        clients,
        logger: recordingLogger(),
      });
      expect(anomaly).toMatchObject({ decision: 'started', alarmName: 'EC2 CPU Utilization Anomaly' });
      const executions = await listExecutions(clients.sagemaker);
      expect(executions.map((e) => e.triggerReason).sort()).toEqual([
        'retrain-alarm:EC2 CPU Utilization Anomaly',
        'retrain-alarm:TotalNetworkTrafficTooHigh',
      ]);
      expect(executions.find((e) => e.triggerReason?.includes('EC2'))?.PipelineExecutionDisplayName).toMatch(
        /^retrain-EC2-CPU-Utilization-Anomaly-\d{8}-\d{6}$/,
      );
    });

    test('composite alarms (moto has no composite alarms: CloudWatch mocked, SageMaker in moto)', async () => {
      const cloudwatch = new CloudWatchClient({});
      const cloudwatchMock = mockClient(cloudwatch);
      cloudwatchMock.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
        CompositeAlarms: (input.AlarmNames ?? []).map((name) => ({
          AlarmName: name,
          AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
          StateValue: 'ALARM',
          StateTransitionedTimestamp: new Date(Date.now() - 60_000),
        })),
        MetricAlarms: [],
      }));
      try {
        const context = (alarmNamePrefix: string) => ({
          config: testConfig({ alarmNamePrefix, cooldownMinutes: 0 }),
          clients: { ...clients, cloudwatch },
          logger: recordingLogger(),
        });
        // EventBridge sample: actions suppressed (WaitPeriod) → not acted on; without suppression → retrain
        const suppressed = loadEvent(FIXTURES.compositeSuppressed);
        expect(await runRetrainDecision(suppressed, context('Service'))).toMatchObject({
          decision: 'ignored',
          reason: 'actions-suppressed',
        });
        expect(await runRetrainDecision(withoutSuppression(suppressed), context('Service'))).toMatchObject({
          decision: 'started',
          alarmName: 'ServiceAggregatedAlarm',
        });
        // alarm-action sample: the action fired once the wait period was over
        expect(
          await runRetrainDecision(loadEvent(FIXTURES.actionComposite), context('CompositeDemo.')),
        ).toMatchObject({
          decision: 'started',
          alarmName: 'CompositeDemo.Main',
        });
      } finally {
        cloudwatchMock.restore();
      }
      const reasons = (await listExecutions(clients.sagemaker)).map((e) => e.triggerReason).sort();
      expect(reasons).toEqual(['retrain-alarm:CompositeDemo.Main', 'retrain-alarm:ServiceAggregatedAlarm']);
    });

    test('a second alarm within the cooldown is skipped, and starts once the cooldown is over', async () => {
      const config = testConfig({ alarmNamePrefix: 'Server', cooldownMinutes: 30 });
      await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
      await putAlarm(clients.cloudwatch, 'ServerLatencyTooHigh', 'ALARM');
      const clock = manualClock();
      const ctx = { config, clients, logger: recordingLogger(), now: clock.now };
      const latencyEvent = structuredClone(loadEvent(FIXTURES.singleMetric));
      (latencyEvent.detail as Record<string, unknown>).alarmName = 'ServerLatencyTooHigh';

      expect((await runRetrainDecision(loadEvent(FIXTURES.singleMetric), ctx)).decision).toBe('started');
      clock.advanceMinutes(29);
      const during = await runRetrainDecision(latencyEvent, ctx);
      expect(during).toMatchObject({ decision: 'skipped', reason: 'cooldown' });
      expect(during.detail).toContain('30-minute cooldown');
      clock.advanceMinutes(2);
      expect(await runRetrainDecision(latencyEvent, ctx)).toMatchObject({ decision: 'started' });
      expect((await listExecutions(clients.sagemaker)).map((e) => e.triggerReason).sort()).toEqual([
        'retrain-alarm:ServerCpuTooHigh',
        'retrain-alarm:ServerLatencyTooHigh',
      ]);
    });
  });

  describe('GateThreshold from SSM (GATE_THRESHOLD_PARAMETER_NAME)', () => {
    const parameterName = '/sagemaker/forecast-p-abc123/gate-threshold';
    const parametersOf = async (executionArn: unknown): Promise<Record<string, string | undefined>> => {
      const listed = await clients.sagemaker.send(
        new ListPipelineParametersForExecutionCommand({ PipelineExecutionArn: executionArn as string }),
      );
      return Object.fromEntries((listed.PipelineParameters ?? []).map((p) => [p.Name, p.Value]));
    };

    test('the CLI passes the value read from SSM at start time', async () => {
      const config = testConfig({ alarmNamePrefix: 'ServerCpu', gateThresholdParameterName: parameterName });
      await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
      await clients.ssm?.send(
        new PutParameterCommand({ Name: parameterName, Type: 'String', Value: '0.25' }),
      );

      const run = await runCli(['--event', fixturePath(FIXTURES.singleMetric), '--no-metrics'], config);
      expect(run.code).toBe(0);
      expect(run.lines[0]).toMatchObject({ decision: 'started' });
      expect(await parametersOf(run.lines[0].pipelineExecutionArn)).toEqual({
        TriggerReason: 'retrain-alarm:ServerCpuTooHigh',
        GateThreshold: '0.25',
      });
    });

    test('a missing parameter (ParameterNotFound) does not block the retrain: no GateThreshold, warning', async () => {
      const config = testConfig({ alarmNamePrefix: 'ServerCpu', gateThresholdParameterName: parameterName });
      await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
      const logger = recordingLogger();

      const outcome = await runRetrainDecision(loadEvent(FIXTURES.singleMetric), { config, clients, logger });
      expect(outcome.decision).toBe('started');
      expect(await parametersOf(outcome.pipelineExecutionArn)).toEqual({
        TriggerReason: 'retrain-alarm:ServerCpuTooHigh',
      });
      const warnings = logger.entries.filter((e) => e.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].attributes?.problem).toMatch(/^GetParameter failed: ParameterNotFound/);
    });
  });

  describe('scheduled re-check', () => {
    test('starts a new retrain for an alarm still in ALARM once the cooldown is over', async () => {
      const config = testConfig({ alarmNamePrefix: 'Server', cooldownMinutes: 30 });
      await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
      await putAlarm(clients.cloudwatch, 'ServerDiskOk', 'OK');
      const clock = manualClock();
      const ctx = { config, clients, logger: recordingLogger(), now: clock.now };

      expect((await runRetrainDecision(loadEvent(FIXTURES.singleMetric), ctx)).decision).toBe('started');
      clock.advanceMinutes(10);
      const early = await runRetrainDecision({ action: 'recheck' }, ctx);
      expect(early).toMatchObject({ decision: 'skipped', reason: 'cooldown', alarmName: 'ServerCpuTooHigh' });

      clock.advanceMinutes(21);
      const scheduled = {
        version: '0',
        id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '123456789012',
        time: clock
          .now()
          .toISOString()
          .replace(/\.\d+Z$/, 'Z'),
        region: 'us-east-1',
        resources: ['arn:aws:events:us-east-1:123456789012:rule/retrain-recheck'],
        detail: {},
      };
      const later = await runRetrainDecision(scheduled, ctx);
      expect(later).toMatchObject({
        decision: 'started',
        reason: 'recheck-still-in-alarm',
        alarmName: 'ServerCpuTooHigh',
      });
      expect(later.alarms).toEqual([
        expect.objectContaining({ alarmName: 'ServerCpuTooHigh', decision: 'started' }),
      ]);
      const executions = await listExecutions(clients.sagemaker);
      expect(executions).toHaveLength(2);
      expect(executions.map((e) => e.triggerReason)).toEqual([
        'retrain-alarm:ServerCpuTooHigh',
        'retrain-alarm:ServerCpuTooHigh',
      ]);
      expect(executions[0].PipelineExecutionArn).toBe(later.pipelineExecutionArn);

      await setAlarmState(clients.cloudwatch, 'ServerCpuTooHigh', 'OK');
      clock.advanceMinutes(60);
      expect(await runRetrainDecision({ action: 'recheck' }, ctx)).toMatchObject({
        decision: 'ignored',
        reason: 'no-alarm-in-alarm-state',
      });
    });

    test('one re-check starts at most one retrain when several alarms are in ALARM (CLI --recheck)', async () => {
      const config = testConfig({ alarmNamePrefix: 'Server', cooldownMinutes: 0 });
      await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
      await putAlarm(clients.cloudwatch, 'ServerLatencyTooHigh', 'ALARM');
      const run = await runCli(['--recheck'], config);
      expect(run.code).toBe(0);
      expect(run.lines).toHaveLength(1);
      const line = run.lines[0] as { decision: string; alarms: Array<{ decision: string; reason: string }> };
      expect(line.decision).toBe('started');
      expect(line.alarms.map((a) => a.decision).sort()).toEqual(['skipped', 'started']);
      expect(line.alarms.find((a) => a.decision === 'skipped')?.reason).toBe(
        'retrain-started-for-other-alarm',
      );
      expect(await listExecutions(clients.sagemaker)).toHaveLength(1);
    });

    test('stops after RETRAIN_MAX_ATTEMPTS retrains without a new model, notifies once, resumes after a reset', async () => {
      const inbox = await subscribeInbox(clients.sns, 'retrain-notifications');
      try {
        const config = testConfig({
          alarmNamePrefix: 'Server',
          cooldownMinutes: 1,
          maxAttempts: 2,
          recheckIntervalMinutes: 60,
          notificationTopicArn: inbox.topicArn,
        });
        await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
        const clock = manualClock();
        const logger = recordingLogger();
        const ctx = { config, clients, logger, now: clock.now };
        const recheck = async (): Promise<RetrainOutcome> => {
          clock.advanceMinutes(2);
          return runRetrainDecision({ action: 'recheck', scheduledTime: clock.now().toISOString() }, ctx);
        };

        expect((await runRetrainDecision(loadEvent(FIXTURES.singleMetric), ctx)).decision).toBe('started');
        expect(await recheck()).toMatchObject({ decision: 'started', reason: 'recheck-still-in-alarm' });
        const exhausted = await recheck();
        expect(exhausted).toMatchObject({ decision: 'skipped', reason: 'max-attempts-reached' });
        expect(exhausted.escalated).toEqual(['ServerCpuTooHigh']);
        // hourly re-checks keep skipping, without telling anyone again
        for (let hour = 0; hour < 3; hour += 1) {
          clock.advanceMinutes(58);
          const again = await recheck();
          expect(again).toMatchObject({ decision: 'skipped', reason: 'max-attempts-reached', escalated: [] });
        }
        expect(await listExecutions(clients.sagemaker)).toHaveLength(2);

        const kinds = inbox.messages.map((m) => m.body.event);
        expect(kinds).toEqual(['retrain-started', 'retrain-started', 'retrain-attempts-exhausted']);
        const escalation = inbox.messages[2];
        expect(escalation.subject).toContain('person is needed');
        expect(escalation.body).toMatchObject({
          maxAttempts: 2,
          alarms: [
            expect.objectContaining({
              alarmName: 'ServerCpuTooHigh',
              attemptsWithoutNewModel: expect.any(Array),
            }),
          ],
        });
        expect(
          (escalation.body.alarms as Array<{ attemptsWithoutNewModel: unknown[] }>)[0]
            .attemptsWithoutNewModel,
        ).toHaveLength(2);

        // #14 finding 2: the alarm leaving ALARM (e.g. INSUFFICIENT_DATA during a collector gap) and
        // coming back does not reset the count: the attempt window does
        await setAlarmState(clients.cloudwatch, 'ServerCpuTooHigh', 'INSUFFICIENT_DATA');
        await setAlarmState(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
        expect(await recheck()).toMatchObject({
          decision: 'skipped',
          reason: 'max-attempts-reached',
          escalated: [],
        });
        clock.advanceMinutes(config.attemptWindowMinutes);
        expect(await recheck()).toMatchObject({ decision: 'started', reason: 'recheck-still-in-alarm' });
        expect(await listExecutions(clients.sagemaker)).toHaveLength(3);
      } finally {
        await inbox.close();
      }
    });

    test('an approved model package resets the count of attempts; a pending one does not (#14 finding 1)', async () => {
      const config = testConfig({ alarmNamePrefix: 'Server', cooldownMinutes: 1, maxAttempts: 1 });
      await putAlarm(clients.cloudwatch, 'ServerCpuTooHigh', 'ALARM');
      const clock = manualClock();
      const ctx = { config, clients, logger: recordingLogger(), now: clock.now };
      expect((await runRetrainDecision(loadEvent(FIXTURES.singleMetric), ctx)).decision).toBe('started');
      clock.advanceMinutes(2);
      expect(await runRetrainDecision({ action: 'recheck' }, ctx)).toMatchObject({
        reason: 'max-attempts-reached',
      });

      await registerModelPackage(clients.sagemaker); // the retrain registered a model, waiting for approval
      clock.advanceMinutes(2);
      expect(await runRetrainDecision({ action: 'recheck' }, ctx)).toMatchObject({
        reason: 'max-attempts-reached',
      });
      await registerModelPackage(clients.sagemaker, 'Approved'); // a person approved a model
      clock.advanceMinutes(2);
      expect(await runRetrainDecision({ action: 'recheck' }, ctx)).toMatchObject({ decision: 'started' });
    });
  });
});
