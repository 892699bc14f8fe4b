// The S3-provisioned templates path (issue #18): what the portfolio publishes (YAML, tagged, released
// versions and the opted-in draft, under the configured prefix), who may read it (Studio principals,
// the provisioning role, the product assets), the domain tag, moving a project to a new version, and
// the path's rehearsal with negative controls. The committed config enables the path.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CFN_LINT, cfnLint, describeWithTool } from '@mlops-templates/test-harness';
import YAML from 'yaml';
import { toCloudFormationYaml, TemplateConversionError } from '../portfolio/cloudformation-yaml';
import { parsePortfolioConfig } from '../portfolio/config';
import { templateUrl, updateProjectToVersion } from '../portfolio/s3-template-urls';
import {
  readVersions,
  releaseVersion,
  snapshotDirectory,
  startDraftVersion,
  writeVersions,
} from '../portfolio/versions';
import { rolesOf, type PolicyDocument } from './rehearsal/principals';
import { launchRoleOf, REHEARSAL_ACCOUNT, REHEARSAL_REGION } from './rehearsal/rehearsal';
import { resolveTemplate, type Json, type ResolvedTemplate } from './rehearsal/resolve';
import { rehearseS3TemplatesPath } from './rehearsal/s3-templates-path';
import { fixtureTemplate } from './support/fixture-template';
import {
  configWith,
  synthPortfolio,
  type SynthesizedPortfolio,
  sharedCommittedSynth,
  type SharedSynth,
} from './support/synth';

type Resources = Record<string, { Type: string; Properties: Record<string, Json> }>;

const resolve = (
  template: Record<string, Json>,
  stackName: string,
  parameters: Record<string, string> = {},
) =>
  resolveTemplate(template, {
    partition: 'aws',
    region: REHEARSAL_REGION,
    account: REHEARSAL_ACCOUNT,
    stackName,
    parameters,
  });

const read = (file: string): Record<string, Json> => JSON.parse(fs.readFileSync(file, 'utf8'));

/** The copy calls of the portfolio: object key → the copy's parameters and physical id. */
function copies(
  s: Pick<SharedSynth, 'portfolioTemplateFile'>,
): Map<string, { CopySource: string; Tagging: string; ContentType: string; id: string }> {
  const out = new Map<string, { CopySource: string; Tagging: string; ContentType: string; id: string }>();
  const resolved = resolve(read(s.portfolioTemplateFile), 'SageMakerProjectsPortfolio');
  for (const r of Object.values(resolved.resources)) {
    if (r.type !== 'Custom::AWS') continue;
    const call = JSON.parse(String(r.properties.Update ?? r.properties.Create)) as {
      action: string;
      parameters: { Key: string; CopySource: string; Tagging: string; ContentType: string };
      physicalResourceId: { id: string };
    };
    if (call.action === 'copyObject') {
      out.set(call.parameters.Key, { ...call.parameters, id: call.physicalResourceId.id });
    }
  }
  return out;
}

/** The YAML file asset a copy reads, parsed. */
function publishedTemplate(s: Pick<SharedSynth, 'outdir'>, copySource: string): unknown {
  const assets = read(path.join(s.outdir, 'SageMakerProjectsPortfolio.assets.json')) as {
    files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const objectKey = copySource.split('/').slice(1).join('/');
  const file = Object.values(assets.files).find((f) =>
    Object.values(f.destinations).some((d) => d.objectKey === objectKey),
  );
  expect(file).toBeDefined();
  expect(file!.source.path).toMatch(/\.template\.yaml$/);
  return YAML.parse(fs.readFileSync(path.join(s.outdir, file!.source.path), 'utf8'), { version: '1.1' });
}

/** The committed portfolio's synth (its DeepAR product references Lambda bundles and seed zips). */
let s: SharedSynth;

describe('committed portfolio: the S3 path with the draft published', () => {
  let portfolio: ResolvedTemplate;
  let product: ResolvedTemplate;
  beforeAll(() => {
    s = sharedCommittedSynth();
    portfolio = resolve(read(s.portfolioTemplateFile), 'SageMakerProjectsPortfolio');
    product = resolve(read(s.productTemplateFiles['deepar-forecasting']), `SP-${REHEARSAL_ACCOUNT}-x`, {
      SageMakerProjectName: 'demo',
      SageMakerProjectId: 'p-abcdefghijkl',
    });
  });

  test('each draft is published as YAML equal to this synth’s product template, tagged for Studio', () => {
    const published = copies(s);
    const names = ['deepar-forecasting', 'tabular-xgboost'];
    expect([...published.keys()].sort()).toEqual(
      names.map((n) => `templates/${n}/0.1.0-draft.template.yaml`),
    );
    for (const name of names) {
      const copy = published.get(`templates/${name}/0.1.0-draft.template.yaml`)!;
      expect(copy.Tagging).toBe('sagemaker:studio-visibility=true');
      expect(copy.ContentType).toBe('application/yaml');
      expect(publishedTemplate(s, copy.CopySource)).toEqual(read(s.productTemplateFiles[name]));
    }
  });

  test('the launch role doubles as the provisioning role: CloudFormation may assume it from this account, SP-* stacks', () => {
    const launch = Object.values(read(s.portfolioTemplateFile).Resources as Resources).find(
      (r) =>
        r.Type === 'AWS::IAM::Role' &&
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('servicecatalog'),
    )!;
    const trust = (launch.Properties.AssumeRolePolicyDocument as { Statement: Array<Record<string, Json>> })
      .Statement;
    expect(trust).toContainEqual({
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'cloudformation.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': REHEARSAL_ACCOUNT } },
    });
    // Studio principals pass the role; they may not assume it.
    expect(JSON.stringify(trust)).not.toContain('AmazonSageMaker-ExecutionRole');
    const stacks = Object.values(portfolio.resources)
      .filter((r) => r.type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r) => (r.properties.PolicyDocument as unknown as PolicyDocument).Statement)
      .find((st) => st.Sid === 'ProvisionedProductStacks');
    expect(stacks?.Resource).toEqual([
      `arn:aws:cloudformation:${REHEARSAL_REGION}:${REHEARSAL_ACCOUNT}:stack/SC-*`,
      `arn:aws:cloudformation:${REHEARSAL_REGION}:${REHEARSAL_ACCOUNT}:stack/SP-*`,
    ]);
  });

  test('rehearsal of the path passes: Studio lists and reads templates and tags; the provisioning role reads the template and every product asset', async () => {
    const all = [portfolio, product];
    const launch = launchRoleOf(portfolio, all);
    const rehearsed = await rehearseS3TemplatesPath(portfolio, product, launch, all);
    expect(rehearsed).toBeDefined();
    const failures = rehearsed!.results.filter((r) => !r.ok);
    expect(failures.map((f) => `${f.label}: ${f.decision.result}`)).toEqual([]);
    const labels = rehearsed!.results.map((r) => r.label);
    expect(labels).toContain(
      'S3 templates: Studio reads the tags of templates/deepar-forecasting/0.1.0-draft.template.yaml (s3:GetObjectTagging)',
    );
    expect(labels).toContain(
      'S3 templates: provisioning role reads template templates/deepar-forecasting/0.1.0-draft.template.yaml',
    );
    // Every Lambda bundle and seed zip of the product, in the product asset bucket.
    const assetReads = labels.filter((l) => l.includes('reads product asset'));
    const functions = Object.values(product.resources).filter(
      (r) => r.type === 'AWS::Lambda::Function',
    ).length;
    expect(assetReads.length).toBeGreaterThanOrEqual(Math.min(functions, 2));
  });

  test('negative control: the bucket policy without s3:GetObjectTagging fails the path, naming the call', async () => {
    const copy = structuredClone(read(s.portfolioTemplateFile));
    let removed = 0;
    for (const r of Object.values(copy.Resources as Resources)) {
      if (r.Type !== 'AWS::S3::BucketPolicy') continue;
      for (const st of (r.Properties.PolicyDocument as unknown as PolicyDocument).Statement as Array<
        Record<string, Json>
      >) {
        const actions = [st.Action].flat() as string[];
        if (!actions.includes('s3:GetObjectTagging')) continue;
        st.Action = actions.filter((a) => a !== 's3:GetObjectTagging');
        removed++;
      }
    }
    expect(removed).toBe(1);
    const broken = resolve(copy, 'SageMakerProjectsPortfolio');
    const all = [broken, product];
    const rehearsed = await rehearseS3TemplatesPath(broken, product, launchRoleOf(broken, all), all);
    const failures = rehearsed!.results.filter((r) => !r.ok).map((f) => `${f.label}: ${f.decision.result}`);
    expect(failures).toEqual([
      'S3 templates: Studio reads the tags of templates/deepar-forecasting/0.1.0-draft.template.yaml (s3:GetObjectTagging): ImplicitlyDenied',
      'S3 templates: Studio reads the tags of templates/tabular-xgboost/0.1.0-draft.template.yaml (s3:GetObjectTagging): ImplicitlyDenied',
    ]);
  });

  describeWithTool(CFN_LINT, 'cfn-lint', () => {
    test('the portfolio and the published YAML lint clean', () => {
      const yamlFiles = fs.readdirSync(s.outdir).filter((f) => f.endsWith('.template.yaml'));
      expect(yamlFiles).toHaveLength(2);
      const result = cfnLint([s.portfolioTemplateFile, ...yamlFiles.map((f) => path.join(s.outdir, f))]);
      expect(result.findings).toEqual([]);
    });
  });
});

describe('released versions, an existing provisioning role, a prefix and domain tags', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3-templates-'));
  let content = 'first';
  const registry = { fixture: fixtureTemplate(dir, () => content) };
  const domainId = 'd-abc123def456';
  const s3Templates = {
    enabled: true,
    prefix: 'org/templates',
    publishDraft: true,
    domainIds: [domainId],
    provisioningRole: { mode: 'existing' as const, attachLaunchPolicy: false },
  };
  const synth = (changes: Record<string, unknown> = {}, nag = false) =>
    synthPortfolio(
      configWith({ templates: ['fixture'], s3Templates: { ...s3Templates, ...changes } }, registry),
      {
        nag,
        templates: registry,
      },
    );
  let released: SynthesizedPortfolio;
  const launchRoleArn = `arn:aws:iam::${REHEARSAL_ACCOUNT}:role/AmazonSageMakerProjectsLaunchRole`;

  beforeAll(() => {
    writeVersions(dir, [{ name: '1.0.0', locked: false }]);
    writeVersions(dir, releaseVersion(readVersions(dir), '1.0.0').versions);
    synth(); // writes the locked 1.0.0 snapshot
    content = 'second';
    writeVersions(dir, startDraftVersion(readVersions(dir), '1.1.0'));
    released = synth({}, true);
  });

  test('every released version and the marked draft are published under the prefix; 1.0.0 is its locked snapshot', () => {
    const published = copies(released);
    expect([...published.keys()].sort()).toEqual([
      'org/templates/fixture/1.0.0.template.yaml',
      'org/templates/fixture/1.1.0-draft.template.yaml',
    ]);
    const snapshot = fs
      .readdirSync(snapshotDirectory(dir))
      .find((f) => f.endsWith('.1.0.0.product.template.json'))!;
    const v1 = publishedTemplate(
      released,
      published.get('org/templates/fixture/1.0.0.template.yaml')!.CopySource,
    );
    expect(v1).toEqual(read(path.join(snapshotDirectory(dir), snapshot)));
    expect(JSON.stringify(v1)).toContain('"DisplayName":"first"');
    const draft = publishedTemplate(
      released,
      published.get('org/templates/fixture/1.1.0-draft.template.yaml')!.CopySource,
    );
    expect(JSON.stringify(draft)).toContain('"DisplayName":"second"');
    // Without the opt-in, the draft stays out of Studio.
    expect([...copies(synth({ publishDraft: false })).keys()]).toEqual([
      'org/templates/fixture/1.0.0.template.yaml',
    ]);
  });

  test('updating a project: releasing 1.1.0 adds its object, leaves 1.0.0 untouched, and UpdateProject points at it', () => {
    const before = copies(released).get('org/templates/fixture/1.0.0.template.yaml')!;
    writeVersions(dir, releaseVersion(readVersions(dir), '1.1.0').versions);
    const after = copies(synth({ publishDraft: false }));
    expect([...after.keys()].sort()).toEqual([
      'org/templates/fixture/1.0.0.template.yaml',
      'org/templates/fixture/1.1.0.template.yaml',
    ]);
    // Same physical id and source: CloudFormation does not touch 1.0.0, whose projects stay launchable.
    expect(after.get('org/templates/fixture/1.0.0.template.yaml')).toEqual(before);
    const bucket = `sagemaker-projects-templates-${REHEARSAL_ACCOUNT}-${REHEARSAL_REGION}`;
    const request = updateProjectToVersion({
      projectName: 'demand-forecast',
      templateName: 'fixture',
      url: templateUrl(bucket, REHEARSAL_REGION, 'org/templates/fixture/1.1.0.template.yaml'),
      parameters: [{ Key: 'DataRetention', Value: 'Retain' }],
    });
    expect(request).toEqual({
      ProjectName: 'demand-forecast',
      TemplateProvidersToUpdate: [
        {
          CfnTemplateProvider: {
            TemplateName: 'fixture',
            TemplateURL: `https://${bucket}.s3.${REHEARSAL_REGION}.amazonaws.com/org/templates/fixture/1.1.0.template.yaml`,
            Parameters: [{ Key: 'DataRetention', Value: 'Retain' }],
          },
        },
      ],
    });
    expect(() =>
      updateProjectToVersion({ projectName: 'bad name', templateName: 'fixture', url: 'https://x' }),
    ).toThrow(/projectName/);
  });

  test('the existing provisioning role reads the product assets through the bucket policy, and the domain is tagged with the location only', async () => {
    const portfolio = resolve(read(released.portfolioTemplateFile), 'SageMakerProjectsPortfolio');
    const assetPolicy = Object.values(portfolio.resources).find(
      (r) =>
        r.type === 'AWS::S3::BucketPolicy' &&
        JSON.stringify(r.properties).includes('LaunchRoleReadsProductAssets'),
    )!;
    const statement = (assetPolicy.properties.PolicyDocument as unknown as PolicyDocument).Statement.find(
      (st) => st.Sid === 'LaunchRoleReadsProductAssets',
    )!;
    expect([(statement.Principal as { AWS: Json }).AWS].flat()).toContain(launchRoleArn);

    const tagging = Object.values(portfolio.resources)
      .filter((r) => r.type === 'Custom::AWS')
      .map(
        (r) =>
          JSON.parse(String(r.properties.Create)) as { action: string; parameters: Record<string, Json> },
      )
      .filter((c) => c.action === 'addTags');
    const domainArn = `arn:aws:sagemaker:${REHEARSAL_REGION}:${REHEARSAL_ACCOUNT}:domain/${domainId}`;
    expect(tagging).toEqual([
      {
        action: 'addTags',
        service: 'SageMaker',
        parameters: {
          ResourceArn: domainArn,
          Tags: [
            {
              Key: 'sagemaker:projectS3TemplatesLocation',
              Value: `s3://sagemaker-projects-templates-${REHEARSAL_ACCOUNT}-${REHEARSAL_REGION}/org/templates/`,
            },
          ],
        },
        physicalResourceId: { id: domainId },
      },
    ]);
    const taggingGrants = Object.values(portfolio.resources)
      .filter((r) => r.type === 'AWS::IAM::Policy')
      .flatMap((r) => (r.properties.PolicyDocument as unknown as PolicyDocument).Statement)
      .filter((st) => [st.Action].flat().some((a) => String(a).startsWith('sagemaker:')));
    expect(taggingGrants).toEqual([
      {
        Action: ['sagemaker:AddTags', 'sagemaker:DeleteTags'],
        Effect: 'Allow',
        Resource: domainArn,
        Condition: {
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['sagemaker:projectS3TemplatesLocation'] },
        },
      },
    ]);

    // Rehearsal of the path with the existing role, then without its bucket-policy grant (negative control).
    // The DeepAR product of the committed synth: its assets live in the same product asset bucket.
    const product = resolve(read(s.productTemplateFiles['deepar-forecasting']), `SP-${REHEARSAL_ACCOUNT}-x`, {
      SageMakerProjectName: 'demo',
      SageMakerProjectId: 'p-abcdefghijkl',
    });
    const all = [portfolio, product];
    const launch = launchRoleOf(portfolio, all);
    const ok = await rehearseS3TemplatesPath(portfolio, product, launch, all);
    expect(ok!.provisioning.arn).toBe(launchRoleArn);
    expect(ok!.results.filter((r) => !r.ok).map((r) => r.label)).toEqual([]);
    expect(ok!.results.filter((r) => /reads product asset/.test(r.label)).length).toBeGreaterThan(2);
    statement.Principal = {
      AWS: [(statement.Principal as { AWS: Json }).AWS].flat().filter((a) => a !== launchRoleArn),
    };
    const broken = await rehearseS3TemplatesPath(portfolio, product, launch, all);
    const failed = broken!.results.filter((r) => !r.ok).map((r) => r.label);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((l) => /provisioning role reads product asset/.test(l))).toBe(true);
    expect(rolesOf('portfolio', portfolio, all).some((r) => r.arn === launchRoleArn)).toBe(false);
  });
});

describe('configuration and conversion', () => {
  const base = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', 'portfolio', 'portfolio.config.json'), 'utf8'),
  );
  const parse = (s3Templates: unknown, launchRole: unknown = { mode: 'dedicated' }) =>
    parsePortfolioConfig({ ...base, s3Templates, launchRole }, ['deepar-forecasting', 'tabular-xgboost']);

  test('options that cannot work are refused with the field named', () => {
    expect(() => parse({ enabled: true }, { mode: 'existing' })).toThrow(
      /s3Templates\.provisioningRole: mode launch-role extends the dedicated launch role/,
    );
    expect(() => parse({ enabled: false, publishDraft: true })).toThrow(
      /s3Templates\.publishDraft: has no effect/,
    );
    expect(() => parse({ enabled: true, domainIds: ['domain-1'] })).toThrow(
      /s3Templates\.domainIds\[0\]: must be a SageMaker domain id/,
    );
    expect(() => parse({ enabled: true, prefix: '/templates/' })).toThrow(/s3Templates\.prefix/);
    expect(parse({ enabled: true }).s3Templates).toEqual({
      enabled: true,
      prefix: 'templates',
      publishDraft: false,
      domainIds: [],
      provisioningRole: { mode: 'launch-role' },
    });
  });

  test('YAML conversion quotes what YAML 1.1 would retype, and refuses what is no template', () => {
    const template = {
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { A: { Default: 'no', Type: 'String' } },
      Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: '0123' } } },
    };
    const text = toCloudFormationYaml(template);
    expect(text).toContain('AWSTemplateFormatVersion: "2010-09-09"');
    expect(text).toContain('Default: "no"');
    expect(YAML.parse(text, { version: '1.1' })).toEqual(template);
    // Shared objects are written out, never as anchors and aliases (CloudFormation reads neither).
    const shared = { Type: 'AWS::SNS::Topic' };
    expect(toCloudFormationYaml({ Resources: { A: shared, B: shared } })).not.toMatch(/[&*]a\d/);
    expect(() => toCloudFormationYaml([])).toThrow(TemplateConversionError);
  });
});
