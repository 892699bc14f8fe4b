// `npm run pipeline:run [-- --wait [--poll-seconds N] [--timeout-minutes M]]`: starts an execution
// of MODEL_BUILD_PIPELINE_NAME with TriggerReason (TRIGGER_REASON) and GateThreshold (read from the
// SSM parameter GATE_THRESHOLD_PARAMETER_NAME now; "default" = config/pipeline.json) and prints its
// ARN. With --wait it prints each step's progress until the execution ends and exits non-zero with
// the failing step's reason; --timeout-minutes bounds the wait (the execution goes on).
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  parseRunArguments,
  resolveGateThreshold,
  resolveTriggerReason,
  startExecution,
} from '@mlops-templates/pipeline-definition';
import { loadRepositoryConfig, Output, PROCESS_OUTPUT, reportError, runMain } from './common';
import { parseEnvironment } from '../config/environment';
import { PARAMETER_NAMES } from '../pipeline/definition';

// The arguments, value rules and execution following are pipeline-definition's (shared with every
// model-build repository); re-exported for this repository's tests and scripts.
export {
  parseRunArguments,
  resolveGateThreshold,
  resolveTriggerReason,
  RUN_USAGE as USAGE,
  type RunOptions,
  stepType,
  waitForExecution,
} from '@mlops-templates/pipeline-definition';

export interface RunDependencies {
  readonly sageMaker: SageMakerClient;
  readonly ssm: SSMClient;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly output: Output;
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
    return await startExecution(
      {
        pipelineName: environment.MODEL_BUILD_PIPELINE_NAME,
        triggerReason,
        parameters: [
          { Name: PARAMETER_NAMES.triggerReason, Value: triggerReason },
          { Name: PARAMETER_NAMES.gateThreshold, Value: String(gate.threshold) },
        ],
      },
      options,
      deps,
    );
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
