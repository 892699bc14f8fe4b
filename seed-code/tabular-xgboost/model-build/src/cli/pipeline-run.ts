// `npm run pipeline:run [-- --wait [--poll-seconds N] [--timeout-minutes M]]`: starts an execution
// of MODEL_BUILD_PIPELINE_NAME with TriggerReason (TRIGGER_REASON) and GateThreshold (read from the
// SSM parameter GATE_THRESHOLD_PARAMETER_NAME now; "default" = config/pipeline.json's threshold of
// GATE_METRIC) and prints its ARN; with --wait it follows the execution and exits non-zero with the
// failing step's reason (pipeline-definition's runGatedPipeline).
import {
  gatedRunOf,
  processRunDependencies,
  runGatedPipeline,
  type RunDependencies,
  runMain,
} from '@mlops-templates/pipeline-definition';
import { loadRepositoryConfig } from './common';
import { parseEnvironment } from '../config/environment';
import { PARAMETER_NAMES } from '../pipeline/definition';

export type { RunDependencies };

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: RunDependencies,
): Promise<number> {
  return runGatedPipeline(
    argv,
    env,
    (raw) => {
      const environment = parseEnvironment(raw);
      const { gate } = loadRepositoryConfig().config;
      const metric = environment.GATE_METRIC;
      return gatedRunOf(environment, gate.defaultThresholds[metric], PARAMETER_NAMES, metric);
    },
    deps,
  );
}

if (require.main === module)
  runMain(() => main(process.argv.slice(2), process.env, processRunDependencies()));
