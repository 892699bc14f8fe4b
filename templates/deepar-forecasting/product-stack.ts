// Product stack of the "DeepAR forecasting" SageMaker project template: everything one project
// needs for the build → deploy → monitor → retrain loop.
import { ProductStackContext, SageMakerProjectProductStack } from '@mlops-templates/constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';

/** The DeepAR forecasting product stack. */
export class DeepArForecastingProductStack extends SageMakerProjectProductStack {
  /** The project's data bucket. */
  public readonly projectBucket: s3.Bucket;

  constructor(scope: Construct, id: string, context: ProductStackContext) {
    super(scope, id, {
      assetBucket: context.assetBucket,
      description:
        'SageMaker project: time-series forecasting with DeepAR (build, deploy, monitor, retrain).',
    });
    const { projectName, projectId } = this.project;

    const key = new kms.Key(this, 'ProjectKey', {
      description: `Encrypts the data of SageMaker project ${projectName}`,
      enableKeyRotation: true,
      alias: `alias/sagemaker-${projectName}-${projectId}`,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });

    this.projectBucket = new s3.Bucket(this, 'ProjectBucket', {
      bucketName: `sagemaker-${projectId}-${this.account}`,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsPrefix: 'access-logs/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new sagemaker.CfnModelPackageGroup(this, 'ModelPackageGroup', {
      modelPackageGroupName: `sagemaker-${projectName}-${projectId}`,
      modelPackageGroupDescription: `Models of SageMaker project ${projectName}`,
    });
  }
}
