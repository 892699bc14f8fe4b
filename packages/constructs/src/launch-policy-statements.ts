// The statements of the products' launch policy (SageMakerProductsLaunchPolicy), as pure functions of
// the names they are scoped to, grouped by what they let a product launch do, with the reason each
// wildcard is needed (the cdk-nag IAM5 acknowledgements). Least privilege: only the actions the
// product resources need, on resources named with the `sagemaker-` prefix.
import * as iam from 'aws-cdk-lib/aws-iam';

/** Services that roles created by products may be passed to. */
export const PASSABLE_TO_SERVICES = [
  'lambda.amazonaws.com',
  'codebuild.amazonaws.com',
  'codepipeline.amazonaws.com',
  'events.amazonaws.com',
  'scheduler.amazonaws.com',
  'sagemaker.amazonaws.com',
  'cloudformation.amazonaws.com',
  'states.amazonaws.com',
];

/** The names and ARNs the launch policy's statements are scoped to (tokens allowed). */
export interface LaunchPolicyScope {
  /** AWS::Partition. */
  readonly partition: string;
  /** AWS::Region. */
  readonly region: string;
  /** AWS::AccountId. */
  readonly account: string;
  /** The name prefix of every project resource (`PROJECT_RESOURCE_PREFIX`). */
  readonly prefix: string;
  /** Name prefixes of the stacks the launch role creates, updates and deletes. */
  readonly stackNamePrefixes: readonly string[];
  /** ARN pattern of the product assets' objects (`bucket.arnForObjects('*')`). */
  readonly assetObjectsArn: string;
  /** ARN of the permissions boundary every project role must carry. */
  readonly boundaryArn: string;
  /** Name of the launch role itself (protected by the Deny). */
  readonly launchRoleName: string;
  /** Name of the launch policy itself (protected by the Deny). */
  readonly launchPolicyName: string;
}

/** The stacks of provisioned products, template reads and the few APIs that accept only "*". */
export function launchStackStatements(s: LaunchPolicyScope): iam.PolicyStatement[] {
  const { partition: P, region: R, account: A } = s;
  return [
    new iam.PolicyStatement({
      sid: 'ProvisionedProductStacks',
      actions: [
        'cloudformation:CreateStack',
        'cloudformation:UpdateStack',
        'cloudformation:DeleteStack',
        'cloudformation:DescribeStacks',
        'cloudformation:DescribeStackEvents',
        'cloudformation:SetStackPolicy',
        'cloudformation:GetTemplate',
        'cloudformation:DescribeStackResource*',
      ],
      // Service Catalog names the stacks of provisioned products SC-<account>-pp-<id>.
      resources: s.stackNamePrefixes.map((prefix) => `arn:${P}:cloudformation:${R}:${A}:stack/${prefix}*`),
    }),
    new iam.PolicyStatement({
      sid: 'TemplateValidation',
      // These CloudFormation APIs accept only "*" as resource.
      actions: ['cloudformation:GetTemplateSummary', 'cloudformation:ValidateTemplate'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ApisWithoutResourceLevelPermissions',
      actions: [
        // Service Authorization Reference: Amazon CloudWatch Logs — DescribeLogGroups defines no
        // resource type, so it accepts only "*" (the AWS::Logs::LogGroup create/read handlers call it).
        'logs:DescribeLogGroups',
        // Service Authorization Reference: Amazon SNS — Unsubscribe and GetSubscriptionAttributes
        // take a subscription ARN, which is no IAM resource type (the topic resource is optional), so
        // they are authorized on "*" (the AWS::SNS::Subscription delete/read handlers call them).
        'sns:Unsubscribe',
        'sns:GetSubscriptionAttributes',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ReadProvisioningTemplates',
      // Service Catalog Administrator Guide, "Launch constraints": the launch role needs read access
      // to the product's template, which Service Catalog keeps in a service-owned bucket (its name is
      // not published) and tags servicecatalog:provisioning=true; the condition confines the read to
      // those objects.
      actions: ['s3:GetObject'],
      resources: ['*'],
      conditions: { StringEquals: { 's3:ExistingObjectTag/servicecatalog:provisioning': 'true' } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadProductAssets',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [s.assetObjectsArn],
    }),
  ];
}

/** The project's buckets and KMS keys (keys only with the project-id tag). */
export function projectStorageStatements(s: LaunchPolicyScope): iam.PolicyStatement[] {
  const { prefix: p, partition: P, region: R, account: A } = s;
  return [
    new iam.PolicyStatement({
      sid: 'ProjectBuckets',
      actions: [
        's3:CreateBucket',
        's3:DeleteBucket',
        // Service Authorization Reference: Amazon S3 — DeleteBucketPolicy (bucket resource) is not
        // matched by PutBucket*/GetBucket*; the AWS::S3::BucketPolicy delete handler calls it.
        's3:DeleteBucketPolicy',
        's3:PutBucket*',
        's3:GetBucket*',
        's3:PutEncryptionConfiguration',
        's3:GetEncryptionConfiguration',
        's3:PutLifecycleConfiguration',
        's3:GetLifecycleConfiguration',
        's3:PutBucketPublicAccessBlock',
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:DeleteObject*',
        's3:GetObject*',
        's3:PutObject*',
      ],
      resources: [`arn:${P}:s3:::${p}*`, `arn:${P}:s3:::${p}*/*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectKeysCreate',
      // kms:CreateKey has no resource; it is limited to keys tagged with a SageMaker project id.
      actions: ['kms:CreateKey'],
      resources: ['*'],
      conditions: { Null: { 'aws:RequestTag/sagemaker:project-id': 'false' } },
    }),
    new iam.PolicyStatement({
      sid: 'ProjectKeysManage',
      actions: [
        'kms:DescribeKey',
        'kms:EnableKeyRotation',
        'kms:GetKeyRotationStatus',
        'kms:GetKeyPolicy',
        'kms:PutKeyPolicy',
        'kms:TagResource',
        'kms:UntagResource',
        'kms:ScheduleKeyDeletion',
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey*',
        'kms:ListResourceTags',
      ],
      resources: [`arn:${P}:kms:${R}:${A}:key/*`],
      conditions: { Null: { 'aws:ResourceTag/sagemaker:project-id': 'false' } },
    }),
    new iam.PolicyStatement({
      sid: 'ProjectKeyAliases',
      actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      resources: [`arn:${P}:kms:${R}:${A}:alias/${p}*`, `arn:${P}:kms:${R}:${A}:key/*`],
    }),
  ];
}

/** The project's roles: created only with the boundary, passed only to the listed services, and the Deny that protects the launch role, its policy and the boundary. */
export function projectRoleStatements(s: LaunchPolicyScope): iam.PolicyStatement[] {
  const { prefix: p, partition: P, account: A } = s;
  const projectRoles = `arn:${P}:iam::${A}:role/${p}*`;
  const launchRoleArn = `arn:${P}:iam::${A}:role/${s.launchRoleName}`;
  const launchPolicyArn = `arn:${P}:iam::${A}:policy/${s.launchPolicyName}`;
  return [
    new iam.PolicyStatement({
      sid: 'ProjectRolesWithBoundary',
      actions: [
        'iam:CreateRole',
        'iam:PutRolePolicy',
        // No iam:AttachRolePolicy / iam:DetachRolePolicy: the product templates attach no managed
        // policy to their roles (inline policies only), so none is allowed. Were one needed, it must
        // carry an iam:PolicyARN condition (Service Authorization Reference: AWS IAM — condition
        // keys of AttachRolePolicy include iam:PolicyARN).
        'iam:DeleteRolePolicy',
        'iam:PutRolePermissionsBoundary',
      ],
      resources: [projectRoles],
      conditions: { StringEquals: { 'iam:PermissionsBoundary': s.boundaryArn } },
    }),
    new iam.PolicyStatement({
      sid: 'ProjectRolesManage',
      actions: [
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:DeleteRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:UpdateAssumeRolePolicy',
      ],
      resources: [projectRoles],
    }),
    new iam.PolicyStatement({
      sid: 'NeverModifyLaunchRoleOrBoundary',
      // The launch role and boundary carry the sagemaker- prefix too, so the role statements above
      // would match them. An explicit Deny wins over every Allow (IAM User Guide: "Policy
      // evaluation logic"), so a template can never rewrite its own launch role or the boundary.
      effect: iam.Effect.DENY,
      actions: [
        'iam:UpdateAssumeRolePolicy',
        'iam:DeleteRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:PutRolePermissionsBoundary',
        'iam:DeleteRolePermissionsBoundary',
        'iam:UpdateRole',
        'iam:UpdateRoleDescription',
        'iam:PassRole',
        'iam:CreatePolicyVersion',
        'iam:DeletePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:DeletePolicy',
        'iam:TagPolicy',
        'iam:UntagPolicy',
      ],
      resources: [launchRoleArn, s.boundaryArn, launchPolicyArn],
    }),
    new iam.PolicyStatement({
      sid: 'PassProjectRoles',
      actions: ['iam:PassRole'],
      resources: [projectRoles],
      conditions: { StringEquals: { 'iam:PassedToService': PASSABLE_TO_SERVICES } },
    }),
  ];
}

/** The project's Lambda functions, log groups, repositories, builds, pipelines, rules, schedules, topics, parameters, SageMaker resources, alarms and dashboards. */
export function projectServiceStatements(s: LaunchPolicyScope): iam.PolicyStatement[] {
  const { prefix: p, partition: P, region: R, account: A } = s;
  return [
    new iam.PolicyStatement({
      sid: 'ProjectFunctions',
      actions: [
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        'lambda:AddPermission',
        'lambda:RemovePermission',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:ListTags',
        'lambda:InvokeFunction',
        'lambda:PutFunctionConcurrency',
        'lambda:DeleteFunctionConcurrency',
      ],
      resources: [`arn:${P}:lambda:${R}:${A}:function:${p}*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectLogGroups',
      actions: [
        'logs:CreateLogGroup',
        'logs:DeleteLogGroup',
        'logs:PutRetentionPolicy',
        'logs:DeleteRetentionPolicy',
        'logs:TagResource',
        'logs:UntagResource',
        'logs:TagLogGroup',
        'logs:AssociateKmsKey',
      ],
      resources: [
        `arn:${P}:logs:${R}:${A}:log-group:/aws/lambda/${p}*`,
        `arn:${P}:logs:${R}:${A}:log-group:/aws/codebuild/${p}*`,
        `arn:${P}:logs:${R}:${A}:log-group:/aws/vendedlogs/${p}*`,
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectRepositories',
      actions: [
        'codecommit:CreateRepository',
        'codecommit:DeleteRepository',
        'codecommit:GetRepository',
        'codecommit:TagResource',
        'codecommit:UntagResource',
        'codecommit:UpdateRepositoryDescription',
        'codecommit:ListTagsForResource',
      ],
      resources: [`arn:${P}:codecommit:${R}:${A}:${p}*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectBuilds',
      actions: [
        'codebuild:CreateProject',
        'codebuild:DeleteProject',
        'codebuild:UpdateProject',
        'codebuild:BatchGetProjects',
      ],
      resources: [`arn:${P}:codebuild:${R}:${A}:project/${p}*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectPipelines',
      actions: [
        'codepipeline:CreatePipeline',
        'codepipeline:DeletePipeline',
        'codepipeline:GetPipeline',
        'codepipeline:GetPipelineState',
        'codepipeline:UpdatePipeline',
        'codepipeline:TagResource',
        'codepipeline:UntagResource',
        'codepipeline:ListTagsForResource',
      ],
      resources: [`arn:${P}:codepipeline:${R}:${A}:${p}*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectEventRules',
      actions: [
        'events:PutRule',
        'events:DeleteRule',
        'events:DescribeRule',
        'events:PutTargets',
        'events:RemoveTargets',
        'events:TagResource',
        'events:UntagResource',
        'events:ListTargetsByRule',
      ],
      resources: [`arn:${P}:events:${R}:${A}:rule/${p}*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectSchedules',
      actions: [
        'scheduler:CreateSchedule',
        'scheduler:UpdateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        'scheduler:TagResource',
      ],
      resources: [`arn:${P}:scheduler:${R}:${A}:schedule/default/${p}*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectTopics',
      actions: [
        'sns:CreateTopic',
        'sns:DeleteTopic',
        'sns:GetTopicAttributes',
        'sns:SetTopicAttributes',
        'sns:Subscribe',
        'sns:Unsubscribe',
        'sns:TagResource',
        'sns:UntagResource',
        'sns:ListTagsForResource',
      ],
      resources: [`arn:${P}:sns:${R}:${A}:${p}*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectParameters',
      actions: [
        'ssm:PutParameter',
        'ssm:DeleteParameter',
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:AddTagsToResource',
        'ssm:RemoveTagsFromResource',
        'ssm:ListTagsForResource',
      ],
      resources: [`arn:${P}:ssm:${R}:${A}:parameter/sagemaker/*`],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectSageMakerResources',
      actions: [
        'sagemaker:CreateModelPackageGroup',
        'sagemaker:DeleteModelPackageGroup',
        'sagemaker:DescribeModelPackageGroup',
        'sagemaker:PutModelPackageGroupPolicy',
        // Service Authorization Reference: Amazon SageMaker — GetModelPackageGroupPolicy on the
        // model-package-group resource; the AWS::SageMaker::ModelPackageGroup handlers read the policy.
        'sagemaker:GetModelPackageGroupPolicy',
        'sagemaker:DeleteModelPackageGroupPolicy',
        'sagemaker:AddTags',
        'sagemaker:DeleteTags',
        'sagemaker:ListTags',
        'sagemaker:CreateCodeRepository',
        'sagemaker:DeleteCodeRepository',
        'sagemaker:DescribeCodeRepository',
      ],
      resources: [
        `arn:${P}:sagemaker:${R}:${A}:model-package-group/${p}*`,
        `arn:${P}:sagemaker:${R}:${A}:code-repository/${p}*`,
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ProjectAlarmsAndDashboards',
      actions: [
        'cloudwatch:PutMetricAlarm',
        'cloudwatch:DeleteAlarms',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:TagResource',
        'cloudwatch:PutDashboard',
        'cloudwatch:DeleteDashboards',
      ],
      resources: [`arn:${P}:cloudwatch:${R}:${A}:alarm:${p}*`, `arn:${P}:cloudwatch::${A}:dashboard/${p}*`],
    }),
  ];
}

/** PassConnection of tagged connections to CodePipeline, for both service prefixes. */
export function connectionPassStatements(s: LaunchPolicyScope): iam.PolicyStatement[] {
  const { partition: P, region: R, account: A } = s;
  return [
    new iam.PolicyStatement({
      sid: 'PassConnectionsToPipelines',
      // CloudFormation's AWS::CodePipeline::Pipeline handlers call PassConnection for a
      // CodeStarSourceConnection source (published handler permissions). Only to CodePipeline,
      // one statement per service prefix with that prefix's PassedToService key (a condition on
      // the other prefix's key would be absent, hence always true), and only connections tagged
      // sagemaker=true (SageMaker Developer Guide, "Use third-party Git repositories").
      actions: ['codeconnections:PassConnection'],
      resources: [`arn:${P}:codeconnections:${R}:${A}:connection/*`],
      conditions: {
        StringEquals: { 'codeconnections:PassedToService': 'codepipeline.amazonaws.com' },
        StringEqualsIgnoreCase: { 'aws:ResourceTag/sagemaker': 'true' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'PassLegacyConnectionsToPipelines',
      actions: ['codestar-connections:PassConnection'],
      resources: [
        `arn:${P}:codestar-connections:${R}:${A}:connection/*`,
        `arn:${P}:codeconnections:${R}:${A}:connection/*`,
      ],
      conditions: {
        StringEquals: { 'codestar-connections:PassedToService': 'codepipeline.amazonaws.com' },
        StringEqualsIgnoreCase: { 'aws:ResourceTag/sagemaker': 'true' },
      },
    }),
  ];
}

/** Every statement of the launch policy, in the policy's order. */
export function launchPolicyStatements(s: LaunchPolicyScope): iam.PolicyStatement[] {
  return [
    ...launchStackStatements(s),
    ...projectStorageStatements(s),
    ...projectRoleStatements(s),
    ...projectServiceStatements(s),
    ...connectionPassStatements(s),
  ];
}

/** Why each wildcard of the launch policy is needed, by statement id (see acknowledgeWildcards). */
const prefixed =
  'Scoped to the sagemaker- name prefix every project resource carries: project names are chosen in Studio after the portfolio is deployed';
export const LAUNCH_POLICY_WILDCARD_REASONS: Readonly<Record<string, string>> = {
  ProvisionedProductStacks:
    'Project stacks are named SC-<account>-pp-<id> by Service Catalog (SP-* on the S3 templates path); the id is only known at launch',
  TemplateValidation:
    'cloudformation:GetTemplateSummary and ValidateTemplate support no resource-level permissions',
  ApisWithoutResourceLevelPermissions:
    'logs:DescribeLogGroups and the SNS subscription APIs support no resource-level permissions',
  NeverModifyLaunchRoleOrBoundary: 'Deny statement: the wildcard widens the protection',
  ReadProvisioningTemplates:
    'Service Catalog keeps provisioning templates in a service-owned bucket whose name is not published; only objects tagged servicecatalog:provisioning=true',
  ReadProductAssets:
    'Any product asset (content-addressed Lambda bundles and seed zips) of any product version may be read at launch',
  ProjectBuckets: `${prefixed}; verb families cover bucket configuration only`,
  ProjectKeysCreate:
    'kms:CreateKey supports no resource; the request must carry the sagemaker:project-id tag',
  ProjectKeysManage: 'Key ids are random; access is limited to keys tagged with a sagemaker:project-id',
  ProjectKeyAliases: prefixed,
  ProjectRolesWithBoundary: `${prefixed}; only with the portfolio permissions boundary attached`,
  ProjectRolesManage: prefixed,
  PassProjectRoles: `${prefixed}; only to the services listed in iam:PassedToService`,
  ProjectFunctions: prefixed,
  ProjectLogGroups: prefixed,
  ProjectRepositories: prefixed,
  ProjectBuilds: prefixed,
  ProjectPipelines: prefixed,
  ProjectEventRules: prefixed,
  ProjectSchedules: prefixed,
  ProjectTopics: prefixed,
  ProjectParameters: 'Project parameters live under the /sagemaker/<project-name>-<project-id>/ namespace',
  ProjectSageMakerResources: prefixed,
  ProjectAlarmsAndDashboards: prefixed,
  PassConnectionsToPipelines:
    'The connection ARN is a product parameter chosen at launch; passed only to CodePipeline, only connections tagged sagemaker=true',
  PassLegacyConnectionsToPipelines:
    'The connection ARN is a product parameter chosen at launch; passed only to CodePipeline, only connections tagged sagemaker=true',
};
