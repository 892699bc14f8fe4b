// What the command-line scripts share: loading configuration, and the output sink, exit codes and
// error reporting of @mlops-templates/pipeline-definition (the plumbing every model-build repository
// uses; never a stack trace for a known problem).
import { loadHyperparameters, DeepArHyperparameters } from '../config/hyperparameters';
import { loadPipelineConfig, PipelineConfig } from '../config/pipeline-config';

export {
  EXIT,
  type Output,
  PROCESS_OUTPUT,
  reportError,
  runMain,
  UsageError,
} from '@mlops-templates/pipeline-definition';

export interface RepositoryConfig {
  readonly hyperparameters: DeepArHyperparameters;
  readonly config: PipelineConfig;
}

export function loadRepositoryConfig(): RepositoryConfig {
  return { hyperparameters: loadHyperparameters(), config: loadPipelineConfig() };
}
