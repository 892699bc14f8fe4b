// `npm run --silent definition`: prints the pipeline definition JSON on stdout (nothing else) with
// no AWS call. Environment variables that are not set take their value from
// config/example-environment.json, so it works on a laptop as in CodeBuild. A Feature Group source
// needs DescribeFeatureGroup: exit 1 saying so (pipeline:upsert resolves it).
import { Output, PROCESS_OUTPUT, printDefinition, runMain } from '@mlops-templates/pipeline-definition';
import { loadRepositoryConfig } from './common';
import { environmentWithExamples, parseEnvironment } from '../config/environment';
import { localDataSource } from '../pipeline/data-source';
import { buildPipelineDefinition } from '../pipeline/definition';

export async function main(
  env: Readonly<Record<string, string | undefined>>,
  output: Output,
): Promise<number> {
  return printDefinition(() => {
    const environment = parseEnvironment(environmentWithExamples(env));
    const repositoryConfig = loadRepositoryConfig();
    return buildPipelineDefinition({
      env: environment,
      dataSource: localDataSource(environment, repositoryConfig.config.s3Source),
      ...repositoryConfig,
    });
  }, output);
}

if (require.main === module) runMain(() => main(process.env, PROCESS_OUTPUT));
