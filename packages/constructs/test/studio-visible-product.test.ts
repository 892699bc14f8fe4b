// StudioVisibleProduct on a bare Stack: a Service Catalog product tagged for Studio, the current
// version built from the product stack and written as a snapshot, earlier versions read from
// their locked snapshots; validateVersions refuses lists Service Catalog or the history cannot keep.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENV, testApp } from './support';
import { SageMakerProjectProductStack } from '../src/sagemaker-project-product-stack';
import {
  ProductVersionEntry,
  STUDIO_VISIBILITY_TAG,
  StudioVisibleProduct,
  validateVersions,
} from '../src/studio-visible-product';

/** A portfolio-like stack with one product of the given versions; returns its template. */
function synthProduct(
  snapshotDirectory: string,
  versions: ProductVersionEntry[],
  topicName: string,
): Template {
  const app: App = testApp();
  const stack = new Stack(app, 'Portfolio', { env: ENV });
  const productStack = new SageMakerProjectProductStack(stack, 'Fixture', {
    assetBucket: new s3.Bucket(stack, 'Assets', { bucketName: 'sagemaker-test-assets' }),
  });
  new sns.Topic(productStack, 'Topic', { topicName });
  new StudioVisibleProduct(stack, 'Product', {
    productStack,
    productName: 'Fixture product',
    description: 'For the tests',
    owner: 'ML platform team',
    distributor: 'Platform',
    supportEmail: 'ml-platform@example.com',
    versions,
    snapshotDirectory,
  });
  return Template.fromStack(stack);
}

describe('StudioVisibleProduct', () => {
  let dir: string;
  let first: Template;
  let second: Template;
  let afterFirst: Record<string, string>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-product-'));
    first = synthProduct(dir, [{ name: '1.0.0', locked: false, description: 'First' }], 'sagemaker-v1');
    afterFirst = Object.fromEntries(
      fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
    );
    // 1.0.0 is released: locked, read from the snapshot written above; 1.1.0 is the current draft.
    second = synthProduct(
      dir,
      [
        { name: '1.0.0', locked: true, description: 'First' },
        { name: '1.1.0', locked: false, description: 'Second' },
      ],
      'sagemaker-v2',
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the product is visible in Studio and carries its owner and support details', () => {
    first.hasResourceProperties('AWS::ServiceCatalog::CloudFormationProduct', {
      Name: 'Fixture product',
      Description: 'For the tests',
      Owner: 'ML platform team',
      Distributor: 'Platform',
      SupportEmail: 'ml-platform@example.com',
      Tags: Match.arrayWith([{ Key: STUDIO_VISIBILITY_TAG, Value: 'true' }]),
    });
  });

  test('the current version is written as a snapshot file in the snapshot directory', () => {
    const snapshots = Object.keys(afterFirst);
    expect(snapshots).toEqual([expect.stringMatching(/1\.0\.0\.product\.template\.json$/)]);
    expect(afterFirst[snapshots[0]]).toContain('sagemaker-v1');
  });

  test('versions are published oldest first with their names and descriptions', () => {
    const [product] = Object.values(second.findResources('AWS::ServiceCatalog::CloudFormationProduct'));
    const artifacts = product.Properties.ProvisioningArtifactParameters as Array<{
      Name: string;
      Description?: string;
    }>;
    expect(artifacts.map((a) => [a.Name, a.Description])).toEqual([
      ['1.0.0', 'First'],
      ['1.1.0', 'Second'],
    ]);
    // The earlier version keeps its snapshot (the topic of v1), the current one is built anew.
    expect(fs.readdirSync(dir).sort()).toEqual([
      expect.stringMatching(/1\.0\.0\.product\.template\.json$/),
      expect.stringMatching(/1\.1\.0\.product\.template\.json$/),
    ]);
    const read = (version: string) =>
      fs.readFileSync(
        path.join(dir, fs.readdirSync(dir).find((f) => f.includes(`.${version}.`)) as string),
        'utf8',
      );
    expect(read('1.0.0')).toContain('sagemaker-v1');
    expect(read('1.0.0')).not.toContain('sagemaker-v2');
    expect(read('1.1.0')).toContain('sagemaker-v2');
  });

  test('constructing with an invalid version list fails before any resource is created', () => {
    const stack = new Stack(new App(), 'P', { env: ENV });
    const productStack = new SageMakerProjectProductStack(stack, 'Fixture');
    expect(
      () =>
        new StudioVisibleProduct(stack, 'Product', {
          productStack,
          productName: 'x',
          description: 'x',
          owner: 'x',
          versions: [],
          snapshotDirectory: os.tmpdir(),
        }),
    ).toThrow(/versions: at least one version is required/);
  });
});

describe('validateVersions', () => {
  test('accepts released versions followed by one draft', () => {
    expect(() =>
      validateVersions([
        { name: '0.1.0', locked: true },
        { name: '0.2.0-rc.1', locked: true },
        { name: 'v0_3', locked: false },
      ]),
    ).not.toThrow();
    expect(() => validateVersions([{ name: '1.0.0', locked: true }])).not.toThrow();
  });

  test('refuses an empty list', () => {
    expect(() => validateVersions([])).toThrow(/versions: at least one version is required/);
  });

  test.each(['', '-1.0', '1.0 beta', 'x'.repeat(101), '1/0'])('refuses the version name %p', (name) => {
    expect(() => validateVersions([{ name, locked: false }])).toThrow(
      /versions\[0\]\.name: '.*' is not a valid version name/,
    );
  });

  test('refuses a duplicate name, naming its index', () => {
    expect(() =>
      validateVersions([
        { name: '1.0.0', locked: true },
        { name: '1.0.0', locked: false },
      ]),
    ).toThrow(/versions\[1\]\.name: duplicate version '1\.0\.0'/);
  });

  test('refuses an unlocked version before the last one', () => {
    expect(() =>
      validateVersions([
        { name: '1.0.0', locked: false },
        { name: '1.1.0', locked: false },
      ]),
    ).toThrow(/versions\[0\]\.locked: only the last \(current\) version may be unlocked/);
  });
});
