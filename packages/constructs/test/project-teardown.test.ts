// ProjectTeardown on a bare Stack: the custom resource's properties (what it deletes), its
// dependencies (deleted before what it needs), and the handler's grants — each deletion scoped to
// this project's stacks, pipelines, model packages, tagged models, schedules and data buckets,
// PassRole only for the deploy role and only to CloudFormation, self-invocation only of itself.
import { App, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ENV, FIXTURE_HANDLER, literalNames, statementBySid, testApp } from './support';
import { ProjectTeardown } from '../src/project-teardown';

const names = literalNames();
const arn = (rest: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${rest}`]],
});

describe('ProjectTeardown', () => {
  let template: Template;

  beforeAll(() => {
    const app: App = testApp({ bundling: false });
    const stack = new Stack(app, 'Test', { env: ENV });
    const key = new kms.Key(stack, 'Key');
    const data = new s3.Bucket(stack, 'Data', { bucketName: 'sagemaker-p-abc123def456-data' });
    const logs = new s3.Bucket(stack, 'AccessLogs', { bucketName: 'sagemaker-p-abc123def456-logs' });
    const deployRole = new iam.Role(stack, 'DeployRole', {
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
    });
    const retention = new CfnParameter(stack, 'DataRetention', { allowedValues: ['Retain', 'Delete'] });
    new ProjectTeardown(stack, 'Teardown', {
      names,
      handlerEntry: FIXTURE_HANDLER,
      stackNamePrefixes: [`${names.longPrefix}-monitoring-`, `${names.longPrefix}-deploy-`],
      sageMakerPipelineNames: [names.modelBuildPipeline],
      dataBuckets: [data, logs],
      dataRetention: retention.valueAsString,
      deployRole,
      key,
      dependsOn: [deployRole, key],
    });
    template = Template.fromStack(stack);
  });

  test('the custom resource carries what to delete, in order', () => {
    template.hasResourceProperties('Custom::SageMakerProjectTeardown', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TeardownHandlerFunction'), 'Arn'] },
      ProjectName: 'demo',
      ProjectId: 'p-abc123def456',
      StackNamePrefixes: [`${names.longPrefix}-monitoring-`, `${names.longPrefix}-deploy-`],
      SageMakerPipelineNames: [names.modelBuildPipeline],
      ModelPackageGroupName: names.modelPackageGroup,
      ScheduleNamePrefix: `${names.shortPrefix}-`,
      DataBuckets: [{ Ref: Match.stringLikeRegexp('^Data') }, { Ref: Match.stringLikeRegexp('^AccessLogs') }],
      DataRetention: { Ref: 'DataRetention' },
      ResourceNameFilter: 'p-abc123def456',
      ServiceTimeout: '3600',
    });
  });

  test('it depends on what must still exist while it runs, so it is deleted first', () => {
    const [resource] = Object.values(template.findResources('Custom::SageMakerProjectTeardown'));
    expect(resource.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^DeployRole/), expect.stringMatching(/^Key/)]),
    );
  });

  test('the handler: 15 minutes, 512 MiB, named from the project', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sagemaker-p-abc123def456-teardown',
      Timeout: 900,
      MemorySize: 512,
    });
  });

  test('list APIs without resource-level permissions on "*", nothing else there', () => {
    expect(statementBySid(template, 'ListWithoutResourceLevelPermissions')).toMatchObject({
      Action: [
        'cloudformation:ListStacks',
        'sagemaker:ListModelPackages',
        'sagemaker:ListModels',
        'sagemaker:ListEndpointConfigs',
        'scheduler:ListSchedules',
      ],
      Resource: '*',
    });
  });

  test('stacks: only those with the given prefixes', () => {
    expect(statementBySid(template, 'DeletePipelineStacks').Resource).toEqual([
      arn(`cloudformation:${ENV.region}:${ENV.account}:stack/${names.longPrefix}-monitoring-*/*`),
      arn(`cloudformation:${ENV.region}:${ENV.account}:stack/${names.longPrefix}-deploy-*/*`),
    ]);
  });

  test('PassRole: the deploy role only, to CloudFormation only', () => {
    expect(statementBySid(template, 'PassStackRoleForDeletion')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^DeployRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
  });

  test('SageMaker: the named pipelines, the group’s packages, and only models tagged with the project id', () => {
    expect(statementBySid(template, 'DeleteSageMakerPipelines').Resource).toEqual(
      arn(`sagemaker:${ENV.region}:${ENV.account}:pipeline/${names.modelBuildPipeline}`),
    );
    expect(statementBySid(template, 'DeleteModelPackages').Resource).toEqual(
      arn(`sagemaker:${ENV.region}:${ENV.account}:model-package/${names.modelPackageGroup}/*`),
    );
    expect(statementBySid(template, 'DeleteProjectModels').Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/sagemaker:project-id': 'p-abc123def456' },
    });
  });

  test("schedules: the project's prefix in the default group", () => {
    expect(statementBySid(template, 'DeleteProjectSchedules').Resource).toEqual(
      arn(`scheduler:${ENV.region}:${ENV.account}:schedule/default/${names.shortPrefix}-*`),
    );
  });

  test('buckets: exactly the data buckets and their objects', () => {
    const st = statementBySid(template, 'EmptyAndDeleteDataBuckets');
    expect(st.Action).toContain('s3:DeleteBucket');
    expect(JSON.stringify(st.Resource)).toMatch(/Data[0-9A-F]+/);
    expect(JSON.stringify(st.Resource)).toMatch(/AccessLogs[0-9A-F]+/);
    expect([st.Resource].flat()).toHaveLength(4);
  });

  test('re-invokes only itself', () => {
    expect(statementBySid(template, 'ContinueAsynchronously')).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Resource: arn(`lambda:${ENV.region}:${ENV.account}:function:sagemaker-p-abc123def456-teardown`),
    });
  });

  describe('validation', () => {
    const teardown = (override: Partial<ConstructorParameters<typeof ProjectTeardown>[2]>) => {
      const stack = new Stack(testApp({ bundling: false }), 'Test', { env: ENV });
      const key = new kms.Key(stack, 'Key');
      const deployRole = new iam.Role(stack, 'DeployRole', {
        assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
      });
      return new ProjectTeardown(stack, 'Teardown', {
        names,
        handlerEntry: FIXTURE_HANDLER,
        stackNamePrefixes: [`${names.longPrefix}-deploy-`],
        sageMakerPipelineNames: [names.modelBuildPipeline],
        dataBuckets: [s3.Bucket.fromBucketName(stack, 'Data', 'sagemaker-p-abc123def456-data')],
        dataRetention: 'Retain',
        deployRole,
        key,
        dependsOn: [],
        ...override,
      });
    };

    test('the valid baseline is accepted (control)', () => {
      expect(() => teardown({})).not.toThrow();
    });
    test.each([
      [
        'stackNamePrefixes',
        { stackNamePrefixes: [] },
        /stackNamePrefixes: at least one stack name prefix is required/,
      ],
      [
        'sageMakerPipelineNames',
        { sageMakerPipelineNames: [] },
        /sageMakerPipelineNames: at least one pipeline name is required/,
      ],
      ['dataBuckets', { dataBuckets: [] }, /dataBuckets: at least one bucket is required/],
    ])('an empty %s is refused', (_name, override, message) => {
      expect(() => teardown(override)).toThrow(message);
    });
    test('an empty codeCommitRepositories.names is refused', () => {
      const stack = new Stack(testApp({ bundling: false }), 'Other', { env: ENV });
      const condition = new CfnCondition(stack, 'UseCodeCommit', {
        expression: Fn.conditionEquals('a', 'a'),
      });
      expect(() => teardown({ codeCommitRepositories: { names: [], condition } })).toThrow(
        /codeCommitRepositories\.names: at least one repository name is required/,
      );
    });
  });
});
