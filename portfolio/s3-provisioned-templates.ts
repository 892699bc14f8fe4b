// Optional S3-provisioned templates (the newer Studio path without Service Catalog): every
// released (locked) template version is copied to a templates bucket under
// <template>/<version>.template.json with the object tag Studio requires, and the bucket carries
// the CORS rule Studio needs to read it. Studio finds the bucket through the domain tag
// `sagemaker:projectS3TemplatesLocation` (see README).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STUDIO_VISIBILITY_TAG, TemplateDefinition } from '@mlops-templates/constructs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { readVersions, snapshotDirectory } from './versions';

/** Properties of {@link S3ProvisionedTemplates}. */
export interface S3ProvisionedTemplatesProps {
  /** Name of the templates bucket. */
  readonly bucketName: string;
  /** Bucket receiving the server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** The templates whose locked versions are published. */
  readonly templates: TemplateDefinition[];
  /**
   * The Studio principals (execution roles of the SageMaker domain's users) that list the templates
   * and read them with their tags. SageMaker Developer Guide, "Create custom project templates" (S3
   * templates): Studio reads the bucket with the user's own role and needs s3:ListBucket,
   * s3:GetObject and s3:GetObjectTagging (a missing GetObjectTagging is the most common reason for
   * templates not showing, per the page's troubleshooting).
   */
  readonly readers: iam.IPrincipal[];
  /**
   * Origins allowed by the CORS rule.
   * @default - the SageMaker Studio origins of every region (`https://*.sagemaker.aws`)
   */
  readonly studioOrigins?: string[];
}

/** Publishes locked template versions to an S3 bucket that Studio reads. */
export class S3ProvisionedTemplates extends Construct {
  /** The templates bucket. */
  public readonly bucket: s3.Bucket;
  /** Object keys published, `<template>/<version>.template.json`. */
  public readonly keys: string[] = [];

  constructor(scope: Construct, id: string, props: S3ProvisionedTemplatesProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'templates/',
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: props.studioOrigins ?? ['https://*.sagemaker.aws'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
        },
      ],
    });

    if (props.readers.length === 0) throw new Error('readers: at least one Studio principal is required');
    // Read-only for the Studio principals; TLS is enforced by enforceSSL's deny statement.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'StudioListsTemplates',
        principals: props.readers,
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'StudioReadsTemplatesAndTags',
        principals: props.readers,
        actions: ['s3:GetObject', 's3:GetObjectTagging'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );

    // Own role and log group for the copy function instead of the AWS managed basic execution role.
    const logGroup = new logs.LogGroup(this, 'CopyLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'CopyRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies released SageMaker project templates to the Studio templates bucket',
    });
    logGroup.grantWrite(role);

    for (const template of props.templates) {
      const dir = snapshotDirectory(template.directory);
      for (const version of readVersions(template.directory).filter((v) => v.locked)) {
        const file = fs.readdirSync(dir).find((f) => f.endsWith(`.${version.name}.product.template.json`));
        if (!file) {
          throw new Error(
            `${template.name}: snapshot of locked version ${version.name} is missing in ${dir}`,
          );
        }
        const asset = new s3assets.Asset(this, `${template.name}-${version.name}-Asset`, {
          path: path.join(dir, file),
        });
        const key = `${template.name}/${version.name}.template.json`;
        this.keys.push(key);
        new cr.AwsCustomResource(this, `${template.name}-${version.name}-Copy`, {
          installLatestAwsSdk: false,
          role,
          logGroup,
          onUpdate: {
            service: 'S3',
            action: 'copyObject',
            parameters: {
              Bucket: this.bucket.bucketName,
              Key: key,
              CopySource: `${asset.s3BucketName}/${asset.s3ObjectKey}`,
              Tagging: `${STUDIO_VISIBILITY_TAG}=true`,
              TaggingDirective: 'REPLACE',
            },
            physicalResourceId: cr.PhysicalResourceId.of(`${key}@${asset.assetHash}`),
          },
          policy: cr.AwsCustomResourcePolicy.fromStatements([
            new iam.PolicyStatement({
              actions: ['s3:GetObject', 's3:GetObjectTagging'],
              resources: [asset.bucket.arnForObjects(asset.s3ObjectKey)],
            }),
            new iam.PolicyStatement({
              actions: ['s3:PutObject', 's3:PutObjectTagging'],
              resources: [this.bucket.arnForObjects(key)],
            }),
          ]),
        });
      }
    }
  }
}
