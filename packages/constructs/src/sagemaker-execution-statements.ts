// Permissions of the SageMaker execution role of a project (JobRoles): the jobs and models of
// its pipelines, the built-in algorithm images, job logs, the pipeline's Lambda steps, auto-rollback
// alarms and passing itself to the jobs it starts.
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { ProjectNames } from './project-names';

/** SageMaker job kinds a project's pipelines run, as their ARN resource types. */
export type SageMakerJobKind = 'training-job' | 'transform-job' | 'processing-job';

/** Every job kind (the DeepAR template's: training, batch transform backtests, processing). */
export const SAGEMAKER_JOB_KINDS: readonly SageMakerJobKind[] = [
  'training-job',
  'transform-job',
  'processing-job',
];

/** `training-job` → `TrainingJob`. */
const apiNameOf = (kind: SageMakerJobKind): string =>
  kind.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase());

/** The statements of the SageMaker execution role, in policy order. */
export function sageMakerExecutionStatements(
  stack: Stack,
  names: ProjectNames,
  modelPackageGroup: sagemaker.CfnModelPackageGroup,
  jobKinds: readonly SageMakerJobKind[] = SAGEMAKER_JOB_KINDS,
): iam.PolicyStatement[] {
  const sm = (resource: string, resourceName: string) =>
    stack.formatArn({ service: 'sagemaker', resource, resourceName });
  return [
    new iam.PolicyStatement({
      // SageMaker Developer Guide, "Auto-Rollback Configuration and Monitoring": the execution
      // role needs cloudwatch:DescribeAlarms on the alarms of the deployment's auto-rollback. The
      // model-deploy stacks name them sagemaker-<project-id>-<stage>-5xx / -latency (never the
      // accuracy prefix), so the grant is on the project's short prefix.
      sid: 'DescribeAutoRollbackAlarms',
      actions: ['cloudwatch:DescribeAlarms'],
      resources: [
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: names.shortNameWildcard,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectSageMakerJobs',
      actions: [
        ...jobKinds.flatMap((kind) =>
          ['Create', 'Describe', 'Stop'].map((verb) => `sagemaker:${verb}${apiNameOf(kind)}`),
        ),
        'sagemaker:CreateModel',
        'sagemaker:DescribeModel',
        'sagemaker:DeleteModel',
        'sagemaker:CreateModelPackage',
        'sagemaker:DescribeModelPackage',
        'sagemaker:UpdateModelPackage',
        'sagemaker:AddTags',
        'sagemaker:ListTags',
      ],
      resources: [
        ...jobKinds.map((kind) => sm(kind, '*')),
        sm('model', '*'),
        sm('model-package', `${names.modelPackageGroup}/*`),
        modelPackageGroup.attrModelPackageGroupArn,
      ],
      conditions: { StringEqualsIfExists: { 'aws:ResourceTag/sagemaker:project-id': names.projectId } },
    }),
    new iam.PolicyStatement({
      sid: 'PullBuiltInAlgorithmImages',
      actions: [
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchCheckLayerAvailability',
      ],
      // Built-in algorithm images live in AWS-owned registries; GetAuthorizationToken takes only "*".
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'JobLogsAndMetrics',
      actions: [
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'logs:DescribeLogStreams',
      ],
      resources: [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: '/aws/sagemaker/*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'PipelineLambdaSteps',
      actions: ['lambda:InvokeFunction'],
      resources: [
        stack.formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: names.shortNameWildcard,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'PassOwnRoleToJobs',
      actions: ['iam:PassRole'],
      resources: [
        stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: names.short('sagemaker-execution'),
        }),
      ],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
  ];
}
