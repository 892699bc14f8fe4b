// The tabular staging endpoint test with mocked AWS clients: the model package's sample payload is
// read from S3 and sent as text/csv with an InferenceId; the problem type comes from the package (else
// the project configuration); a payload the container cannot take, a missing sample payload and a
// response of the wrong shape fail with the reason.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { TABULAR_MODEL_PACKAGE_METADATA as METADATA } from '@mlops-templates/project-contract';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { featureRows, runEndpointTest } from '../src/endpoint-test/run';
import { exampleEnv, linesLog, recordWith } from './helpers';

const runtimeMock = mockClient(SageMakerRuntimeClient);
const sagemakerMock = mockClient(SageMakerClient);
const s3Mock = mockClient(S3Client);
const ssmMock = mockClient(SSMClient);
const clients = {
  runtime: new SageMakerRuntimeClient({ region: 'us-east-1' }),
  sagemaker: new SageMakerClient({ region: 'us-east-1' }),
  s3: new S3Client({ region: 'us-east-1' }),
  ssm: new SSMClient({ region: 'us-east-1' }),
};
// The form model-build registers: the object prepare.py writes below the PrepareData step's `sample`
// output (`<TRAINING_PREFIX><execution id>/sample/sample.csv`).
const SAMPLE = 's3://sagemaker-p-abcdefghijkl-123456789012/training/abc123xyz789/sample/sample.csv';
const now = () => new Date('2026-01-05T11:22:33.444Z');
const body = (text: string) => sdkStreamMixin(Readable.from([Buffer.from(text)]));
const sent = () => {
  const input = runtimeMock.commandCalls(InvokeEndpointCommand)[0].args[0].input;
  return { input, text: new TextDecoder().decode(input.Body as Uint8Array) };
};

beforeEach(() => {
  for (const m of [runtimeMock, sagemakerMock, s3Mock, ssmMock]) m.reset();
  const record = recordWith({});
  sagemakerMock.on(DescribeEndpointCommand).resolves({
    EndpointName: record.stages.staging.endpointName,
    EndpointStatus: 'InService',
    EndpointConfigName: record.stages.staging.endpointConfigName,
  } as never);
  s3Mock.on(GetObjectCommand).resolves({ Body: body('1.5,0,3\n2,1,0.5\n0.25,,9\n') as never });
});

test('the sample payload of a binary model: text/csv with an InferenceId, one probability per row', async () => {
  runtimeMock
    .on(InvokeEndpointCommand)
    .resolves({ Body: new TextEncoder().encode('0.2\n0.9\n0.4\n') as never });
  const log = linesLog();
  const record = recordWith({ [METADATA.problemType]: 'binary', [METADATA.samplePayload]: SAMPLE });
  const result = await runEndpointTest({ ...clients, env: exampleEnv(), log, record, now });
  expect(result).toMatchObject({ rows: 3, problemType: 'binary', dataSource: SAMPLE });
  const { input, text } = sent();
  expect(input).toMatchObject({
    EndpointName: record.stages.staging.endpointName,
    ContentType: 'text/csv',
    Accept: 'text/csv',
    InferenceId: 'deploy-test-v4-20260105T112233Z',
  });
  expect(text).toBe('1.5,0,3\n2,1,0.5\n0.25,,9\n');
  expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
    Bucket: 'sagemaker-p-abcdefghijkl-123456789012',
    Key: 'training/abc123xyz789/sample/sample.csv',
  });
  expect(log.text()).toMatch(/PASS: .* predicted 3 row\(s\) \(binary: one probability in \[0, 1\] each\)/);
  // The package said what it is: the project configuration is not read.
  expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(0);
});

test('a multiclass model without recorded classes: the project configuration gives them; a wrong count fails', async () => {
  ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '{"numClasses":"3"}' } });
  runtimeMock
    .on(InvokeEndpointCommand)
    .resolves({ Body: new TextEncoder().encode('0.5,0.5\n0.5,0.5\n0.5,0.5') as never });
  const record = recordWith({ [METADATA.problemType]: 'multiclass', [METADATA.samplePayload]: SAMPLE });
  await expect(runEndpointTest({ ...clients, env: exampleEnv(), log: linesLog(), record })).rejects.toThrow(
    /prediction 1 has 2 class probabilities, expected 3/,
  );
});

test('no sample payload and no --payload: a ConfigError that says what model-build must record', async () => {
  const record = recordWith({ [METADATA.problemType]: 'regression' });
  await expect(runEndpointTest({ ...clients, env: exampleEnv(), log: linesLog(), record })).rejects.toThrow(
    /records no sample_payload \(model-build writes it\) and no --payload FILE is given/,
  );
  expect(runtimeMock.commandCalls(InvokeEndpointCommand)).toHaveLength(0);
});

test('no problem type anywhere is an error; a --payload file replaces the sample', async () => {
  ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '{}' } });
  await expect(
    runEndpointTest({ ...clients, env: exampleEnv(), log: linesLog(), record: recordWith({}) }),
  ).rejects.toThrow(/no problem type/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'payload-')), 'rows.csv');
  fs.writeFileSync(file, '3,4\n');
  runtimeMock.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('7.5') as never });
  const result = await runEndpointTest({
    ...clients,
    env: exampleEnv(),
    log: linesLog(),
    record: recordWith({ [METADATA.problemType]: 'regression', [METADATA.samplePayload]: SAMPLE }),
    payloadFile: file,
  });
  expect(result).toMatchObject({ rows: 1, dataSource: file });
  expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
});

test('an endpoint rolled back to another config fails before anything is sent', async () => {
  sagemakerMock
    .on(DescribeEndpointCommand)
    .resolves({ EndpointStatus: 'InService', EndpointConfigName: 'old' } as never);
  const record = recordWith({ [METADATA.problemType]: 'binary', [METADATA.samplePayload]: SAMPLE });
  await expect(runEndpointTest({ ...clients, env: exampleEnv(), log: linesLog(), record })).rejects.toThrow(
    /serves endpoint config old, not .*rolled back/,
  );
  expect(runtimeMock.commandCalls(InvokeEndpointCommand)).toHaveLength(0);
});

test('feature rows: a header or a categorical value is refused (the container takes numbers only)', () => {
  expect(featureRows('1,2\n\n3,4\n5,6\n', 'p', 2)).toEqual(['1,2', '3,4']);
  expect(() => featureRows('age,income\n1,2\n', 'p', 10)).toThrow(/p row 1 has the non-numeric value "age"/);
  expect(() => featureRows('\n', 'p', 10)).toThrow(/p has no row to send/);
});
