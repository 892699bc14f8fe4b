// The portfolio stack: the Service Catalog portfolio with its Studio principals, one
// Studio-visible product per template (all released versions kept), the product asset bucket,
// the launch role and the permissions boundary of every role a project creates.
import {
  ProjectRolesPermissionsBoundary,
  SageMakerProductsLaunchPolicy,
  SageMakerProductsLaunchRole,
  SAGEMAKER_PRODUCTS_LAUNCH_ROLE_NAME,
  StudioVisibleProduct,
  TemplateDefinition,
  toPascalCase,
} from '@mlops-templates/constructs';
import { Aws, CfnOutput, Fn, RemovalPolicy, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { PortfolioConfig } from './config';
import { S3ProvisionedTemplates } from './s3-provisioned-templates';
import { readVersions, snapshotDirectory } from './versions';

/** Default name of the product assets bucket: this prefix, then `<account>-<region>`. */
export const DEFAULT_ASSET_BUCKET_PREFIX = 'sagemaker-projects-assets-';
/** Properties of {@link PortfolioStack}. */
export interface PortfolioStackProps extends StackProps {
  /** The validated portfolio configuration. */
  readonly config: PortfolioConfig;
  /** The templates to publish (already resolved from `config.templates`). */
  readonly templates: TemplateDefinition[];
}

/** Publishes the SageMaker project templates as a Service Catalog portfolio. */
export class PortfolioStack extends Stack {
  /** The portfolio. */
  public readonly portfolio: servicecatalog.Portfolio;
  /** The product asset bucket. */
  public readonly assetBucket: s3.Bucket;
  /** The products, by template name. */
  public readonly products: Record<string, StudioVisibleProduct> = {};
  /** The launch role used by the launch constraints. */
  public readonly launchRole: iam.IRole;

  constructor(scope: Construct, id: string, props: PortfolioStackProps) {
    super(scope, id, props);
    const { config } = props;

    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the server access log destination; logging it into itself would loop.',
    });

    // Released product versions reference their assets by content hash: keep the bucket and every
    // object version so an old provisioning artifact stays launchable.
    this.assetBucket = new s3.Bucket(this, 'ProductAssetBucket', {
      bucketName:
        config.assetBucketName ??
        `${DEFAULT_ASSET_BUCKET_PREFIX}${config.environment.account}-${config.environment.region}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'product-assets/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // A configured assets bucket without the project prefix is admitted read-only by the boundary.
    new ProjectRolesPermissionsBoundary(this, 'ProjectRolesBoundary', {
      assetBucketName: this.assetBucket.bucketName,
    });

    if (config.launchRole.mode === 'dedicated') {
      this.launchRole = new SageMakerProductsLaunchRole(this, 'LaunchRole', {
        assetBucket: this.assetBucket,
        roleName: config.launchRole.roleName,
      }).role;
    } else {
      const roleArn =
        config.launchRole.roleArn ??
        `arn:${Aws.PARTITION}:iam::${config.environment.account}:role/${SAGEMAKER_PRODUCTS_LAUNCH_ROLE_NAME}`;
      const existing = iam.Role.fromRoleArn(this, 'ExistingLaunchRole', roleArn, { mutable: false });
      this.launchRole = existing;
      if (config.launchRole.attachLaunchPolicy) {
        const launchPolicy = new SageMakerProductsLaunchPolicy(this, 'LaunchPolicy', {
          assetBucket: this.assetBucket,
        });
        launchPolicy.policy.attachToRole(iam.Role.fromRoleArn(this, 'ExistingLaunchRoleForPolicy', roleArn));
      }
    }
    // Resource policy, so an imported (immutable) launch role can read the assets as well.
    this.assetBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LaunchRoleReadsProductAssets',
        principals: [new iam.ArnPrincipal(this.launchRole.roleArn)],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.assetBucket.arnForObjects('*')],
      }),
    );

    this.portfolio = new servicecatalog.Portfolio(this, 'Portfolio', {
      displayName: config.portfolio.displayName,
      providerName: config.portfolio.providerName,
      description: config.portfolio.description || undefined,
    });
    config.studioPrincipals.forEach((arn, i) => {
      // Written over AWS::Partition: the portfolio template names no partition (#19).
      const portable = Fn.join('', ['arn:', Aws.PARTITION, arn.replace(/^arn:[^:]+/, '')]);
      this.portfolio.giveAccessToRole(
        iam.Role.fromRoleArn(this, `StudioPrincipal${i}`, portable, { mutable: false }),
      );
    });
    if (config.tagOptions) {
      this.portfolio.associateTagOptions(
        new servicecatalog.TagOptions(this, 'TagOptions', { allowedValuesForTags: config.tagOptions }),
      );
    }

    for (const template of props.templates) {
      const productStack = template.createProductStack(this, `${toPascalCase(template.name)}Product`, {
        assetBucket: this.assetBucket,
        // The default name, written over the pseudo parameters: the product template then carries
        // no account or region literal (products launch in the portfolio's account and region).
        ...(config.assetBucketName === undefined && {
          assetBucketNameExpression: `${DEFAULT_ASSET_BUCKET_PREFIX}\${AWS::AccountId}-\${AWS::Region}`,
        }),
      });
      const product = new StudioVisibleProduct(this, toPascalCase(template.name), {
        productStack,
        productName: template.productName,
        description: template.description,
        owner: config.product.owner,
        distributor: config.product.distributor,
        supportDescription: config.product.supportDescription,
        supportEmail: config.product.supportEmail,
        supportUrl: config.product.supportUrl,
        versions: readVersions(template.directory),
        snapshotDirectory: snapshotDirectory(template.directory),
      });
      this.portfolio.addProduct(product.product);
      this.portfolio.setLaunchRole(product.product, this.launchRole, {
        description: `Launch ${template.name} projects with the portfolio launch role`,
      });
      this.products[template.name] = product;
      new CfnOutput(this, `${toPascalCase(template.name)}ProductId`, { value: product.product.productId });
    }

    if (config.s3Templates.enabled) {
      new S3ProvisionedTemplates(this, 'S3Templates', {
        bucketName:
          config.s3Templates.bucketName ??
          `sagemaker-projects-templates-${config.environment.account}-${config.environment.region}`,
        accessLogsBucket: accessLogs,
        studioOrigins: config.s3Templates.studioOrigins,
        readers: config.studioPrincipals.map((arn) => new iam.ArnPrincipal(arn)),
        templates: props.templates,
      });
    }

    acknowledgeProductAssetDeployment(this, config.environment);

    new CfnOutput(this, 'PortfolioId', { value: this.portfolio.portfolioId });
    new CfnOutput(this, 'AssetBucketName', { value: this.assetBucket.bucketName });
  }
}

/**
 * Product stacks with assets make aws-cdk-lib add a BucketDeployment to this stack while it is
 * synthesized (after construction, so its constructs cannot be addressed here). Its singleton
 * function's runtime, AWS managed role and grants are chosen by aws-cdk-lib; the findings are
 * acknowledged on the stack with exact ids.
 */
function acknowledgeProductAssetDeployment(stack: Stack, env: { account: string; region: string }): void {
  const reason =
    'aws-cdk-lib BucketDeployment that copies product stack assets from the CDK asset bucket into the product asset bucket';
  const ids = [
    'AwsSolutions-L1',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map(
      (a) => `AwsSolutions-IAM5[Action::${a}]`,
    ),
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${env.account}-${env.region}/*]`,
    'AwsSolutions-IAM5[Resource::<ProductAssetBucketA6A61D8F.Arn>/*]',
  ];
  for (const id of ids) Validations.of(stack).acknowledge({ id, reason: `${reason} (${id})` });
}
