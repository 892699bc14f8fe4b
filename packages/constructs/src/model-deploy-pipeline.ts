// The model-deploy pipeline of a project (a template README's "The loop": approved model → staging endpoint →
// endpoint test → staging threshold → manual approval → prod endpoint → prod threshold), started with
// the model package approved in the triggering event (MODEL_PACKAGE_ARN) or, on a push, the latest one.
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { toPascalCase } from './naming';
import { DEPLOYMENT_STAGES, DeploymentStage } from './project-names';
import { SeededRepositoryPipeline, SeededRepositoryPipelineProps } from './seeded-repository-pipeline';

/** Properties of {@link ModelDeployPipeline}. */
export interface ModelDeployPipelineProps extends SeededRepositoryPipelineProps {
  /** Topic the prod approval request goes to. */
  readonly approvalTopic: sns.ITopic;
  /**
   * What the approver reads.
   * @default 'The staging endpoint passed its test. Approve to deploy the same model to prod.'
   */
  readonly approvalMessage?: string;
  /**
   * Description of the staging endpoint test project (a template names its request, e.g. "…a real DeepAR request…").
   * @default 'Invokes the staging endpoint with a real request and validates the response'
   */
  readonly endpointTestDescription?: string;
  /**
   * Whether each stage's deploy is followed by `SetThreshold<Stage>` (the repository's
   * `buildspec-post-deploy.yml` sets the stage's alarm threshold parameter with the threshold policy).
   * A template whose alarms take their thresholds elsewhere (the tabular template: the model-quality
   * baseline constraints) has no such step.
   * @default true
   */
  readonly setThresholdAfterDeploy?: boolean;
}

/** Source → Build → DeployStaging (deploy, test, threshold) → ApproveProd → DeployProd. */
export class ModelDeployPipeline extends SeededRepositoryPipeline {
  /** The model package the execution deploys (`latest` when started by a push). */
  public readonly modelPackageArn: codepipeline.Variable;

  constructor(scope: Construct, id: string, props: ModelDeployPipelineProps) {
    const modelPackageArn = new codepipeline.Variable({
      variableName: 'MODEL_PACKAGE_ARN',
      description: 'Model package approved in the triggering event; "latest" when started by a push',
      defaultValue: 'latest',
    });
    const trigger = new codepipeline.Variable({
      variableName: 'TRIGGER',
      description: 'What started the execution: model-approved or push',
      defaultValue: 'push',
    });
    super(scope, id, 'model-deploy', props, [modelPackageArn, trigger]);
    this.modelPackageArn = modelPackageArn;
    const approvalMessage =
      props.approvalMessage ??
      'The staging endpoint passed its test. Approve to deploy the same model to prod.';
    if (approvalMessage.trim() === '') throw new Error('approvalMessage: must not be empty');
    const { names, buildEnvironment: env } = props;
    const stageParameters = new codepipeline.Artifact('StageParameters');
    this.pipeline.addStage({
      stageName: 'Build',
      actions: [
        new actions.CodeBuildAction({
          actionName: 'ResolveApprovedModel',
          project: env.project(this.resourceScope, {
            repository: 'model-deploy',
            purpose: 'build',
            buildSpecFile: 'buildspec.yml',
            description: 'Resolves the approved model package and writes the stage templates and parameters',
          }),
          input: this.source,
          outputs: [stageParameters],
          environmentVariables: {
            MODEL_PACKAGE_ARN: { value: modelPackageArn.reference() },
            TRIGGER: { value: trigger.reference() },
          },
        }),
        props.deliveryRoles.recoverStacksAction(
          this.resourceScope,
          'model-deploy',
          this.source,
          DEPLOYMENT_STAGES.map((s) => names.deployStack(s)),
        ),
      ],
    });
    const testProject = env.project(this.resourceScope, {
      repository: 'model-deploy',
      purpose: 'test',
      buildSpecFile: 'buildspec-test.yml',
      description:
        props.endpointTestDescription ??
        'Invokes the staging endpoint with a real request and validates the response',
    });
    const postDeployProject =
      (props.setThresholdAfterDeploy ?? true)
        ? env.project(this.resourceScope, {
            repository: 'model-deploy',
            purpose: 'post-deploy',
            buildSpecFile: 'buildspec-post-deploy.yml',
            description: 'Sets the stage alarm threshold with the threshold policy after a successful deploy',
          })
        : undefined;
    for (const stage of DEPLOYMENT_STAGES) {
      if (stage === 'prod') {
        this.pipeline.addStage({
          stageName: 'ApproveProd',
          actions: [
            new actions.ManualApprovalAction({
              actionName: 'ApproveProdDeployment',
              notificationTopic: props.approvalTopic,
              additionalInformation: approvalMessage,
            }),
          ],
        });
      }
      this.pipeline.addStage({
        stageName: `Deploy${toPascalCase(stage)}`,
        actions: this.stageActions(props, stage, stageParameters, testProject, postDeployProject),
      });
    }
  }

  /** Deploy the stage stack; on staging test the endpoint; then (optionally) set the stage's alarm threshold. */
  private stageActions(
    props: ModelDeployPipelineProps,
    stage: DeploymentStage,
    stageParameters: codepipeline.Artifact,
    testProject: codebuild.IProject,
    postDeployProject: codebuild.IProject | undefined,
  ): codepipeline.IAction[] {
    const stageActions: codepipeline.IAction[] = [
      new actions.CloudFormationCreateUpdateStackAction({
        actionName: `Deploy${toPascalCase(stage)}`,
        stackName: props.names.deployStack(stage),
        templatePath: stageParameters.atPath(`deploy/${stage}.template.json`),
        templateConfiguration: stageParameters.atPath(`deploy/${stage}.config.json`),
        adminPermissions: false,
        deploymentRole: props.deliveryRoles.deployRole,
        replaceOnFailure: false,
        runOrder: 1,
      }),
    ];
    if (stage === 'staging') {
      stageActions.push(
        new actions.CodeBuildAction({
          actionName: 'TestStagingEndpoint',
          project: testProject,
          input: this.source,
          extraInputs: [stageParameters],
          runOrder: 2,
        }),
      );
    }
    if (postDeployProject === undefined) return stageActions;
    stageActions.push(
      new actions.CodeBuildAction({
        actionName: `SetThreshold${toPascalCase(stage)}`,
        project: postDeployProject,
        input: this.source,
        extraInputs: [stageParameters],
        environmentVariables: { DEPLOYMENT_STAGE: { value: stage } },
        runOrder: stage === 'staging' ? 3 : 2,
      }),
    );
    return stageActions;
  }
}
