// DeliveryRoles in a minimal product stack: the stack recovery, pipeline, deploy and events roles, the
// deploy role's stage permissions (passing the job roles), the recovery action, and its validation.
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as kms from 'aws-cdk-lib/aws-kms';
import { pipelineFixture, productFixture, productTemplate, statementBySid } from './loop-support';
import { DeliveryRoles } from '../src/delivery-roles';
import { JobRoles } from '../src/job-roles';
import { ProjectStorage } from '../src/project-storage';

describe('DeliveryRoles', () => {
  test('the deploy role may deploy only the stage stacks and pass the job roles', () => {
    const f = pipelineFixture();
    expect(
      [f.deliveryRoles.stackRecoveryRole, f.deliveryRoles.deployRole, f.deliveryRoles.eventsRole].map(
        (r) => r.node.id,
      ),
    ).toEqual(['StackRecoveryRole', 'CloudFormationDeployRole', 'EventsRole']);
    const t = productTemplate(f);
    expect(statementBySid(t, 'OwnStacks').Action).toContain('cloudformation:ExecuteChangeSet');
    expect(statementBySid(t, 'UseProjectKey').Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ProjectKey/), 'Arn'],
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: { 'Fn::Join': ['', ['sagemaker-', { Ref: 'SageMakerProjectId' }, '-stack-recovery']] },
    });
  });

  test('recoverStacksAction: a recovery project of the repository, run as the stack recovery role', () => {
    const f = pipelineFixture();
    const action = f.deliveryRoles.recoverStacksAction(
      f.stack,
      'monitoring',
      new codepipeline.Artifact('In'),
      ['a', 'b'],
    );
    expect(action.actionProperties.actionName).toBe('RecoverRolledBackStacks');
    expect(action.actionProperties.runOrder).toBe(1);
    expect(f.stack.node.tryFindChild('MonitoringStackRecovery')).toBeDefined();
  });

  test('rejects a missing key', () => {
    const f = productFixture();
    const storage = new ProjectStorage(f.stack, 'Storage', { names: f.names });
    const jobRoles = new JobRoles(f.stack, 'JobRoles', { ...f, storage });
    expect(
      () =>
        new DeliveryRoles(f.stack, 'DeliveryRoles', {
          names: f.names,
          jobRoles,
          key: undefined as unknown as kms.IKey,
        }),
    ).toThrow(/key: the project key is required/);
  });
});
