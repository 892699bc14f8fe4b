// The deploy-pipeline starter against the real sample events (and variants of them): decision,
// StartPipelineExecution request (variables, idempotency token), malformed events.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodePipelineClient, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { awsError, RecordingLogger } from './support/recording-logger';
import {
  clientRequestTokenFor,
  decideDeploy,
  handleModelPackageStateChange,
  loadDeployTriggerConfig,
} from '../src/deploy-trigger/decide';

type SampleEvent = { time: string; detail: Record<string, unknown> } & Record<string, unknown>;

function sample(name: string): SampleEvent {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as SampleEvent;
}

const RAW = sample('sagemaker-model-package-state-change.json');
const NORMALIZED = sample('sagemaker-model-package-state-change.normalized.json');
const GROUP = 'versionedmp-p-idy6c3e1fiqj';
const ARN = 'arn:aws:sagemaker:us-east-2:123456789012:model-package/versionedmp-p-idy6c3e1fiqj/2';
const config = { pipelineName: 'sagemaker-demo-p-idy6c3e1fiqj-modeldeploy', modelPackageGroupName: GROUP };

function approved(event: SampleEvent): SampleEvent {
  return { ...event, detail: { ...event.detail, ModelApprovalStatus: 'Approved' } };
}

const codePipeline = new CodePipelineClient({ region: 'us-east-2' });
const cpMock = mockClient(codePipeline);
let logger: RecordingLogger;

beforeEach(() => {
  cpMock.reset();
  logger = new RecordingLogger();
});

describe('decideDeploy with the sample events', () => {
  it.each([
    ['raw', RAW],
    ['normalized', NORMALIZED],
  ])('ignores the %s sample as it is (Rejected)', (_name, event) => {
    expect(decideDeploy(event, config)).toEqual({
      action: 'ignore',
      reason: 'not-approved',
      detail: `${ARN} is Rejected`,
    });
  });

  it.each([
    ['raw', RAW],
    ['normalized', NORMALIZED],
  ])('starts for the %s sample once Approved', (_name, event) => {
    expect(decideDeploy(approved(event), config)).toEqual({
      action: 'start',
      modelPackageArn: ARN,
      clientRequestToken: clientRequestTokenFor(ARN, '2021-02-24T17:00:14Z'),
    });
  });

  it('ignores packages of another group', () => {
    expect(
      decideDeploy(approved(NORMALIZED), { ...config, modelPackageGroupName: 'other-group' }),
    ).toMatchObject({
      action: 'ignore',
      reason: 'other-model-package-group',
    });
  });

  it('derives one token per package ARN and event time', () => {
    const token = clientRequestTokenFor(ARN, '2021-02-24T17:00:14Z');
    expect(token).toMatch(/^[a-f0-9]{64}$/);
    expect(clientRequestTokenFor(ARN, '2021-02-24T17:00:14Z')).toBe(token);
    expect(clientRequestTokenFor(ARN, '2021-02-24T17:05:00Z')).not.toBe(token);
    expect(clientRequestTokenFor(ARN.replace(/2$/, '3'), '2021-02-24T17:00:14Z')).not.toBe(token);
  });

  it.each([
    ['not an object', 'hello'],
    ['other detail-type', { ...NORMALIZED, 'detail-type': 'SageMaker Endpoint State Change' }],
    ['no detail', { ...NORMALIZED, detail: undefined }],
    ['bad ARN', { ...NORMALIZED, detail: { ...NORMALIZED.detail, ModelPackageArn: 'not-an-arn' } }],
    ['bad time', { ...NORMALIZED, time: 'yesterday' }],
  ])('reports a malformed event (%s)', (_name, event) => {
    expect(decideDeploy(event, config)).toMatchObject({ action: 'ignore', reason: 'malformed-event' });
  });
});

describe('handleModelPackageStateChange', () => {
  it('starts the pipeline with the package ARN and trigger as variables', async () => {
    cpMock.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: 'exec-1' });

    const outcome = await handleModelPackageStateChange(approved(NORMALIZED), {
      codePipeline,
      config,
      logger,
    });

    expect(outcome).toEqual({
      action: 'started',
      pipelineName: config.pipelineName,
      pipelineExecutionId: 'exec-1',
      modelPackageArn: ARN,
      clientRequestToken: clientRequestTokenFor(ARN, NORMALIZED.time),
    });
    expect(cpMock).toHaveReceivedCommandWith(StartPipelineExecutionCommand, {
      name: config.pipelineName,
      clientRequestToken: clientRequestTokenFor(ARN, NORMALIZED.time),
      variables: [
        { name: 'MODEL_PACKAGE_ARN', value: ARN },
        { name: 'TRIGGER', value: 'model-approved' },
      ],
    });
  });

  it('sends the same token for a duplicate delivery', async () => {
    cpMock.on(StartPipelineExecutionCommand).resolves({ pipelineExecutionId: 'exec-1' });
    await handleModelPackageStateChange(approved(NORMALIZED), { codePipeline, config, logger });
    await handleModelPackageStateChange(approved(NORMALIZED), { codePipeline, config, logger });
    const tokens = cpMock
      .commandCalls(StartPipelineExecutionCommand)
      .map((c) => c.args[0].input.clientRequestToken);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(1);
  });

  it('logs and ignores a Rejected package without calling CodePipeline', async () => {
    await expect(
      handleModelPackageStateChange(NORMALIZED, { codePipeline, config, logger }),
    ).resolves.toMatchObject({
      action: 'ignore',
      reason: 'not-approved',
    });
    expect(cpMock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
    expect(logger.messages('info')).toContain('Model package state change ignored');
  });

  it('logs an error for a malformed event and does not throw', async () => {
    await expect(
      handleModelPackageStateChange({ detail: {} }, { codePipeline, config, logger }),
    ).resolves.toMatchObject({
      action: 'ignore',
      reason: 'malformed-event',
    });
    expect(logger.messages('error')).toEqual(['Malformed model package state change event ignored']);
    expect(cpMock).not.toHaveReceivedCommand(StartPipelineExecutionCommand);
  });

  it('propagates a CodePipeline error with context (Lambda retries with the same token)', async () => {
    cpMock
      .on(StartPipelineExecutionCommand)
      .rejects(awsError('PipelineNotFoundException', 'no such pipeline'));
    await expect(
      handleModelPackageStateChange(approved(NORMALIZED), { codePipeline, config, logger }),
    ).rejects.toThrow(
      `StartPipelineExecution ${config.pipelineName} failed: PipelineNotFoundException: no such pipeline`,
    );
  });
});

describe('loadDeployTriggerConfig', () => {
  it('reads the two variables', () => {
    expect(loadDeployTriggerConfig({ PIPELINE_NAME: 'p', MODEL_PACKAGE_GROUP_NAME: 'g' })).toEqual({
      pipelineName: 'p',
      modelPackageGroupName: 'g',
    });
  });

  it('names the missing variable', () => {
    expect(() => loadDeployTriggerConfig({ PIPELINE_NAME: 'p' })).toThrow(/MODEL_PACKAGE_GROUP_NAME/);
  });
});
