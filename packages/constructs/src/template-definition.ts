// The contract between a template folder under templates/ and the portfolio app.
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SageMakerProjectProductStack } from './sagemaker-project-product-stack';

/** Context handed to a template when the portfolio builds its product stack. */
export interface ProductStackContext {
  /** Bucket for the product stack's file assets. */
  readonly assetBucket: s3.IBucket;
  /**
   * The bucket's name as an `Fn::Sub` expression over pseudo parameters (see
   * SageMakerProjectProductStackProps.assetBucketNameExpression).
   * @default - the literal name
   */
  readonly assetBucketNameExpression?: string;
}

/** What a template folder exports so the portfolio can publish it. */
export interface TemplateDefinition {
  /** Folder name under templates/, also the config key (kebab-case). */
  readonly name: string;
  /** Product name shown in Studio. */
  readonly productName: string;
  /** Product description shown in Studio. */
  readonly description: string;
  /** Absolute path of the template folder (holds `versions.json` and `versions/`). */
  readonly directory: string;
  /** Builds the product stack of the current version. */
  createProductStack(
    scope: Construct,
    id: string,
    context: ProductStackContext,
  ): SageMakerProjectProductStack;
}
