// The roles that move a change through the loop: the stack recovery role of the deploying pipelines,
// the CodePipeline role of the three pipelines, the CloudFormation role that deploys the model-deploy
// and monitoring stacks (only this project's endpoints, models, alarms, dashboards, schedules and
// collector functions), and the EventBridge role that starts pipelines.
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { JobRoles } from './job-roles';
import { LoopLayer } from './loop-layer';
import { toPascalCase } from './naming';
import { PassRoleGuardedRole } from './pass-role-guarded-role';
import { ProjectNames } from './project-names';
import { StackRecoveryProject } from './stack-recovery-project';
import { grantStageDeployments, type MonitoringJobDefinitionKind } from './stage-deployment-statements';

/** Properties of {@link DeliveryRoles}. */
export interface DeliveryRolesProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The roles the stage stacks pass. */
  readonly jobRoles: JobRoles;
  /** The project's key (stage stacks encrypt with it). */
  readonly key: kms.IKey;
  /**
   * The Model Monitor job definition kinds the monitoring stacks create (the deploy role's grant).
   * @default ['model-quality']
   */
  readonly monitoringJobDefinitions?: readonly MonitoringJobDefinitionKind[];
}

/** Stack recovery, CodePipeline, CloudFormation deploy and EventBridge roles. */
export class DeliveryRoles extends LoopLayer {
  /** Deletes a deploy or monitoring stack of this project left in ROLLBACK_COMPLETE. */
  public readonly stackRecoveryRole: iam.Role;
  /** Role of the three CodePipelines (and of their actions). */
  public readonly pipelineRole: PassRoleGuardedRole;
  /** Role CloudFormation deploys the stage stacks as. */
  public readonly deployRole: iam.Role;
  /** Role EventBridge starts the pipelines as. */
  public readonly eventsRole: iam.Role;
  private readonly props: DeliveryRolesProps;

  constructor(scope: Construct, id: string, props: DeliveryRolesProps) {
    super(scope, id);
    const { names } = props;
    if (!props.key) throw new Error('key: the project key is required (the stage stacks encrypt with it)');
    this.props = props;
    // A stack whose first creation failed stays in ROLLBACK_COMPLETE and blocks every later deploy:
    // each deploying pipeline first deletes such a stack of its own (StackRecoveryProject), as a
    // role that may only describe and delete those stacks.
    this.stackRecoveryRole = new iam.Role(this.resourceScope, 'StackRecoveryRole', {
      roleName: names.short('stack-recovery'),
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: 'Deletes a deploy or monitoring stack of this project left in ROLLBACK_COMPLETE',
    });
    this.pipelineRole = new PassRoleGuardedRole(this.resourceScope, 'CodePipelineRole', {
      roleName: names.short('codepipeline'),
      // The CloudFormation deploy actions pass the deploy role; to CloudFormation only.
      passedToServices: ['cloudformation.amazonaws.com'],
      // Granted on stack ARNs by the CloudFormation deploy actions; accepts only "*" (Service
      // Authorization Reference: AWS CloudFormation, ValidateTemplate lists no resource type).
      wildcardOnlyActions: ['cloudformation:ValidateTemplate'],
      assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
      description: 'CodePipelines of the seeded repositories of this project',
    });
    this.deployRole = new iam.Role(this.resourceScope, 'CloudFormationDeployRole', {
      roleName: names.short('cfn-deploy'),
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
      description: 'Deploys the model-deploy and monitoring stacks of this project',
    });
    grantStageDeployments(this.deployRole, names, props.jobRoles, props.key, {
      ...(props.monitoringJobDefinitions !== undefined
        ? { monitoringJobDefinitions: props.monitoringJobDefinitions }
        : {}),
    });
    this.eventsRole = new iam.Role(this.resourceScope, 'EventsRole', {
      roleName: names.short('events'),
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Lets EventBridge start the pipelines of this project',
    });
  }

  /**
   * The action deleting this repository's stage stacks left in ROLLBACK_COMPLETE (alongside the build:
   * neither needs the other), with its project in `scope`.
   */
  public recoverStacksAction(
    scope: Construct,
    repository: string,
    input: codepipeline.Artifact,
    stackNames: string[],
  ): actions.CodeBuildAction {
    const { names, key } = this.props;
    return new actions.CodeBuildAction({
      actionName: 'RecoverRolledBackStacks',
      project: new StackRecoveryProject(scope, `${toPascalCase(repository)}StackRecovery`, {
        projectName: names.codeBuildProject(repository, 'recover-stacks'),
        stackNames,
        role: this.stackRecoveryRole,
        encryptionKey: key,
      }).project,
      // CodeBuild actions need an input; the script reads none of it.
      input,
      runOrder: 1,
    });
  }
}
