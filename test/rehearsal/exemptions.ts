// CloudFormation handler permissions the launch role deliberately does not get. AWS publishes each
// handler's permissions as the union over every property, so a permission needed only for a property
// this project never sets is exempt — with the reason. An exemption that no longer matches a denied
// call is reported as stale and fails the rehearsal, so the list cannot rot.

/** One exempted handler permission. */
export interface HandlerExemption {
  readonly resourceType: string;
  /** Action as published (matched case-insensitively). */
  readonly action: string;
  readonly reason: string;
}

const ex = (resourceType: string, reason: string, ...actions: string[]): HandlerExemption[] =>
  actions.map((action) => ({ resourceType, action, reason }));

export const HANDLER_EXEMPTIONS: readonly HandlerExemption[] = [
  // ---- the seeded repositories' stacks, deployed by the CloudFormation deploy role
  ...ex(
    'AWS::ApplicationAutoScaling::ScalableTarget',
    'Only with ScheduledActions; the prod endpoint scales by target tracking only',
    'application-autoscaling:PutScheduledAction',
  ),
  ...ex(
    'AWS::ApplicationAutoScaling::ScalableTarget',
    'Only for Lambda targets (ServiceNamespace lambda); the target is a SageMaker endpoint variant',
    'lambda:PutProvisionedConcurrencyConfig',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:DeleteProvisionedConcurrencyConfig',
  ),
  ...ex(
    'AWS::ApplicationAutoScaling::ScalingPolicy',
    'Only for predictive scaling (PredictiveScalingPolicyConfiguration); the policy is target tracking',
    'cloudwatch:GetMetricData',
  ),
  ...ex(
    'AWS::IAM::Policy',
    'Only when the policy lists Users or Groups; project policies attach to roles only',
    'iam:DeleteGroupPolicy',
    'iam:DeleteUserPolicy',
    'iam:GetGroupPolicy',
    'iam:GetUserPolicy',
    'iam:PutGroupPolicy',
    'iam:PutUserPolicy',
  ),
  ...ex(
    'AWS::CodePipeline::Pipeline',
    'Only with DisableInboundStageTransitions; not used',
    'codepipeline:DisableStageTransition',
  ),
  ...ex('AWS::KMS::Key', 'Only when Enabled is false; the project key is always enabled', 'kms:DisableKey'),
  ...ex(
    'AWS::Lambda::Function',
    'Only with VpcConfig; project functions run outside a VPC',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSubnets',
    'ec2:DescribeVpcs',
  ),
  ...ex(
    'AWS::Lambda::Function',
    'Only with FileSystemConfigs; project functions mount no file system',
    'elasticfilesystem:DescribeMountTargets',
    's3files:ListMountTargets',
  ),
  ...ex(
    'AWS::Lambda::Function',
    'Only with KmsKeyArn; project functions use the AWS owned key for their environment',
    'kms:CreateGrant',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ),
  ...ex(
    'AWS::Lambda::Function',
    'Only with CodeSigningConfigArn; not used',
    'lambda:GetCodeSigningConfig',
    'lambda:GetFunctionCodeSigningConfig',
  ),
  ...ex(
    'AWS::Lambda::Function',
    'Only with RecursiveLoop; the default is kept',
    'lambda:GetFunctionRecursionConfig',
    'lambda:PutFunctionRecursionConfig',
  ),
  ...ex(
    'AWS::Lambda::Function',
    'Only with RuntimeManagementConfig; the default is kept',
    'lambda:GetRuntimeManagementConfig',
    'lambda:PutRuntimeManagementConfig',
  ),
  ...ex(
    'AWS::Lambda::Function',
    'Only with Layers; project functions are single esbuild bundles',
    'lambda:GetLayerVersion',
  ),
  ...ex(
    'AWS::Lambda::Function',
    'Only with a capacity provider / scaling config (Lambda Managed Instances); not used',
    'lambda:PassCapacityProvider',
    'lambda:PutFunctionScalingConfig',
  ),
  ...ex(
    'AWS::Logs::LogGroup',
    'Only with DataProtectionPolicy; not used',
    'logs:PutDataProtectionPolicy',
    'logs:GetDataProtectionPolicy',
    'logs:DeleteDataProtectionPolicy',
  ),
  ...ex(
    'AWS::Logs::LogGroup',
    'Only with FieldIndexPolicies; not used',
    'logs:PutIndexPolicy',
    'logs:DescribeIndexPolicies',
  ),
  ...ex(
    'AWS::Logs::LogGroup',
    'Only with ResourcePolicyDocument; not used',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
  ),
  ...ex(
    'AWS::Logs::LogGroup',
    'Only with BearerTokenAuthenticationEnabled; not used',
    'logs:PutBearerTokenAuthentication',
  ),
  ...ex(
    'AWS::Logs::LogGroup',
    'Only for log delivery to Firehose/S3 destinations; not used',
    'logs:CreateLogDelivery',
    'firehose:TagDeliveryStream',
  ),
  ...ex(
    'AWS::Logs::LogGroup',
    'Published as "s3:REST.PUT.OBJECT", which is not an IAM action (a REST operation name)',
    's3:REST.PUT.OBJECT',
  ),
  ...ex(
    'AWS::S3::Bucket',
    'Only with ReplicationConfiguration; not used',
    'iam:PassRole',
    's3:PutReplicationConfiguration',
    's3:PutBucketReplication',
  ),
  ...ex(
    'AWS::S3::Bucket',
    'Only with MetadataTableConfiguration (S3 Tables); not used',
    's3:CreateBucketMetadataTableConfiguration',
    's3tables:CreateNamespace',
    's3tables:CreateTable',
    's3tables:CreateTableBucket',
    's3tables:GetTable',
    's3tables:GetTableMetadataLocation',
    's3tables:PutTableBucketPolicy',
    's3tables:PutTableEncryption',
    's3tables:PutTablePolicy',
    's3tables:UpdateTableMetadataLocation',
  ),
  ...ex('AWS::S3::Bucket', 'Only with AccelerateConfiguration; not used', 's3:PutAccelerateConfiguration'),
  ...ex('AWS::S3::Bucket', 'Only with AnalyticsConfigurations; not used', 's3:PutAnalyticsConfiguration'),
  ...ex(
    'AWS::S3::Bucket',
    'Only with IntelligentTieringConfigurations; not used',
    's3:PutIntelligentTieringConfiguration',
  ),
  ...ex('AWS::S3::Bucket', 'Only with InventoryConfigurations; not used', 's3:PutInventoryConfiguration'),
  ...ex('AWS::S3::Bucket', 'Only with MetricsConfigurations; not used', 's3:PutMetricsConfiguration'),
  ...ex(
    'AWS::S3::Bucket',
    'Only with ObjectLockConfiguration; published as "s3:PutObjectLockConfiguration" (IAM spells it s3:PutBucketObjectLockConfiguration)',
    's3:PutObjectLockConfiguration',
  ),
  ...ex(
    'AWS::S3::Bucket',
    'Object-level calls of the bucket handler, needed only for a bucket that already holds objects (none at creation: the launch creates empty buckets; the teardown empties them before deletion)',
    's3:DeleteObject',
    's3:PutObjectAcl',
  ),
  ...ex(
    'AWS::S3::Bucket',
    'S3 ABAC tagging (s3:TagResource) applies to directory/ABAC-enabled buckets; general purpose buckets take tags with s3:PutBucketTagging, which the launch role has',
    's3:TagResource',
  ),
  ...ex('AWS::SNS::Topic', 'Only with DataProtectionPolicy; not used', 'sns:PutDataProtectionPolicy'),
  ...ex(
    'AWS::SNS::Topic',
    'Only with DeliveryStatusLogging (an IAM role for delivery logs); not used',
    'iam:GetRole',
    'iam:PassRole',
  ),
  ...ex(
    'AWS::SNS::Subscription',
    'Only with a Firehose subscription (SubscriptionRoleArn); the project subscribes an e-mail address',
    'iam:GetRole',
    'iam:PassRole',
  ),
];

/** The exemption for a denied call, if any. */
export function exemptionFor(resourceType: string, action: string): HandlerExemption | undefined {
  const a = action.toLowerCase();
  return HANDLER_EXEMPTIONS.find((e) => e.resourceType === resourceType && e.action.toLowerCase() === a);
}
