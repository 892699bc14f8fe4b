// Product versions: releasing a new version keeps every earlier provisioning artifact (read from
// its locked snapshot), a locked version can never change, and a locked name is never reused.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SageMakerProjectProductStack, TemplateDefinition } from '@mlops-templates/constructs';
import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  readVersions,
  releaseVersion,
  snapshotDirectory,
  startDraftVersion,
  writeVersions,
} from '../portfolio/versions';
import { cfnLint } from './harness/cfn-lint';
import { CFN_LINT, describeWithTool } from './harness/external-tool';
import { configWith, synthPortfolio } from './support/synth';

/** A tiny template whose content the test can change between releases. */
function fixtureTemplate(dir: string, topicDisplayName: () => string): TemplateDefinition {
  return {
    name: 'fixture',
    productName: 'Fixture product',
    description: 'A template for the versioning test',
    directory: dir,
    createProductStack: (scope, id, context) => {
      const stack = new SageMakerProjectProductStack(scope, id, { assetBucket: context.assetBucket });
      new sns.Topic(stack, 'Topic', {
        topicName: `sagemaker-${stack.project.projectId}-fixture`,
        displayName: topicDisplayName(),
        enforceSSL: true,
      });
      return stack;
    },
  };
}

function artifactsOf(s: ReturnType<typeof synthPortfolio>): Array<{ Name: string; Info: unknown }> {
  const products = Object.values(
    s.portfolioTemplate.findResources('AWS::ServiceCatalog::CloudFormationProduct'),
  );
  expect(products).toHaveLength(1);
  return products[0].Properties.ProvisioningArtifactParameters;
}

let s3TemplatesSynth: ReturnType<typeof synthPortfolio> | undefined;

describe('template versions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'versions-'));
  let content = 'first';
  const template = fixtureTemplate(dir, () => content);
  const registry = { fixture: template };
  const synth = () =>
    synthPortfolio(configWith({ templates: ['fixture'] }, registry), { nag: false, templates: registry });
  const snapshotFiles = () => fs.readdirSync(snapshotDirectory(dir)).sort();

  test('release cycle: draft 1.0.0 → locked → draft 1.1.0 keeps 1.0.0 provisionable → locked 1.0.0 cannot change', () => {
    writeVersions(dir, [{ name: '1.0.0', locked: false, description: 'first release' }]);
    expect(artifactsOf(synth()).map((a) => a.Name)).toEqual(['1.0.0']);

    // Release: lock the draft. Synth writes (and from now on compares) the locked snapshot.
    writeVersions(dir, releaseVersion(readVersions(dir), '1.0.0').versions);
    synth();
    const [v1File] = snapshotFiles();
    expect(v1File).toMatch(/\.1\.0\.0\.product\.template\.json$/);
    const v1Snapshot = fs.readFileSync(path.join(snapshotDirectory(dir), v1File), 'utf8');
    expect(v1Snapshot).toContain('"DisplayName": "first"');

    // Changing the template while 1.0.0 is the locked current version fails synth.
    content = 'second';
    expect(() => synth()).toThrow(/Template has changed for ProductStack Version 1\.0\.0/);

    // A new draft version publishes the change next to the untouched 1.0.0.
    writeVersions(dir, startDraftVersion(readVersions(dir), '1.1.0'));
    const s = synth();
    expect(artifactsOf(s).map((a) => a.Name)).toEqual(['1.0.0', '1.1.0']);
    expect(fs.readFileSync(path.join(snapshotDirectory(dir), v1File), 'utf8')).toBe(v1Snapshot);
    expect(snapshotFiles()).toHaveLength(2);
    const current = JSON.parse(fs.readFileSync(s.productTemplateFiles.fixture, 'utf8'));
    expect(JSON.stringify(current)).toContain('"DisplayName":"second"');

    // The locked version is refused for a second release, and a draft cannot be stacked on a draft.
    expect(() => releaseVersion(readVersions(dir), '1.0.0')).toThrow(/version '1\.0\.0' is locked/);
    expect(() => startDraftVersion(readVersions(dir), '1.2.0')).toThrow(/still a draft/);
  });

  test('S3-provisioned templates: each locked version is copied with the Studio visibility tag, bucket has CORS', () => {
    // Runs after the release cycle above: 1.0.0 is locked, 1.1.0 is a draft (not published to S3).
    const config = configWith({ templates: ['fixture'], s3Templates: { enabled: true } }, registry);
    const s = synthPortfolio(config, { nag: true, templates: registry });
    s3TemplatesSynth = s;
    const t = s.portfolioTemplate;
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'sagemaker-projects-templates-123456789012-eu-west-1',
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['https://*.sagemaker.aws'] }),
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    // The Studio principals list the bucket and read templates with their tags, nothing else.
    const [policy] = Object.values(t.findResources('AWS::S3::BucketPolicy')).filter((p) =>
      JSON.stringify(p.Properties.Bucket).includes('S3TemplatesBucket'),
    );
    const allows = (
      policy.Properties.PolicyDocument.Statement as Array<{
        Effect: string;
        Sid?: string;
        Action: string | string[];
        Principal: { AWS: string | string[] };
      }>
    ).filter((st) => st.Effect === 'Allow');
    expect(allows.map((st) => [st.Sid, [st.Action].flat().sort(), [st.Principal.AWS].flat()])).toEqual([
      ['StudioListsTemplates', ['s3:ListBucket'], config.studioPrincipals],
      ['StudioReadsTemplatesAndTags', ['s3:GetObject', 's3:GetObjectTagging'], config.studioPrincipals],
    ]);
    const copies = Object.values(t.findResources('Custom::AWS'));
    expect(copies).toHaveLength(1);
    const create = JSON.stringify(copies[0].Properties.Update);
    expect(create).toContain('\\"action\\":\\"copyObject\\"');
    expect(create).toContain('fixture/1.0.0.template.json');
    expect(create).toContain('sagemaker:studio-visibility=true');
    expect(create).toContain('\\"TaggingDirective\\":\\"REPLACE\\"');
  });

  test('releasing a draft under another name renames it; malformed version lists are rejected', () => {
    const draft = [
      { name: '1.0.0', locked: true },
      { name: 'next', locked: false },
    ];
    const { versions, renamedDraft } = releaseVersion(draft, '1.1.0');
    expect(versions).toEqual([
      { name: '1.0.0', locked: true },
      { name: '1.1.0', locked: true, description: undefined },
    ]);
    expect(renamedDraft).toBe('next');
    expect(() =>
      writeVersions(dir, [
        { name: 'a', locked: false },
        { name: 'b', locked: true },
      ]),
    ).toThrow(/versions\[0\]\.locked: only the last \(current\) version may be unlocked/);
    expect(() =>
      writeVersions(dir, [
        { name: 'a', locked: true },
        { name: 'a', locked: true },
      ]),
    ).toThrow(/versions\[1\]\.name: duplicate version 'a'/);
  });
});

describeWithTool(CFN_LINT, 'cfn-lint', () => {
  test('the portfolio with S3-provisioned templates and the locked snapshot lint clean', () => {
    expect(s3TemplatesSynth).toBeDefined();
    const s = s3TemplatesSynth!;
    const result = cfnLint([s.portfolioTemplateFile, ...Object.values(s.productTemplateFiles)]);
    expect(result.findings).toEqual([]);
  });
});
