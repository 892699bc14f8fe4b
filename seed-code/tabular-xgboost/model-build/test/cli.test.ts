// pipeline:upsert and pipeline:run with S3, SageMaker and SSM mocked: scripts uploaded once to their
// content-addressed keys (KMS when the project has a key), the pipeline created then updated with a
// definition that reads those keys (a Feature Group source resolved first, or nothing written); the run's gate threshold from SSM ("default" → the chosen
// metric's default) and a bad SSM value stopping the start.
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreatePipelineCommand,
  DescribeFeatureGroupCommand,
  DescribePipelineCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { captureOutput, exampleEnv } from './helpers';
import { main as runMain } from '../src/cli/pipeline-run';
import { main as upsertMain } from '../src/cli/pipeline-upsert';
import { loadPipelineConfig } from '../src/config/pipeline-config';
import { scriptObjects } from '../src/pipeline/processing';

const s3 = mockClient(S3Client);
const sageMaker = mockClient(SageMakerClient);
const ssm = mockClient(SSMClient);
const ENV = exampleEnv();
const PIPELINE_ARN = 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/sagemaker-p-abcdefghijkl-model-build';
const notFound = () =>
  Object.assign(new Error('not found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });

beforeEach(() => {
  s3.reset();
  sageMaker.reset();
  ssm.reset();
});

describe('pipeline:upsert', () => {
  const deps = () => ({ sageMaker: new SageMakerClient({}), s3: new S3Client({}), output: captureOutput() });

  test('uploads missing scripts (KMS) and creates the pipeline whose definition reads them', async () => {
    s3.on(HeadObjectCommand).rejects(notFound());
    sageMaker
      .on(DescribePipelineCommand)
      .rejects(Object.assign(new Error('x'), { name: 'ResourceNotFound' }));
    sageMaker.on(CreatePipelineCommand).resolves({ PipelineArn: PIPELINE_ARN });
    const d = deps();
    expect(await upsertMain(ENV, d)).toBe(0);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const scripts = scriptObjects('training/');
    expect(puts.map((p) => p.Key)).toEqual(scripts.map((s) => s.key));
    expect(puts[0]).toMatchObject({
      Bucket: ENV.PROJECT_BUCKET,
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: ENV.PROJECT_KMS_KEY_ARN,
    });
    const created = sageMaker.commandCalls(CreatePipelineCommand)[0].args[0].input;
    expect(created.PipelineName).toBe(ENV.MODEL_BUILD_PIPELINE_NAME);
    expect(created.RoleArn).toBe(ENV.SAGEMAKER_EXECUTION_ROLE_ARN);
    for (const script of scripts)
      expect(created.PipelineDefinition).toContain(`s3://${ENV.PROJECT_BUCKET}/${script.key}`);
    expect(d.output.stdout.at(-1)).toBe(
      `SageMaker pipeline ${ENV.MODEL_BUILD_PIPELINE_NAME}: created (${PIPELINE_ARN})`,
    );
  });

  test('a second run uploads nothing and updates the pipeline', async () => {
    s3.on(HeadObjectCommand).resolves({});
    sageMaker.on(DescribePipelineCommand).resolves({});
    sageMaker.on(UpdatePipelineCommand).resolves({ PipelineArn: PIPELINE_ARN });
    expect(await upsertMain(ENV, deps())).toBe(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(sageMaker.commandCalls(UpdatePipelineCommand)).toHaveLength(1);
  });

  test('an S3 error other than not-found fails before the pipeline is touched', async () => {
    s3.on(HeadObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    const d = deps();
    expect(await upsertMain(ENV, d)).toBe(1);
    expect(d.output.stderr.join('\n')).toContain('Access Denied');
    expect(sageMaker.commandCalls(DescribePipelineCommand)).toHaveLength(0);
  });

  test('a Feature Group source: its offline store is the InputDataUri default, its keys go to prepare.py', async () => {
    const offline =
      's3://offline-bucket/fs/123456789012/sagemaker/eu-west-1/offline-store/churn-1700000000/data';
    sageMaker.on(DescribeFeatureGroupCommand).resolves({
      RecordIdentifierFeatureName: 'customer_id',
      EventTimeFeatureName: 'event_time',
      FeatureDefinitions: [{ FeatureName: 'target', FeatureType: 'Fractional' }],
      OfflineStoreConfig: {
        S3StorageConfig: { S3Uri: 's3://offline-bucket/fs', ResolvedOutputS3Uri: offline },
      },
    });
    s3.on(HeadObjectCommand).resolves({});
    sageMaker.on(DescribePipelineCommand).resolves({});
    sageMaker.on(UpdatePipelineCommand).resolves({ PipelineArn: PIPELINE_ARN });
    const d = deps();
    const env = { ...ENV, DATA_SOURCE_TYPE: 'feature-group', DATA_SOURCE_URI: 'churn' };
    expect(await upsertMain(env, d)).toBe(0);
    expect(sageMaker.commandCalls(DescribeFeatureGroupCommand)[0].args[0].input.FeatureGroupName).toBe(
      'churn',
    );
    expect(d.output.stdout[0]).toContain(`data: Feature Group churn offline store ${offline}/`);
    const definition = JSON.parse(
      sageMaker.commandCalls(UpdatePipelineCommand)[0].args[0].input.PipelineDefinition as string,
    );
    const input = definition.Parameters.find((p: { Name: string }) => p.Name === 'InputDataUri');
    expect(input.DefaultValue).toBe(`${offline}/`);
    const prepare = definition.Steps.find((s: { Name: string }) => s.Name === 'PrepareData');
    expect(prepare.Arguments.AppSpecification.ContainerArguments.slice(-5)).toEqual([
      '--record-identifier-column',
      'customer_id',
      '--event-time-column',
      'event_time',
      '--feature-group-offline-store',
    ]);
  });

  test('a Feature Group that does not exist: exit 1 naming it, nothing uploaded or upserted', async () => {
    sageMaker
      .on(DescribeFeatureGroupCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFound', $metadata: {} }));
    const d = deps();
    const env = { ...ENV, DATA_SOURCE_TYPE: 'feature-group', DATA_SOURCE_URI: 'churn' };
    expect(await upsertMain(env, d)).toBe(1);
    expect(d.output.stderr.join('\n')).toContain('DataSourceError: Feature Group "churn" does not exist');
    expect(s3.calls()).toHaveLength(0);
    expect(sageMaker.commandCalls(DescribePipelineCommand)).toHaveLength(0);
  });

  test('no example fallback: a missing variable is an error naming it, nothing called', async () => {
    const env = { ...ENV, MODEL_BUILD_PIPELINE_NAME: undefined };
    const d = deps();
    expect(await upsertMain(env, d)).toBe(1);
    expect(d.output.stderr.join('\n')).toContain('MODEL_BUILD_PIPELINE_NAME is not set');
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('pipeline:run', () => {
  const config = loadPipelineConfig();
  const deps = () => ({
    sageMaker: new SageMakerClient({}),
    ssm: new SSMClient({}),
    sleep: async () => undefined,
    now: () => 0,
    output: captureOutput(),
  });

  test.each([
    ['rmse', 'regression'],
    ['auc', 'binary'],
  ])('"default" in SSM → the %s default of config/pipeline.json', async (metric, problemType) => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'default' } });
    sageMaker
      .on(StartPipelineExecutionCommand)
      .resolves({ PipelineExecutionArn: `${PIPELINE_ARN}/execution/1` });
    const d = deps();
    const env = { ...ENV, GATE_METRIC: metric, PROBLEM_TYPE: problemType, TRIGGER_REASON: 'push' };
    expect(await runMain([], env, d)).toBe(0);
    expect(sageMaker.commandCalls(StartPipelineExecutionCommand)[0].args[0].input.PipelineParameters).toEqual(
      [
        { Name: 'TriggerReason', Value: 'push' },
        { Name: 'GateThreshold', Value: String(config.gate.defaultThresholds[metric as 'rmse']) },
      ],
    );
    expect(d.output.stderr[0]).toContain(`for ${metric}`);
    expect(d.output.stdout).toEqual([`${PIPELINE_ARN}/execution/1`]);
  });

  test('an unusable SSM value: exit 1, nothing started', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'high' } });
    const d = deps();
    expect(await runMain([], ENV, d)).toBe(1);
    expect(sageMaker.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
    expect(d.output.stderr.join('\n')).toContain('expected "default" or a positive number');
  });

  test('bad usage: exit 2', async () => {
    expect(await runMain(['--poll-seconds', 'x'], ENV, deps())).toBe(2);
  });
});
