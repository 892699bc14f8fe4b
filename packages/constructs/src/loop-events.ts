// The event wiring of a project's loop (the labelled arrows of a template README's loop diagram): an
// approved model package starts model-deploy with its ARN, an endpoint coming IN_SERVICE deploys the
// monitoring, and the notifications of a model waiting for approval and of failed pipelines.
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { LoopLayer } from './loop-layer';
import { ProjectFunction } from './project-function';
import { DEPLOYMENT_STAGES, ProjectNames } from './project-names';
import { ProjectNotifications } from './project-notifications';

/** Properties of {@link LoopEvents}. */
export interface LoopEventsProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The project's key (the starter function's logs and environment). */
  readonly key: kms.IKey;
  /** The model-deploy pipeline an approval starts. */
  readonly modelDeployPipeline: codepipeline.IPipeline;
  /** The monitoring pipeline an endpoint coming IN_SERVICE starts. */
  readonly monitoringPipeline: codepipeline.IPipeline;
  /** Role EventBridge starts the monitoring pipeline as. */
  readonly eventsRole: iam.IRole;
  /** The project's notifications. */
  readonly notifications: ProjectNotifications;
  /** ARN of the model-build SageMaker pipeline (its failures are notified). */
  readonly modelBuildPipelineArn: string;
  /**
   * Entry of the starter function's handler: `PROJECT_HANDLER_ENTRIES['start-deploy-pipeline']` of
   * @mlops-templates/project-handlers (this package does not depend on the handlers).
   */
  readonly startDeployHandlerEntry: string;
  /** The seeded repositories whose CodePipelines' failures are notified (`model-build`…). */
  readonly repositories: readonly string[];
  /**
   * Retries of the approval rule's invocation of the starter function: 0–185 (EventBridge API
   * Reference, RetryPolicy `MaximumRetryAttempts`).
   * @default 2
   */
  readonly startDeployRetryAttempts?: number;
}

/** Rules and the starter function that connect the loop's steps. */
export class LoopEvents extends LoopLayer {
  /** Rules that start a pipeline (deleted before the teardown runs). */
  public readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: LoopEventsProps) {
    super(scope, id);
    const retryAttempts = props.startDeployRetryAttempts ?? 2;
    if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 185) {
      throw new Error(`startDeployRetryAttempts: must be an integer from 0 to 185, got ${retryAttempts}`);
    }
    if (props.repositories.length === 0) throw new Error('repositories: at least one repository is required');
    const { names } = props;
    // A package approved in this project's group starts model-deploy with that package's ARN.
    const startDeploy = new ProjectFunction(this.resourceScope, 'StartDeployFunction', {
      functionName: names.short('start-deploy'),
      entry: props.startDeployHandlerEntry,
      description: 'Starts model-deploy with the model package approved in the triggering event',
      encryptionKey: props.key,
      environment: {
        PIPELINE_NAME: props.modelDeployPipeline.pipelineName,
        MODEL_PACKAGE_GROUP_NAME: names.modelPackageGroup,
      },
    });
    startDeploy.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StartModelDeploy',
        actions: ['codepipeline:StartPipelineExecution'],
        resources: [props.modelDeployPipeline.pipelineArn],
      }),
    );
    const approvedRule = new events.Rule(this.resourceScope, 'ModelApprovedRule', {
      ruleName: names.short('model-approved'),
      description: 'A model package approved in this project starts model-deploy with its ARN',
      eventPattern: modelPackagePattern(names, ['Approved']),
      targets: [new targets.LambdaFunction(startDeploy.function, { retryAttempts })],
    });
    // An endpoint of this project coming IN_SERVICE (re)deploys the monitoring of both stages.
    const inServiceRule = new events.Rule(this.resourceScope, 'EndpointInServiceRule', {
      ruleName: names.short('endpoint-in-service'),
      description: 'Staging/prod endpoints of this project coming IN_SERVICE deploy their monitoring',
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Endpoint State Change'],
        detail: {
          EndpointName: DEPLOYMENT_STAGES.map((stage) => names.endpoint(stage)),
          EndpointStatus: ['IN_SERVICE'],
        },
      },
      targets: [new targets.CodePipeline(props.monitoringPipeline, { eventRole: props.eventsRole })],
    });
    this.rules = [approvedRule, inServiceRule];
    notifyLoopEvents(props);
  }
}

/** Event pattern of this project's model package state changes with the given approval statuses. */
export function modelPackagePattern(names: ProjectNames, statuses: string[]): events.EventPattern {
  return {
    source: ['aws.sagemaker'],
    detailType: ['SageMaker Model Package State Change'],
    detail: { ModelPackageGroupName: [names.modelPackageGroup], ModelApprovalStatus: statuses },
  };
}

/** Notifications: model waiting for approval, pipeline failures. */
function notifyLoopEvents(props: LoopEventsProps): void {
  const { names, notifications } = props;
  notifications.notifyOn(
    'PendingApprovalRule',
    'model-pending-approval',
    modelPackagePattern(names, ['PendingManualApproval']),
    events.RuleTargetInput.fromText(
      `Model ${events.EventField.fromPath('$.detail.ModelPackageArn')} of project ${names.projectName} was registered and waits for approval in the model registry.`,
    ),
  );
  notifications.notifyOn(
    'SageMakerPipelineFailedRule',
    'sagemaker-pipeline-failed',
    {
      source: ['aws.sagemaker'],
      detailType: ['SageMaker Model Building Pipeline Execution Status Change'],
      detail: {
        pipelineArn: [props.modelBuildPipelineArn],
        currentPipelineExecutionStatus: ['Failed'],
      },
    },
    events.RuleTargetInput.fromText(
      `SageMaker pipeline execution ${events.EventField.fromPath('$.detail.pipelineExecutionArn')} failed (project ${names.projectName}).`,
    ),
  );
  notifications.notifyOn(
    'CodePipelineFailedRule',
    'codepipeline-failed',
    {
      source: ['aws.codepipeline'],
      detailType: ['CodePipeline Pipeline Execution State Change'],
      detail: { pipeline: props.repositories.map((repo) => names.repository(repo)), state: ['FAILED'] },
    },
    events.RuleTargetInput.fromText(
      `CodePipeline ${events.EventField.fromPath('$.detail.pipeline')} execution ${events.EventField.fromPath('$.detail.execution-id')} failed (project ${names.projectName}).`,
    ),
  );
}
