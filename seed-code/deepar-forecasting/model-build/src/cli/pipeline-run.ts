// `npm run pipeline:run [-- --wait [--poll-seconds N] [--timeout-minutes M]]`: starts an execution
// of MODEL_BUILD_PIPELINE_NAME with TriggerReason (TRIGGER_REASON) and GateThreshold (read from the
// SSM parameter GATE_THRESHOLD_PARAMETER_NAME now; "default" = config/pipeline.json) and prints its
// ARN. With --wait it prints each step's progress until the execution ends and exits non-zero with
// the failing step's reason; --timeout-minutes bounds the wait (the execution goes on).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  PipelineExecutionStep,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  EXIT,
  loadRepositoryConfig,
  Output,
  PROCESS_OUTPUT,
  reportError,
  runMain,
  UsageError,
} from './common';
import { parseEnvironment } from '../config/environment';
import { PARAMETER_NAMES } from '../pipeline/definition';

export interface RunDependencies {
  readonly sageMaker: SageMakerClient;
  readonly ssm: SSMClient;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly output: Output;
}

export const USAGE = 'usage: npm run pipeline:run [-- --wait [--poll-seconds N] [--timeout-minutes M]]';

export interface RunOptions {
  readonly wait: boolean;
  readonly pollSeconds: number;
  readonly timeoutMinutes?: number;
}

export function parseRunArguments(argv: readonly string[]): RunOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        wait: { type: 'boolean', default: false },
        'poll-seconds': { type: 'string' },
        'timeout-minutes': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const positive = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
      throw new UsageError(`--${name} must be a positive number, got ${JSON.stringify(text)}\n${USAGE}`);
    }
    return value;
  };
  return {
    wait: values.wait ?? false,
    pollSeconds: positive('poll-seconds', values['poll-seconds']) ?? 30,
    timeoutMinutes: positive('timeout-minutes', values['timeout-minutes']),
  };
}

/** The gate threshold from the SSM value: "default" → the config value; otherwise a positive number. */
export function resolveGateThreshold(
  value: string,
  configDefault: number,
): { threshold: number; source: string } {
  const text = value.trim();
  if (text === 'default') {
    return { threshold: configDefault, source: 'config/pipeline.json (SSM says "default")' };
  }
  const threshold = Number(text);
  if (text === '' || !Number.isFinite(threshold) || threshold <= 0) {
    throw new Error(
      `the gate threshold parameter holds ${JSON.stringify(value)}: expected "default" or a positive number`,
    );
  }
  return { threshold, source: 'SSM' };
}

/** TRIGGER_REASON, checked (it is recorded in model package metadata, at most 256 characters). */
export function resolveTriggerReason(value: string | undefined): string {
  const reason = (value ?? '').trim() || 'manual';
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (reason.length > 200 || /[\u0000-\u001f]/.test(reason)) {
    throw new Error(
      `TRIGGER_REASON must be 1-200 printable characters, got ${JSON.stringify(reason.slice(0, 40))}…`,
    );
  }
  return reason;
}

/** The step type from a step's metadata (TrainingJob → Training, ...). */
export function stepType(step: PipelineExecutionStep): string {
  const keys = Object.entries(step.Metadata ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
  const key = keys[0];
  if (key === undefined) return 'step';
  return key.replace(/Job$/, '');
}

function stepDetail(step: PipelineExecutionStep): string {
  const metadata = step.Metadata;
  if (step.StepStatus === 'Failed') return step.FailureReason ? ` — ${step.FailureReason}` : '';
  if (metadata?.Condition?.Outcome !== undefined) return ` — outcome ${metadata.Condition.Outcome}`;
  if (metadata?.Lambda?.OutputParameters && step.StepStatus === 'Succeeded') {
    return ` — ${metadata.Lambda.OutputParameters.map((p) => `${p.Name}=${p.Value}`).join(', ')}`;
  }
  if (metadata?.RegisterModel?.Arn) return ` — ${metadata.RegisterModel.Arn}`;
  return '';
}

async function listSteps(sageMaker: SageMakerClient, executionArn: string): Promise<PipelineExecutionStep[]> {
  const steps: PipelineExecutionStep[] = [];
  let token: string | undefined;
  do {
    const page = await sageMaker.send(
      new ListPipelineExecutionStepsCommand({
        PipelineExecutionArn: executionArn,
        SortOrder: 'Ascending',
        NextToken: token,
      }),
    );
    steps.push(...(page.PipelineExecutionSteps ?? []));
    token = page.NextToken;
  } while (token !== undefined);
  return steps;
}

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** Polls the execution, printing each step status change; returns the exit code. */
export async function waitForExecution(
  executionArn: string,
  options: RunOptions,
  deps: RunDependencies,
): Promise<number> {
  const seen = new Map<string, string>();
  const started = deps.now();
  for (;;) {
    const described = await deps.sageMaker.send(
      new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }),
    );
    const status = described.PipelineExecutionStatus ?? 'Unknown';
    const steps = await listSteps(deps.sageMaker, executionArn);
    for (const step of steps) {
      const name = step.StepName ?? '?';
      const state = `${step.StepStatus}`;
      if (seen.get(name) !== state) {
        seen.set(name, state);
        deps.output.out(`[${clock(deps.now())}] ${name} (${stepType(step)}): ${state}${stepDetail(step)}`);
      }
    }
    if (status === 'Succeeded') {
      deps.output.out(`execution succeeded: ${executionArn}`);
      return EXIT.ok;
    }
    if (status === 'Failed' || status === 'Stopped') {
      const failed = steps.filter((step) => step.StepStatus === 'Failed');
      for (const step of failed) {
        const message = step.Metadata?.Fail?.ErrorMessage ?? step.FailureReason ?? 'no reason given';
        deps.output.err(`step ${step.StepName} failed: ${message}`);
      }
      if (failed.length === 0) {
        deps.output.err(`execution ${status}: ${described.FailureReason ?? 'no reason given'}`);
      }
      deps.output.err(`execution ${status.toLowerCase()}: ${executionArn}`);
      return EXIT.failed;
    }
    if (options.timeoutMinutes !== undefined && deps.now() - started >= options.timeoutMinutes * 60_000) {
      deps.output.out(
        `execution still ${status} after ${options.timeoutMinutes} minutes; no longer waiting (it goes on): ${executionArn}`,
      );
      return EXIT.ok;
    }
    await deps.sleep(options.pollSeconds * 1000);
  }
}

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: RunDependencies,
): Promise<number> {
  try {
    const options = parseRunArguments(argv);
    const environment = parseEnvironment(env);
    const { config } = loadRepositoryConfig();
    const triggerReason = resolveTriggerReason(env.TRIGGER_REASON);
    const parameter = await deps.ssm.send(
      new GetParameterCommand({ Name: environment.GATE_THRESHOLD_PARAMETER_NAME }),
    );
    const gate = resolveGateThreshold(parameter.Parameter?.Value ?? '', config.gate.defaultThreshold);
    deps.output.err(`TriggerReason=${triggerReason}; GateThreshold=${gate.threshold} (from ${gate.source})`);
    const started = await deps.sageMaker.send(
      new StartPipelineExecutionCommand({
        PipelineName: environment.MODEL_BUILD_PIPELINE_NAME,
        PipelineExecutionDescription: `TriggerReason: ${triggerReason}`,
        PipelineParameters: [
          { Name: PARAMETER_NAMES.triggerReason, Value: triggerReason },
          { Name: PARAMETER_NAMES.gateThreshold, Value: String(gate.threshold) },
        ],
        ClientRequestToken: randomUUID(),
      }),
    );
    const executionArn = started.PipelineExecutionArn as string;
    deps.output.out(executionArn);
    return options.wait ? await waitForExecution(executionArn, options, deps) : EXIT.ok;
  } catch (error) {
    return reportError(error, deps.output);
  }
}

if (require.main === module) {
  runMain(() =>
    main(process.argv.slice(2), process.env, {
      sageMaker: new SageMakerClient({}),
      ssm: new SSMClient({}),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
      output: PROCESS_OUTPUT,
    }),
  );
}
