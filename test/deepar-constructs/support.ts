// Shared set-up of the tests of the DeepAR template's own constructs (templates/deepar-forecasting/
// constructs/; the constructs both templates use are tested in packages/constructs/test): a minimal
// product stack with the template's parameters (the parts that read them need a
// SageMakerProjectProductStack) and its synthesized template.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProjectNames, SageMakerProjectProductStack } from '@mlops-templates/constructs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FEATURE_FLAGS } from '../../portfolio/app';
import { declareDeepArParameters, DeepArParameters } from '../../templates/deepar-forecasting/parameters';

const ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/** An App that skips asset bundling (`aws:cdk:bundling-stacks`): the bundles are not what these tests check. */
function testApp(): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'deepar-constructs-')),
    // The portfolio app's feature flags (access logs through a bucket policy...), as in the product.
    context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] },
  });
}

/** A product stack (inside a parent owning its asset bucket) with the DeepAR template's parameters. */
export interface ProductFixture {
  readonly app: App;
  readonly stack: SageMakerProjectProductStack;
  readonly names: ProjectNames;
  readonly parameters: DeepArParameters;
}

/** A minimal product stack with the DeepAR template's parameters. */
export function productFixture(): ProductFixture {
  const app = testApp();
  const parent = new Stack(app, 'Portfolio', { env: ENV });
  const assetBucket = new s3.Bucket(parent, 'Assets', { bucketName: 'sagemaker-test-assets' });
  const stack = new SageMakerProjectProductStack(parent, 'Product', { assetBucket });
  return {
    app,
    stack,
    names: new ProjectNames(stack.project.projectName, stack.project.projectId),
    parameters: declareDeepArParameters(stack),
  };
}

/** Synthesizes the app and returns the product stack's template (Template.fromStack cannot load a ProductStack). */
export function productTemplate(f: ProductFixture): Template {
  const assembly = f.app.synth();
  return Template.fromJSON(
    JSON.parse(fs.readFileSync(path.join(assembly.directory, f.stack.templateFile), 'utf8')),
  );
}
