// Teardown of everything a project's pipelines created outside its product stack: when the
// project is deleted, a custom resource (deleted first, because it depends on the rest) deletes
// the deploy and monitoring stacks, the SageMaker pipelines, model packages, models and endpoint
// configs, schedules, and — when the data retention policy says Delete — empties and removes the
// project's buckets. The function re-invokes itself until the stacks are gone (bounded), so no
// Step Functions waiter is needed.
import { ArnFormat, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { ProjectFunction } from './project-function';
import { ProjectNames } from './project-names';

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
    const arn = (
      service: string,
      resource: string,
      resourceName: string,
      fmt = ArnFormat.SLASH_RESOURCE_NAME,
    ) => stack.formatArn({ service, resource, resourceName, arnFormat: fmt });
    const role = this.handler.role;
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListWithoutResourceLevelPermissions',
        // These list APIs accept only "*" as resource.
        actions: [
          'cloudformation:ListStacks',
          'sagemaker:ListModelPackages',
          'sagemaker:ListModels',
          'sagemaker:ListEndpointConfigs',
          'scheduler:ListSchedules',
        ],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeletePipelineStacks',
        actions: ['cloudformation:DeleteStack', 'cloudformation:DescribeStacks'],
        resources: props.stackNamePrefixes.map((p) => arn('cloudformation', 'stack', `${p}*/*`)),
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PassStackRoleForDeletion',
        actions: ['iam:PassRole'],
        resources: [props.deployRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeleteSageMakerPipelines',
        actions: ['sagemaker:DeletePipeline', 'sagemaker:DescribePipeline'],
        resources: props.sageMakerPipelineNames.map((p) => arn('sagemaker', 'pipeline', p)),
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeleteModelPackages',
        actions: ['sagemaker:DeleteModelPackage', 'sagemaker:DescribeModelPackage'],
        resources: [arn('sagemaker', 'model-package', `${names.modelPackageGroup}/*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeleteProjectModels',
        actions: ['sagemaker:ListTags', 'sagemaker:DeleteModel', 'sagemaker:DeleteEndpointConfig'],
        resources: [arn('sagemaker', 'model', '*'), arn('sagemaker', 'endpoint-config', '*')],
        conditions: { StringEquals: { 'aws:ResourceTag/sagemaker:project-id': names.projectId } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DeleteProjectSchedules',
        actions: ['scheduler:DeleteSchedule'],
        resources: [arn('scheduler', 'schedule', `default/${names.shortPrefix}-*`)],
      }),
    );
    role.addToPolicy(
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
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ContinueAsynchronously',
        actions: ['lambda:InvokeFunction'],
        resources: [arn('lambda', 'function', functionName, ArnFormat.COLON_RESOURCE_NAME)],
      }),
    );

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
        ScheduleNamePrefix: `${names.shortPrefix}-`,
        DataBuckets: props.dataBuckets.map((b) => b.bucketName),
        DataRetention: props.dataRetention,
        ResourceNameFilter: names.projectId,
      },
    });
    for (const d of props.dependsOn) this.resource.node.addDependency(d);
  }
}
