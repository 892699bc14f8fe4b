// `pipeline:run` of the model-build repositories: its arguments (`--wait`, `--poll-seconds`,
// `--timeout-minutes`), the value rules of TRIGGER_REASON and of the gate threshold SSM value (read
// when the execution starts), starting an execution (idempotency token, the trigger reason as its
// description) and following it step by step until it ends, exiting non-zero with the failing step's
// reason.
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
import { EXIT, Output, PROCESS_OUTPUT, reportError, UsageError } from './common';

export const RUN_USAGE = 'usage: npm run pipeline:run [-- --wait [--poll-seconds N] [--timeout-minutes M]]';

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
    throw new UsageError(`${(error as Error).message}\n${RUN_USAGE}`);
  }
  const positive = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
      throw new UsageError(`--${name} must be a positive number, got ${JSON.stringify(text)}\n${RUN_USAGE}`);
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

/** What following an execution needs. */
export interface FollowDependencies {
  readonly sageMaker: SageMakerClient;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly output: Output;
}

/** Polls the execution, printing each step status change; returns the exit code. */
export async function waitForExecution(
  executionArn: string,
  options: RunOptions,
  deps: FollowDependencies,
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

/** An execution to start. */
export interface ExecutionStart {
  readonly pipelineName: string;
  /** Recorded as the execution description (`TriggerReason: …`). */
  readonly triggerReason: string;
  readonly parameters: ReadonlyArray<{ readonly Name: string; readonly Value: string }>;
}

/** Starts the execution, prints its ARN and, with `--wait`, follows it; returns the exit code. */
export async function startExecution(
  start: ExecutionStart,
  options: RunOptions,
  deps: FollowDependencies,
): Promise<number> {
  const started = await deps.sageMaker.send(
    new StartPipelineExecutionCommand({
      PipelineName: start.pipelineName,
      PipelineExecutionDescription: `TriggerReason: ${start.triggerReason}`,
      PipelineParameters: start.parameters.map((p) => ({ Name: p.Name, Value: p.Value })),
      ClientRequestToken: randomUUID(),
    }),
  );
  const executionArn = started.PipelineExecutionArn as string;
  deps.output.out(executionArn);
  return options.wait ? waitForExecution(executionArn, options, deps) : EXIT.ok;
}

/** What `pipeline:run` needs: SageMaker, SSM (the gate threshold), a clock and the output. */
export interface RunDependencies extends FollowDependencies {
  readonly ssm: SSMClient;
}

/** The run of one repository's pipeline, resolved from its environment and configuration. */
export interface GatedRun {
  readonly pipelineName: string;
  /** SSM parameter holding `default` or the threshold (read when the execution starts). */
  readonly gateThresholdParameterName: string;
  /** The threshold `default` stands for. */
  readonly defaultGateThreshold: number;
  /** What the threshold applies to, shown in the progress line (e.g. `rmse`). */
  readonly gateLabel?: string;
  /** The pipeline's parameter names for the trigger reason and the threshold. */
  readonly parameterNames: { readonly triggerReason: string; readonly gateThreshold: string };
}

/** The run of the project's model-build pipeline (MODEL_BUILD_PIPELINE_NAME, GATE_THRESHOLD_PARAMETER_NAME). */
export function gatedRunOf(
  env: { readonly MODEL_BUILD_PIPELINE_NAME: string; readonly GATE_THRESHOLD_PARAMETER_NAME: string },
  defaultGateThreshold: number,
  parameterNames: GatedRun['parameterNames'],
  gateLabel?: string,
): GatedRun {
  return {
    pipelineName: env.MODEL_BUILD_PIPELINE_NAME,
    gateThresholdParameterName: env.GATE_THRESHOLD_PARAMETER_NAME,
    defaultGateThreshold,
    parameterNames,
    ...(gateLabel === undefined ? {} : { gateLabel }),
  };
}

/**
 * `pipeline:run`: parses the arguments, resolves the run from the environment (`resolve` throws an
 * EnvironmentError for a bad one), reads the gate threshold from SSM now, starts the execution with
 * TriggerReason and GateThreshold and, with `--wait`, follows it. Returns the exit code.
 */
export async function runGatedPipeline(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  resolve: (env: Readonly<Record<string, string | undefined>>) => GatedRun,
  deps: RunDependencies,
): Promise<number> {
  try {
    const options = parseRunArguments(argv);
    const run = resolve(env);
    const triggerReason = resolveTriggerReason(env.TRIGGER_REASON);
    const parameter = await deps.ssm.send(new GetParameterCommand({ Name: run.gateThresholdParameterName }));
    const gate = resolveGateThreshold(parameter.Parameter?.Value ?? '', run.defaultGateThreshold);
    const label = run.gateLabel === undefined ? '' : ` for ${run.gateLabel}`;
    deps.output.err(
      `TriggerReason=${triggerReason}; GateThreshold=${gate.threshold}${label} (from ${gate.source})`,
    );
    return await startExecution(
      {
        pipelineName: run.pipelineName,
        triggerReason,
        parameters: [
          { Name: run.parameterNames.triggerReason, Value: triggerReason },
          { Name: run.parameterNames.gateThreshold, Value: String(gate.threshold) },
        ],
      },
      options,
      deps,
    );
  } catch (error) {
    return reportError(error, deps.output);
  }
}

/** The dependencies of a real run: the SDK clients (default credentials and region), timers, stdout/stderr. */
export function processRunDependencies(): RunDependencies {
  return {
    sageMaker: new SageMakerClient({}),
    ssm: new SSMClient({}),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    output: PROCESS_OUTPUT,
  };
}
