// TemplateDefinition is a contract without logic (template-definition.ts declares only types). This
// test holds a definition written against it and drives it the way the portfolio does
// (portfolio/portfolio-stack.ts: createProductStack(scope, `<PascalName>Product`, { assetBucket })),
// checking what the contract promises: the product stack is a SageMakerProjectProductStack under
// the given scope and id, and its file assets go to the context's bucket.
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { ENV, FIXTURE_HANDLER, productTemplate, testApp } from './support';
import { toPascalCase } from '../src/naming';
import { SageMakerProjectProductStack } from '../src/sagemaker-project-product-stack';
import { ProductStackContext, TemplateDefinition } from '../src/template-definition';

const definition: TemplateDefinition = {
  name: 'fixture-forecasting',
  productName: 'Fixture forecasting',
  description: 'A template written against the TemplateDefinition contract',
  directory: __dirname,
  createProductStack: (scope, id, context: ProductStackContext) => {
    const stack = new SageMakerProjectProductStack(scope, id, { assetBucket: context.assetBucket });
    new s3assets.Asset(stack, 'Code', { path: FIXTURE_HANDLER });
    return stack;
  },
};

describe('TemplateDefinition', () => {
  let parent: Template;
  let product: Template;
  let stack: SageMakerProjectProductStack;

  beforeAll(() => {
    const app = testApp();
    const portfolio = new Stack(app, 'Portfolio', { env: ENV });
    const assetBucket = new s3.Bucket(portfolio, 'AssetBucket', { bucketName: 'sagemaker-portfolio-assets' });
    stack = definition.createProductStack(portfolio, `${toPascalCase(definition.name)}Product`, {
      assetBucket,
    });
    product = productTemplate(app, stack);
    parent = Template.fromStack(portfolio);
  });

  test('the product stack is created under the given scope and id', () => {
    expect(stack.node.id).toBe('FixtureForecastingProduct');
    expect(stack.node.scope?.node.id).toBe('Portfolio');
    expect(Object.keys(product.findParameters('*'))).toEqual(
      expect.arrayContaining(['SageMakerProjectName', 'SageMakerProjectId']),
    );
  });

  test("its file assets are published to the context's asset bucket", () => {
    parent.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: Match.stringLikeRegexp('^AssetBucket') },
    });
  });
});
