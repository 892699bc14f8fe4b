// The permissions boundary every IAM role created by a product (and by the pipelines a
// product creates) must carry. The portfolio creates it; products reference it by name.
import { PROJECT_RESOURCE_PREFIX } from '@mlops-templates/project-contract';
import { Arn, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './nag-acknowledgements';

/** Name of the customer managed policy used as permissions boundary for project roles. */
export const PROJECT_ROLES_BOUNDARY_POLICY_NAME = 'sagemaker-projects-role-boundary';

/** Prefix every resource a project creates carries in its name, so IAM can scope to it (the contract's). */
export { PROJECT_RESOURCE_PREFIX };

/** ARN of the project roles permissions boundary in the stack's account and partition. */
export function projectRolesBoundaryArn(scope: Construct): string {
  return Arn.format(
    { service: 'iam', region: '', resource: 'policy', resourceName: PROJECT_ROLES_BOUNDARY_POLICY_NAME },
    Stack.of(scope),
  );
}

/** The boundary as an `IManagedPolicy`, for `PermissionsBoundary.of(scope).apply(...)`. */
export function projectRolesBoundary(scope: Construct, id = 'ProjectRolesBoundary'): iam.IManagedPolicy {
  return iam.ManagedPolicy.fromManagedPolicyArn(scope, id, projectRolesBoundaryArn(scope));
}

/**
 * Ceiling of what project roles may ever do, by service and verb family (each service's resources in
 * {@link projectServiceResources}).
 */
const PROJECT_SERVICE_ACTIONS: readonly string[] = [
  // Ceiling of what project roles may ever do, by service and verb family.
  'sagemaker:Add*',
  'sagemaker:Create*',
  'sagemaker:Delete*',
  'sagemaker:Describe*',
  'sagemaker:List*',
  'sagemaker:Update*',
  'sagemaker:Start*',
  'sagemaker:Stop*',
  'sagemaker:Retry*',
  'sagemaker:Send*',
  'sagemaker:InvokeEndpoint',
  'sagemaker:GetRecord',
  'sagemaker:PutRecord',
  'sagemaker:BatchGetRecord',
  's3:GetObject*',
  's3:PutObject*',
  's3:DeleteObject*',
  's3:ListBucket*',
  's3:GetBucket*',
  's3:AbortMultipartUpload',
  // Teardown with DataRetention=Delete removes the project's buckets
  // (Service Authorization Reference: Amazon S3 — DeleteBucket on the bucket resource).
  's3:DeleteBucket',
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
  'kms:ReEncrypt*',
  'kms:CreateGrant',
  'logs:CreateLog*',
  'logs:PutLogEvents',
  'logs:Describe*',
  'logs:GetLogEvents',
  // Service Authorization Reference: Amazon CloudWatch Logs — on the log-group resource.
  'logs:PutRetentionPolicy',
  'logs:TagResource',
  'logs:DeleteLogGroup',
  'cloudwatch:DescribeAlarms',
  'cloudwatch:PutMetricAlarm',
  'cloudwatch:DeleteAlarms',
  'cloudwatch:PutDashboard',
  'cloudwatch:DeleteDashboards',
  'cloudwatch:GetDashboard',
  // Service Authorization Reference: Amazon CloudWatch — TagResource on alarm/dashboard.
  'cloudwatch:TagResource',
  'codecommit:Git*',
  'codecommit:Get*',
  'codecommit:UploadArchive',
  'codecommit:CancelUploadArchive',
  // The teardown deletes the project repositories with DataRetention=Delete (role policy conditional).
  'codecommit:DeleteRepository',
  'codebuild:StartBuild',
  'codebuild:BatchGet*',
  'codebuild:StopBuild',
  'codebuild:CreateReport*',
  'codebuild:UpdateReport',
  'codebuild:BatchPutTestCases',
  'codebuild:BatchPutCodeCoverages',
  'codepipeline:StartPipelineExecution',
  'codepipeline:Get*',
  'codepipeline:List*',
  'codepipeline:PutJob*',
  'cloudformation:CreateStack',
  'cloudformation:UpdateStack',
  'cloudformation:DeleteStack',
  'cloudformation:Describe*',
  'cloudformation:GetTemplate*',
  // The CodePipeline CloudFormation deploy action's stack permissions (aws-cdk-lib grants
  // them; CodePipeline User Guide, "Manage the CodePipeline service role": the default
  // service role policy allows them). ValidateTemplate accepts only "*": see below.
  'cloudformation:GetStackPolicy',
  'cloudformation:SetStackPolicy',
  'cloudformation:CreateChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:DeleteChangeSet',
  'cloudformation:ListStacks',
  'lambda:InvokeFunction',
  'lambda:GetFunction*',
  'lambda:CreateFunction',
  'lambda:UpdateFunction*',
  'lambda:DeleteFunction',
  'lambda:AddPermission',
  'lambda:RemovePermission',
  'lambda:TagResource',
  'events:PutRule',
  'events:PutTargets',
  'events:DeleteRule',
  'events:RemoveTargets',
  'events:DescribeRule',
  'events:PutEvents',
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
  'scheduler:ListSchedules',
  'sns:Publish',
  'ssm:GetParameter*',
  'ssm:PutParameter',
  'ssm:DeleteParameter*',
  'athena:StartQueryExecution',
  'athena:GetQuery*',
  'athena:StopQueryExecution',
  'glue:GetTable*',
  'glue:GetDatabase*',
  'glue:GetPartition*',
  'application-autoscaling:*ScalingPolic*',
  'application-autoscaling:*ScalableTarget*',
  'iam:GetRole',
  'iam:PassRole',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'states:StartExecution',
  'states:DescribeExecution',
];

/**
 * Where each service's project actions may apply: resources named with the project prefix wherever
 * the service names resources after the caller's choice, and the reason wherever it does not.
 */
function projectServiceResources(p: string): Record<string, { resources: string[]; why: string }> {
  const P = Aws.PARTITION;
  const here = (service: string, resource: string): string =>
    `arn:${P}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  return {
    sagemaker: {
      resources: [here('sagemaker', '*')],
      why: 'SageMaker Pipelines and Model Monitor name the jobs, executions and trial components they run (pipelines-<execution>-…), so their ARNs carry no project prefix',
    },
    s3: { resources: [`arn:${P}:s3:::${p}*`], why: 'the project buckets and their objects' },
    kms: {
      resources: [here('kms', 'key/*'), here('kms', `alias/${p}*`)],
      why: 'KMS generates key ids; project keys carry a sagemaker:project-id tag the role policies require',
    },
    logs: {
      resources: [
        here('logs', `log-group:/aws/lambda/${p}*`),
        here('logs', `log-group:/aws/codebuild/${p}*`),
        here('logs', 'log-group:/aws/sagemaker/*'),
      ],
      why: 'log groups of the project functions and builds, and the ones SageMaker names for its jobs and endpoints',
    },
    cloudwatch: {
      resources: [
        here('cloudwatch', `alarm:${p}*`),
        here('cloudwatch', `alarm:TargetTracking-endpoint/${p}*`),
        // Service Authorization Reference: Amazon CloudWatch — dashboard ARNs carry no region.
        `arn:${P}:cloudwatch::${Aws.ACCOUNT_ID}:dashboard/${p}*`,
      ],
      why: "the project's alarms (and the target-tracking alarms of its endpoints) and dashboards",
    },
    codecommit: { resources: [here('codecommit', `${p}*`)], why: 'the project repositories' },
    codebuild: {
      resources: [here('codebuild', `project/${p}*`), here('codebuild', `report-group/${p}*`)],
      why: 'the project builds and their report groups',
    },
    codepipeline: { resources: [here('codepipeline', `${p}*`)], why: 'the project pipelines' },
    cloudformation: {
      resources: [here('cloudformation', `stack/${p}*`)],
      why: 'the stacks the project pipelines deploy',
    },
    lambda: { resources: [here('lambda', `function:${p}*`)], why: 'the project functions' },
    events: {
      resources: [here('events', `rule/${p}*`), here('events', 'event-bus/default')],
      why: "the project's rules, and the default bus its code puts events on",
    },
    scheduler: {
      resources: [here('scheduler', `schedule/default/${p}*`), here('scheduler', 'schedule-group/default')],
      why: "the project's schedules in the default group",
    },
    sns: { resources: [here('sns', `${p}*`)], why: 'the project topics' },
    ssm: {
      resources: [here('ssm', 'parameter/sagemaker/*')],
      why: "the project's parameters under /sagemaker/",
    },
    athena: {
      resources: [here('athena', 'workgroup/*')],
      why: "the Athena workgroup is the account's choice (primary by default), not the project's",
    },
    glue: {
      resources: [
        here('glue', 'catalog'),
        here('glue', 'database/sagemaker_featurestore'),
        here('glue', 'table/sagemaker_featurestore/*'),
      ],
      why: "the Feature Store offline store's Glue database, whose name SageMaker fixes",
    },
    'application-autoscaling': {
      resources: [here('application-autoscaling', 'scalable-target/*')],
      why: 'Application Auto Scaling generates scalable-target ids',
    },
    iam: { resources: [`arn:${P}:iam::${Aws.ACCOUNT_ID}:role/${p}*`], why: 'the project roles' },
    states: {
      resources: [here('states', `stateMachine:${p}*`), here('states', `execution:${p}*`)],
      why: 'the project state machines and their executions',
    },
  };
}

/** One ceiling statement per service, on that service's project resources. */
function projectServiceStatements(p: string): iam.PolicyStatement[] {
  const byService = new Map<string, string[]>();
  for (const action of PROJECT_SERVICE_ACTIONS) {
    const service = action.split(':')[0];
    byService.set(service, [...(byService.get(service) ?? []), action]);
  }
  const resources = projectServiceResources(p);
  return [...byService].map(([service, actions]) => {
    const scope = resources[service];
    if (!scope) throw new Error(`permissions boundary: no project resources declared for ${service}`);
    return new iam.PolicyStatement({ sid: projectServiceSid(service), actions, resources: scope.resources });
  });
}

const projectServiceSid = (service: string): string =>
  `Project${service.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase())}`;

/** Properties of {@link ProjectRolesPermissionsBoundary}. */
export interface ProjectRolesPermissionsBoundaryProps {
  /**
   * Extra statements allowed inside the boundary, for templates that use services beyond the
   * default set.
   * @default - none
   */
  readonly additionalStatements?: iam.PolicyStatement[];
  /**
   * Name of the bucket holding the products' assets (Lambda code, seed archives, the seeding
   * bundle), which project roles read (CodeBuild fetches an S3 source with the project's role). A
   * name without the project prefix is outside the project S3 statement: the boundary then admits
   * read-only access to exactly that bucket.
   * @default - the assets bucket carries the project prefix (`sagemaker-projects-assets-…`)
   */
  readonly assetBucketName?: string;
}

/**
 * Creates the permissions boundary policy. It is a ceiling, not a grant: a project role can
 * never do more than this, whatever its own policies say. It allows the services the MLOps
 * loop uses on resources named with the project prefix, and denies every IAM write that could
 * create or free a role from the boundary.
 */
export class ProjectRolesPermissionsBoundary extends Construct {
  /** The boundary policy. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ProjectRolesPermissionsBoundaryProps = {}) {
    super(scope, id);
    const arn = (service: string, resource: string, region = Aws.REGION): string =>
      `arn:${Aws.PARTITION}:${service}:${region}:${service === 's3' ? '' : Aws.ACCOUNT_ID}:${resource}`;
    const p = PROJECT_RESOURCE_PREFIX;
    const boundaryArn = projectRolesBoundaryArn(this);

    const statements = [
      ...projectServiceStatements(p),
      new iam.PolicyStatement({
        sid: 'ReadDataOfThisAccount',
        // A project's training data may live in any bucket of the account (DataSourceType=s3, or a
        // Feature Group's offline store, which Athena reads with the caller's credentials — Athena
        // User Guide, "Access to Amazon S3"). S3 ARNs carry no account: aws:ResourceAccount keeps the
        // read-only ceiling inside this account (IAM User Guide, "AWS global condition context keys").
        actions: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
        resources: [`arn:${Aws.PARTITION}:s3:::*`],
        conditions: { StringEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID } },
      }),
      new iam.PolicyStatement({
        sid: 'ApisWithoutResourceLevelPermissions',
        actions: [
          // Registry images of the SageMaker built-in algorithms live in AWS-owned accounts.
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
          'ecr:BatchCheckLayerAvailability',
          // These APIs accept only "*" as resource (IAM service authorization reference).
          'ecr:GetAuthorizationToken',
          'sts:GetCallerIdentity',
          'cloudformation:ValidateTemplate',
          'cloudwatch:PutMetricData',
          'cloudwatch:GetMetricData',
          'sagemaker:Search',
          'codecommit:ListRepositories',
          // List APIs the retrain decision and the teardown call, authorised on "*" only (IAM Service
          // Authorization Reference: Amazon SageMaker AI ListModelPackages / ListModels /
          // ListEndpointConfigs, AWS CloudFormation ListStacks, Amazon EventBridge Scheduler
          // ListSchedules). Role policies grant them on "*" too; the boundary must not cap them away.
          'sagemaker:ListModelPackages',
          'sagemaker:ListModels',
          'sagemaker:ListEndpointConfigs',
          'cloudformation:ListStacks',
          'scheduler:ListSchedules',
          // Service Authorization Reference: AWS Lambda — ListFunctions defines no resource type; the
          // teardown lists the pipeline step functions (sagemaker-<id>-step-*) to delete them.
          'lambda:ListFunctions',
          // Service Authorization Reference: Application Auto Scaling — the Describe* actions define
          // no resource type ("*" only). RegisterScalableTarget, PutScalingPolicy,
          // DeregisterScalableTarget and DeleteScalingPolicy require the scalable-target resource and
          // stay in the ProjectApplicationAutoscaling statement; sagemaker:UpdateEndpointWeightsAndCapacities is covered by
          // sagemaker:Update*.
          'application-autoscaling:DescribeScalableTargets',
          'application-autoscaling:DescribeScalingPolicies',
          'application-autoscaling:DescribeScalingActivities',
          'application-autoscaling:DescribeScheduledActions',
          // Service Authorization Reference: Amazon CloudWatch Logs — DescribeLogGroups defines no
          // resource type; CloudFormation's AWS::Logs::LogGroup handlers call it (a seeded stack's
          // log group is created by the deploy role, under this boundary).
          'logs:DescribeLogGroups',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ConnectionsTaggedForSageMaker',
        // Only connections of this account and region that their owner tagged sagemaker=true, the
        // tag SageMaker's own project roles require (SageMaker Developer Guide, "Use third-party
        // Git repositories", and the AmazonSageMakerServiceCatalogProducts* managed policies).
        // Service Authorization Reference: AWS CodeConnections — the Connection resource type
        // supports aws:ResourceTag/${TagKey}; both service prefixes name the same connections.
        actions: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'],
        resources: [arn('codeconnections', 'connection/*'), arn('codestar-connections', 'connection/*')],
        conditions: { StringEqualsIgnoreCase: { 'aws:ResourceTag/sagemaker': 'true' } },
      }),
      new iam.PolicyStatement({
        sid: 'EndpointAutoscalingServiceLinkedRole',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [
          `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/*`,
        ],
        conditions: {
          StringEquals: { 'iam:AWSServiceName': 'sagemaker.application-autoscaling.amazonaws.com' },
        },
      }),
      ...boundaryGuardStatements(boundaryArn, arn('iam', `role/${p}*`, ''), arn('iam', 'role/*', '')),
      ...(props.assetBucketName !== undefined && !props.assetBucketName.startsWith(p)
        ? [
            new iam.PolicyStatement({
              sid: 'ReadProductAssets',
              // What the seeding build and CodeBuild's S3 source download read (GetBucketAcl and
              // GetBucketLocation: CodeBuild User Guide, "Allow CodeBuild to interact with S3").
              actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetBucketLocation', 's3:GetBucketAcl'],
              resources: [
                `arn:${Aws.PARTITION}:s3:::${props.assetBucketName}`,
                `arn:${Aws.PARTITION}:s3:::${props.assetBucketName}/*`,
              ],
            }),
          ]
        : []),
      ...(props.additionalStatements ?? []),
    ];
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: PROJECT_ROLES_BOUNDARY_POLICY_NAME,
      description: 'Permissions boundary for every IAM role created by a SageMaker project template.',
      statements,
    });
    const ceiling =
      'Permissions boundary: a ceiling intersected with each role policy, which grants only project-scoped resources';
    acknowledgeWildcards(this.policy, statements, {
      ...Object.fromEntries(
        Object.entries(projectServiceResources(p)).map(([service, { why }]) => [
          projectServiceSid(service),
          `${ceiling}; ${why}`,
        ]),
      ),
      ApisWithoutResourceLevelPermissions:
        'These APIs support no resource-level permissions, and the built-in algorithm images live in AWS-owned registries',
      RoleWritesOnlyWithThisBoundary: `${ceiling}; role writes only with this boundary attached`,
      ConnectionsTaggedForSageMaker:
        'Connection ids are random; only connections of this account and region tagged sagemaker=true',
      EndpointAutoscalingServiceLinkedRole:
        'Service-linked role path of SageMaker endpoint autoscaling, created by AWS with a fixed name',
      ReadDataOfThisAccount:
        "Read-only, and only buckets of this account (aws:ResourceAccount): a project's data location is chosen at project creation",
      ReadProductAssets: `${ceiling}; read-only, the configured product assets bucket only`,
      NeverEscapeTheBoundary: 'Deny statement: the wildcard widens the protection',
      NoRoleWithoutThisBoundary: 'Deny statement: the wildcard widens the protection',
      ...Object.fromEntries((props.additionalStatements ?? []).map((s) => [s.sid ?? '', ceiling])),
    });
  }
}

/**
 * The statements that keep project roles inside the boundary: role writes only on project roles and
 * only with this boundary attached, never a way to remove or rewrite it, and no role created without it.
 */
function boundaryGuardStatements(
  boundaryArn: string,
  projectRolesArn: string,
  anyRoleArn: string,
): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'RoleWritesOnlyWithThisBoundary',
      actions: [
        'iam:CreateRole',
        'iam:PutRolePolicy',
        'iam:AttachRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:DeleteRole',
        'iam:PutRolePermissionsBoundary',
      ],
      resources: [projectRolesArn],
      conditions: { StringEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    }),
    new iam.PolicyStatement({
      sid: 'NeverEscapeTheBoundary',
      effect: iam.Effect.DENY,
      actions: [
        'iam:DeleteRolePermissionsBoundary',
        'iam:CreatePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
      ],
      resources: [boundaryArn, anyRoleArn],
    }),
    new iam.PolicyStatement({
      sid: 'NoRoleWithoutThisBoundary',
      effect: iam.Effect.DENY,
      actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    }),
  ];
}
