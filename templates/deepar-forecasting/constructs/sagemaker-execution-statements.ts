// Permissions of the SageMaker execution role of a DeepAR project (JobRoles): the jobs and models of
// its pipelines, the built-in algorithm images, job logs, the pipeline's Lambda steps, auto-rollback
// alarms and passing itself to the jobs it starts.
import { ProjectNames } from '@mlops-templates/constructs';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';

/** The statements of the SageMaker execution role, in policy order. */
export function sageMakerExecutionStatements(
  stack: Stack,
  names: ProjectNames,
  modelPackageGroup: sagemaker.CfnModelPackageGroup,
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
        'sagemaker:CreateTrainingJob',
        'sagemaker:DescribeTrainingJob',
        'sagemaker:StopTrainingJob',
        'sagemaker:CreateTransformJob',
        'sagemaker:DescribeTransformJob',
        'sagemaker:StopTransformJob',
        'sagemaker:CreateProcessingJob',
        'sagemaker:DescribeProcessingJob',
        'sagemaker:StopProcessingJob',
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
        sm('training-job', '*'),
        sm('transform-job', '*'),
        sm('processing-job', '*'),
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
