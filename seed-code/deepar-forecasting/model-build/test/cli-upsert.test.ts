// `npm run pipeline:upsert` with the SageMaker and Lambda APIs mocked: create vs update of the
// pipeline (tags, role, definition), create / update / leave alone of the Lambda step functions,
// and the real esbuild bundle of the step handlers.
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DescribePipelineCommand,
  ResourceNotFound,
  SageMakerClient,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import { validateDefinition } from '@mlops-templates/pipeline-definition';
import { mockClient } from 'aws-sdk-client-mock';
import { unzipSync } from 'fflate';
import { captureOutput, exampleEnv } from './helpers';
import { BUNDLE_HANDLER, bundleHandler, LambdaBundle, STEP_HANDLER_ENTRIES } from '../src/cli/lambda-bundle';
import { configurationDrift } from '../src/cli/lambda-upsert';
import { main, UpsertDependencies } from '../src/cli/pipeline-upsert';

const sageMaker = mockClient(SageMakerClient);
const lambda = mockClient(LambdaClient);
const PIPELINE_ARN = 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/sagemaker-p-abcdefghijkl-model-build';
const ENV = exampleEnv();
const TAGS = [
  { Key: 'sagemaker:project-name', Value: 'demand-forecast' },
  { Key: 'sagemaker:project-id', Value: 'p-abcdefghijkl' },
];

/** A stand-in bundle per handler (the real bundling is tested below). */
const fakeBundle = async (entry: string): Promise<LambdaBundle> => ({
  zip: new TextEncoder().encode(`zip of ${entry}`),
  codeSha256: `sha-${entry.includes('evaluate') ? 'evaluate' : 'prepare'}`,
  codeBytes: 10,
});

function deps(output = captureOutput()): UpsertDependencies & { output: ReturnType<typeof captureOutput> } {
  return {
    sageMaker: new SageMakerClient({}),
    lambda: new LambdaClient({}),
    bundle: fakeBundle,
    sleep: async () => undefined,
    output,
  };
}

const notFound = (): ResourceNotFoundException =>
  new ResourceNotFoundException({ message: 'Function not found', $metadata: {} });

beforeEach(() => {
  sageMaker.reset();
  lambda.reset();
});

describe('pipeline:upsert', () => {
  test('creates the functions and the pipeline, tagged with the project, when none exists', async () => {
    // each function: not found, then Pending right after creation, then Active
    const polls = new Map<string, number>();
    lambda.on(GetFunctionCommand).callsFake((input: { FunctionName: string }) => {
      const count = polls.get(input.FunctionName) ?? 0;
      polls.set(input.FunctionName, count + 1);
      if (count === 0) throw notFound();
      return { Configuration: { State: count === 1 ? 'Pending' : 'Active', LastUpdateStatus: 'Successful' } };
    });
    lambda.on(CreateFunctionCommand).resolves({});
    sageMaker
      .on(DescribePipelineCommand)
      .rejects(new ResourceNotFound({ message: 'Pipeline does not exist', $metadata: {} }));
    sageMaker.on(CreatePipelineCommand).resolves({ PipelineArn: PIPELINE_ARN });
    const d = deps();

    expect(await main(ENV, d)).toBe(0);

    const creates = lambda.commandCalls(CreateFunctionCommand).map((c) => c.args[0].input);
    expect(creates.map((c) => c.FunctionName)).toEqual([
      'sagemaker-p-abcdefghijkl-step-prepare-data',
      'sagemaker-p-abcdefghijkl-step-evaluate',
    ]);
    for (const create of creates) {
      expect(create).toMatchObject({
        Role: ENV.PIPELINE_STEPS_ROLE_ARN,
        Runtime: 'nodejs22.x',
        Handler: BUNDLE_HANDLER,
        Architectures: ['arm64'],
        Timeout: 600,
        PackageType: 'Zip',
        Tags: { 'sagemaker:project-name': 'demand-forecast', 'sagemaker:project-id': 'p-abcdefghijkl' },
      });
      expect(create.Code?.ZipFile).toBeInstanceOf(Uint8Array);
    }
    const pipeline = sageMaker.commandCalls(CreatePipelineCommand)[0].args[0].input;
    expect(pipeline.PipelineName).toBe(ENV.MODEL_BUILD_PIPELINE_NAME);
    expect(pipeline.RoleArn).toBe(ENV.SAGEMAKER_EXECUTION_ROLE_ARN);
    expect(pipeline.Tags).toEqual(TAGS);
    expect(pipeline.ClientRequestToken?.length).toBeGreaterThanOrEqual(32);
    expect(validateDefinition(JSON.parse(pipeline.PipelineDefinition as string)).valid).toBe(true);
    expect(sageMaker.commandCalls(UpdatePipelineCommand)).toHaveLength(0);
    expect(d.output.stdout.at(-1)).toBe(
      `SageMaker pipeline ${ENV.MODEL_BUILD_PIPELINE_NAME}: created (${PIPELINE_ARN})`,
    );
    expect(d.output.stdout.filter((line) => line.includes(': created ('))).toHaveLength(3);
    expect([...polls.values()]).toEqual([3, 3]); // waited for Active after each creation
  });

  test('updates an existing pipeline (and re-applies the tags); unchanged functions are left alone', async () => {
    const current = (purpose: string): object => ({
      Configuration: {
        State: 'Active',
        LastUpdateStatus: 'Successful',
        CodeSha256: `sha-${purpose}`,
        Architectures: ['arm64'],
        Role: ENV.PIPELINE_STEPS_ROLE_ARN,
        Runtime: 'nodejs22.x',
        Handler: BUNDLE_HANDLER,
        MemorySize: 3008,
        Timeout: 600,
        Description:
          purpose === 'evaluate'
            ? 'DeepAR model-build pipeline step: evaluates the backtest (wQL, RMSE)'
            : 'DeepAR model-build pipeline step: prepares the training set and backtest windows',
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: `deepar-${purpose === 'evaluate' ? 'evaluate' : 'prepare-data'}`,
          },
        },
      },
    });
    lambda
      .on(GetFunctionCommand, { FunctionName: 'sagemaker-p-abcdefghijkl-step-prepare-data' })
      .resolves(current('prepare'));
    lambda
      .on(GetFunctionCommand, { FunctionName: 'sagemaker-p-abcdefghijkl-step-evaluate' })
      .resolves(current('evaluate'));
    sageMaker.on(DescribePipelineCommand).resolves({ PipelineArn: PIPELINE_ARN });
    sageMaker.on(UpdatePipelineCommand).resolves({ PipelineArn: PIPELINE_ARN });
    sageMaker.on(AddTagsCommand).resolves({});
    const d = deps();

    expect(await main(ENV, d)).toBe(0);

    expect(lambda.commandCalls(CreateFunctionCommand)).toHaveLength(0);
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
    expect(sageMaker.commandCalls(CreatePipelineCommand)).toHaveLength(0);
    const update = sageMaker.commandCalls(UpdatePipelineCommand)[0].args[0].input;
    expect(update).toMatchObject({
      PipelineName: ENV.MODEL_BUILD_PIPELINE_NAME,
      RoleArn: ENV.SAGEMAKER_EXECUTION_ROLE_ARN,
    });
    expect(sageMaker.commandCalls(AddTagsCommand)[0].args[0].input).toEqual({
      ResourceArn: PIPELINE_ARN,
      Tags: TAGS,
    });
    expect(d.output.stdout.filter((line) => line.includes(': unchanged ('))).toHaveLength(2);
    expect(d.output.stdout.at(-1)).toContain(': updated (');
  });

  test('new code and changed settings update the function, waiting for each update to finish', async () => {
    lambda
      .on(GetFunctionCommand)
      .resolvesOnce({
        Configuration: {
          State: 'Active',
          LastUpdateStatus: 'Successful',
          CodeSha256: 'old',
          Architectures: ['arm64'],
          Timeout: 60,
        },
      })
      .resolvesOnce({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful' } })
      .resolvesOnce({ Configuration: { State: 'Active', LastUpdateStatus: 'InProgress' } })
      .resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful' } });
    lambda.on(UpdateFunctionCodeCommand).resolves({});
    lambda.on(UpdateFunctionConfigurationCommand).resolves({});
    sageMaker.on(DescribePipelineCommand).resolves({});
    sageMaker.on(UpdatePipelineCommand).resolves({ PipelineArn: PIPELINE_ARN });
    sageMaker.on(AddTagsCommand).resolves({});
    const d = deps();

    expect(await main(ENV, d)).toBe(0);
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)[0].args[0].input).toMatchObject({
      FunctionName: 'sagemaker-p-abcdefghijkl-step-prepare-data',
      Architectures: ['arm64'],
    });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0].args[0].input).toMatchObject({
      Timeout: 600,
      Role: ENV.PIPELINE_STEPS_ROLE_ARN,
    });
    expect(d.output.stdout[0]).toContain('sagemaker-p-abcdefghijkl-step-prepare-data: updated');
  });

  test('a failed function update fails the upsert with Lambda’s reason', async () => {
    lambda
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: { State: 'Active', CodeSha256: 'old', Architectures: ['arm64'] } })
      .resolvesOnce({ Configuration: { State: 'Active' } })
      .resolves({
        Configuration: {
          State: 'Active',
          LastUpdateStatus: 'Failed',
          LastUpdateStatusReason: 'code too large',
        },
      });
    lambda.on(UpdateFunctionCodeCommand).resolves({});
    const d = deps();
    expect(await main(ENV, d)).toBe(1);
    expect(d.output.stderr.join('\n')).toMatch(
      /update of Lambda function sagemaker-p-abcdefghijkl-step-prepare-data failed: code too large/,
    );
    expect(sageMaker.calls()).toHaveLength(0);
  });

  test('needs the CodeBuild environment: missing variables are named and nothing is called', async () => {
    const d = deps();
    expect(
      await main({ ...ENV, SAGEMAKER_EXECUTION_ROLE_ARN: undefined, PIPELINE_STEPS_ROLE_ARN: '' }, d),
    ).toBe(1);
    expect(d.output.stderr.join('\n')).toMatch(
      /SAGEMAKER_EXECUTION_ROLE_ARN is not set[\s\S]*PIPELINE_STEPS_ROLE_ARN is not set/,
    );
    expect(lambda.calls()).toHaveLength(0);
    expect(sageMaker.calls()).toHaveLength(0);
  });

  test('configuration drift lists what differs', () => {
    const spec = {
      functionName: 'f',
      description: 'd',
      roleArn: 'r',
      runtime: 'nodejs22.x' as const,
      architecture: 'arm64' as const,
      handler: 'index.handler',
      memorySizeMb: 1024,
      timeoutSeconds: 600,
      environment: { A: '1' },
      tags: {},
      bundle: { zip: new Uint8Array(), codeSha256: 'x', codeBytes: 0 },
    };
    const current = {
      Description: 'd',
      Role: 'r',
      Runtime: 'nodejs22.x' as const,
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 600,
      Environment: { Variables: { A: '1' } },
    };
    expect(configurationDrift(current, spec)).toEqual([]);
    expect(
      configurationDrift({ ...current, Timeout: 3, Environment: { Variables: { A: '2' } } }, spec),
    ).toEqual(['Timeout', 'Environment']);
  });
});

describe('step handler bundles', () => {
  test('esbuild bundles each handler into a zip holding index.js that exports handler, identically each time', async () => {
    for (const entry of Object.values(STEP_HANDLER_ENTRIES)) {
      const first = await bundleHandler(entry, 'nodejs22.x');
      const second = await bundleHandler(entry, 'nodejs22.x');
      expect(second.codeSha256).toBe(first.codeSha256);
      const files = unzipSync(first.zip);
      expect(Object.keys(files)).toEqual(['index.js']);
      const code = new TextDecoder().decode(files['index.js']);
      expect(code).toMatch(/module\.exports = __toCommonJS\(/);
      expect(code).toMatch(/\bhandler: \(\) => handler\b/);
      expect(code).toContain('require("@aws-sdk/client-s3")'); // the runtime's SDK, not bundled
      expect(code).not.toContain('require("zod")'); // everything else is bundled
    }
  }, 30_000);

  test('an unknown runtime is refused', async () => {
    await expect(bundleHandler(STEP_HANDLER_ENTRIES.evaluate, 'python3.12')).rejects.toThrow(
      /unsupported Lambda runtime/,
    );
  });
});
