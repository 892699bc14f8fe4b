// The model-build pipeline of a project (a template README's "The loop": push → model-build
// CodePipeline → SageMaker pipeline): one build that tests, upserts the SageMaker pipeline and starts
// an execution, on every push.
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import { Construct } from 'constructs';
import { SeededRepositoryPipeline, SeededRepositoryPipelineProps } from './seeded-repository-pipeline';

/** Properties of {@link ModelBuildPipeline}. */
export interface ModelBuildPipelineProps extends SeededRepositoryPipelineProps {
  /**
   * The buildspec of the build, in the model-build repository.
   * @default 'buildspec.yml'
   */
  readonly buildSpecFile?: string;
  /**
   * Description of the build project (a template names its pipeline, e.g. "…the DeepAR SageMaker pipeline…").
   * @default 'Tests, upserts the SageMaker pipeline and starts an execution'
   */
  readonly buildDescription?: string;
}

/** Source → Build (test, upsert and start the SageMaker pipeline). */
export class ModelBuildPipeline extends SeededRepositoryPipeline {
  constructor(scope: Construct, id: string, props: ModelBuildPipelineProps) {
    super(scope, id, 'model-build', props);
    const buildSpecFile = props.buildSpecFile ?? 'buildspec.yml';
    if (!/\.ya?ml$/.test(buildSpecFile)) {
      throw new Error(`buildSpecFile: must be a YAML file, got '${buildSpecFile}'`);
    }
    this.pipeline.addStage({
      stageName: 'Build',
      actions: [
        new actions.CodeBuildAction({
          actionName: 'TestUpsertAndStart',
          project: props.buildEnvironment.project(this.resourceScope, {
            repository: 'model-build',
            purpose: 'build',
            buildSpecFile,
            description:
              props.buildDescription ?? 'Tests, upserts the SageMaker pipeline and starts an execution',
          }),
          input: this.source,
          environmentVariables: { TRIGGER_REASON: { value: 'push' } },
        }),
      ],
    });
  }
}
