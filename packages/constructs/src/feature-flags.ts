// The CDK feature flags the portfolio app sets and the product stacks' constructs rely on (one place:
// the portfolio app and the construct tests read them from here, so tests build what `cdk synth`
// builds). serverAccessLogsUseBucketPolicy: access-log delivery through a bucket policy instead of
// ACLs, so every bucket can keep ObjectOwnership BucketOwnerEnforced (ProjectStorage needs it).

/** The flag ProjectStorage's access-log bucket needs. */
export const ACCESS_LOGS_BUCKET_POLICY_FLAG = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/** CDK feature flags of the portfolio app (the App's context). */
export const PORTFOLIO_FEATURE_FLAGS: Readonly<Record<string, boolean>> = {
  [ACCESS_LOGS_BUCKET_POLICY_FLAG]: true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:validateSnapshotRemovalPolicy': true,
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
  '@aws-cdk/aws-kms:aliasNameRef': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-sns:enforceSslPolicy': true,
  '@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion': true,
};
