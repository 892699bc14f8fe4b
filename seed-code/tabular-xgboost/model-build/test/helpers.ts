// Test helpers: a capturing output, the example environment with overrides, and the definition of it.
import { capturingOutput, type PipelineDefinitionDocument } from '@mlops-templates/pipeline-definition';
import { loadRepositoryConfig } from '../src/cli/common';
import { environmentWithExamples, parseEnvironment } from '../src/config/environment';
import { localDataSource, type ResolvedDataSource } from '../src/pipeline/data-source';
import { buildPipelineDefinition } from '../src/pipeline/definition';

/** An output that keeps the lines (pipeline-definition's). */
export const captureOutput = capturingOutput;

/** The example environment (config/example-environment.json) with overrides. */
export function exampleEnv(overrides: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...environmentWithExamples({}), ...overrides };
}

/** A step of a rendered definition (top level or in a condition branch), by name. */
export type StepDoc = {
  Name: string;
  Type: string;
  Arguments: Record<string, unknown> & { IfSteps?: StepDoc[]; ElseSteps?: StepDoc[] };
} & Record<string, unknown>;

/** The rendered definition of the example environment with overrides (and a resolved data source). */
export function renderedDefinition(
  overrides: Record<string, string> = {},
  dataSource?: ResolvedDataSource,
): {
  document: PipelineDefinitionDocument;
  step: (name: string) => StepDoc;
} {
  const env = parseEnvironment(exampleEnv(overrides));
  const repositoryConfig = loadRepositoryConfig();
  const document = buildPipelineDefinition({
    env,
    dataSource: dataSource ?? localDataSource(env, repositoryConfig.config.s3Source),
    ...repositoryConfig,
  }).render();
  const all = (steps: StepDoc[]): StepDoc[] =>
    steps.flatMap((s) => [s, ...all(s.Arguments.IfSteps ?? []), ...all(s.Arguments.ElseSteps ?? [])]);
  const steps = all(document.Steps as unknown as StepDoc[]);
  return {
    document,
    step: (name) => {
      const found = steps.find((s) => s.Name === name);
      if (found === undefined) throw new Error(`no step ${name}`);
      return found;
    },
  };
}
