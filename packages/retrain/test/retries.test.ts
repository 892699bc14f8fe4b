// Throttling and retries through the SDK's own standard retry strategy. aws-sdk-client-mock replaces
// `client.send` and so bypasses the retry middleware; here the SageMaker client keeps its full
// middleware stack and only its HTTP handler is faked (awsJson1_1 responses), so the retries are real.
// Jest's fake timers skip the backoff waits (the standard strategy waits ~0.5-1 s per throttled retry).
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { RetrainClients } from '../src/decision';
import { runRetrainDecision } from '../src/orchestration';
import { FIXTURES, loadEvent, recordingLogger, testConfig } from './support/helpers';

/** Settles `promise` while advancing fake timers, so retry backoff waits take no real time. */
async function settleWithFakeTimers<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => undefined);
  while (!settled) await jest.advanceTimersByTimeAsync(250);
  return tracked;
}

interface FakeRequest {
  readonly headers: Record<string, string>;
}

/** SageMaker over a fake wire: `throttleFirst[operation]` calls answer ThrottlingException, then success. */
function fakeSageMaker(throttleFirst: Record<string, number>, maxAttempts: number) {
  const calls: string[] = [];
  const successBodies: Record<string, unknown> = {
    ListPipelineExecutions: { PipelineExecutionSummaries: [] },
    ListModelPackages: { ModelPackageSummaryList: [] },
    StartPipelineExecution: {
      PipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/model-build/execution/abc123',
    },
  };
  const json = (statusCode: number, body: unknown, errorType?: string) => ({
    response: {
      statusCode,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': `req-${calls.length}`,
        ...(errorType !== undefined ? { 'x-amzn-errortype': errorType } : {}),
      },
      body: new TextEncoder().encode(JSON.stringify(body)),
    },
  });
  const requestHandler = {
    handle: async (request: FakeRequest) => {
      const operation = (request.headers['x-amz-target'] ?? '').replace('SageMaker.', '');
      calls.push(operation);
      const seen = calls.filter((c) => c === operation).length;
      if (seen <= (throttleFirst[operation] ?? 0)) {
        return json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, 'ThrottlingException');
      }
      return json(200, successBodies[operation] ?? {});
    },
  };
  const client = new SageMakerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts,
    requestHandler,
  });
  return { client, calls };
}

describe('SDK standard retries under throttling', () => {
  const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });
  const cloudwatchMock = mockClient(cloudwatch);
  const event = loadEvent(FIXTURES.singleMetric);
  const config = testConfig({ alarmNamePrefix: 'Server' });

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['Date', 'nextTick', 'setImmediate', 'queueMicrotask'] });
    cloudwatchMock.reset();
    cloudwatchMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'ServerCpuTooHigh',
          AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
          StateValue: 'ALARM',
          StateTransitionedTimestamp: new Date(Date.now() - 3_600_000),
        },
      ],
    });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const clientsWith = (sagemaker: SageMakerClient): RetrainClients => ({
    sagemaker,
    cloudwatch,
    sns: new SNSClient({ region: 'us-east-1' }),
  });

  test('throttled twice, then success: the decision goes through (3 attempts of the listing)', async () => {
    const fake = fakeSageMaker({ ListPipelineExecutions: 2, StartPipelineExecution: 1 }, 3);
    const outcome = await settleWithFakeTimers(
      runRetrainDecision(event, { config, clients: clientsWith(fake.client), logger: recordingLogger() }),
    );
    expect(outcome).toMatchObject({
      decision: 'started',
      pipelineExecutionArn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/model-build/execution/abc123',
    });
    expect(fake.calls.filter((c) => c === 'ListPipelineExecutions')).toHaveLength(3);
    expect(fake.calls.filter((c) => c === 'StartPipelineExecution')).toHaveLength(2);
  });

  test('throttled beyond maxAttempts: ThrottlingException propagates and nothing is started', async () => {
    const fake = fakeSageMaker({ ListPipelineExecutions: 10 }, 2);
    await expect(
      settleWithFakeTimers(
        runRetrainDecision(event, { config, clients: clientsWith(fake.client), logger: recordingLogger() }),
      ),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(fake.calls).toEqual(['ListPipelineExecutions', 'ListPipelineExecutions']);
  });
});
