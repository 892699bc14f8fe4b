// Teardown of everything a project's pipelines created outside its product stack: when the
// project is deleted, a custom resource (deleted first, because it depends on the rest) deletes
// the deploy and monitoring stacks, the SageMaker pipelines, model packages, models and endpoint
// configs, schedules, the Lambda functions the model-build pipeline creates (sagemaker-<id>-step-*)
// and their log groups, and — when the data retention policy says Delete — empties and removes the
// project's buckets and deletes its CodeCommit repositories. It also refuses an update that switches
// the repository provider. The function re-invokes itself until the stacks are gone (bounded), so no
// Step Functions waiter is needed.
import { ArnFormat, CfnCondition, CustomResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { applyCondition } from './conditions';
import { ProjectFunction } from './project-function';
import { ProjectNames } from './project-names';
import { validateNotEmpty } from './validation';

/** Properties of {@link ProjectTeardown}. */
export interface ProjectTeardownProps {
  /** The project's names. */
  readonly names: ProjectNames;
  /** Absolute path of the custom resource handler entry. */
  readonly handlerEntry: string;
  /** Prefixes of the CloudFormation stacks the pipelines create. */
  readonly stackNamePrefixes: string[];
  /** SageMaker pipelines created by the seeded repositories' builds. */
  readonly sageMakerPipelineNames: string[];
  /** Buckets emptied and deleted when `dataRetention` is `Delete`. */
  readonly dataBuckets: s3.IBucket[];
  /** `Retain` or `Delete` (a parameter token). */
  readonly dataRetention: string;
  /** Role of the stacks the pipelines deploy (DeleteStack runs with each stack's own role). */
  readonly deployRole: iam.IRole;
  /** Key of the function's environment and of the buckets. */
  readonly key: kms.IKey;
  /** Resources that must still exist while the teardown runs (it is deleted before them). */
  readonly dependsOn: IDependable[];
  /**
   * The project's CodeCommit repositories, deleted with `dataRetention` `Delete` only.
   * @default - none
   */
  readonly codeCommitRepositories?: ProjectTeardownRepositories;
  /**
   * The `RepositoryProvider` value (a parameter token); an update that changes it is refused.
   * @default - not recorded, any change accepted
   */
  readonly repositoryProvider?: string;
  /**
   * Prefix of the Lambda functions the seeded pipelines create outside the stack (deleted with their
   * `/aws/lambda/<name>` log groups).
   * @default - none deleted
   */
  readonly stepFunctionPrefix?: string;
}

/** CodeCommit repositories of a project and the condition under which they exist. */
export interface ProjectTeardownRepositories {
  /** Repository names. */
  readonly names: string[];
  /** True when the repositories exist (e.g. `RepositoryProvider=CodeCommit`). */
  readonly condition: CfnCondition;
}

/** Deletes a project's out-of-stack resources when the project is deleted. */
export class ProjectTeardown extends Construct {
  /** The custom resource. */
  public readonly resource: CustomResource;
  /** The handler. */
  public readonly handler: ProjectFunction;

  constructor(scope: Construct, id: string, props: ProjectTeardownProps) {
    super(scope, id);
    const { names } = props;
    // Each list scopes a statement of the handler role: an empty one leaves a statement with no resource.
    validateNotEmpty('stackNamePrefixes', props.stackNamePrefixes, 'stack name prefix');
    validateNotEmpty('sageMakerPipelineNames', props.sageMakerPipelineNames, 'pipeline name');
    validateNotEmpty('dataBuckets', props.dataBuckets, 'bucket');
    validateNotEmpty('codeCommitRepositories.names', props.codeCommitRepositories?.names, 'repository name');
    if (props.stepFunctionPrefix !== undefined && !props.stepFunctionPrefix.includes(names.projectId)) {
      throw new Error('stepFunctionPrefix: must contain the project id');
    }
    const stack = Stack.of(this);
    const functionName = names.short('teardown');
    this.handler = new ProjectFunction(this, 'Handler', {
      functionName,
      entry: props.handlerEntry,
      description:
        'Deletes what the project pipelines created outside the project stack when the project is deleted',
      encryptionKey: props.key,
      timeout: Duration.minutes(15),
      memorySize: 512,
    });
    const role = this.handler.role;
    for (const statement of teardownStatements(stack, props, functionName)) role.addToPolicy(statement);
    // Only when the repositories exist and DataRetention=Delete: exactly the project's repositories.
    let repositoryGrant: iam.Policy | undefined;
    let deleteRepositories: CfnCondition | undefined;
    if (props.codeCommitRepositories !== undefined) {
      deleteRepositories = new CfnCondition(this, 'DeletesRepositories', {
        expression: Fn.conditionAnd(
          props.codeCommitRepositories.condition,
          Fn.conditionEquals(props.dataRetention, 'Delete'),
        ),
      });
      repositoryGrant = new iam.Policy(this, 'RepositoryDeletion', {
        roles: [role],
        statements: [
          new iam.PolicyStatement({
            sid: 'DeleteProjectRepositories',
            actions: ['codecommit:DeleteRepository'],
            resources: props.codeCommitRepositories.names.map((n) =>
              stack.formatArn({ service: 'codecommit', resource: n, arnFormat: ArnFormat.NO_RESOURCE_NAME }),
            ),
          }),
        ],
      });
      applyCondition(repositoryGrant, deleteRepositories);
    }

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.function.functionArn,
      resourceType: 'Custom::SageMakerProjectTeardown',
      serviceTimeout: Duration.hours(1),
      properties: {
        ProjectName: names.projectName,
        ProjectId: names.projectId,
        StackNamePrefixes: props.stackNamePrefixes,
        SageMakerPipelineNames: props.sageMakerPipelineNames,
        ModelPackageGroupName: names.modelPackageGroup,
        ScheduleNamePrefix: names.shortNamePrefix,
        DataBuckets: props.dataBuckets.map((b) => b.bucketName),
        DataRetention: props.dataRetention,
        ResourceNameFilter: names.projectId,
        ...(props.codeCommitRepositories !== undefined && {
          CodeCommitRepositories: Fn.conditionIf(
            props.codeCommitRepositories.condition.logicalId,
            props.codeCommitRepositories.names,
            [],
          ),
        }),
        ...(props.repositoryProvider !== undefined && { RepositoryProvider: props.repositoryProvider }),
        ...(props.stepFunctionPrefix !== undefined && { StepFunctionPrefix: props.stepFunctionPrefix }),
        // Deleted after the teardown ran (a DependsOn on a conditional policy is invalid, E3005).
        ...(repositoryGrant !== undefined &&
          deleteRepositories !== undefined && {
            RepositoryDeletionGrant: Fn.conditionIf(
              deleteRepositories.logicalId,
              (repositoryGrant.node.defaultChild as iam.CfnPolicy).ref,
              'none',
            ),
          }),
      },
    });
    for (const d of props.dependsOn) this.resource.node.addDependency(d);
  }
}

/** The handler role's statements (the repository deletion is a separate, conditional policy). */
function teardownStatements(
  stack: Stack,
  props: ProjectTeardownProps,
  functionName: string,
): iam.PolicyStatement[] {
  const { names } = props;
  const arn = (
    service: string,
    resource: string,
    resourceName: string,
    fmt = ArnFormat.SLASH_RESOURCE_NAME,
  ) => stack.formatArn({ service, resource, resourceName, arnFormat: fmt });
  const statements: iam.PolicyStatement[] = [];
  statements.push(
    new iam.PolicyStatement({
      sid: 'ListWithoutResourceLevelPermissions',
      // These list APIs accept only "*" as resource.
      actions: [
        'cloudformation:ListStacks',
        'sagemaker:ListModelPackages',
        'sagemaker:ListModels',
        'sagemaker:ListEndpointConfigs',
        'scheduler:ListSchedules',
        // Service Authorization Reference: AWS Lambda — ListFunctions defines no resource type.
        ...(props.stepFunctionPrefix !== undefined ? ['lambda:ListFunctions'] : []),
      ],
      resources: ['*'],
    }),
  );
  if (props.stepFunctionPrefix !== undefined) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'DeletePipelineStepFunctions',
        actions: ['lambda:DeleteFunction'],
        resources: [arn('lambda', 'function', `${props.stepFunctionPrefix}*`, ArnFormat.COLON_RESOURCE_NAME)],
      }),
    );
    statements.push(
      new iam.PolicyStatement({
        sid: 'DeletePipelineStepLogGroups',
        actions: ['logs:DeleteLogGroup'],
        resources: [
          arn('logs', 'log-group', `/aws/lambda/${props.stepFunctionPrefix}*`, ArnFormat.COLON_RESOURCE_NAME),
        ],
      }),
    );
  }
  statements.push(
    new iam.PolicyStatement({
      sid: 'DeletePipelineStacks',
      actions: ['cloudformation:DeleteStack', 'cloudformation:DescribeStacks'],
      resources: props.stackNamePrefixes.map((p) => arn('cloudformation', 'stack', `${p}*/*`)),
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'PassStackRoleForDeletion',
      actions: ['iam:PassRole'],
      resources: [props.deployRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'DeleteSageMakerPipelines',
      actions: ['sagemaker:DeletePipeline', 'sagemaker:DescribePipeline'],
      resources: props.sageMakerPipelineNames.map((p) => arn('sagemaker', 'pipeline', p)),
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'DeleteModelPackages',
      actions: ['sagemaker:DeleteModelPackage', 'sagemaker:DescribeModelPackage'],
      resources: [arn('sagemaker', 'model-package', `${names.modelPackageGroup}/*`)],
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'DeleteProjectModels',
      actions: ['sagemaker:ListTags', 'sagemaker:DeleteModel', 'sagemaker:DeleteEndpointConfig'],
      resources: [arn('sagemaker', 'model', '*'), arn('sagemaker', 'endpoint-config', '*')],
      conditions: { StringEquals: { 'aws:ResourceTag/sagemaker:project-id': names.projectId } },
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'DeleteProjectSchedules',
      actions: ['scheduler:DeleteSchedule'],
      resources: [arn('scheduler', 'schedule', `default/${names.shortNameWildcard}`)],
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'EmptyAndDeleteDataBuckets',
      actions: [
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:DeleteBucket',
      ],
      resources: props.dataBuckets.flatMap((b) => [b.bucketArn, b.arnForObjects('*')]),
    }),
  );
  statements.push(
    new iam.PolicyStatement({
      sid: 'ContinueAsynchronously',
      actions: ['lambda:InvokeFunction'],
      resources: [arn('lambda', 'function', functionName, ArnFormat.COLON_RESOURCE_NAME)],
    }),
  );
  return statements;
}
