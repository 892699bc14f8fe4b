// The Service Catalog launch role of the portfolio's products: the identity CloudFormation
// uses to create a project's resources, and its launch policy. Least privilege: only the actions
// the product resources need, on resources named with the `sagemaker-` prefix, and role creation
// only with the portfolio's permissions boundary attached (the statements, grouped by purpose, are
// in launch-policy-statements.ts).
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LAUNCH_POLICY_WILDCARD_REASONS, launchPolicyStatements } from './launch-policy-statements';
import { acknowledgeWildcards } from './nag-acknowledgements';
import { PROJECT_RESOURCE_PREFIX, projectRolesBoundaryArn } from './permissions-boundary';
import { IAM_MANAGED_POLICY_NAME, IAM_ROLE_NAME, validateName } from './validation';

/** Name of the AWS-provided launch role SageMaker creates when projects are enabled. */
export const SAGEMAKER_PRODUCTS_LAUNCH_ROLE_NAME =
  'service-role/AmazonSageMakerServiceCatalogProductsLaunchRole';

export { PASSABLE_TO_SERVICES } from './launch-policy-statements';

/** Properties of {@link SageMakerProductsLaunchPolicy}. */
export interface SageMakerProductsLaunchPolicyProps {
  /** Bucket holding the products' file assets (Lambda bundles, seed-code zips). */
  readonly assetBucket: s3.IBucket;
  /**
   * Name of the managed policy (at most 128 characters, IAM User Guide "IAM and AWS STS quotas").
   * @default 'sagemaker-projects-launch-policy'
   */
  readonly managedPolicyName?: string;
  /**
   * Name of the launch role the policy is attached to (at most 64 characters); the policy denies
   * every IAM write on it.
   * @default 'sagemaker-projects-launch-role'
   */
  readonly launchRoleName?: string;
  /**
   * Name prefixes of the stacks the role creates, updates and deletes. Service Catalog names the
   * stacks of provisioned products `SC-<account>-pp-<id>`; projects created from S3 templates run in
   * stacks named `SP-*` (the prefix of AWS's launch-role policy for S3 templates, aws-samples
   * sagemaker-custom-project-templates, s3_templates IAM set-up).
   * @default ['SC-']
   */
  readonly stackNamePrefixes?: string[];
}

/** Default name of the portfolio's launch role. */
export const DEFAULT_LAUNCH_ROLE_NAME = 'sagemaker-projects-launch-role';
/** Default name of the launch policy. */
export const DEFAULT_LAUNCH_POLICY_NAME = 'sagemaker-projects-launch-policy';

/** The least-privilege permissions a product launch needs, as a customer managed policy. */
export class SageMakerProductsLaunchPolicy extends Construct {
  /** The managed policy; attach it to the launch role. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: SageMakerProductsLaunchPolicyProps) {
    super(scope, id);
    const launchPolicyName = props.managedPolicyName ?? DEFAULT_LAUNCH_POLICY_NAME;
    const launchRoleName = props.launchRoleName ?? DEFAULT_LAUNCH_ROLE_NAME;
    validateName('managedPolicyName', launchPolicyName, IAM_MANAGED_POLICY_NAME);
    validateName('launchRoleName', launchRoleName, IAM_ROLE_NAME);
    const stackNamePrefixes = props.stackNamePrefixes ?? ['SC-'];
    for (const prefix of stackNamePrefixes) {
      if (!/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(prefix)) {
        throw new Error(`stackNamePrefixes: '${prefix}' is not a CloudFormation stack name prefix`);
      }
    }

    const statements = launchPolicyStatements({
      partition: Aws.PARTITION,
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      prefix: PROJECT_RESOURCE_PREFIX,
      stackNamePrefixes,
      assetObjectsArn: props.assetBucket.arnForObjects('*'),
      boundaryArn: projectRolesBoundaryArn(this),
      launchRoleName,
      launchPolicyName,
    });

    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: launchPolicyName,
      description: 'Least-privilege permissions to provision SageMaker project templates of this portfolio.',
      statements,
    });
    acknowledgeWildcards(this.policy, statements, LAUNCH_POLICY_WILDCARD_REASONS);
  }
}

/** Properties of {@link SageMakerProductsLaunchRole}. */
export interface SageMakerProductsLaunchRoleProps extends SageMakerProductsLaunchPolicyProps {
  /**
   * Name of the role (at most 64 characters, IAM User Guide "IAM and AWS STS quotas").
   * @default 'sagemaker-projects-launch-role'
   */
  readonly roleName?: string;
}

/** A dedicated launch role for the portfolio's products, assumed by Service Catalog. */
export class SageMakerProductsLaunchRole extends Construct {
  /** The role; give it to `Portfolio.setLaunchRole`. */
  public readonly role: iam.Role;
  /** The launch permissions attached to the role. */
  public readonly launchPolicy: SageMakerProductsLaunchPolicy;

  constructor(scope: Construct, id: string, props: SageMakerProductsLaunchRoleProps) {
    super(scope, id);
    const roleName = props.roleName ?? DEFAULT_LAUNCH_ROLE_NAME;
    validateName('roleName', roleName, IAM_ROLE_NAME);
    this.launchPolicy = new SageMakerProductsLaunchPolicy(this, 'LaunchPolicy', {
      ...props,
      launchRoleName: roleName,
    });
    this.role = new iam.Role(this, 'Role', {
      roleName,
      description: 'Service Catalog launch role of the SageMaker project templates portfolio',
      assumedBy: new iam.ServicePrincipal('servicecatalog.amazonaws.com'),
      managedPolicies: [this.launchPolicy.policy],
    });
  }
}
