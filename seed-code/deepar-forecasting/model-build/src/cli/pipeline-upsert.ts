// `npm run pipeline:upsert`: creates or updates the Lambda step functions (bundled from src/steps)
// and the SageMaker pipeline MODEL_BUILD_PIPELINE_NAME with the current definition, tagged with the
// SageMaker project. Idempotent: running it twice changes nothing the second time but the pipeline
// version. Needs the CodeBuild environment (no example fallback).
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { runCommand, upsertProjectPipeline } from '@mlops-templates/pipeline-definition';
import { loadRepositoryConfig, Output, PROCESS_OUTPUT, runMain } from './common';
import { BUNDLE_HANDLER, bundleHandler, LambdaBundle, STEP_HANDLER_ENTRIES } from './lambda-bundle';
import { upsertStepFunction } from './lambda-upsert';
import { ModelBuildEnvironment, parseEnvironment } from '../config/environment';
import { PipelineConfig } from '../config/pipeline-config';
import { buildPipelineDefinition } from '../pipeline/definition';
import { projectTags, stepFunctionName, StepFunctionPurpose } from '../pipeline/names';

export interface UpsertDependencies {
  readonly sageMaker: SageMakerClient;
  readonly lambda: LambdaClient;
  readonly bundle: (entry: string, runtime: string) => Promise<LambdaBundle>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly output: Output;
}

const STEP_DESCRIPTIONS: Record<StepFunctionPurpose, string> = {
  'prepare-data': 'DeepAR model-build pipeline step: prepares the training set and backtest windows',
  evaluate: 'DeepAR model-build pipeline step: evaluates the backtest (wQL, RMSE)',
};

/** Creates or updates both Lambda step functions. */
export async function upsertStepFunctions(
  env: ModelBuildEnvironment,
  config: PipelineConfig,
  deps: UpsertDependencies,
): Promise<void> {
  const tags = Object.fromEntries(projectTags(env).map((tag) => [tag.Key, tag.Value]));
  for (const purpose of Object.keys(STEP_HANDLER_ENTRIES) as StepFunctionPurpose[]) {
    const bundle = await deps.bundle(STEP_HANDLER_ENTRIES[purpose], config.lambdaSteps.runtime);
    const functionName = stepFunctionName(env, purpose);
    const outcome = await upsertStepFunction(
      deps.lambda,
      {
        functionName,
        description: STEP_DESCRIPTIONS[purpose],
        roleArn: env.PIPELINE_STEPS_ROLE_ARN,
        runtime: config.lambdaSteps.runtime,
        architecture: config.lambdaSteps.architecture,
        handler: BUNDLE_HANDLER,
        memorySizeMb: config.lambdaSteps.memorySizeMb,
        timeoutSeconds: config.lambdaSteps.timeoutSeconds,
        environment: { POWERTOOLS_SERVICE_NAME: `deepar-${purpose}` },
        tags,
        bundle,
      },
      { sleep: deps.sleep },
    );
    deps.output.out(
      `Lambda function ${functionName}: ${outcome} (${bundle.codeBytes} bytes of JavaScript, CodeSha256 ${bundle.codeSha256})`,
    );
  }
}

export async function main(
  env: Readonly<Record<string, string | undefined>>,
  deps: UpsertDependencies,
): Promise<number> {
  return runCommand(deps.output, async () => {
    const environment = parseEnvironment(env);
    const repository = loadRepositoryConfig();
    const definitionJson = buildPipelineDefinition({ env: environment, ...repository }).toJson();
    await upsertStepFunctions(environment, repository.config, deps);
    await upsertProjectPipeline(
      environment,
      'DeepAR model build',
      definitionJson,
      deps.sageMaker,
      deps.output,
    );
  });
}

if (require.main === module) {
  runMain(() =>
    main(process.env, {
      sageMaker: new SageMakerClient({}),
      lambda: new LambdaClient({}),
      bundle: bundleHandler,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      output: PROCESS_OUTPUT,
    }),
  );
}
