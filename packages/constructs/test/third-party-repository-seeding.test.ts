// ThirdPartyRepositorySeeding in a minimal product stack: everything exists only with the
// CodeConnection provider; the bundle holds the seeding script and each seed folder; the CodeBuild
// job gets the connection, branch, repositories and report location as environment; its role
// reads only the bundle object, writes only the report and may use the connection; the custom
// resource's handler may run only that job and read only the report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import {
  FIXTURE_HANDLER,
  policyStatements,
  productStack,
  productTemplate,
  SEED_FIXTURE,
  statementBySid,
} from './support';
import { RepositoryProviderParameters } from '../src/project-repositories';
import { ThirdPartyRepositorySeeding } from '../src/third-party-repository-seeding';

describe('ThirdPartyRepositorySeeding', () => {
  let app: App;
  let template: Template;
  let bundle: s3assets.Asset;

  beforeAll(() => {
    const built = productStack({ bundling: false });
    app = built.app;
    const { stack, names } = built;
    const provider = new RepositoryProviderParameters(stack, 'RepositorySource', {
      repositories: ['model-build', 'monitoring'],
    });
    const key = new kms.Key(stack, 'Key');
    const seeding = new ThirdPartyRepositorySeeding(stack, 'RepositorySeeding', {
      names,
      provider,
      repositories: [
        { name: 'model-build', seedDirectory: SEED_FIXTURE, vendoredPackages: [] },
        { name: 'monitoring', seedDirectory: SEED_FIXTURE, vendoredPackages: [] },
      ],
      scriptEntry: FIXTURE_HANDLER,
      resourceHandlerEntry: FIXTURE_HANDLER,
      reportBucket: new s3.Bucket(stack, 'ProjectBucket', { encryptionKey: key }),
      key,
    });
    bundle = seeding.node.findChild('Bundle') as s3assets.Asset;
    template = productTemplate(app, stack);
  });

  test('every resource of the construct exists only with the CodeConnection provider', () => {
    const resources = Object.entries(
      template.toJSON().Resources as Record<string, { Condition?: string }>,
    ).filter(([id]) => id.startsWith('RepositorySeeding'));
    expect(resources.length).toBeGreaterThanOrEqual(7); // role, policy, logs, project, function, its role, resource
    for (const [id, r] of resources) expect([id, r.Condition]).toEqual([id, 'UseCodeConnection']);
  });

  test('the bundle: the bundled seeding script and each seed folder under seed/<name>/', () => {
    const dir = path.join(app.outdir, bundle.assetPath);
    expect(fs.readFileSync(path.join(dir, 'seed-repositories.js'), 'utf8')).toContain(
      'bundled-greeting-for-',
    );
    for (const repo of ['model-build', 'monitoring']) {
      expect(fs.existsSync(path.join(dir, 'seed', repo, 'README.md'))).toBe(true);
    }
  });

  test('the CodeBuild job: named from the project, environment from the provider parameters', () => {
    const [project] = Object.values(template.findResources('AWS::CodeBuild::Project'));
    expect(JSON.stringify(project.Properties.Name)).toContain('-seed-repositories');
    const env = Object.fromEntries(
      (project.Properties.Environment.EnvironmentVariables as Array<{ Name: string; Value: unknown }>).map(
        (v) => [v.Name, v.Value],
      ),
    );
    expect(env.CONNECTION_ARN).toEqual({ Ref: 'CodeConnectionArn' });
    expect(env.REPOSITORY_BRANCH).toEqual({ Ref: 'RepositoryBranch' });
    expect(env.SAGEMAKER_PROJECT_NAME).toEqual({ Ref: 'SageMakerProjectName' });
    const repositories = JSON.stringify(env.SEED_REPOSITORIES);
    expect(repositories).toContain('ModelBuildRepositoryId');
    expect(repositories).toContain('seed/monitoring');
    expect(JSON.stringify(env.SEED_REPORT_S3_URI)).toContain('/seeding/seed-report.json');
    const spec = JSON.parse(project.Properties.Source.BuildSpec as string);
    expect(spec.phases.build.commands).toEqual(['node seed-repositories.js']);
    expect(spec.phases.install.commands.join('\n')).toContain('credential-helper');
    expect(project.Properties.TimeoutInMinutes).toBe(20);
  });

  test('the build log group: named for the job, three months, deleted with the stack', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: Match.objectLike({
        LogGroupName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/aws/codebuild/sagemaker-'])] }),
        RetentionInDays: 90,
      }),
      DeletionPolicy: 'Delete',
      Condition: 'UseCodeConnection',
    });
  });

  test('the build role reads only the bundle object and writes only the report', () => {
    const statements = policyStatements(template);
    const read = statements.find(
      (s) => JSON.stringify(s.Action) === '["s3:GetObject","s3:GetObjectVersion"]',
    );
    expect(JSON.stringify(read?.Resource)).toContain(bundle.s3ObjectKey);
    const put = statements.find((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(put?.Resource)).toContain('/seeding/seed-report.json');
  });

  test('the handler may run only the seeding job and see only the seeding/ prefix', () => {
    const run = statementBySid(template, 'RunSeedingJob');
    expect(run.Action).toEqual(['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild']);
    expect(run.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^RepositorySeedingProject/), 'Arn'],
    });
    expect(statementBySid(template, 'SeeWhetherTheReportExists').Condition).toEqual({
      StringLike: { 's3:prefix': ['seeding/*'] },
    });
  });

  test('the custom resource: started once, bounded wait, report location', () => {
    template.hasResource('Custom::SageMakerProjectRepositorySeeding', {
      Condition: 'UseCodeConnection',
      Properties: Match.objectLike({
        ReportKey: 'seeding/seed-report.json',
        ReportBucket: { Ref: Match.stringLikeRegexp('^ProjectBucket') },
        ServiceTimeout: '1200',
      }),
    });
  });
});
