// The shared endpoint test runner with a stand-in codec (mocked SageMaker clients): it checks the
// endpoint serves this deployment before preparing anything, sends the codec's body with its content
// types and an InferenceId, lets the codec judge the response, and names the endpoint on an invoke
// error.
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { recordingLog } from './helpers';
import type { DeploymentRecordFile } from '../src/deployment-record';
import {
  bodyExcerpt,
  EndpointTestError,
  endpointTestInferenceId,
  type PayloadCodec,
  problemsMessage,
  runEndpointTest,
} from '../src/endpoint-test';

const runtimeMock = mockClient(SageMakerRuntimeClient);
const sagemakerMock = mockClient(SageMakerClient);
const clients = {
  runtime: new SageMakerRuntimeClient({ region: 'eu-west-1' }),
  sagemaker: new SageMakerClient({ region: 'eu-west-1' }),
};
const ENDPOINT = 'sagemaker-p-abc123def456-staging';
const stage = {
  stackName: 's',
  endpointName: ENDPOINT,
  endpointConfigName: 'cfg-new',
  modelName: 'm',
  instanceType: 'ml.m5.large',
};
const record: DeploymentRecordFile = {
  modelPackage: {
    arn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/g/7',
    groupName: 'g',
    version: 7,
    approvalStatus: 'Approved',
    source: 'event',
    customerMetadata: {},
  },
  trigger: 'model-approved',
  builtAt: '2024-06-02T00:00:00.000Z',
  stages: { staging: stage, prod: { ...stage, endpointName: 'p' } },
};

/** Sends the words joined by spaces; the response must echo them upper-cased. */
const shout: PayloadCodec<string[]> = {
  contentType: 'text/plain',
  accept: 'text/plain',
  encode: (words) => words.join(' '),
  check: (body, words) => {
    if (body !== words.join(' ').toUpperCase()) {
      throw new EndpointTestError(`not shouted: ${bodyExcerpt(body)}`);
    }
    return `shouted ${words.length} word(s)`;
  },
};

let prepared = 0;
const prepare = async () => {
  prepared += 1;
  return { codec: shout, request: ['a', 'b'], dataSource: 'fixture' };
};

beforeEach(() => {
  runtimeMock.reset();
  sagemakerMock.reset();
  prepared = 0;
  sagemakerMock
    .on(DescribeEndpointCommand)
    .resolves({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-new' } as never);
});

test('sends the codec body with its content types and an InferenceId; the codec summary is the PASS line', async () => {
  runtimeMock.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('A B') as never });
  const log = recordingLog();
  const result = await runEndpointTest({
    ...clients,
    env: {},
    log,
    record,
    prepare,
    now: () => new Date('2024-06-03T08:15:30.123Z'),
  });
  const input = runtimeMock.commandCalls(InvokeEndpointCommand)[0].args[0].input;
  expect(input).toMatchObject({
    EndpointName: ENDPOINT,
    ContentType: 'text/plain',
    Accept: 'text/plain',
    InferenceId: 'deploy-test-v7-20240603T081530Z',
  });
  expect(new TextDecoder().decode(input.Body as Uint8Array)).toBe('a b');
  expect(result).toMatchObject({
    endpointName: ENDPOINT,
    dataSource: 'fixture',
    summary: 'shouted 2 word(s)',
  });
  expect(log.text()).toMatch(
    /PASS: sagemaker-p-abc123def456-staging shouted 2 word\(s\) \(InferenceId deploy-test-v7-/,
  );
});

test('a rolled-back endpoint fails before the request is prepared or sent', async () => {
  sagemakerMock
    .on(DescribeEndpointCommand)
    .resolves({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-old' } as never);
  await expect(
    runEndpointTest({ ...clients, env: {}, log: recordingLog(), record, prepare }),
  ).rejects.toThrow(/serves endpoint config cfg-old, not cfg-new .*rolled back/);
  expect(prepared).toBe(0);
  expect(runtimeMock.commandCalls(InvokeEndpointCommand)).toHaveLength(0);
});

test("the codec's verdict and an invoke error fail the test with the reason", async () => {
  runtimeMock.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('a b') as never });
  await expect(
    runEndpointTest({ ...clients, env: {}, log: recordingLog(), record, prepare }),
  ).rejects.toThrow('not shouted: "a b"');
  runtimeMock
    .on(InvokeEndpointCommand)
    .rejects(Object.assign(new Error('x'), { name: 'ModelError', OriginalMessage: 'bad input' }));
  await expect(
    runEndpointTest({ ...clients, env: {}, log: recordingLog(), record, prepare }),
  ).rejects.toThrow(`InvokeEndpoint ${ENDPOINT} failed: ModelError: bad input`);
});

test('without a record or an endpoint name there is nothing to test; without a record a non-InService endpoint fails', async () => {
  await expect(runEndpointTest({ ...clients, env: {}, log: recordingLog(), prepare })).rejects.toThrow(
    'missing environment variable STAGING_ENDPOINT_NAME',
  );
  sagemakerMock.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Updating' } as never);
  const log = recordingLog();
  await expect(
    runEndpointTest({ ...clients, env: { STAGING_ENDPOINT_NAME: ENDPOINT }, log, prepare }),
  ).rejects.toThrow(`endpoint ${ENDPOINT} is Updating, not InService`);
  expect(log.text()).toContain('the endpoint config is not checked against this deployment');
});

test('helpers: InferenceId without a record, problem lists, body excerpts', () => {
  expect(endpointTestInferenceId(undefined, new Date('2024-12-31T23:59:59.999Z'))).toBe(
    'deploy-test-local-20241231T235959Z',
  );
  const message = problemsMessage('the response', ['a', 'b', 'c'], 2);
  expect(message).toBe('the response fails 3 check(s):\n  - a\n  - b\n  - and 1 more');
  expect(bodyExcerpt(`${'x'.repeat(400)}`)).toHaveLength(303);
});
