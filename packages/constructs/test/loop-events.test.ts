// LoopEvents in a minimal product stack: an approval starts model-deploy through the starter function,
// an endpoint IN_SERVICE starts monitoring, the notifications; and the validation of the retries.
import { Match } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { LOOP_REPOSITORIES, productFixture, productTemplate, statementBySid } from './loop-support';
import { FIXTURE_HANDLER } from './support';
import { LoopEvents, LoopEventsProps } from '../src/loop-events';
import { ProjectNotifications } from '../src/project-notifications';

function props(f: ReturnType<typeof productFixture>): LoopEventsProps {
  const key = new kms.Key(f.stack, 'Key');
  const pipeline = (name: string) =>
    codepipeline.Pipeline.fromPipelineArn(
      f.stack,
      name,
      `arn:aws:codepipeline:eu-west-1:123456789012:${name}`,
    );
  return {
    names: f.names,
    key,
    modelDeployPipeline: pipeline('deploy'),
    monitoringPipeline: pipeline('monitoring'),
    eventsRole: new iam.Role(f.stack, 'EventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    }),
    notifications: new ProjectNotifications(f.stack, 'Notifications', { names: f.names, key }),
    modelBuildPipelineArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/x',
    startDeployHandlerEntry: FIXTURE_HANDLER,
    repositories: LOOP_REPOSITORIES,
  };
}

describe('LoopEvents', () => {
  test('approval → starter function (may start only model-deploy), IN_SERVICE → monitoring, 3 notifications', () => {
    const f = productFixture();
    const wiring = new LoopEvents(f.stack, 'LoopEvents', props(f));
    expect(wiring.rules.map((r) => r.node.id)).toEqual(['ModelApprovedRule', 'EndpointInServiceRule']);
    const t = productTemplate(f);
    t.resourceCountIs('AWS::Events::Rule', 5);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelApprovalStatus: ['Approved'] },
      },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    expect(statementBySid(t, 'StartModelDeploy')).toMatchObject({
      Action: 'codepipeline:StartPipelineExecution',
      Resource: 'arn:aws:codepipeline:eu-west-1:123456789012:deploy',
    });
  });

  test.each([-1, 186, 1.5])('rejects startDeployRetryAttempts %p', (startDeployRetryAttempts) => {
    const f = productFixture();
    expect(() => new LoopEvents(f.stack, 'LoopEvents', { ...props(f), startDeployRetryAttempts })).toThrow(
      /startDeployRetryAttempts: must be an integer from 0 to 185/,
    );
  });

  test('rejects an empty repositories list (no pipeline failure would be notified)', () => {
    const f = productFixture();
    expect(() => new LoopEvents(f.stack, 'LoopEvents', { ...props(f), repositories: [] })).toThrow(
      /repositories: at least one repository is required/,
    );
  });

  test('the CodePipeline failure rule names the pipelines of the repositories given', () => {
    const f = productFixture();
    new LoopEvents(f.stack, 'LoopEvents', { ...props(f), repositories: ['model-build'] });
    const rules = productTemplate(f).findResources('AWS::Events::Rule');
    const failed = Object.values(rules).filter((r) =>
      JSON.stringify(r.Properties.EventPattern ?? {}).includes(
        'CodePipeline Pipeline Execution State Change',
      ),
    );
    expect(failed).toHaveLength(1);
    expect(failed[0].Properties.EventPattern.detail.pipeline).toHaveLength(1);
  });
});
