// The model-build scripts' shared plumbing with SageMaker mocked: pipeline upsert (create with tags,
// update + AddTags, other errors propagate), run arguments and value rules (with negative cases),
// starting and following an execution, error reporting and config-file validation, and the commands
// the model-build repositories build on them (gated run with the SSM threshold, upsert, definition).
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  capturingOutput,
  configFile,
  EnvironmentError,
  environmentParser,
  gatedRunOf,
  printDefinition,
  runGatedPipeline,
  upsertProjectPipeline,
  environmentWithExamples,
  EXIT,
  parseConfigDocument,
  parseRunArguments,
  projectTags,
  reportError,
  resolveGateThreshold,
  resolveTriggerReason,
  startExecution,
  upsertPipeline,
  UsageError,
} from '../src';

const sageMaker = mockClient(SageMakerClient);
const ARN = 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/example';
const tags = projectTags({ SAGEMAKER_PROJECT_NAME: 'demo', SAGEMAKER_PROJECT_ID: 'p-abc' });
const upsert = {
  pipelineName: 'example',
  description: 'd',
  definitionJson: '{}',
  roleArn: 'arn:aws:iam::111122223333:role/r',
  tags,
};

function capture() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l: string) => stdout.push(l), err: (l: string) => stderr.push(l) };
}

beforeEach(() => sageMaker.reset());

describe('upsertPipeline', () => {
  test('creates a missing pipeline with the project tags', async () => {
    sageMaker
      .on(DescribePipelineCommand)
      .rejects(Object.assign(new Error('x'), { name: 'ResourceNotFound' }));
    sageMaker.on(CreatePipelineCommand).resolves({ PipelineArn: ARN });
    expect(await upsertPipeline(upsert, new SageMakerClient({}))).toEqual({ outcome: 'created', arn: ARN });
    const input = sageMaker.commandCalls(CreatePipelineCommand)[0].args[0].input;
    expect(input.Tags).toEqual([
      { Key: 'sagemaker:project-name', Value: 'demo' },
      { Key: 'sagemaker:project-id', Value: 'p-abc' },
    ]);
    expect(input.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('updates an existing pipeline and tags it', async () => {
    sageMaker.on(DescribePipelineCommand).resolves({});
    sageMaker.on(UpdatePipelineCommand).resolves({ PipelineArn: ARN });
    expect(await upsertPipeline(upsert, new SageMakerClient({}))).toEqual({ outcome: 'updated', arn: ARN });
    expect(sageMaker.commandCalls(CreatePipelineCommand)).toHaveLength(0);
    expect(sageMaker.commandCalls(AddTagsCommand)[0].args[0].input).toEqual({ ResourceArn: ARN, Tags: tags });
  });

  test('any other DescribePipeline error propagates (nothing created)', async () => {
    sageMaker
      .on(DescribePipelineCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(upsertPipeline(upsert, new SageMakerClient({}))).rejects.toThrow('denied');
    expect(sageMaker.commandCalls(CreatePipelineCommand)).toHaveLength(0);
  });
});

describe('run arguments and values', () => {
  test('defaults and flags', () => {
    expect(parseRunArguments([])).toEqual({ wait: false, pollSeconds: 30, timeoutMinutes: undefined });
    expect(parseRunArguments(['--wait', '--poll-seconds', '5', '--timeout-minutes', '2'])).toEqual({
      wait: true,
      pollSeconds: 5,
      timeoutMinutes: 2,
    });
  });

  test.each([[['--poll-seconds', '0']], [['--nope']], [['positional']]])('%j is a usage error', (argv) => {
    expect(() => parseRunArguments(argv)).toThrow(UsageError);
  });

  test('gate threshold: "default", a positive number, anything else an error', () => {
    expect(resolveGateThreshold('default', 0.3).threshold).toBe(0.3);
    expect(resolveGateThreshold(' 0.9 ', 0.3)).toEqual({ threshold: 0.9, source: 'SSM' });
    for (const bad of ['', '-1', 'abc', 'Infinity']) {
      expect(() => resolveGateThreshold(bad, 0.3)).toThrow('expected "default" or a positive number');
    }
  });

  test('trigger reason: "manual" when unset; control characters and 201 characters rejected', () => {
    expect(resolveTriggerReason(undefined)).toBe('manual');
    expect(resolveTriggerReason(' push ')).toBe('push');
    expect(() => resolveTriggerReason('a\nb')).toThrow('TRIGGER_REASON must be 1-200 printable characters');
    expect(() => resolveTriggerReason('x'.repeat(201))).toThrow('TRIGGER_REASON');
  });
});

describe('startExecution', () => {
  const deps = (output = capture()) => ({
    sageMaker: new SageMakerClient({}),
    sleep: async () => undefined,
    now: () => Date.UTC(2024, 0, 1),
    output,
  });
  const start = {
    pipelineName: 'example',
    triggerReason: 'push',
    parameters: [{ Name: 'GateThreshold', Value: '0.5' }],
  };

  test('starts with the parameters and the trigger reason, prints the ARN, does not wait by default', async () => {
    sageMaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: `${ARN}/execution/1` });
    const output = capture();
    expect(await startExecution(start, parseRunArguments([]), deps(output))).toBe(EXIT.ok);
    const input = sageMaker.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
    expect(input).toMatchObject({
      PipelineName: 'example',
      PipelineExecutionDescription: 'TriggerReason: push',
      PipelineParameters: [{ Name: 'GateThreshold', Value: '0.5' }],
    });
    expect(output.stdout).toEqual([`${ARN}/execution/1`]);
    expect(sageMaker.commandCalls(DescribePipelineExecutionCommand)).toHaveLength(0);
  });

  test('with --wait a failed Fail step exits 1 with its message', async () => {
    sageMaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: `${ARN}/execution/2` });
    sageMaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Failed' });
    sageMaker.on(ListPipelineExecutionStepsCommand).resolves({
      PipelineExecutionSteps: [
        { StepName: 'Reject', StepStatus: 'Failed', Metadata: { Fail: { ErrorMessage: 'metric too low' } } },
      ],
    });
    const output = capture();
    expect(await startExecution(start, parseRunArguments(['--wait']), deps(output))).toBe(EXIT.failed);
    expect(output.stderr).toContain('step Reject failed: metric too low');
  });
});

describe('errors and configuration', () => {
  test('usage → 2, environment → 1 with the plain message, other errors with their name', () => {
    const output = capture();
    expect(reportError(new UsageError('bad flag'), output)).toBe(EXIT.usage);
    expect(reportError(new EnvironmentError(['A is not set']), output)).toBe(EXIT.failed);
    expect(reportError(new TypeError('boom'), output)).toBe(EXIT.failed);
    expect(output.stderr).toEqual(['bad flag', 'invalid environment:\n- A is not set', 'TypeError: boom']);
  });

  test('examples fill only unset or empty variables; AWS_DEFAULT_REGION stands in for AWS_REGION', () => {
    expect(
      environmentWithExamples(
        { A: 'set', B: '', AWS_DEFAULT_REGION: 'eu-west-1' },
        { A: 'ex', B: 'exB', C: 'exC' },
      ),
    ).toEqual({ A: 'set', B: 'exB', C: 'exC', AWS_DEFAULT_REGION: 'eu-west-1', AWS_REGION: 'eu-west-1' });
  });

  test('a config document is validated with the schema, each problem named', () => {
    const schema = {
      safeParse: (value: unknown) =>
        typeof value === 'number'
          ? ({ success: true, data: value } as const)
          : ({
              success: false,
              error: { issues: [{ path: ['gate', 'threshold'], message: 'must be a number' }] },
            } as const),
    };
    expect(parseConfigDocument(schema, 3, 'pipeline.json')).toBe(3);
    expect(() => parseConfigDocument(schema, 'x', 'pipeline.json')).toThrow(
      'invalid pipeline.json:\n- gate.threshold: must be a number',
    );
  });
});

describe('the model-build commands built on these', () => {
  const run = gatedRunOf(
    { MODEL_BUILD_PIPELINE_NAME: 'example', GATE_THRESHOLD_PARAMETER_NAME: '/p/gate' },
    0.4,
    { triggerReason: 'TriggerReason', gateThreshold: 'GateThreshold' },
    'auc',
  );
  const ssm = mockClient(SSMClient);
  const deps = (output = capturingOutput()) => ({
    sageMaker: new SageMakerClient({}),
    ssm: new SSMClient({}),
    sleep: async () => undefined,
    now: () => 0,
    output,
  });
  beforeEach(() => ssm.reset());

  test('runGatedPipeline: the SSM threshold read at start, both parameters passed', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'default' } });
    sageMaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: `${ARN}/execution/3` });
    const output = capturingOutput();
    expect(await runGatedPipeline([], { TRIGGER_REASON: 'retrain-alarm:a' }, () => run, deps(output))).toBe(
      EXIT.ok,
    );
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({ Name: '/p/gate' });
    expect(sageMaker.commandCalls(StartPipelineExecutionCommand)[0].args[0].input.PipelineParameters).toEqual(
      [
        { Name: 'TriggerReason', Value: 'retrain-alarm:a' },
        { Name: 'GateThreshold', Value: '0.4' },
      ],
    );
    expect(output.stderr).toEqual([
      'TriggerReason=retrain-alarm:a; GateThreshold=0.4 for auc (from config/pipeline.json (SSM says "default"))',
    ]);
  });

  test('runGatedPipeline: usage checked before the environment; a resolve error is exit 1, nothing read', async () => {
    const resolveFails = () => {
      throw new EnvironmentError(['GATE_METRIC is not set']);
    };
    expect(await runGatedPipeline(['--bad'], {}, resolveFails, deps())).toBe(EXIT.usage);
    const output = capturingOutput();
    expect(await runGatedPipeline([], {}, resolveFails, deps(output))).toBe(EXIT.failed);
    expect(output.stderr).toEqual(['invalid environment:\n- GATE_METRIC is not set']);
    expect(ssm.calls()).toHaveLength(0);
  });

  test('upsertProjectPipeline prints what happened', async () => {
    sageMaker.on(DescribePipelineCommand).resolves({});
    sageMaker.on(UpdatePipelineCommand).resolves({ PipelineArn: ARN });
    const output = capturingOutput();
    const env = {
      MODEL_BUILD_PIPELINE_NAME: 'example',
      SAGEMAKER_EXECUTION_ROLE_ARN: 'arn:aws:iam::111122223333:role/r',
      SAGEMAKER_PROJECT_NAME: 'demo',
      SAGEMAKER_PROJECT_ID: 'p-abc',
    };
    await upsertProjectPipeline(env, 'XGBoost model build', '{}', new SageMakerClient({}), output);
    expect(sageMaker.commandCalls(UpdatePipelineCommand)[0].args[0].input.PipelineDescription).toBe(
      'XGBoost model build of SageMaker project demo (p-abc)',
    );
    expect(output.stdout).toEqual([`SageMaker pipeline example: updated (${ARN})`]);
  });

  test('printDefinition / runCommand: JSON on stdout, or the error and exit 1', async () => {
    const output = capturingOutput();
    expect(
      await printDefinition(() => ({ toJson: (indent) => JSON.stringify({ a: 1 }, null, indent) }), output),
    ).toBe(0);
    expect(output.stdout).toEqual(['{\n  "a": 1\n}']);
    expect(
      await printDefinition(() => {
        throw new RangeError('bad region');
      }, output),
    ).toBe(EXIT.failed);
    expect(output.stderr).toEqual(['RangeError: bad region']);
  });

  test('environmentParser: the reading, with AWS_REGION from AWS_DEFAULT_REGION; problems as EnvironmentError', () => {
    const parse = environmentParser((env) =>
      env.AWS_REGION
        ? { success: true, data: env.AWS_REGION }
        : { success: false, problems: ['AWS_REGION is not set'] },
    );
    expect(parse({ AWS_DEFAULT_REGION: 'eu-west-1' })).toBe('eu-west-1');
    expect(() => parse({})).toThrow(EnvironmentError);
  });

  test('configFile: parse names the default source, load the file name', () => {
    const schema = {
      safeParse: (value: unknown) =>
        ({
          success: false,
          error: { issues: [{ path: ['x'], message: `got ${JSON.stringify(value)}` }] },
        }) as const,
    };
    const file = configFile(schema, '/nonexistent/pipeline.json', 'pipeline config');
    expect(() => file.parse(1)).toThrow('invalid pipeline config:\n- x: got 1');
    expect(() => file.load()).toThrow(/ENOENT/);
  });
});
