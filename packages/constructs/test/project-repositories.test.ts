// RepositoryProviderParameters and ProjectSourceRepository in a minimal product stack: the provider
// parameters, conditions and Rule; CodeCommit resources only for CodeCommit; one Source action whose
// provider and configuration follow the parameter; connection grants (use and pass, both service
// prefixes) only under UseCodeConnection, scoped to the given connection; the push rule only for
// CodeCommit; and the validation of both constructs.
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { productStack, productTemplate, SEED_FIXTURE } from './support';
import {
  CONNECTION_ARN_PATTERN,
  ProjectSourceRepository,
  REPOSITORY_ID_PATTERN,
  RepositoryProviderParameters,
} from '../src/project-repositories';
import { PARAMETER_RULES_METADATA_KEY } from '../src/sagemaker-project-product-stack';

describe('RepositoryProviderParameters / ProjectSourceRepository', () => {
  let template: Template;
  let provider: RepositoryProviderParameters;
  let buildRole: iam.Role;

  beforeAll(() => {
    const { app, stack, names } = productStack({ bundling: false });
    provider = new RepositoryProviderParameters(stack, 'RepositorySource', {
      repositories: ['model-build', 'model-deploy'],
    });
    const repository = new ProjectSourceRepository(stack, 'ModelBuildRepository', {
      names,
      repository: 'model-build',
      description: 'Model build',
      seedDirectory: SEED_FIXTURE,
      provider,
    });
    const pipelineRole = new iam.Role(stack, 'PipelineRole', {
      roleName: names.short('codepipeline'),
      assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
    });
    const eventsRole = new iam.Role(stack, 'EventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    });
    const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
      pipelineName: names.repository('model-build'),
      pipelineType: codepipeline.PipelineType.V2,
      role: pipelineRole,
      artifactBucket: s3.Bucket.fromBucketName(stack, 'Artifacts', 'sagemaker-artifacts'),
    });
    repository.addSourceStage(pipeline, eventsRole);
    pipeline.addStage({
      stageName: 'Approve',
      actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })],
    });
    // A build role using the connection (no pass), granted twice: one policy, no duplicate.
    buildRole = new iam.Role(stack, 'BuildRole', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    });
    provider.grantUseConnection(buildRole);
    provider.grantUseConnection(buildRole);
    expect(() => repository.addSourceStage(pipeline, eventsRole)).toThrow(
      /addSourceStage: the Source stage must be the first stage/,
    );
    template = productTemplate(app, stack);
  });

  test('the provider parameters are optional for Studio, with their sentinels and patterns', () => {
    template.hasParameter('RepositoryProvider', {
      AllowedValues: ['CodeCommit', 'CodeConnection'],
      Default: 'CodeCommit',
    });
    template.hasParameter('CodeConnectionArn', { AllowedPattern: CONNECTION_ARN_PATTERN, Default: 'none' });
    template.hasParameter('RepositoryBranch', { Default: 'main' });
    template.hasParameter('ModelBuildRepositoryId', {
      AllowedPattern: REPOSITORY_ID_PATTERN,
      Default: 'none',
    });
    template.hasParameter('ModelDeployRepositoryId', { Default: 'none' });
    const optional = Object.keys(template.toJSON().Metadata[PARAMETER_RULES_METADATA_KEY].OptionalParameters);
    expect(optional).toEqual(
      expect.arrayContaining([
        'RepositoryProvider',
        'CodeConnectionArn',
        'RepositoryBranch',
        'ModelBuildRepositoryId',
        'ModelDeployRepositoryId',
      ]),
    );
  });

  test('the patterns accept connection ARNs of both prefixes and partitions, and owner/name ids', () => {
    const connection = new RegExp(CONNECTION_ARN_PATTERN);
    for (const ok of [
      'none',
      'arn:aws:codeconnections:eu-west-1:123456789012:connection/abc-123',
      'arn:aws-cn:codestar-connections:cn-north-1:123456789012:connection/abc',
    ]) {
      expect(connection.test(ok)).toBe(true);
    }
    for (const bad of [
      '',
      'arn:aws:codecommit:eu-west-1:123456789012:repo',
      'arn:aws:codeconnections:eu-west-1:1234:connection/a',
    ]) {
      expect(connection.test(bad)).toBe(false);
    }
    const id = new RegExp(REPOSITORY_ID_PATTERN);
    for (const ok of ['none', 'owner/name', 'group/sub/name']) expect(id.test(ok)).toBe(true);
    for (const bad of ['', 'name', 'owner/', 'owner name/x']) expect(id.test(bad)).toBe(false);
  });

  test('conditions and the Rule requiring a connection and every repository id for CodeConnection', () => {
    template.hasCondition('UseCodeCommit', { 'Fn::Equals': [{ Ref: 'RepositoryProvider' }, 'CodeCommit'] });
    template.hasCondition('UseCodeConnection', {
      'Fn::Equals': [{ Ref: 'RepositoryProvider' }, 'CodeConnection'],
    });
    const rule = template.toJSON().Rules.CodeConnectionNeedsConnectionAndRepositories;
    expect(rule.RuleCondition).toEqual({ 'Fn::Equals': [{ Ref: 'RepositoryProvider' }, 'CodeConnection'] });
    expect(rule.Assertions.map((a: { AssertDescription: string }) => a.AssertDescription)).toEqual([
      'CodeConnectionArn is required when RepositoryProvider is CodeConnection',
      'ModelBuildRepositoryId (owner/name) is required when RepositoryProvider is CodeConnection',
      'ModelDeployRepositoryId (owner/name) is required when RepositoryProvider is CodeConnection',
    ]);
  });

  test('the CodeCommit repository and its Studio registration exist only for CodeCommit', () => {
    template.hasResource('AWS::CodeCommit::Repository', {
      Condition: 'UseCodeCommit',
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ RepositoryName: Match.anyValue() }),
    });
    template.hasResource('AWS::SageMaker::CodeRepository', { Condition: 'UseCodeCommit' });
  });

  test('one Source action whose provider and configuration follow the parameter', () => {
    const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
    const source = pipeline.Properties.Stages[0];
    expect(source.Name).toBe('Source');
    expect(source.Actions).toHaveLength(1);
    const [action] = source.Actions;
    expect(action.ActionTypeId.Provider).toEqual({
      'Fn::If': ['UseCodeCommit', 'CodeCommit', 'CodeStarSourceConnection'],
    });
    const [, codeCommit, connection] = action.Configuration['Fn::If'];
    expect(codeCommit).toMatchObject({
      BranchName: 'main',
      PollForSourceChanges: false,
      OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
    });
    expect(connection).toEqual({
      ConnectionArn: { Ref: 'CodeConnectionArn' },
      FullRepositoryId: { Ref: 'ModelBuildRepositoryId' },
      BranchName: { Ref: 'RepositoryBranch' },
      OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
      DetectChanges: true,
    });
  });

  test('connection grants: one policy per role, only under UseCodeConnection, on the given connection', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Condition: 'UseCodeConnection' });
    expect(Object.keys(policies)).toHaveLength(2); // the pipeline role and the build role
    const statementsOf = (roleIdPrefix: string) => {
      const entry = Object.values(policies).find((p) =>
        JSON.stringify(p.Properties.Roles).includes(roleIdPrefix),
      );
      return entry?.Properties.PolicyDocument.Statement as Array<{
        Action: string | string[];
        Resource: unknown[];
        Condition?: unknown;
      }>;
    };
    const build = statementsOf('BuildRole');
    expect(build).toHaveLength(1); // granted twice, stated once; no PassConnection without a service
    expect(build[0].Action).toEqual(['codeconnections:UseConnection', 'codestar-connections:UseConnection']);
    // Rebuilt from the parameter's connection id in this partition, region and account.
    expect(JSON.stringify(build[0].Resource)).toContain('"connection/",{"Ref":"CodeConnectionArn"}');
    // The pipeline role uses the connection and passes it to no one: a PassConnection grant to a project
    // role is capped away by the permissions boundary (#19 finding 5), so none is written.
    const pipeline = statementsOf('PipelineRole');
    expect(pipeline.flatMap((s) => [s.Action].flat())).toEqual(
      expect.arrayContaining(['codeconnections:UseConnection', 'codestar-connections:UseConnection']),
    );
    expect(JSON.stringify(pipeline)).not.toMatch(/PassConnection|PassedToService/);
    // No connection statement lives in an unconditional policy.
    const unconditional = Object.values(template.findResources('AWS::IAM::Policy')).filter(
      (p) => !p.Condition,
    );
    expect(JSON.stringify(unconditional)).not.toMatch(/Connection/);
  });

  test('the pipeline waits for the connection grants (tag under the condition) and names its repository', () => {
    const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
    const tags = pipeline.Properties.Tags as Array<{ Key: string; Value: unknown }>;
    const grants = tags.find((t) => t.Key === 'sagemaker:connection-grants')?.Value as {
      'Fn::If': unknown[];
    };
    expect(grants['Fn::If'][0]).toBe('UseCodeConnection');
    expect(JSON.stringify(grants['Fn::If'][1])).toMatch(/RepositorySourceConnectionUse1/);
    expect(JSON.stringify(grants['Fn::If'][1])).toMatch(/RepositorySourceConnectionUse2/);
    expect(grants['Fn::If'][2]).toBe('none');
    const source = tags.find((t) => t.Key === 'sagemaker:source-repository')?.Value as {
      'Fn::If': unknown[];
    };
    expect(source['Fn::If'][0]).toBe('UseCodeCommit');
    expect(source['Fn::If'][2]).toEqual({ Ref: 'ModelBuildRepositoryId' });
  });

  test('the push rule runs the pipeline on pushes to the branch, only for CodeCommit', () => {
    template.hasResource('AWS::Events::Rule', {
      Condition: 'UseCodeCommit',
      Properties: Match.objectLike({
        EventPattern: {
          source: ['aws.codecommit'],
          'detail-type': ['CodeCommit Repository State Change'],
          resources: Match.anyValue(),
          detail: {
            event: ['referenceCreated', 'referenceUpdated'],
            referenceType: ['branch'],
            referenceName: ['main'],
          },
        },
      }),
    });
  });

  test('repositories must not be empty', () => {
    const { stack } = productStack({ bundling: false });
    expect(() => new RepositoryProviderParameters(stack, 'P', { repositories: [] })).toThrow(
      /repositories: at least one repository is required/,
    );
  });

  test('a repository the provider does not know is refused, naming it (was a TypeError in addSourceStage)', () => {
    const { stack, names } = productStack({ bundling: false });
    const buildOnly = new RepositoryProviderParameters(stack, 'P', { repositories: ['model-build'] });
    const source = (repository: string) => () =>
      new ProjectSourceRepository(stack, `Repo-${repository}`, {
        names,
        repository,
        description: 'x',
        seedDirectory: SEED_FIXTURE,
        provider: buildOnly,
      });
    expect(source('model-deploy')).toThrow(
      /repository: 'model-deploy' is not one of the provider's repositories \(model-build\)/,
    );
    expect(source('toString')).toThrow(/repository: 'toString' is not one of the provider's repositories/);
    expect(source('model-build')).not.toThrow();
  });
});
