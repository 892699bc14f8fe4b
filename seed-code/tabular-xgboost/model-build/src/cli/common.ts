// What the command-line scripts share: this repository's configuration files, read and validated
// together (the output, exit codes and error reporting are @mlops-templates/pipeline-definition's).
import { loadHyperparameters, XgboostHyperparameters } from '../config/hyperparameters';
import { loadPipelineConfig, PipelineConfig } from '../config/pipeline-config';

export interface RepositoryConfig {
  readonly hyperparameters: XgboostHyperparameters;
  readonly config: PipelineConfig;
}

export function loadRepositoryConfig(): RepositoryConfig {
  return { hyperparameters: loadHyperparameters(), config: loadPipelineConfig() };
}
