// JobRoles in a minimal product stack: the three roles the seeded code passes, their grant methods
// (each role passed only to its own service) and the validation of its properties.
import * as iam from 'aws-cdk-lib/aws-iam';
import { productFixture, productTemplate, statementBySid } from './loop-support';
import { JobRoles } from '../src/job-roles';
import { ProjectStorage } from '../src/project-storage';

function fixture() {
  const f = productFixture();
  const storage = new ProjectStorage(f.stack, 'Storage', { names: f.names });
  return { ...f, storage };
}

describe('JobRoles', () => {
  test('three roles, the data source reads conditioned on the DataSourceType', () => {
    const f = fixture();
    const roles = new JobRoles(f.stack, 'JobRoles', f);
    expect(
      [roles.sageMakerRole, roles.pipelineStepsRole, roles.monitoringSchedulerRole].map((r) => r.node.id),
    ).toEqual(['SageMakerExecutionRole', 'PipelineStepsRole', 'MonitoringSchedulerRole']);
    const t = productTemplate(f);
    t.resourceCountIs('AWS::IAM::Role', 3);
    t.hasResource('AWS::IAM::Policy', { Condition: f.stack.resolve(f.dataSource.isS3Source.logicalId) });
    t.hasResource('AWS::IAM::Policy', {
      Condition: f.stack.resolve(f.dataSource.isFeatureGroupSource.logicalId),
    });
    expect(statementBySid(t, 'FeatureStoreOfflineQueries').Resource).toContainEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':athena:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':workgroup/primary',
        ],
      ],
    });
  });

  test('grantPassToSageMaker / grantPassToLambdaSteps pass one role each, to its own service only', () => {
    const f = fixture();
    const roles = new JobRoles(f.stack, 'JobRoles', f);
    const builder = new iam.Role(f.stack, 'Builder', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
    });
    roles.grantPassToSageMaker(builder);
    roles.grantPassToLambdaSteps(builder);
    const t = productTemplate(f);
    expect(statementBySid(t, 'PassProjectRoles')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SageMakerExecutionRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
    expect(statementBySid(t, 'PassStepRole')).toMatchObject({
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PipelineStepsRole/), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    });
  });

  test('grantPassToStageStacks passes the three roles to their three services', () => {
    const f = fixture();
    const roles = new JobRoles(f.stack, 'JobRoles', f);
    const deployer = new iam.Role(f.stack, 'Deployer', {
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
    });
    roles.grantPassToStageStacks(deployer);
    const st = statementBySid(productTemplate(f), 'PassProjectRoles');
    expect(st.Resource).toHaveLength(3);
    expect(st.Condition).toEqual({
      StringEquals: {
        'iam:PassedToService': ['sagemaker.amazonaws.com', 'lambda.amazonaws.com', 'scheduler.amazonaws.com'],
      },
    });
  });

  test.each(['', 'work group', 'x'.repeat(129)])('rejects athenaWorkGroup %p', (athenaWorkGroup) => {
    const f = fixture();
    expect(() => new JobRoles(f.stack, 'JobRoles', { ...f, athenaWorkGroup })).toThrow(
      /athenaWorkGroup: not an Athena workgroup name/,
    );
  });

  test('sageMakerJobKinds narrows the jobs the execution role may run', () => {
    const f = fixture();
    new JobRoles(f.stack, 'JobRoles', { ...f, sageMakerJobKinds: ['training-job', 'processing-job'] });
    const st = statementBySid(productTemplate(f), 'ProjectSageMakerJobs');
    expect(st.Action).toEqual(
      expect.arrayContaining(['sagemaker:CreateTrainingJob', 'sagemaker:StopProcessingJob']),
    );
    expect(st.Action).not.toContain('sagemaker:CreateTransformJob');
    expect(JSON.stringify(st.Resource)).not.toContain('transform-job');
  });

  test.each([[[]], [['training-job', 'training-job']]] as const)('rejects sageMakerJobKinds %p', (kinds) => {
    const f = fixture();
    expect(() => new JobRoles(f.stack, 'JobRoles', { ...f, sageMakerJobKinds: kinds })).toThrow(
      /sageMakerJobKinds: must list each job kind once, at least one/,
    );
  });
});
