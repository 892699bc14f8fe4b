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
import { DomainTemplatesLocation } from './domain-templates-location';
import {
  PublishedTemplate,
  S3_TEMPLATES_LOCATION_TAG,
  S3ProvisionedTemplates,
  TemplatePublisherRole,
} from './s3-provisioned-templates';
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
  /** The role that provisions projects created from the S3 templates (when enabled). */
  public readonly provisioningRole?: iam.IRole;
  /** The S3-provisioned templates (when enabled). */
  public readonly s3Templates?: S3ProvisionedTemplates;

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

    const s3Path = config.s3Templates.enabled;
    // Projects created from S3 templates run in stacks named SP-* (see SageMakerProductsLaunchPolicy).
    const stackNamePrefixes = s3Path ? ['SC-', 'SP-'] : ['SC-'];
    if (config.launchRole.mode === 'dedicated') {
      const dedicated = new SageMakerProductsLaunchRole(this, 'LaunchRole', {
        assetBucket: this.assetBucket,
        roleName: config.launchRole.roleName,
        stackNamePrefixes,
      }).role;
      this.launchRole = dedicated;
      if (s3Path && config.s3Templates.provisioningRole.mode === 'launch-role') {
        trustCloudFormation(dedicated, config.environment.account);
      }
    } else {
      const roleArn =
        config.launchRole.roleArn ??
        `arn:${Aws.PARTITION}:iam::${config.environment.account}:role/${SAGEMAKER_PRODUCTS_LAUNCH_ROLE_NAME}`;
      const existing = iam.Role.fromRoleArn(this, 'ExistingLaunchRole', roleArn, { mutable: false });
      this.launchRole = existing;
      if (config.launchRole.attachLaunchPolicy) {
        const launchPolicy = new SageMakerProductsLaunchPolicy(this, 'LaunchPolicy', {
          assetBucket: this.assetBucket,
          stackNamePrefixes,
        });
        launchPolicy.policy.attachToRole(iam.Role.fromRoleArn(this, 'ExistingLaunchRoleForPolicy', roleArn));
      }
    }
    this.provisioningRole = s3Path ? this.s3ProvisioningRole(config, stackNamePrefixes) : undefined;
    // Resource policy, so an imported (immutable) launch role can read the assets as well. The S3 path's
    // provisioning role creates the same resources (Lambda code, seed zips) from the same assets.
    const assetReaders = [this.launchRole, ...(this.provisioningRole ? [this.provisioningRole] : [])];
    this.assetBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'LaunchRoleReadsProductAssets',
        principals: [...new Set(assetReaders.map((r) => r.roleArn))].map((arn) => new iam.ArnPrincipal(arn)),
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
      this.portfolio.giveAccessToRole(
        iam.Role.fromRoleArn(this, `StudioPrincipal${i}`, overPartition(arn), { mutable: false }),
      );
    });
    if (config.tagOptions) {
      this.portfolio.associateTagOptions(
        new servicecatalog.TagOptions(this, 'TagOptions', { allowedValuesForTags: config.tagOptions }),
      );
    }

    const published: PublishedTemplate[] = [];
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
      published.push({ definition: template, productStack });
      new CfnOutput(this, `${toPascalCase(template.name)}ProductId`, { value: product.product.productId });
    }

    if (s3Path && this.provisioningRole) {
      const templates = new S3ProvisionedTemplates(this, 'S3Templates', {
        bucketName:
          config.s3Templates.bucketName ??
          `sagemaker-projects-templates-${config.environment.account}-${config.environment.region}`,
        accessLogsBucket: accessLogs,
        studioOrigins: config.s3Templates.studioOrigins,
        readers: config.studioPrincipals.map((arn) => new iam.ArnPrincipal(overPartition(arn))),
        provisioningRole: this.provisioningRole,
        prefix: config.s3Templates.prefix,
        publishDraft: config.s3Templates.publishDraft,
        templates: published,
      });
      this.s3Templates = templates;
      if (config.s3Templates.domainIds.length > 0) {
        const publisher = new TemplatePublisherRole(this, 'DomainTagger');
        new DomainTemplatesLocation(this, 'DomainTemplatesLocation', {
          domainIds: config.s3Templates.domainIds,
          tagKey: S3_TEMPLATES_LOCATION_TAG,
          location: templates.location,
          role: publisher.role,
          logGroup: publisher.logGroup,
        });
      }
      new CfnOutput(this, 'S3TemplatesLocation', {
        value: templates.location,
        description: `Value of the SageMaker domain tag ${S3_TEMPLATES_LOCATION_TAG}`,
      });
      new CfnOutput(this, 'S3TemplatesProvisioningRoleArn', {
        value: this.provisioningRole.roleArn,
        description: 'RoleARN of CreateProject/UpdateProject CfnTemplateProvider for the S3 templates',
      });
    }

    acknowledgeProductAssetDeployment(this, config.environment);

    new CfnOutput(this, 'PortfolioId', { value: this.portfolio.portfolioId });
    new CfnOutput(this, 'AssetBucketName', { value: this.assetBucket.bucketName });
  }

  /** The S3 path's provisioning role: the dedicated launch role, or an existing account role. */
  private s3ProvisioningRole(config: PortfolioConfig, stackNamePrefixes: string[]): iam.IRole {
    const option = config.s3Templates.provisioningRole;
    if (option.mode === 'launch-role') return this.launchRole;
    const roleArn =
      option.roleArn ??
      `arn:${Aws.PARTITION}:iam::${config.environment.account}:role/${SAGEMAKER_PROJECTS_LAUNCH_ROLE_NAME}`;
    const role = iam.Role.fromRoleArn(this, 'ExistingProvisioningRole', roleArn, { mutable: false });
    if (option.attachLaunchPolicy) {
      const policy = new SageMakerProductsLaunchPolicy(this, 'ProvisioningPolicy', {
        assetBucket: this.assetBucket,
        stackNamePrefixes,
        managedPolicyName: 'sagemaker-projects-s3-provisioning-policy',
        launchRoleName: roleArn.split('/').pop(),
      });
      policy.policy.attachToRole(iam.Role.fromRoleArn(this, 'ExistingProvisioningRoleForPolicy', roleArn));
    }
    return role;
  }
}

/**
 * Name of the account's SageMaker projects launch role for S3 templates (the name AWS's S3-templates
 * guidance gives it: AWS Machine Learning Blog, "Simplify ModelOps with Amazon SageMaker AI Projects using
 * Amazon S3-based templates").
 */
export const SAGEMAKER_PROJECTS_LAUNCH_ROLE_NAME = 'AmazonSageMakerProjectsLaunchRole';

/** A configured ARN written over AWS::Partition: the portfolio template names no partition (#19). */
function overPartition(arn: string): string {
  return Fn.join('', ['arn:', Aws.PARTITION, arn.replace(/^arn:[^:]+/, '')]);
}

/**
 * Lets CloudFormation use `role` as the stack role of projects created from S3 templates: the
 * `RoleARN` of `CreateProject`'s `CfnTemplateProvider` is "the IAM role used by CloudFormation to create
 * the stack" (CloudFormation Template Reference, AWS::SageMaker::Project CfnTemplateProviderDetail).
 * `aws:SourceAccount` keeps other accounts' stacks from using it (CloudFormation User Guide, "Cross-service
 * confused deputy prevention"). Studio principals are not trusted directly: they pass the role
 * (iam:PassRole), so its permissions apply only inside the project's stack operations.
 */
function trustCloudFormation(role: iam.Role, account: string): void {
  role.assumeRolePolicy?.addStatements(
    new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      principals: [new iam.ServicePrincipal('cloudformation.amazonaws.com')],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }),
  );
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
