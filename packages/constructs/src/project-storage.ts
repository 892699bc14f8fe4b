// Storage of one SageMaker project (first box of a template README's "What a project gets"): the
// project KMS key, the project bucket with its lifecycle, the access-log bucket and the model package
// group the model-build pipeline registers into.
import { Aws, Duration, FeatureFlags, Fn, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ACCESS_LOGS_BUCKET_POLICY_FLAG } from './feature-flags';
import { LoopLayer } from './loop-layer';
import { WildcardRule } from './nag-acknowledgements';
import { BUCKET_PREFIXES, ProjectNames } from './project-names';
import { ownResourceWildcardRule } from './wildcard-rules';

/** Properties of {@link ProjectStorage}. */
export interface ProjectStorageProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /**
   * Waiting period before the key is deleted with the project: 7–30 days (AWS KMS Developer Guide,
   * "Deleting AWS KMS keys").
   * @default Duration.days(7)
   */
  readonly keyPendingWindow?: Duration;
  /**
   * How long server access logs of the project bucket are kept.
   * @default Duration.days(365)
   */
  readonly accessLogExpiration?: Duration;
  /**
   * Description of the model package group (a template names its model kind, e.g. "DeepAR models of
   * SageMaker project <name>").
   * @default "Models of SageMaker project <name>"
   */
  readonly modelPackageGroupDescription?: string;
}

/** The project's key, buckets and model package group. */
export class ProjectStorage extends LoopLayer {
  /** The project's KMS key (rotation on). */
  public readonly key: kms.Key;
  /** The project's data bucket (SSE-KMS, versioned, retained; the teardown deletes it on request). */
  public readonly projectBucket: s3.Bucket;
  /** Server access logs of the project bucket. */
  public readonly accessLogsBucket: s3.Bucket;
  /** The project's model package group. */
  public readonly modelPackageGroup: sagemaker.CfnModelPackageGroup;

  constructor(scope: Construct, id: string, props: ProjectStorageProps) {
    super(scope, id);
    const { names } = props;
    const pendingWindow = props.keyPendingWindow ?? Duration.days(7);
    if (!wholeDaysBetween(pendingWindow, 7, 30)) {
      throw new Error(
        `keyPendingWindow: must be 7 to 30 days (AWS KMS), got ${pendingWindow.toHumanString()}`,
      );
    }
    const accessLogExpiration = props.accessLogExpiration ?? Duration.days(365);
    if (!wholeDaysBetween(accessLogExpiration, 1, Infinity)) {
      throw new Error(
        `accessLogExpiration: must be a whole number of days, at least 1, got ${accessLogExpiration.toHumanString()}`,
      );
    }
    // The access-log bucket keeps BucketOwnerEnforced only with log delivery through a bucket policy.
    if (!FeatureFlags.of(this).isEnabled(ACCESS_LOGS_BUCKET_POLICY_FLAG)) {
      throw new Error(
        `ProjectStorage needs the feature flag ${ACCESS_LOGS_BUCKET_POLICY_FLAG} (PORTFOLIO_FEATURE_FLAGS) in the App's context`,
      );
    }
    const description = props.modelPackageGroupDescription;
    // SageMaker API Reference, CreateModelPackageGroup: ModelPackageGroupDescription is 0-1024 characters.
    if (description !== undefined && !Token.isUnresolved(description)) {
      if (description.trim() === '' || description.length > 1024) {
        throw new Error('modelPackageGroupDescription: must be 1 to 1024 characters');
      }
    }

    this.key = new kms.Key(this.resourceScope, 'ProjectKey', {
      description: Fn.join('', ['Encrypts the data of SageMaker project ', names.projectName]),
      enableKeyRotation: true,
      alias: names.projectKeyAlias,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow,
    });
    // Services that encrypt with the key on the project's behalf.
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('sns.amazonaws.com'));
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`));
    // CloudWatch alarm actions publish to the encrypted notification topic (missing-data alarms).
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));

    this.accessLogsBucket = new s3.Bucket(this.resourceScope, 'AccessLogsBucket', {
      bucketName: `${names.projectBucket}-logs`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: accessLogExpiration }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.projectBucket = new s3.Bucket(this.resourceScope, 'ProjectBucket', {
      bucketName: names.projectBucket,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'project-bucket/',
      // Retained by CloudFormation; the teardown empties and deletes it when DataRetention=Delete.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'data-capture', prefix: BUCKET_PREFIXES.dataCapture, expiration: Duration.days(180) },
        { id: 'ground-truth', prefix: BUCKET_PREFIXES.groundTruth, expiration: Duration.days(365) },
        { id: 'monitoring-outputs', prefix: BUCKET_PREFIXES.monitoring, expiration: Duration.days(180) },
        { id: 'pipeline-artifacts', prefix: BUCKET_PREFIXES.artifacts, expiration: Duration.days(90) },
        {
          id: 'old-versions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });

    this.modelPackageGroup = new sagemaker.CfnModelPackageGroup(this.resourceScope, 'ModelPackageGroup', {
      modelPackageGroupName: names.modelPackageGroup,
      modelPackageGroupDescription:
        props.modelPackageGroupDescription ??
        Fn.join('', ['Models of SageMaker project ', names.projectName]),
    });
  }

  /** Lets `grantee` read and write the project bucket, and encrypt and decrypt with the project key. */
  public grantReadWriteData(grantee: iam.IGrantable): void {
    this.projectBucket.grantReadWrite(grantee);
    this.key.grantEncryptDecrypt(grantee);
  }

  /**
   * Why grants on the objects of these buckets use a wildcard (cdk-nag AwsSolutions-IAM5), bound to
   * the buckets' own ARNs: `Resource::<ProjectBucket….Arn>/<prefix>*` wherever a grant names them.
   */
  public get wildcardRules(): WildcardRule[] {
    return [this.projectBucket, this.accessLogsBucket].map((bucket) =>
      ownResourceWildcardRule(
        this,
        bucket.bucketArn,
        '/.*\\*',
        "Objects of this project's own bucket (under the prefix the grant names)",
      ),
    );
  }
}

/** Whether `d` is a whole number of days from `min` to `max`. */
function wholeDaysBetween(d: Duration, min: number, max: number): boolean {
  const hours = d.toHours({ integral: false });
  return hours % 24 === 0 && hours / 24 >= min && hours / 24 <= max;
}
