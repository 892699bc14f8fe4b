// The post-deploy threshold step (AWS mocked): the threshold is written only after the endpoint is
// verified InService with this deployment's endpoint config, from the deployed version's backtest
// through decideThreshold, with the model version; never for a failed/rolled-back deploy.
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { backtestThreshold, percentile } from '@mlops-templates/metrics';
import { sdkStreamMixin } from '@smithy/util-stream';
import { exampleEnvironment } from '@mlops-templates/project-contract';
import { mockClient } from 'aws-sdk-client-mock';
import type { DeploymentRecordFile } from '@mlops-templates/model-deploy';
import { parseEvaluationReport, ThresholdError } from '../src/threshold/evaluation-report';
import { parseThresholdParameter, setStageThreshold } from '../src/threshold/set-threshold';
import { projectEnv, readFixture, recordingLog } from './helpers';

const sagemakerMock = mockClient(SageMakerClient);
const s3Mock = mockClient(S3Client);
const ssmMock = mockClient(SSMClient);
const clients = {
  sagemaker: new SageMakerClient({ region: 'eu-west-1' }),
  s3: new S3Client({ region: 'eu-west-1' }),
  ssm: new SSMClient({ region: 'eu-west-1' }),
};
// The names of the contract's example project (the environment projectEnv() gives).
const EXAMPLE = exampleEnvironment();
const REPORT_URI = `s3://${EXAMPLE.PROJECT_BUCKET}/models/run-1/evaluation/evaluation.json`;
const PARAMETER = EXAMPLE.PROD_ALARM_THRESHOLD_PARAMETER_NAME;
const GROUP = EXAMPLE.MODEL_PACKAGE_GROUP_NAME;
const ARN = `arn:aws:sagemaker:${EXAMPLE.AWS_REGION}:${EXAMPLE.AWS_ACCOUNT_ID}:model-package/${GROUP}/3`;

const record: DeploymentRecordFile = {
  modelPackage: {
    arn: ARN,
    groupName: GROUP,
    version: 3,
    approvalStatus: 'Approved',
    source: 'pipeline-variable',
    evaluationReportUri: REPORT_URI,
    customerMetadata: {},
  },
  trigger: 'model-approved',
  builtAt: '2024-06-02T00:00:00.000Z',
  stages: {
    staging: {
      stackName: 's',
      endpointName: EXAMPLE.STAGING_ENDPOINT_NAME,
      endpointConfigName: 'cfg-staging',
      modelName: 'm',
      instanceType: 'ml.m5.large',
    },
    prod: {
      stackName: 'p',
      endpointName: EXAMPLE.PROD_ENDPOINT_NAME,
      endpointConfigName: 'cfg-prod',
      modelName: 'm',
      instanceType: 'ml.m5.large',
    },
  },
};
const report = readFixture('evaluation-report.json');
const windows = [0.081, 0.094, 0.102]; // the report's defined windows (the 4th is null)

beforeEach(() => {
  sagemakerMock.reset();
  s3Mock.reset();
  ssmMock.reset();
  sagemakerMock
    .on(DescribeEndpointCommand)
    .resolves({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-prod' } as never);
  s3Mock
    .on(GetObjectCommand)
    .resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from(report)])) as never });
  ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: 'unset' } });
  ssmMock.on(PutParameterCommand).resolves({ Version: 2 });
});

const run = (overrides: Partial<Parameters<typeof setStageThreshold>[0]> = {}) =>
  setStageThreshold({
    stage: 'prod',
    env: projectEnv(),
    record,
    ...clients,
    log: recordingLog(),
    now: () => new Date('2024-06-04T09:00:00Z'),
    ...overrides,
  });

test('after the deploy check: p90 of the backtest windows × 1.2, written with the model version', async () => {
  const order: string[] = [];
  sagemakerMock.on(DescribeEndpointCommand).callsFake(() => {
    order.push('DescribeEndpoint');
    return { EndpointStatus: 'InService', EndpointConfigName: 'cfg-prod' };
  });
  ssmMock.on(PutParameterCommand).callsFake(() => {
    order.push('PutParameter');
    return { Version: 2 };
  });
  const result = await run();
  expect(result.written).toBe(true);
  const expected = percentile(windows, 90) * 1.2;
  expect(result.decision.threshold).toBeCloseTo(expected, 12);
  expect(backtestThreshold([...windows, null])).toBeCloseTo(expected, 12);

  expect(sagemakerMock.commandCalls(DescribeEndpointCommand)[0].args[0].input).toEqual({
    EndpointName: EXAMPLE.PROD_ENDPOINT_NAME,
  });
  expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
    Bucket: EXAMPLE.PROJECT_BUCKET,
    Key: 'models/run-1/evaluation/evaluation.json',
  });
  const put = ssmMock.commandCalls(PutParameterCommand)[0].args[0].input;
  expect(put).toMatchObject({ Name: PARAMETER, Type: 'String', Overwrite: true });
  expect(JSON.parse(put.Value as string)).toEqual({
    threshold: expected,
    modelVersion: '3',
    modelPackageArn: ARN,
    stage: 'prod',
    policy: 'backtest-percentile',
    reason: expect.stringContaining('set after the successful deployment of 3 to prod'),
    backtestWindows: 3,
    setAt: '2024-06-04T09:00:00.000Z',
  });
  // The endpoint check comes before the (single) write.
  expect(order).toEqual(['DescribeEndpoint', 'PutParameter']);
});

test.each([
  [
    'still updating',
    { EndpointStatus: 'Updating', EndpointConfigName: 'cfg-prod' },
    /is Updating, not InService/,
  ],
  [
    'failed',
    { EndpointStatus: 'Failed', EndpointConfigName: 'cfg-prod', FailureReason: 'capacity' },
    /is Failed, not InService \(capacity\)/,
  ],
  [
    'rolled back to the previous config',
    { EndpointStatus: 'InService', EndpointConfigName: 'cfg-previous' },
    /serves endpoint config cfg-previous, not cfg-prod/,
  ],
])('no write when the endpoint is %s', async (_name, described, message) => {
  sagemakerMock.on(DescribeEndpointCommand).resolves(described as never);
  await expect(run()).rejects.toThrow(message);
  await expect(run()).rejects.toThrow(/^not setting the prod threshold: /);
  expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
  expect(s3Mock.calls()).toHaveLength(0);
});

test('#14 finding 8: the threshold is capped at the gate the package passed (gate_threshold metadata)', async () => {
  // Several runs: a fresh report body for each GetObject.
  s3Mock
    .on(GetObjectCommand)
    .callsFake(() => ({ Body: sdkStreamMixin(Readable.from([Buffer.from(report)])) as never }));
  const uncapped = percentile(windows, 90) * 1.2;
  const gated = {
    ...record,
    modelPackage: { ...record.modelPackage, customerMetadata: { gate_threshold: '0.09' } },
  };
  expect(uncapped).toBeGreaterThan(0.09);
  const capped = await run({ record: gated });
  expect(capped.decision.threshold).toBe(0.09);
  expect(capped.decision.reason).toContain('capped at the gate 0.09');
  // A gate above the policy value leaves it; no (or a bad) gate: no cap, and a warning.
  const loose = {
    ...record,
    modelPackage: { ...record.modelPackage, customerMetadata: { gate_threshold: '0.5' } },
  };
  expect((await run({ record: loose })).decision.threshold).toBeCloseTo(uncapped, 12);
  const log = recordingLog();
  const bad = {
    ...record,
    modelPackage: { ...record.modelPackage, customerMetadata: { gate_threshold: 'x' } },
  };
  expect((await run({ record: bad, log })).decision.threshold).toBeCloseTo(uncapped, 12);
  expect(log.text()).toContain('WARN model package');
  expect(log.text()).toContain('no usable gate_threshold');
});

test('the same version already has its threshold: nothing written, not an error', async () => {
  ssmMock
    .on(GetParameterCommand)
    .resolves({ Parameter: { Value: JSON.stringify({ threshold: 0.2, modelVersion: '3' }) } });
  const log = recordingLog();
  const result = await run({ log });
  expect(result.written).toBe(false);
  expect(log.text()).toContain('the threshold of 3 on prod is already set');
  expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
});

test("a previous version's threshold is replaced (it can go up as well as down)", async () => {
  ssmMock
    .on(GetParameterCommand)
    .resolves({ Parameter: { Value: JSON.stringify({ threshold: 0.05, modelVersion: '2' }) } });
  const result = await run();
  expect(result.written).toBe(true);
  expect(result.decision.threshold).toBeGreaterThan(0.05);
});

test('a report without usable windows, or none at all: an error, nothing written', async () => {
  s3Mock.on(GetObjectCommand).resolves({
    Body: sdkStreamMixin(Readable.from([Buffer.from('{"window_wql":[null, null]}')])) as never,
  });
  await expect(run()).rejects.toThrow(
    /no threshold for version 3 on prod: the backtest of 3 has fewer than 1 windows with a defined wQL/,
  );
  const noReport = { ...record, modelPackage: { ...record.modelPackage, evaluationReportUri: undefined } };
  await expect(run({ record: noReport })).rejects.toThrow(/has no evaluation report/);
  expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
});

test('a zero threshold (perfect backtest) is refused rather than written', async () => {
  s3Mock
    .on(GetObjectCommand)
    .resolves({ Body: sdkStreamMixin(Readable.from([Buffer.from('{"window_wql":[0, 0]}')])) as never });
  await expect(run()).rejects.toThrow(/the derived threshold 0 is not positive/);
  expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
});

test('bad stage, missing parameter name', async () => {
  await expect(run({ stage: 'dev' })).rejects.toThrow(
    'DEPLOYMENT_STAGE must be one of staging, prod, got "dev"',
  );
  const env = projectEnv();
  delete env.PROD_ALARM_THRESHOLD_PARAMETER_NAME;
  await expect(run({ env })).rejects.toThrow(
    'missing environment variable PROD_ALARM_THRESHOLD_PARAMETER_NAME',
  );
  expect(sagemakerMock.calls()).toHaveLength(0);
});

describe('formats', () => {
  test("evaluation report (model-build's evaluation.json): window_wql, else windows[].mean_wQL", () => {
    expect(parseEvaluationReport(report, 'r')).toEqual([...windows, null]);
    const { window_wql: _unused, ...withoutList } = JSON.parse(report);
    expect(parseEvaluationReport(JSON.stringify(withoutList), 'r')).toEqual([...windows, null]);
    expect(parseEvaluationReport('{"window_wql":[0.5, null]}', 'r')).toEqual([0.5, null]);
    expect(() => parseEvaluationReport('{"mean_wQL":0.1}', 's3://b/e.json')).toThrow(ThresholdError);
    expect(() => parseEvaluationReport('{"mean_wQL":0.1}', 's3://b/e.json')).toThrow(
      /s3:\/\/b\/e.json is not a backtest evaluation report .*has neither "window_wql" nor "windows"/,
    );
    expect(() => parseEvaluationReport('{"windows":[{"points":3}]}', 'r')).toThrow(/windows\.0\.mean_wQL/);
    expect(() => parseEvaluationReport('{"window_wql":[-1]}', 'r')).toThrow(/window_wql\.0: must be ≥ 0/);
    expect(() => parseEvaluationReport('{"window_wql":[]}', 'r')).toThrow(
      /must list at least one backtest window/,
    );
    expect(() => parseEvaluationReport('not json', 'r')).toThrow(/r is not JSON/);
  });

  test('threshold parameter: "unset", written JSON, a hand-set number, garbage (warned)', () => {
    const log = recordingLog();
    expect(parseThresholdParameter('unset', 'prod', log)).toEqual({
      stage: 'prod',
      modelVersion: null,
      threshold: null,
    });
    expect(parseThresholdParameter('{"threshold":0.3,"modelVersion":"4"}', 'prod', log)).toEqual({
      stage: 'prod',
      modelVersion: '4',
      threshold: 0.3,
    });
    expect(parseThresholdParameter('0.25', 'prod', log)).toEqual({
      stage: 'prod',
      modelVersion: null,
      threshold: 0.25,
    });
    expect(log.lines).toEqual([]);
    expect(parseThresholdParameter('high', 'prod', log)).toEqual({
      stage: 'prod',
      modelVersion: null,
      threshold: null,
    });
    expect(log.text()).toContain('the current threshold value "high" is not readable');
  });
});
