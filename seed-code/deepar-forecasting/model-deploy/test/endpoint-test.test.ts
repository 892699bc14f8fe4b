// The staging endpoint test with mocked AWS clients: it checks the endpoint serves this
// deployment, builds the request from the newest project data (or the fixture), sends it with an
// InferenceId, and fails readably on a bad response or an endpoint error.
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { dataKeyRange, type DeepArRequest } from '@mlops-templates/metrics';
import { DEFAULT_QUANTILES } from '@mlops-templates/metrics';
import { sdkStreamMixin } from '@smithy/util-stream';
import { exampleEnvironment } from '@mlops-templates/project-contract';
import { mockClient } from 'aws-sdk-client-mock';
import { projectEnv, readFixture, recordingLog, ROOT } from './helpers';
import {
  type DeploymentRecordFile,
  EndpointTestError,
  endpointTestInferenceId,
} from '@mlops-templates/model-deploy';
import { runEndpointTest } from '../src/endpoint-test/run';

const runtimeMock = mockClient(SageMakerRuntimeClient);
const sagemakerMock = mockClient(SageMakerClient);
const s3Mock = mockClient(S3Client);
const ssmMock = mockClient(SSMClient);
const clients = {
  runtime: new SageMakerRuntimeClient({ region: 'eu-west-1' }),
  sagemaker: new SageMakerClient({ region: 'eu-west-1' }),
  s3: new S3Client({ region: 'eu-west-1' }),
  ssm: new SSMClient({ region: 'eu-west-1' }),
};
const FIXTURE = path.join(ROOT, 'config', 'endpoint-test-series.json');
// The names of the contract's example project (the environment projectEnv() gives).
const EXAMPLE = exampleEnvironment();
const BUCKET = EXAMPLE.PROJECT_BUCKET;
const ENDPOINT = EXAMPLE.STAGING_ENDPOINT_NAME;
const CONFIG_NAME = `${ENDPOINT}-0a1b2c3d`;
const OTHER_CONFIG_NAME = `${ENDPOINT}-ffffffff`;
const GROUP = EXAMPLE.MODEL_PACKAGE_GROUP_NAME;

const record: DeploymentRecordFile = {
  modelPackage: {
    arn: `arn:aws:sagemaker:${EXAMPLE.AWS_REGION}:${EXAMPLE.AWS_ACCOUNT_ID}:model-package/${GROUP}/3`,
    groupName: GROUP,
    version: 3,
    approvalStatus: 'Approved',
    source: 'pipeline-variable',
    customerMetadata: {},
  },
  trigger: 'model-approved',
  builtAt: '2024-06-02T00:00:00.000Z',
  stages: {
    staging: {
      stackName: 's',
      endpointName: ENDPOINT,
      endpointConfigName: CONFIG_NAME,
      modelName: 'm',
      instanceType: 'ml.m5.large',
    },
    prod: {
      stackName: 'p',
      endpointName: EXAMPLE.PROD_ENDPOINT_NAME,
      endpointConfigName: 'x',
      modelName: 'm',
      instanceType: 'ml.m5.large',
    },
  },
};

/** A valid DeepAR response with `n` forecasts (the derived fixture's prediction repeated). */
function responseWith(n: number): Uint8Array {
  const prediction = JSON.parse(readFixture('deepar-response-quantiles.derived.json')).response
    .predictions[0];
  return new TextEncoder().encode(
    JSON.stringify({ predictions: Array.from({ length: n }, () => prediction) }),
  );
}

function sentRequest(): { input: Record<string, unknown>; body: DeepArRequest } {
  const input = runtimeMock.commandCalls(InvokeEndpointCommand)[0].args[0].input as Record<string, unknown>;
  return { input, body: JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as DeepArRequest };
}

const body = (text: string) => sdkStreamMixin(Readable.from([Buffer.from(text)]));
const now = () => new Date('2024-06-03T08:15:30.123Z');

beforeEach(() => {
  runtimeMock.reset();
  sagemakerMock.reset();
  s3Mock.reset();
  ssmMock.reset();
  sagemakerMock.on(DescribeEndpointCommand).resolves({
    EndpointName: ENDPOINT,
    EndpointStatus: 'InService',
    EndpointConfigName: CONFIG_NAME,
  } as never);
});

test('no data configured: the committed fixture, sent with an InferenceId, validated', async () => {
  runtimeMock
    .on(InvokeEndpointCommand)
    .resolves({ Body: responseWith(1) as never, ContentType: 'application/json' });
  const env = projectEnv();
  delete env.CONFIG_PARAMETER_NAME;
  const log = recordingLog();
  const result = await runEndpointTest({ ...clients, env, log, record, fixtureFile: FIXTURE, now });
  const { input, body: request } = sentRequest();
  expect(input).toMatchObject({
    EndpointName: ENDPOINT,
    ContentType: 'application/json',
    Accept: 'application/json',
    InferenceId: 'deploy-test-v3-20240603T081530Z',
  });
  expect(request.configuration).toEqual({
    num_samples: 100,
    output_types: ['mean', 'quantiles'],
    quantiles: [...DEFAULT_QUANTILES],
  });
  expect(request.instances).toHaveLength(1);
  expect(request.instances[0].start).toBe('2024-06-02 00:00:00');
  expect(result).toMatchObject({
    dataSource: 'fixture',
    instances: 1,
    predictionLength: 14,
    endpointName: ENDPOINT,
  });
  expect(log.text()).toContain(
    'no project data configured (CONFIG_PARAMETER_NAME unset): using the committed fixture',
  );
  expect(log.text()).toContain(`PASS: ${ENDPOINT} forecast 1 series × 14 steps`);
  expect(ssmMock.calls()).toHaveLength(0);
});

test("the model's own prediction_length (package metadata) wins over the project setting, with a warning", async () => {
  runtimeMock.on(InvokeEndpointCommand).resolves({ Body: responseWith(1) as never });
  const env = projectEnv({ PREDICTION_LENGTH: '24' });
  delete env.CONFIG_PARAMETER_NAME;
  const log = recordingLog();
  const withMetadata = {
    ...record,
    modelPackage: { ...record.modelPackage, customerMetadata: { prediction_length: '14' } },
  };
  const result = await runEndpointTest({ ...clients, env, log, record: withMetadata, fixtureFile: FIXTURE });
  expect(result.predictionLength).toBe(14);
  expect(log.text()).toContain(
    'the model was trained with prediction_length 14, the project is configured with 24: expecting 14',
  );
  // Without the metadata, the project setting is expected, and the 14-step response fails.
  await expect(
    runEndpointTest({ ...clients, env, log: recordingLog(), record, fixtureFile: FIXTURE }),
  ).rejects.toThrow(/has 14 values, expected 24 \(PREDICTION_LENGTH\)/);
});

test('synthetic data: the newest objects, one instance per item, ending at the latest timestamp', async () => {
  ssmMock.on(GetParameterCommand).resolves({
    Parameter: {
      Value: JSON.stringify({
        dataSourceType: 'synthetic',
        dataSourceLocation: `s3://${BUCKET}/data/synthetic/`,
        timestampColumn: 'timestamp',
        itemIdColumn: 'item_id',
        targetColumn: 'demand',
        frequency: '1H',
        predictionLength: '14',
      }),
    },
  });
  const older = 'data/synthetic/dt=2024-06-01/part-20240601T000000Z-20240601T010000Z.csv';
  const newer = 'data/synthetic/dt=2024-06-01/part-20240601T020000Z-20240601T030000Z.csv';
  s3Mock.on(ListObjectsV2Command).resolves({
    Contents: [
      { Key: older, LastModified: new Date('2024-06-03T00:00:00Z') },
      { Key: 'data/synthetic/_state.json' },
      { Key: newer, LastModified: new Date('2024-06-01T00:00:00Z') },
    ],
  });
  s3Mock.on(GetObjectCommand, { Key: older }).resolves({
    Body: body(
      'timestamp,item_id,demand\n2024-06-01T00:00:00Z,item_001,10\n2024-06-01T00:00:00Z,item_002,20\n2024-06-01T01:00:00Z,item_001,11\n2024-06-01T01:00:00Z,item_002,21\n',
    ) as never,
  });
  s3Mock.on(GetObjectCommand, { Key: newer }).resolves({
    Body: body(
      'timestamp,item_id,demand\n2024-06-01T02:00:00Z,item_001,12\n2024-06-01T02:00:00Z,item_002,22\n2024-06-01T03:00:00Z,item_001,13\n',
    ) as never,
  });
  runtimeMock.on(InvokeEndpointCommand).resolves({ Body: responseWith(2) as never });
  const log = recordingLog();
  const result = await runEndpointTest({
    ...clients,
    env: projectEnv(),
    log,
    record,
    fixtureFile: FIXTURE,
    contextPoints: 3,
    now,
  });
  // The newest object (by the timestamp in its key, not LastModified) is read first; 3 points are
  // covered after both objects.
  expect(s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([newer, older]);
  expect(sentRequest().body.instances).toEqual([
    { start: '2024-06-01 01:00:00', target: [11, 12, 13] },
    { start: '2024-06-01 00:00:00', target: [20, 21, 22] },
  ]);
  expect(result.dataSource).toBe(`s3://${BUCKET}/data/synthetic/`);
  expect(log.text()).toMatch(/Request from 2 object\(s\) of s3:\/\/.*: 2 series/);
});

test('configured but empty data is an error, not a silent fixture', async () => {
  ssmMock.on(GetParameterCommand).resolves({
    Parameter: {
      Value: JSON.stringify({
        dataSourceType: 'synthetic',
        dataSourceLocation: `s3://${BUCKET}/data/synthetic/`,
        timestampColumn: 't',
        targetColumn: 'y',
      }),
    },
  });
  s3Mock.on(ListObjectsV2Command).resolves({ Contents: [] });
  await expect(
    runEndpointTest({ ...clients, env: projectEnv(), log: recordingLog(), record, fixtureFile: FIXTURE }),
  ).rejects.toThrow(
    `no CSV object under s3://${BUCKET}/data/synthetic/: the project's data is configured but empty`,
  );
  expect(runtimeMock.calls()).toHaveLength(0);
});

test('an endpoint on another endpoint config (rolled back) fails before any invocation', async () => {
  sagemakerMock.on(DescribeEndpointCommand).resolves({
    EndpointStatus: 'InService',
    EndpointConfigName: OTHER_CONFIG_NAME,
  } as never);
  await expect(
    runEndpointTest({ ...clients, env: projectEnv(), log: recordingLog(), record, fixtureFile: FIXTURE }),
  ).rejects.toThrow(
    new RegExp(`serves endpoint config ${OTHER_CONFIG_NAME}, not ${CONFIG_NAME} .*rolled back`),
  );
  expect(runtimeMock.calls()).toHaveLength(0);
});

test('a response missing a quantile fails the test with the reason', async () => {
  const prediction = JSON.parse(readFixture('deepar-response-quantiles.derived.json')).response
    .predictions[0];
  delete prediction.quantiles['0.1'];
  runtimeMock
    .on(InvokeEndpointCommand)
    .resolves({ Body: new TextEncoder().encode(JSON.stringify({ predictions: [prediction] })) as never });
  const env = projectEnv();
  delete env.CONFIG_PARAMETER_NAME;
  const run = runEndpointTest({ ...clients, env, log: recordingLog(), record, fixtureFile: FIXTURE });
  await expect(run).rejects.toThrow(EndpointTestError);
  await expect(run).rejects.toThrow(/misses quantile\(s\) 0\.1/);
});

test('an endpoint error (ModelError) is reported with its message', async () => {
  runtimeMock.on(InvokeEndpointCommand).rejects(
    Object.assign(new Error('Received client error (400)'), {
      name: 'ModelError',
      OriginalMessage: 'Input target has wrong shape',
    }),
  );
  const env = projectEnv();
  delete env.CONFIG_PARAMETER_NAME;
  await expect(
    runEndpointTest({ ...clients, env, log: recordingLog(), record, fixtureFile: FIXTURE }),
  ).rejects.toThrow(`InvokeEndpoint ${ENDPOINT} failed: ModelError: Input target has wrong shape`);
});

test('helpers: the InferenceId fits SageMaker (≤ 64 printable chars), keys name their last timestamp', () => {
  const id = endpointTestInferenceId(123456, new Date('2024-12-31T23:59:59.999Z'));
  expect(id).toBe('deploy-test-v123456-20241231T235959Z');
  expect(id.length).toBeLessThanOrEqual(64);
  // Objects are read newest first by the last timestamp their name announces (the shared data layout).
  expect(dataKeyRange('data/synthetic/dt=2024-06-01/part-20240601T120000Z-20240602T110000Z.csv')?.last).toBe(
    Date.parse('2024-06-02T11:00:00Z'),
  );
  expect(dataKeyRange('data/other.csv')).toBeUndefined();
});
