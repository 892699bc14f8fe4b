// Base class of every template's product stack: a Service Catalog ProductStack that declares
// the SageMaker project parameters, tags every taggable resource with the project name and id,
// bounds every IAM role it creates, records which parameters are optional for Studio, and writes
// the assets bucket's name as an expression over the pseudo parameters (no account or region
// literal in the product template).
import { CfnParameter, CfnParameterProps, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import { Construct } from 'constructs';
import { projectRolesBoundary } from './permissions-boundary';
import { SageMakerProjectParameters } from './project-parameters';

/** Tag key SageMaker uses for the project name. */
export const PROJECT_NAME_TAG = 'sagemaker:project-name';
/** Tag key SageMaker uses for the project id. */
export const PROJECT_ID_TAG = 'sagemaker:project-id';

/** Metadata key listing the optional parameters of a template (read by the contract test and the README). */
export const PARAMETER_RULES_METADATA_KEY = 'SagemakerTemplateParameterRules';

/** Properties of {@link SageMakerProjectProductStack}. */
export interface SageMakerProjectProductStackProps {
  /**
   * Bucket that receives the stack's file assets (Lambda bundles, seed-code zips). Required as
   * soon as the template has an asset; the portfolio stack owns it.
   * @default - no asset support
   */
  readonly assetBucket?: s3.IBucket;
  /**
   * The assets bucket's name as an `Fn::Sub` expression over pseudo parameters, equal at launch to
   * its literal name (e.g. `sagemaker-projects-assets-${AWS::AccountId}-${AWS::Region}`): every
   * string of the template naming the bucket is written with it, so the template carries no account
   * or region literal. The product must launch in the portfolio's own account and region (the
   * portfolio is not shared with other accounts). aws-cdk-lib requires a literal bucket name for
   * ProductStack assets, hence the rewrite of the synthesized template.
   * @default - the literal name is kept
   */
  readonly assetBucketNameExpression?: string;
  /**
   * Description of the product template.
   * @default - none
   */
  readonly description?: string;
  /**
   * Apply the portfolio's permissions boundary to every IAM role in the stack.
   * @default true
   */
  readonly applyPermissionsBoundary?: boolean;
}

/** Options of an optional (Studio may leave it untouched) template parameter. */
export interface OptionalParameterProps extends CfnParameterProps {
  /** Non-empty sentinel meaning "not set"; Studio rejects empty defaults. */
  readonly default: string;
}

/** A Service Catalog product stack for a SageMaker project template. */
export class SageMakerProjectProductStack extends servicecatalog.ProductStack {
  /** The SageMaker project parameters. */
  public readonly project: SageMakerProjectParameters;
  private readonly optionalParameters: Record<string, { default: string; description?: string }> = {};
  private readonly assetBucketName?: { readonly literal: string; readonly expression: string };

  constructor(scope: Construct, id: string, props: SageMakerProjectProductStackProps = {}) {
    super(scope, id, {
      assetBucket: props.assetBucket,
      description: props.description,
      serverSideEncryption: props.assetBucket ? s3deploy.ServerSideEncryption.AES_256 : undefined,
    });
    if (props.assetBucketNameExpression !== undefined && props.assetBucket !== undefined) {
      const cfn = props.assetBucket.node.defaultChild as s3.CfnBucket | undefined;
      const literal = cfn?.bucketName ?? props.assetBucket.bucketName;
      if (Token.isUnresolved(literal)) {
        throw new Error('assetBucketNameExpression: the assets bucket must have a literal name');
      }
      this.assetBucketName = { literal, expression: props.assetBucketNameExpression };
    }
    this.project = new SageMakerProjectParameters(this, 'Project');
    Tags.of(this).add(PROJECT_NAME_TAG, this.project.projectName);
    Tags.of(this).add(PROJECT_ID_TAG, this.project.projectId);
    if (props.applyPermissionsBoundary ?? true) {
      iam.PermissionsBoundary.of(this).apply(projectRolesBoundary(this));
    }
    this.templateOptions.metadata = {
      ...this.templateOptions.metadata,
      [PARAMETER_RULES_METADATA_KEY]: { OptionalParameters: this.optionalParameters },
    };
  }

  /**
   * Declares a parameter that a data scientist may leave at its default in Studio. The default
   * must be a non-empty sentinel (for example `none`): Studio rejects empty-string defaults.
   */
  public addOptionalParameter(logicalId: string, props: OptionalParameterProps): CfnParameter {
    if (props.default.length === 0) {
      throw new Error(`addOptionalParameter(${logicalId}): 'default' must be a non-empty sentinel value`);
    }
    // A default must satisfy the parameter's own constraints (CloudFormation User Guide, "CloudFormation
    // template Parameters syntax", Default); one outside AllowedValues makes the product unlaunchable.
    if (props.allowedValues && !props.allowedValues.includes(props.default)) {
      throw new Error(
        `addOptionalParameter(${logicalId}): 'default' '${props.default}' is not one of 'allowedValues' (${props.allowedValues.join(', ')})`,
      );
    }
    const param = new CfnParameter(this, logicalId, props);
    param.overrideLogicalId(logicalId);
    this.optionalParameters[logicalId] = { default: props.default, description: props.description };
    return param;
  }

  /** The synthesized template, with the assets bucket's literal name replaced by its expression. */
  protected _toCloudFormation(): Record<string, unknown> {
    const template = super._toCloudFormation() as Record<string, unknown>;
    const name = this.assetBucketName;
    if (name === undefined) return template;
    for (const section of ['Resources', 'Outputs']) {
      if (template[section] !== undefined) {
        template[section] = withBucketExpression(template[section], name.literal, name.expression);
      }
    }
    return template;
  }
}

/**
 * `value` with every string naming `literal` written as `Fn::Sub` of `expression` (the rest of the
 * string escaped: `${` → `${!`); inside an existing `Fn::Sub` the expression is inserted directly.
 */
export function withBucketExpression(value: unknown, literal: string, expression: string): unknown {
  if (typeof value === 'string') {
    if (!value.includes(literal)) return value;
    return { 'Fn::Sub': value.split('${').join('${!').split(literal).join(expression) };
  }
  if (Array.isArray(value)) return value.map((v) => withBucketExpression(v, literal, expression));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === 'Fn::Sub') {
      const sub = entries[0][1];
      const replace = (text: string) => text.split(literal).join(expression);
      if (typeof sub === 'string') return { 'Fn::Sub': replace(sub) };
      if (Array.isArray(sub) && typeof sub[0] === 'string') {
        return {
          'Fn::Sub': [replace(sub[0]), withBucketExpression(sub[1], literal, expression)],
        };
      }
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, withBucketExpression(v, literal, expression)]));
  }
  return value;
}
