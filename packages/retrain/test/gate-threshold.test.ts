// The GateThreshold of a retrain, read from SSM (GATE_THRESHOLD_PARAMETER_NAME) right before the start,
// with aws-sdk-client-mock: the value rules of the model-build repository's pipeline:run, and that a
// missing, unusable or unreadable value never blocks the retrain nor reaches the pipeline.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createRetrainClients } from '../src/clients';
import type { RetrainClients } from '../src/decision';
import { GATE_THRESHOLD_READ_TIMEOUT_MS, interpretGateThreshold } from '../src/gate-threshold';
import { runRetrainDecision } from '../src/orchestration';
import { FIXTURES, loadEvent, type RecordingLogger, recordingLogger, testConfig } from './support/helpers';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const PARAMETER_NAME = '/sagemaker/forecast-p-abc123/gate-threshold';
const TRIGGER_REASON = { Name: 'TriggerReason', Value: 'retrain-alarm:ServerCpuTooHigh' };
const EXECUTION_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/model-build/execution/new';

describe('interpretGateThreshold (the rules of pipeline:run)', () => {
  test('"default" (trimmed) keeps the definition default', () => {
    expect(interpretGateThreshold('default')).toEqual({ kind: 'default' });
    expect(interpretGateThreshold('  default\n')).toEqual({ kind: 'default' });
  });

  test.each([
    ['0.12', 0.12],
    [' 0.3 ', 0.3],
    ['1e-3', 0.001],
    ['2', 2],
  ])('%j → %d', (value, threshold) => {
    expect(interpretGateThreshold(value)).toEqual({ kind: 'threshold', threshold });
  });

  test.each(['', '   ', '0', '-0.1', 'NaN', 'Infinity', '1e400', 'abc', '0.2 0.3', 'Default', '{"v":0.2}'])(
    '%j is invalid',
    (value) => {
      const interpreted = interpretGateThreshold(value);
      expect(interpreted.kind).toBe('invalid');
      expect(interpreted).toMatchObject({ problem: expect.stringContaining(JSON.stringify(value)) });
    },
  );

  test('no value at all is invalid; long values are shortened in the problem', () => {
    expect(interpretGateThreshold(undefined)).toEqual({
      kind: 'invalid',
      problem: 'the parameter has no value',
    });
    const long = interpretGateThreshold('x'.repeat(5000));
    expect(long.kind === 'invalid' && long.problem.length).toBeLessThan(200);
  });
});

describe('retrain start with GATE_THRESHOLD_PARAMETER_NAME', () => {
  const sagemaker = new SageMakerClient({ region: 'us-east-1' });
  const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });
  const sns = new SNSClient({ region: 'us-east-1' });
  const ssm = new SSMClient({ region: 'us-east-1' });
  const clients: RetrainClients = { sagemaker, cloudwatch, sns, ssm };
  const sagemakerMock = mockClient(sagemaker);
  const cloudwatchMock = mockClient(cloudwatch);
  const snsMock = mockClient(sns);
  const ssmMock = mockClient(ssm);
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:retrain';
  const config = testConfig({ gateThresholdParameterName: PARAMETER_NAME, notificationTopicArn: topicArn });
  const event = loadEvent(FIXTURES.singleMetric);
  /** The order of the AWS calls that matter here. */
  let sequence: string[];

  beforeEach(() => {
    sequence = [];
    for (const mock of [sagemakerMock, cloudwatchMock, snsMock, ssmMock]) mock.reset();
    cloudwatchMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'ServerCpuTooHigh',
          AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
          StateValue: 'ALARM',
          StateTransitionedTimestamp: new Date(NOW.getTime() - 600 * 60_000),
        },
      ],
    });
    sagemakerMock.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
    sagemakerMock.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    sagemakerMock.on(StartPipelineExecutionCommand).callsFake(() => {
      sequence.push('StartPipelineExecution');
      return { PipelineExecutionArn: EXECUTION_ARN };
    });
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  const ssmAnswers = (value: string): void => {
    ssmMock.on(GetParameterCommand).callsFake(() => {
      sequence.push('GetParameter');
      return { Parameter: { Name: PARAMETER_NAME, Type: 'String', Value: value } };
    });
  };

  async function decide(
    overrides: { clients?: RetrainClients; gateThresholdParameterName?: string } = {},
    payload: unknown = event,
  ) {
    const logger = recordingLogger();
    const outcome = await runRetrainDecision(payload, {
      config:
        'gateThresholdParameterName' in overrides
          ? { ...config, gateThresholdParameterName: overrides.gateThresholdParameterName }
          : config,
      clients: overrides.clients ?? clients,
      logger,
      now: () => NOW,
    });
    return { outcome, logger };
  }

  const startedParameters = () =>
    sagemakerMock
      .commandCalls(StartPipelineExecutionCommand)
      .map((call) => call.args[0].input.PipelineParameters);
  const startedLog = (logger: RecordingLogger) =>
    logger.entries.find((entry) => entry.message === 'retrain started')?.attributes;
  const warnings = (logger: RecordingLogger) => logger.entries.filter((entry) => entry.level === 'warn');

  test('"default": only TriggerReason, so the definition default applies; logged as such', async () => {
    ssmAnswers('default');
    const { outcome, logger } = await decide();
    expect(outcome.decision).toBe('started');
    expect(ssmMock).toHaveReceivedCommandWith(GetParameterCommand, { Name: PARAMETER_NAME });
    expect(startedParameters()).toEqual([[TRIGGER_REASON]]);
    expect(startedLog(logger)).toMatchObject({
      gateThreshold: 'pipeline-default',
      gateThresholdSource: expect.stringContaining('says "default"'),
    });
    expect(warnings(logger)).toEqual([]);
  });

  test('a positive number: TriggerReason and GateThreshold, read right before the start', async () => {
    ssmAnswers(' 0.15 ');
    const { outcome, logger } = await decide();
    expect(outcome).toMatchObject({ decision: 'started', pipelineExecutionArn: EXECUTION_ARN });
    expect(startedParameters()).toEqual([[TRIGGER_REASON, { Name: 'GateThreshold', Value: '0.15' }]]);
    expect(sequence).toEqual(['GetParameter', 'StartPipelineExecution']);
    expect(startedLog(logger)).toMatchObject({
      gateThreshold: 0.15,
      gateThresholdSource: `SSM ${PARAMETER_NAME}`,
    });
    const published = JSON.parse(snsMock.commandCalls(PublishCommand)[0].args[0].input.Message as string);
    expect(published).toMatchObject({ event: 'retrain-started', gateThreshold: 0.15 });
  });

  test.each(['garbage', '-0.2', '0', ''])(
    'an unusable value (%j): started with TriggerReason only, warning names parameter and value',
    async (value) => {
      ssmAnswers(value);
      const { outcome, logger } = await decide();
      expect(outcome.decision).toBe('started');
      expect(startedParameters()).toEqual([[TRIGGER_REASON]]);
      const [warning, ...others] = warnings(logger);
      expect(others).toEqual([]);
      expect(warning.message).toContain(PARAMETER_NAME);
      expect(warning.message).toContain(`holds ${JSON.stringify(value)}`);
      expect(warning.attributes).toMatchObject({ gateThresholdParameterName: PARAMETER_NAME });
      expect(startedLog(logger)).toMatchObject({ gateThreshold: 'pipeline-default' });
    },
  );

  test.each([
    ['ParameterNotFound', 'Parameter /sagemaker/forecast-p-abc123/gate-threshold not found.'],
    ['AccessDeniedException', 'not authorized to perform: ssm:GetParameter'],
    ['ThrottlingException', 'Rate exceeded'],
  ])('GetParameter fails with %s (after the SDK retries): started anyway, warning', async (name, message) => {
    ssmMock.on(GetParameterCommand).rejects(Object.assign(new Error(message), { name }));
    const { outcome, logger } = await decide();
    expect(outcome).toMatchObject({ decision: 'started', pipelineExecutionArn: EXECUTION_ARN });
    expect(startedParameters()).toEqual([[TRIGGER_REASON]]);
    expect(warnings(logger)).toHaveLength(1);
    expect(warnings(logger)[0].message).toContain(PARAMETER_NAME);
    expect(warnings(logger)[0].attributes).toMatchObject({
      problem: `GetParameter failed: ${name}: ${message}`,
    });
  });

  test('GetParameter that never answers: started without GateThreshold after the read timeout', async () => {
    jest.useFakeTimers({ doNotFake: ['Date', 'nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      ssmMock.on(GetParameterCommand).callsFake(() => new Promise(() => undefined));
      const running = decide();
      await jest.advanceTimersByTimeAsync(GATE_THRESHOLD_READ_TIMEOUT_MS - 1);
      expect(sagemakerMock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
      await jest.advanceTimersByTimeAsync(1);
      const { outcome, logger } = await running;
      expect(outcome.decision).toBe('started');
      expect(startedParameters()).toEqual([[TRIGGER_REASON]]);
      expect(warnings(logger)[0].attributes).toMatchObject({
        problem: expect.stringContaining('TimeoutError'),
      });
    } finally {
      jest.useRealTimers();
    }
  });

  test('GATE_THRESHOLD_PARAMETER_NAME unset: no SSM call, TriggerReason only, no warning', async () => {
    ssmAnswers('0.15');
    const { outcome, logger } = await decide({ gateThresholdParameterName: undefined });
    expect(outcome.decision).toBe('started');
    expect(ssmMock).not.toHaveReceivedCommand(GetParameterCommand);
    expect(startedParameters()).toEqual([[TRIGGER_REASON]]);
    expect(warnings(logger)).toEqual([]);
    expect(startedLog(logger)).toMatchObject({ gateThreshold: 'pipeline-default' });
  });

  test('the variable set but no SSM client given: started with TriggerReason only, warning', async () => {
    const { outcome, logger } = await decide({ clients: { sagemaker, cloudwatch, sns } });
    expect(outcome.decision).toBe('started');
    expect(startedParameters()).toEqual([[TRIGGER_REASON]]);
    expect(warnings(logger)[0].message).toContain(PARAMETER_NAME);
  });

  test('no start, no read: a skipped decision does not call SSM', async () => {
    ssmAnswers('0.15');
    sagemakerMock.on(ListPipelineExecutionsCommand).resolves({
      PipelineExecutionSummaries: [
        {
          PipelineExecutionArn: `${EXECUTION_ARN}-running`,
          PipelineExecutionStatus: 'Executing',
          StartTime: NOW,
        },
      ],
    });
    sagemakerMock.on(ListPipelineParametersForExecutionCommand).resolves({ PipelineParameters: [] });
    const { outcome } = await decide();
    expect(outcome).toMatchObject({ decision: 'skipped', reason: 'execution-running' });
    expect(ssmMock).not.toHaveReceivedCommand(GetParameterCommand);
  });

  test('the scheduled re-check passes it too', async () => {
    ssmAnswers('0.4');
    const { outcome } = await decide({}, { action: 'recheck' });
    expect(outcome).toMatchObject({ decision: 'started', reason: 'recheck-still-in-alarm' });
    expect(startedParameters()).toEqual([[TRIGGER_REASON, { Name: 'GateThreshold', Value: '0.4' }]]);
  });
});

test('createRetrainClients builds the SSM client the Lambda and the CLI use', () => {
  expect(createRetrainClients({ maxAttempts: 2 }).ssm).toBeInstanceOf(SSMClient);
});
