// Shared set-up of the construct tests: a bare Stack with a concrete environment, a minimal
// SageMakerProjectProductStack inside a parent stack that owns its asset bucket, and the
// synthesized template of a product stack (read from the cloud assembly: Template.fromStack
// cannot load a ProductStack).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ProjectNames } from '../src/project-names';
import {
  SageMakerProjectProductStack,
  SageMakerProjectProductStackProps,
} from '../src/sagemaker-project-product-stack';

/** Account and region of every test stack. */
export const ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/** A seed folder (README.md and a file) for the repository constructs. */
export const SEED_FIXTURE = path.join(__dirname, 'fixtures', 'seed');

/** Entry of the fixture Lambda handler. */
export const FIXTURE_HANDLER = path.join(__dirname, 'fixtures', 'handler.ts');

/**
 * An App for tests. `bundling: false` skips asset bundling (the `aws:cdk:bundling-stacks`
 * context, as `cdk synth --exclusively` uses it) where the bundle is not what a test checks.
 */
export function testApp(options: { bundling?: boolean; context?: Record<string, unknown> } = {}): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'constructs-test-')),
    context: { ...options.context, ...(options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {}) },
  });
}

/** A bare Stack with a concrete environment. */
export function bareStack(options: { bundling?: boolean; context?: Record<string, unknown> } = {}): Stack {
  return new Stack(testApp(options), 'Test', { env: ENV });
}

/** Names of a project with literal (not token) name and id, for bare stacks. */
export function literalNames(): ProjectNames {
  return new ProjectNames('demo', 'p-abc123def456');
}

/** A product stack inside a parent stack that owns its asset bucket. */
export function productStack(
  options: {
    bundling?: boolean;
    context?: Record<string, unknown>;
    props?: Omit<SageMakerProjectProductStackProps, 'assetBucket'>;
  } = {},
): { app: App; parent: Stack; stack: SageMakerProjectProductStack; names: ProjectNames } {
  const app = testApp(options);
  const parent = new Stack(app, 'Portfolio', { env: ENV });
  // Service Catalog product stacks publish their assets into a bucket with a physical name.
  const assetBucket = new s3.Bucket(parent, 'Assets', { bucketName: 'sagemaker-test-assets' });
  const stack = new SageMakerProjectProductStack(parent, 'Product', { assetBucket, ...options.props });
  return {
    app,
    parent,
    stack,
    names: new ProjectNames(stack.project.projectName, stack.project.projectId),
  };
}

/** Synthesizes the app and returns the product stack's template. */
export function productTemplate(app: App, stack: SageMakerProjectProductStack): Template {
  const assembly = app.synth();
  const file = path.join(assembly.directory, stack.templateFile);
  return Template.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** A statement of a synthesized IAM policy document. */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Principal?: unknown;
}

/** Every statement of the inline (AWS::IAM::Policy) and managed policies of a template. */
export function policyStatements(template: Template): PolicyStatementJson[] {
  return ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
    Object.values(template.findResources(type)).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as PolicyStatementJson[],
    ),
  );
}

/** The statement with the given Sid (fails the test when there is none). */
export function statementBySid(template: Template, sid: string): PolicyStatementJson {
  const found = policyStatements(template).filter((s) => s.Sid === sid);
  if (found.length !== 1) throw new Error(`expected one statement with Sid ${sid}, found ${found.length}`);
  return found[0];
}
