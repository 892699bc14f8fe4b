// The Lambda entry point: configuration checked at cold start (init fails naming the variable), and
// a malformed event returns `ignored` without throwing (no async retry loop) and without AWS calls.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../src/lambda';
import { testConfig } from './support/helpers';

const CONFIG_KEYS = ['ALARM_NAME_PREFIX', 'MODEL_BUILD_PIPELINE_NAME', 'RETRAIN_MAX_ATTEMPTS', 'AWS_REGION'];

describe('handler.ts cold start', () => {
  const saved = Object.fromEntries(CONFIG_KEYS.map((key) => [key, process.env[key]]));
  afterEach(() => {
    for (const key of CONFIG_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    jest.resetModules();
  });

  test('a bad configuration fails the init with the variable name', async () => {
    process.env.ALARM_NAME_PREFIX = 'forecast-';
    delete process.env.MODEL_BUILD_PIPELINE_NAME;
    process.env.RETRAIN_MAX_ATTEMPTS = '0';
    await expect(import('../src/handler')).rejects.toThrow(
      /MODEL_BUILD_PIPELINE_NAME is not set; RETRAIN_MAX_ATTEMPTS: must be at least 1/,
    );
  });

  test('a good configuration exports a handler that ignores malformed events without throwing', async () => {
    process.env.ALARM_NAME_PREFIX = 'forecast-';
    process.env.MODEL_BUILD_PIPELINE_NAME = 'forecast-model-build';
    process.env.AWS_REGION = 'us-east-1';
    delete process.env.RETRAIN_MAX_ATTEMPTS;
    // Powertools writes INFO logs and EMF to stdout, ERROR logs to stderr
    const written: string[] = [];
    const capture = (chunk: string | Uint8Array): boolean => {
      written.push(String(chunk));
      return true;
    };
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(capture),
      jest.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    try {
      const { handler } = await import('../src/handler');
      await expect(handler({ hello: 'world' })).resolves.toMatchObject({
        decision: 'ignored',
        reason: 'malformed-event',
      });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const logs = written.map((line) => JSON.parse(line) as { level: string; message: string });
    expect(logs.find((log) => log.level === 'ERROR')?.message).toBe('malformed event: no retrain started');
    expect(written.some((line) => line.includes('"_aws"'))).toBe(false); // no metric for ignored events
  });
});

describe('createHandler', () => {
  test('malformed events: no AWS call, no throw, the error is logged', async () => {
    const clients = {
      sagemaker: new SageMakerClient({ region: 'us-east-1' }),
      cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
      sns: new SNSClient({ region: 'us-east-1' }),
    };
    const mocks = [mockClient(clients.sagemaker), mockClient(clients.cloudwatch), mockClient(clients.sns)];
    const logger = new Logger({ serviceName: 'mlops-retrain', logLevel: 'SILENT' });
    const errorSpy = jest.spyOn(logger, 'error');
    const handler = createHandler({
      config: testConfig(),
      clients,
      logger,
      metrics: new Metrics({ namespace: 'RetrainTest', serviceName: 'mlops-retrain' }),
    });
    for (const event of [
      null,
      'text',
      [],
      { 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch' },
    ]) {
      await expect(handler(event)).resolves.toMatchObject({ decision: 'ignored', reason: 'malformed-event' });
    }
    expect(errorSpy).toHaveBeenCalledTimes(4);
    for (const mock of mocks) expect(mock.calls()).toHaveLength(0);
  });
});
