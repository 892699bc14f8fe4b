// Which stage parameters `cdk synth` uses: the file the build step wrote (context
// `stageParameters` or env STAGE_PARAMETERS_FILE), or else the committed example placeholders, said
// on stderr so nobody mistakes the example templates for deployable ones.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadStagesConfig } from './stage-config';
import { exampleStageParameters, parseStageParameters, StageParameters } from './stage-parameters';

export interface SynthInput {
  readonly parameters: StageParameters;
  /** Where the parameters came from. */
  readonly source: string;
  /** True when the committed placeholders were used. */
  readonly example: boolean;
}

/**
 * Resolves the stage parameters of a synthesis. `contextFile` is the `stageParameters` context value.
 * `warn` receives the fallback notice. `configDir` is the seed's config/ folder (stages.json,
 * example-environment.json).
 */
export function resolveSynthInput(
  env: NodeJS.ProcessEnv,
  contextFile: string | undefined,
  warn: (message: string) => void,
  configDir: string,
): SynthInput {
  const file = contextFile ?? (env.STAGE_PARAMETERS_FILE || undefined);
  if (file !== undefined) {
    let document: unknown;
    try {
      document = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`cannot read stage parameters ${file}: ${(error as Error).message}`);
    }
    return { parameters: parseStageParameters(document, file), source: file, example: false };
  }
  const account = env.CDK_DEFAULT_ACCOUNT || '123456789012';
  const region = env.CDK_DEFAULT_REGION || 'us-east-1';
  const stages = loadStagesConfig(path.join(configDir, 'stages.json'));
  const parameters = exampleStageParameters(
    account,
    region,
    stages,
    path.join(configDir, 'example-environment.json'),
  );
  warn(
    [
      'NOTE: no stage parameters given (-c stageParameters=deploy/stage-parameters.json, written by `npm run build:stage-params`).',
      `Synthesizing with the committed placeholders of config/example-environment.json (account ${account}, region ${region},`,
      `model package ${parameters.modelPackage.arn}) and config/stages.json.`,
      'These templates are examples: the pipeline deploys the ones the build step writes to deploy/.',
    ].join('\n'),
  );
  return { parameters, source: 'config/example-environment.json', example: true };
}
