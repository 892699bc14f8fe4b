// Permissions of the CloudFormation role that deploys the model-deploy and monitoring stacks of a
// project (DeliveryRoles): only this project's endpoints, models, alarms, dashboards, schedules,
// collector functions and stacks; roles only with the portfolio boundary (the product stack applies it
// to this role too).
import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { JobRoles } from './job-roles';
import { BUCKET_PREFIXES, ProjectNames } from './project-names';

type ArnOf = (service: string, resource: string, resourceName: string, fmt?: ArnFormat) => string;

/**
 * A Model Monitor job definition kind the monitoring stacks create (CloudFormation
 * AWS::SageMaker::ModelQualityJobDefinition, AWS::SageMaker::DataQualityJobDefinition).
 */
export type MonitoringJobDefinitionKind = 'model-quality' | 'data-quality';

/** Options of {@link grantStageDeployments}. */
export interface StageDeploymentOptions {
  /**
   * The job definition kinds the monitoring stacks create; each is granted create, describe and delete
   * on the project's names (the resource type `<kind>-job-definition`, Service Authorization Reference:
   * Amazon SageMaker AI).
   * @default ['model-quality']
   */
  readonly monitoringJobDefinitions?: readonly MonitoringJobDefinitionKind[];
}

const JOB_DEFINITION_ACTION: Record<MonitoringJobDefinitionKind, string> = {
  'model-quality': 'ModelQualityJobDefinition',
  'data-quality': 'DataQualityJobDefinition',
};

/** Grants `role` the stage deployments, in policy order. */
export function grantStageDeployments(
  role: iam.Role,
  names: ProjectNames,
  jobRoles: JobRoles,
  key: kms.IKey,
  options: StageDeploymentOptions = {},
): void {
  const kinds = options.monitoringJobDefinitions ?? ['model-quality'];
  if (kinds.length === 0 || new Set(kinds).size !== kinds.length) {
    throw new Error(
      `monitoringJobDefinitions: must list each kind once, at least one, got [${kinds.join(', ')}]`,
    );
  }
  const stack = Stack.of(role);
  const arn: ArnOf = (service, resource, resourceName, fmt = ArnFormat.SLASH_RESOURCE_NAME) =>
    stack.formatArn({ service, resource, resourceName, arnFormat: fmt });
  for (const st of [
    ...stackAndMonitoringStatements(stack, names, arn, kinds),
    ...scalingAndCollectorStatements(names, arn),
  ]) {
    role.addToPolicy(st);
  }
  jobRoles.grantPassToStageStacks(role);
  for (const st of codeAndKeyStatements(names, key)) role.addToPolicy(st);
}

/** The stage stacks, their endpoints and models, alarms, dashboards and schedules. */
function stackAndMonitoringStatements(
  stack: Stack,
  names: ProjectNames,
  arn: ArnOf,
  kinds: readonly MonitoringJobDefinitionKind[],
): iam.PolicyStatement[] {
  const short = names.shortNameWildcard;
  const long = names.longNameWildcard;
  return [
    new iam.PolicyStatement({
      sid: 'OwnStacks',
      actions: [
        'cloudformation:DescribeStacks',
        'cloudformation:CreateChangeSet',
        'cloudformation:DescribeChangeSet',
        'cloudformation:ExecuteChangeSet',
      ],
      resources: [arn('cloudformation', 'stack', `${long}/*`)],
    }),
    new iam.PolicyStatement({
      sid: 'Endpoints',
      actions: [
        'sagemaker:CreateModel',
        'sagemaker:DeleteModel',
        'sagemaker:DescribeModel',
        'sagemaker:CreateEndpointConfig',
        'sagemaker:DeleteEndpointConfig',
        'sagemaker:DescribeEndpointConfig',
        'sagemaker:CreateEndpoint',
        'sagemaker:UpdateEndpoint',
        'sagemaker:DeleteEndpoint',
        'sagemaker:DescribeEndpoint',
        // Application Auto Scaling checks at RegisterScalableTarget that the caller may scale the
        // endpoint (Application Auto Scaling User Guide, "Identity and access management", permissions
        // for SageMaker AI targets: DescribeEndpoint, UpdateEndpointWeightsAndCapacities).
        'sagemaker:UpdateEndpointWeightsAndCapacities',
        'sagemaker:AddTags',
        'sagemaker:DeleteTags',
        'sagemaker:ListTags',
        'sagemaker:CreateMonitoringSchedule',
        'sagemaker:UpdateMonitoringSchedule',
        'sagemaker:DeleteMonitoringSchedule',
        'sagemaker:DescribeMonitoringSchedule',
        ...kinds.flatMap((kind) =>
          ['Create', 'Delete', 'Describe'].map((verb) => `sagemaker:${verb}${JOB_DEFINITION_ACTION[kind]}`),
        ),
      ],
      resources: [
        arn('sagemaker', 'model', short),
        arn('sagemaker', 'endpoint-config', short),
        arn('sagemaker', 'endpoint', short),
        arn('sagemaker', 'monitoring-schedule', short),
        ...kinds.map((kind) => arn('sagemaker', `${kind}-job-definition`, short)),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ReadApprovedModelPackages',
      actions: ['sagemaker:DescribeModelPackage'],
      resources: [arn('sagemaker', 'model-package', `${names.modelPackageGroup}/*`)],
    }),
    new iam.PolicyStatement({
      sid: 'AlarmsDashboardsSchedules',
      actions: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:PutDashboard',
        'cloudwatch:DeleteDashboards',
        'cloudwatch:GetDashboard',
        'scheduler:CreateSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
      ],
      resources: [
        arn('cloudwatch', 'alarm', short, ArnFormat.COLON_RESOURCE_NAME),
        arn('cloudwatch', 'alarm', long, ArnFormat.COLON_RESOURCE_NAME),
        stack.formatArn({ service: 'cloudwatch', region: '', resource: 'dashboard', resourceName: short }),
        arn('scheduler', 'schedule', `default/${short}`),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'LogGroupsDescribe',
      // CloudFormation's AWS::Logs::LogGroup handlers call DescribeLogGroups, which accepts only "*"
      // (Service Authorization Reference: Amazon CloudWatch Logs, DescribeLogGroups).
      actions: ['logs:DescribeLogGroups'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'TargetTrackingAlarms',
      // A target-tracking policy creates and deletes its alarms (TargetTracking-<resource id>-…) with
      // the caller's permissions (Application Auto Scaling User Guide, "Target tracking scaling
      // policies"; IAM for Application Auto Scaling, "Permissions required for API actions").
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'],
      resources: [
        arn('cloudwatch', 'alarm', `TargetTracking-endpoint/${short}`, ArnFormat.COLON_RESOURCE_NAME),
      ],
    }),
  ];
}

/** Endpoint autoscaling and the monitoring collector functions. */
function scalingAndCollectorStatements(names: ProjectNames, arn: ArnOf): iam.PolicyStatement[] {
  const short = names.shortNameWildcard;
  return [
    new iam.PolicyStatement({
      sid: 'AutoscalingServiceLinkedRole',
      // The first endpoint autoscaling registration in an account creates this service-linked role.
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
      ],
      conditions: {
        StringEquals: { 'iam:AWSServiceName': 'sagemaker.application-autoscaling.amazonaws.com' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'Autoscaling',
      actions: [
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:PutScalingPolicy',
        'application-autoscaling:DeleteScalingPolicy',
      ],
      // A scalable target's ARN carries an id Application Auto Scaling generates at registration,
      // unknown here: "*" limited to SageMaker targets by the service-namespace key these actions
      // support (Service Authorization Reference: Application Auto Scaling).
      resources: ['*'],
      conditions: { StringEquals: { 'application-autoscaling:service-namespace': 'sagemaker' } },
    }),
    new iam.PolicyStatement({
      sid: 'AutoscalingDescribe',
      // The Describe* actions define no resource type and support no condition key (Service
      // Authorization Reference: Application Auto Scaling): a namespace condition would never match.
      actions: [
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:DescribeScalingPolicies',
        'application-autoscaling:DescribeScheduledActions',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'CollectorFunctions',
      actions: [
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:GetFunction',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:AddPermission',
        'lambda:RemovePermission',
        'lambda:TagResource',
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:TagResource',
      ],
      resources: [
        arn('lambda', 'function', short, ArnFormat.COLON_RESOURCE_NAME),
        arn('logs', 'log-group', `/aws/lambda/${short}`, ArnFormat.COLON_RESOURCE_NAME),
      ],
    }),
  ];
}

/** The collector code the stacks deploy and the project key they encrypt with. */
function codeAndKeyStatements(names: ProjectNames, key: kms.IKey): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadCollectorCode',
      // Lambda reads the function code with the deploying principal's permissions.
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [`arn:${Aws.PARTITION}:s3:::${names.projectBucket}/${BUCKET_PREFIXES.monitoring}code/*`],
    }),
    new iam.PolicyStatement({
      sid: 'UseProjectKey',
      actions: ['kms:DescribeKey', 'kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
    }),
  ];
}
