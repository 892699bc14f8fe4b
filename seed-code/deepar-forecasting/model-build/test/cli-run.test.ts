// `npm run pipeline:run` with SageMaker and SSM mocked: the gate threshold read from SSM at start
// ("default" → config), TriggerReason, the printed execution ARN, --wait progress lines, the failing
// step's reason with a non-zero exit, and the bounded wait.
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  PipelineExecutionStep,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { captureOutput, exampleEnv } from './helpers';
import { main, parseRunArguments, resolveGateThreshold, RunDependencies } from '../src/cli/pipeline-run';
import { loadPipelineConfig } from '../src/config/pipeline-config';

const sageMaker = mockClient(SageMakerClient);
const ssm = mockClient(SSMClient);
const EXECUTION_ARN =
  'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/sagemaker-p-abcdefghijkl-model-build/execution/abc123def456';
const ENV: Record<string, string | undefined> = {
  ...exampleEnv(),
  TRIGGER_REASON: 'retrain-alarm:sagemaker-demand-forecast-p-abcdefghijkl-accuracy-prod',
};
const config = loadPipelineConfig();

function deps(): RunDependencies & { output: ReturnType<typeof captureOutput>; sleeps: number[] } {
  let now = Date.UTC(2024, 5, 1, 10);
  const sleeps: number[] = [];
  return {
    sageMaker: new SageMakerClient({}),
    ssm: new SSMClient({}),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    now: () => now,
    output: captureOutput(),
    sleeps,
  };
}

const step = (
  name: string,
  status: string,
  metadata: object,
  extra: Partial<PipelineExecutionStep> = {},
): PipelineExecutionStep =>
  ({ StepName: name, StepStatus: status, Metadata: metadata, ...extra }) as PipelineExecutionStep;

beforeEach(() => {
  sageMaker.reset();
  ssm.reset();
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'default' } });
  sageMaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXECUTION_ARN });
});

describe('pipeline:run', () => {
  test('starts an execution with TriggerReason and the config gate threshold when SSM says "default", prints the ARN', async () => {
    const d = deps();
    expect(await main([], ENV, d)).toBe(0);
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({
      Name: ENV.GATE_THRESHOLD_PARAMETER_NAME,
    });
    const start = sageMaker.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
    expect(start.PipelineName).toBe(ENV.MODEL_BUILD_PIPELINE_NAME);
    expect(start.PipelineParameters).toEqual([
      { Name: 'TriggerReason', Value: ENV.TRIGGER_REASON },
      { Name: 'GateThreshold', Value: String(config.gate.defaultThreshold) },
    ]);
    expect(d.output.stdout).toEqual([EXECUTION_ARN]);
    expect(sageMaker.commandCalls(ListPipelineExecutionStepsCommand)).toHaveLength(0);
  });

  test('a threshold set in SSM is passed as the GateThreshold parameter', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: ' 0.085 ' } });
    expect(await main([], ENV, deps())).toBe(0);
    expect(
      sageMaker.commandCalls(StartPipelineExecutionCommand)[0].args[0].input.PipelineParameters,
    ).toContainEqual({
      Name: 'GateThreshold',
      Value: '0.085',
    });
  });

  test('an invalid or missing SSM threshold stops before starting anything', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'strict' } });
    const d = deps();
    expect(await main([], ENV, d)).toBe(1);
    expect(d.output.stderr.join('\n')).toMatch(/holds "strict": expected "default" or a positive number/);
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    expect(await main([], ENV, deps())).toBe(1);
    expect(sageMaker.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
  });

  test('--wait prints each step as its status changes and exits 0 on success', async () => {
    const running = [
      step('PrepareData', 'Succeeded', {
        Lambda: { OutputParameters: [{ Name: 'series_count', Value: '3' }] },
      }),
      step('TrainDeepAR', 'Executing', { TrainingJob: { Arn: 'arn:training' } }),
    ];
    const done = [
      ...running.slice(0, 1),
      step('TrainDeepAR', 'Succeeded', { TrainingJob: { Arn: 'arn:training' } }),
      step('GateOnMeanWql', 'Succeeded', { Condition: { Outcome: 'True' } }),
      step('RegisterDeepAR', 'Succeeded', { RegisterModel: { Arn: 'arn:package/1' } }),
    ];
    sageMaker
      .on(DescribePipelineExecutionCommand)
      .resolvesOnce({ PipelineExecutionStatus: 'Executing' })
      .resolvesOnce({ PipelineExecutionStatus: 'Executing' })
      .resolves({ PipelineExecutionStatus: 'Succeeded' });
    sageMaker
      .on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({ PipelineExecutionSteps: running })
      .resolvesOnce({ PipelineExecutionSteps: running })
      .resolves({ PipelineExecutionSteps: done });
    const d = deps();
    expect(await main(['--wait', '--poll-seconds', '5'], ENV, d)).toBe(0);
    expect(d.output.stdout).toEqual([
      EXECUTION_ARN,
      '[10:00:00] PrepareData (Lambda): Succeeded — series_count=3',
      '[10:00:00] TrainDeepAR (Training): Executing',
      '[10:00:10] TrainDeepAR (Training): Succeeded',
      '[10:00:10] GateOnMeanWql (Condition): Succeeded — outcome True',
      '[10:00:10] RegisterDeepAR (RegisterModel): Succeeded — arn:package/1',
      `execution succeeded: ${EXECUTION_ARN}`,
    ]);
    expect(d.sleeps).toEqual([5000, 5000]);
  });

  test('--wait exits non-zero with the failing step’s reason (the gate’s Fail message)', async () => {
    sageMaker
      .on(DescribePipelineExecutionCommand)
      .resolves({ PipelineExecutionStatus: 'Failed', FailureReason: 'Step failure' });
    sageMaker.on(ListPipelineExecutionStepsCommand).resolves({
      PipelineExecutionSteps: [
        step('GateOnMeanWql', 'Succeeded', { Condition: { Outcome: 'False' } }),
        step(
          'RejectModel',
          'Failed',
          {
            Fail: {
              ErrorMessage:
                'Backtest mean wQL 0.31 is above the gate threshold 0.2; the model was not registered (trigger: push)',
            },
          },
          {
            FailureReason:
              'Backtest mean wQL 0.31 is above the gate threshold 0.2; the model was not registered (trigger: push)',
          },
        ),
      ],
    });
    const d = deps();
    expect(await main(['--wait'], ENV, d)).toBe(1);
    expect(d.output.stdout).toContain(
      '[10:00:00] RejectModel (Fail): Failed — Backtest mean wQL 0.31 is above the gate threshold 0.2; the model was not registered (trigger: push)',
    );
    expect(d.output.stderr).toContain(
      'step RejectModel failed: Backtest mean wQL 0.31 is above the gate threshold 0.2; the model was not registered (trigger: push)',
    );
    expect(d.output.stderr.at(-1)).toBe(`execution failed: ${EXECUTION_ARN}`);
  });

  test('a failed job step reports its FailureReason', async () => {
    sageMaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Failed' });
    sageMaker.on(ListPipelineExecutionStepsCommand).resolves({
      PipelineExecutionSteps: [
        step(
          'PrepareData',
          'Failed',
          { Lambda: { Arn: 'arn:lambda' } },
          { FailureReason: 'PrepareDataError: no series is long enough' },
        ),
      ],
    });
    const d = deps();
    expect(await main(['--wait'], ENV, d)).toBe(1);
    expect(d.output.stderr[1]).toBe('step PrepareData failed: PrepareDataError: no series is long enough');
  });

  test('--timeout-minutes bounds the wait; the execution goes on', async () => {
    sageMaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Executing' });
    sageMaker.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [] });
    const d = deps();
    expect(await main(['--wait', '--poll-seconds', '60', '--timeout-minutes', '3'], ENV, d)).toBe(0);
    expect(d.sleeps).toEqual([60_000, 60_000, 60_000]);
    expect(d.output.stdout.at(-1)).toBe(
      `execution still Executing after 3 minutes; no longer waiting (it goes on): ${EXECUTION_ARN}`,
    );
  });

  test('pages of steps are all read', async () => {
    sageMaker.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Succeeded' });
    sageMaker
      .on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({
        PipelineExecutionSteps: [step('PrepareData', 'Succeeded', { Lambda: {} })],
        NextToken: 'n',
      })
      .resolves({ PipelineExecutionSteps: [step('TrainDeepAR', 'Succeeded', { TrainingJob: {} })] });
    const d = deps();
    expect(await main(['--wait'], ENV, d)).toBe(0);
    expect(d.output.stdout.filter((line) => line.includes('Succeeded'))).toHaveLength(2);
    expect(sageMaker.commandCalls(ListPipelineExecutionStepsCommand)[1].args[0].input.NextToken).toBe('n');
  });

  test('bad arguments are usage errors (exit 2); TRIGGER_REASON unset means "manual"', async () => {
    const d = deps();
    expect(await main(['--wiat'], ENV, d)).toBe(2);
    expect(d.output.stderr.join('\n')).toMatch(/usage: npm run pipeline:run/);
    expect(() => parseRunArguments(['--poll-seconds', '0'])).toThrow(
      /--poll-seconds must be a positive number/,
    );
    expect(await main([], { ...ENV, TRIGGER_REASON: undefined }, deps())).toBe(0);
    expect(
      sageMaker.commandCalls(StartPipelineExecutionCommand).at(-1)?.args[0].input.PipelineParameters?.[0],
    ).toEqual({
      Name: 'TriggerReason',
      Value: 'manual',
    });
  });

  test('resolveGateThreshold', () => {
    expect(resolveGateThreshold('default', 0.3)).toMatchObject({ threshold: 0.3 });
    expect(resolveGateThreshold('0.12', 0.3)).toMatchObject({ threshold: 0.12, source: 'SSM' });
    for (const bad of ['', '-1', '0', 'NaN', 'Infinity', '1e400']) {
      expect(() => resolveGateThreshold(bad, 0.3)).toThrow(/expected "default"/);
    }
  });
});
