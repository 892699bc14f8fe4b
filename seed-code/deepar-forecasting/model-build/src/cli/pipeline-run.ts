// `npm run pipeline:run [-- --wait [--poll-seconds N] [--timeout-minutes M]]`: starts an execution
// of MODEL_BUILD_PIPELINE_NAME with TriggerReason (TRIGGER_REASON) and GateThreshold (read from the
// SSM parameter GATE_THRESHOLD_PARAMETER_NAME now; "default" = config/pipeline.json) and prints its
// ARN. With --wait it prints each step's progress until the execution ends and exits non-zero with
// the failing step's reason; --timeout-minutes bounds the wait (the execution goes on).
import {
  gatedRunOf,
  processRunDependencies,
  runGatedPipeline,
  type RunDependencies,
} from '@mlops-templates/pipeline-definition';
import { loadRepositoryConfig, runMain } from './common';
import { parseEnvironment } from '../config/environment';
import { PARAMETER_NAMES } from '../pipeline/definition';

// The arguments, value rules, SSM read and execution following are pipeline-definition's (shared
// with every model-build repository); re-exported for this repository's tests and scripts.
export {
  parseRunArguments,
  resolveGateThreshold,
  resolveTriggerReason,
  RUN_USAGE as USAGE,
  type RunDependencies,
  type RunOptions,
  stepType,
  waitForExecution,
} from '@mlops-templates/pipeline-definition';

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: RunDependencies,
): Promise<number> {
  return runGatedPipeline(
    argv,
    env,
    (raw) =>
      gatedRunOf(parseEnvironment(raw), loadRepositoryConfig().config.gate.defaultThreshold, PARAMETER_NAMES),
    deps,
  );
}

if (require.main === module)
  runMain(() => main(process.argv.slice(2), process.env, processRunDependencies()));
