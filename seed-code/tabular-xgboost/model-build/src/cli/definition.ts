// `npm run --silent definition`: prints the pipeline definition JSON on stdout (nothing else) with
// no AWS call. Environment variables that are not set take their value from
// config/example-environment.json, so it works on a laptop as in CodeBuild.
import { Output, PROCESS_OUTPUT, printDefinition, runMain } from '@mlops-templates/pipeline-definition';
import { loadRepositoryConfig } from './common';
import { environmentWithExamples, parseEnvironment } from '../config/environment';
import { buildPipelineDefinition } from '../pipeline/definition';

export async function main(
  env: Readonly<Record<string, string | undefined>>,
  output: Output,
): Promise<number> {
  return printDefinition(
    () =>
      buildPipelineDefinition({
        env: parseEnvironment(environmentWithExamples(env)),
        ...loadRepositoryConfig(),
      }),
    output,
  );
}

if (require.main === module) runMain(() => main(process.env, PROCESS_OUTPUT));
