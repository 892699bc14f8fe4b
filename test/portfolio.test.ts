// The portfolio app as the platform team deploys it: synthesized once from the committed config
// with cdk-nag, then checked resource by resource, and every emitted template linted.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  PROJECT_ROLES_BOUNDARY_POLICY_NAME,
  SageMakerProjectProductStack,
  STUDIO_VISIBILITY_TAG,
  TemplateDefinition,
} from '@mlops-templates/constructs';
import { CFN_LINT, cfnLint, describeWithTool } from '@mlops-templates/test-harness';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { snapshotDirectory, writeVersions } from '../portfolio/versions';
import { TEMPLATES } from '../templates';
import { fixtureTemplate } from './support/fixture-template';
import {
  committedConfig,
  configWith,
  REPO_ROOT,
  synthPortfolio,
  sharedCommittedSynth,
  type SharedSynth,
} from './support/synth';

/** A fresh folder with one draft version, for the fixture template. */
function fixtureDirectory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fixture-'));
  writeVersions(dir, [{ name: '1.0.0', locked: false }]);
  return dir;
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function statementsOf(t: Template): Statement[] {
  const out: Statement[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role']) {
    for (const r of Object.values(t.findResources(type))) {
      const props = r.Properties as Record<string, unknown>;
      const docs = [
        props.PolicyDocument,
        ...((props.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []).map(
          (p) => p.PolicyDocument,
        ),
      ];
      for (const d of docs) {
        if (d) out.push(...((d as { Statement: Statement[] }).Statement ?? []));
      }
    }
  }
  return out;
}

let synth: SharedSynth;
beforeAll(() => {
  synth = sharedCommittedSynth();
});

describe('portfolio stack', () => {
  test('a portfolio associated with every configured Studio principal', () => {
    const t = synth.portfolioTemplate;
    t.resourceCountIs('AWS::ServiceCatalog::Portfolio', 1);
    t.hasResourceProperties('AWS::ServiceCatalog::Portfolio', {
      DisplayName: 'SageMaker MLOps project templates',
      ProviderName: 'ML Platform team',
    });
    const config = committedConfig();
    const associations = t.findResources('AWS::ServiceCatalog::PortfolioPrincipalAssociation');
    // Written over AWS::Partition (no partition literal in the portfolio, #19).
    expect(Object.values(associations).map((a) => a.Properties.PrincipalARN)).toEqual(
      config.studioPrincipals.map((arn) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, arn.replace(/^arn:[^:]+/, '')]],
      })),
    );
    for (const a of Object.values(associations)) expect(a.Properties.PrincipalType).toBe('IAM');
  });

  test('one Studio-visible product per template, with owner, support info and a launch constraint', () => {
    const t = synth.portfolioTemplate;
    const products = t.findResources('AWS::ServiceCatalog::CloudFormationProduct');
    expect(Object.keys(products)).toHaveLength(Object.keys(TEMPLATES).length);
    for (const p of Object.values(products)) {
      expect(p.Properties.Tags).toEqual(
        expect.arrayContaining([{ Key: STUDIO_VISIBILITY_TAG, Value: 'true' }]),
      );
      expect(p.Properties.Owner).toBe('ML Platform team');
      expect(p.Properties.SupportEmail).toBe('ml-platform@example.com');
      expect(p.Properties.ProvisioningArtifactParameters.length).toBeGreaterThanOrEqual(1);
    }
    t.resourceCountIs('AWS::ServiceCatalog::LaunchRoleConstraint', Object.keys(TEMPLATES).length);
    t.hasResourceProperties('AWS::ServiceCatalog::LaunchRoleConstraint', {
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LaunchRole'), 'Arn'] },
    });
    t.resourceCountIs('AWS::ServiceCatalog::PortfolioProductAssociation', Object.keys(TEMPLATES).length);
    t.resourceCountIs('AWS::ServiceCatalog::TagOption', 2);
  });

  test('product templates are files of the cloud assembly, loaded from their asset URL', () => {
    for (const [name, file] of Object.entries(synth.productTemplateFiles)) {
      expect(fs.existsSync(file)).toBe(true);
      expect(path.dirname(file)).toBe(synth.outdir);
      const assets = JSON.parse(
        fs.readFileSync(path.join(synth.outdir, `${synth.stackArtifactId}.assets.json`), 'utf8'),
      ) as { files: Record<string, { source: { path: string } }> };
      expect(Object.values(assets.files).map((f) => f.source.path)).toContain(path.basename(file));
      expect(name in TEMPLATES).toBe(true);
    }
    const artifacts = Object.values(
      synth.portfolioTemplate.findResources('AWS::ServiceCatalog::CloudFormationProduct'),
    ).flatMap(
      (p) => p.Properties.ProvisioningArtifactParameters as Array<{ Info: { LoadTemplateFromURL: unknown } }>,
    );
    for (const a of artifacts) expect(JSON.stringify(a.Info.LoadTemplateFromURL)).toMatch(/s3/);
  });

  test('the product asset bucket is versioned, encrypted, SSL-only, private and readable by the launch role', () => {
    const t = synth.portfolioTemplate;
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'sagemaker-projects-assets-123456789012-eu-west-1',
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const policies = Object.values(t.findResources('AWS::S3::BucketPolicy')).map((p) => JSON.stringify(p));
    const assetPolicy = policies.find((p) => p.includes('LaunchRoleReadsProductAssets'));
    expect(assetPolicy).toBeDefined();
    expect(assetPolicy).toMatch(/"aws:SecureTransport":"false"/);
  });

  test('least privilege: no Action "*", no service-wide wildcard, role writes only with the boundary', () => {
    const all = statementsOf(synth.portfolioTemplate).filter((s) => s.Effect === 'Allow');
    const actionsOf = (list: Statement[]) => list.flatMap((s) => [s.Action].flat());
    expect(actionsOf(all)).not.toContain('*');
    expect(actionsOf(all).filter((a) => /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
    // The boundary is a ceiling, not a grant: the grant checks below apply to the other policies.
    const boundary = synth.portfolioTemplate.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { ManagedPolicyName: PROJECT_ROLES_BOUNDARY_POLICY_NAME },
    });
    const boundaryStatements = new Set(
      Object.values(boundary).flatMap((b) =>
        (b.Properties.PolicyDocument.Statement as Statement[]).map((s) => JSON.stringify(s)),
      ),
    );
    const statements = all.filter((s) => !boundaryStatements.has(JSON.stringify(s)));
    const roleWrites = statements.filter((s) => [s.Action].flat().includes('iam:CreateRole'));
    expect(roleWrites.length).toBeGreaterThan(0);
    for (const s of roleWrites) {
      expect(JSON.stringify(s.Condition)).toContain(PROJECT_ROLES_BOUNDARY_POLICY_NAME);
    }
    const passRole = statements.filter((s) => [s.Action].flat().includes('iam:PassRole'));
    for (const s of passRole) expect(JSON.stringify(s.Condition)).toContain('iam:PassedToService');
    // Resource "*" only for APIs without resource-level permissions (commented in the source).
    const starOnly = statements
      .filter((s) => JSON.stringify(s.Resource) === '"*"')
      .flatMap((s) => [s.Action].flat());
    expect(starOnly.sort()).toEqual(
      expect.arrayContaining([
        'cloudformation:GetTemplateSummary',
        'cloudformation:ValidateTemplate',
        'kms:CreateKey',
      ]),
    );
    expect(
      starOnly.some(
        (a) => a.startsWith('iam:') || a.startsWith('s3:Put') || a.startsWith('sagemaker:Create'),
      ),
    ).toBe(false);
  });

  test('the launch role is assumed by Service Catalog and the boundary exists under its fixed name', () => {
    const t = synth.portfolioTemplate;
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'sagemaker-projects-launch-role',
      AssumeRolePolicyDocument: {
        // Service Catalog; CloudFormation for the S3 templates path (the committed config enables it).
        Statement: [
          Match.objectLike({ Principal: { Service: 'servicecatalog.amazonaws.com' } }),
          Match.objectLike({ Principal: { Service: 'cloudformation.amazonaws.com' } }),
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: PROJECT_ROLES_BOUNDARY_POLICY_NAME,
    });
  });

  test('cdk-nag: no unsuppressed finding (synth would have thrown ValidationFailed)', () => {
    const report = JSON.parse(fs.readFileSync(path.join(synth.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{ conclusion: string; violations: unknown[] }>;
    };
    expect(report.pluginReports.filter((r) => r.conclusion !== 'success')).toEqual([]);
  });

  test('cdk-nag also checks product stacks: an unencrypted bucket in a product fails synth', () => {
    const leaky: TemplateDefinition = {
      ...TEMPLATES['deepar-forecasting'],
      name: 'leaky',
      directory: fs.mkdtempSync(path.join(os.tmpdir(), 'leaky-')),
      createProductStack: (scope, id, context) => {
        const stack = new SageMakerProjectProductStack(scope, id, { assetBucket: context.assetBucket });
        new s3.Bucket(stack, 'Leaky', { bucketName: `sagemaker-${stack.project.projectId}-leaky` });
        return stack;
      },
    };
    writeVersions(leaky.directory, [{ name: '1.0.0', locked: false }]);
    // Portfolio-level behaviour: the leaky product alone (the DeepAR product's nag pass is the shared synth's).
    const registry = { leaky };
    expect(() =>
      synthPortfolio(configWith({ templates: ['leaky'] }, registry), {
        nag: true,
        templates: registry,
      }),
    ).toThrow(/LeakyProduct\/Leaky\/Resource[\s\S]*AwsSolutions-S10/);
  });
});

describe('alternative configurations', () => {
  test('existing launch role mode uses the AWS-provided role and attaches the launch policy to it', () => {
    // Portfolio-level behaviour, on the fixture template (the launch role does not depend on the product).
    const registry = { fixture: fixtureTemplate(fixtureDirectory(), () => 'launch role') };
    const s = synthPortfolio(
      configWith(
        { templates: ['fixture'], launchRole: { mode: 'existing' }, s3Templates: { enabled: false } },
        registry,
      ),
      { nag: true, templates: registry },
    );
    const t = s.portfolioTemplate;
    t.hasResourceProperties('AWS::ServiceCatalog::LaunchRoleConstraint', {
      RoleArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            ':iam::123456789012:role/service-role/AmazonSageMakerServiceCatalogProductsLaunchRole',
          ]),
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'sagemaker-projects-launch-policy',
      Roles: ['AmazonSageMakerServiceCatalogProductsLaunchRole'],
    });
    t.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: 'sagemaker-projects-launch-role' }, 0);
  });
});

describe('synth command', () => {
  test('a bad config file fails the CDK app with the field named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-config-'));
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'portfolio', 'portfolio.config.json'), 'utf8'),
    );
    fs.writeFileSync(file, JSON.stringify({ ...config, templates: ['no-such-template'] }));
    const r = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'portfolio/main.ts'],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, PORTFOLIO_CONFIG: file, TS_NODE_SWC: 'true', CDK_OUTDIR: dir },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/templates\[0\]: unknown template 'no-such-template'/);
  });
});

describeWithTool(CFN_LINT, 'cfn-lint over every emitted template', () => {
  test('portfolio, product templates and every stored version snapshot: no errors, no warnings', () => {
    const snapshots = Object.values(TEMPLATES).flatMap((t) => {
      const dir = snapshotDirectory(t.directory);
      return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
    });
    expect(snapshots.length).toBeGreaterThan(0);
    const result = cfnLint([
      synth.portfolioTemplateFile,
      ...Object.values(synth.productTemplateFiles),
      ...snapshots,
    ]);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe(0);
  });
});
