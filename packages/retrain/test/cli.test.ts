// The mlops-retrain CLI in-process with mocked AWS clients: usage and configuration errors (exit 2),
// malformed events (ignored, exit 0), AWS errors (exit 1, nothing on stdout), metrics publishing.
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { main } from '../src/cli';
import type { RetrainClients } from '../src/decision';
import { FIXTURES, fixturePath } from './support/helpers';

const ENV = {
  ALARM_NAME_PREFIX: 'Server',
  MODEL_BUILD_PIPELINE_NAME: 'model-build',
  METRIC_NAMESPACE: 'RetrainTest',
};

describe('mlops-retrain CLI', () => {
  const clients: RetrainClients = {
    sagemaker: new SageMakerClient({ region: 'us-east-1' }),
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
  };
  const sagemakerMock = mockClient(clients.sagemaker);
  const cloudwatchMock = mockClient(clients.cloudwatch);

  beforeEach(() => {
    sagemakerMock.reset();
    cloudwatchMock.reset();
    cloudwatchMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'ServerCpuTooHigh',
          AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
          StateValue: 'ALARM',
          StateTransitionedTimestamp: new Date(Date.now() - 60_000),
        },
      ],
    });
    cloudwatchMock.on(PutMetricDataCommand).resolves({});
    sagemakerMock.on(ListPipelineExecutionsCommand).resolves({ PipelineExecutionSummaries: [] });
    sagemakerMock.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    sagemakerMock.on(StartPipelineExecutionCommand).resolves({
      PipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/model-build/execution/x1',
    });
  });

  async function run(argv: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: options.stdin !== undefined ? [Buffer.from(options.stdin)] : [],
      env: options.env ?? ENV,
      clients,
    });
    return { code, stdout, stderr };
  }

  test('--help prints the usage on stdout', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('mlops-retrain --event FILE');
  });

  test.each([[[]], [['--event', 'x.json', '--recheck']], [['--bogus']], [['--event']], [['positional']]])(
    'usage error %j: exit 2, nothing on stdout',
    async (argv) => {
      const result = await run(argv);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('Usage:');
    },
  );

  test('configuration error names the variable: exit 2', async () => {
    const result = await run(['--recheck'], {
      env: { ALARM_NAME_PREFIX: 'Server', RETRAIN_MAX_ATTEMPTS: 'three' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /MODEL_BUILD_PIPELINE_NAME is not set; RETRAIN_MAX_ATTEMPTS: must be a whole number/,
    );
    expect(sagemakerMock.calls()).toHaveLength(0);
  });

  test('unreadable event file: exit 2', async () => {
    const result = await run(['--event', fixturePath('does-not-exist.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read');
  });

  test('not JSON on stdin: ignored with the reason, error logged, exit 0, no AWS call', async () => {
    const result = await run(['--event', '-'], { stdin: '{"detail-type": "CloudWatch Alarm' });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      decision: 'ignored',
      reason: 'malformed-event',
      pipelineExecutionArn: null,
      detail: expect.stringMatching(/^not JSON/),
    });
    expect(result.stderr).toContain('"level":"ERROR"');
    expect(sagemakerMock.calls()).toHaveLength(0);
    expect(cloudwatchMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  test('started: one line with the ARN, retrain_triggered put with PutMetricData', async () => {
    const result = await run(['--event', fixturePath(FIXTURES.singleMetric), '--quiet']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      decision: 'started',
      reason: 'alarm-state-change',
      pipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/model-build/execution/x1',
    });
    expect(result.stderr).toBe('');
    expect(cloudwatchMock).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'RetrainTest',
      MetricData: [
        {
          MetricName: 'retrain_triggered',
          Dimensions: [{ Name: 'service', Value: 'mlops-retrain' }],
          Value: 1,
          Unit: 'Count',
        },
      ],
    });
  });

  test('--no-metrics: nothing put', async () => {
    const result = await run(['--event', fixturePath(FIXTURES.singleMetric), '--no-metrics', '--quiet']);
    expect(result.code).toBe(0);
    expect(cloudwatchMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  test('metrics cannot be put: decision still printed, error logged, exit 0', async () => {
    cloudwatchMock.on(PutMetricDataCommand).rejects(new Error('metrics down'));
    const result = await run(['--event', fixturePath(FIXTURES.singleMetric)]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ decision: 'started' });
    expect(result.stderr).toContain('publishing metrics failed');
  });

  test('AWS error after retries: exit 1, error on stderr, nothing on stdout', async () => {
    sagemakerMock
      .on(ListPipelineExecutionsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const result = await run(['--recheck']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('ThrottlingException: Rate exceeded');
    expect(sagemakerMock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
  });
});
