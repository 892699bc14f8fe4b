// ProjectNotifications on a bare Stack: the KMS-encrypted, SSL-only topic named from the project,
// the CloudWatch alarm-action grant limited to this project's alarms of this account, the e-mail
// subscription under its condition (none without an address), and notifyOn rules.
import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { bareStack, ENV, literalNames } from './support';
import { ProjectNames } from '../src/project-names';
import { MAX_RULE_PURPOSE_LENGTH, ProjectNotifications } from '../src/project-notifications';
import { SAGEMAKER_PROJECT_ID_MAX_LENGTH } from '../src/project-parameters';

const names = literalNames();

describe('ProjectNotifications', () => {
  let template: Template;
  let withoutEmail: Template;

  beforeAll(() => {
    const stack = bareStack();
    const key = new kms.Key(stack, 'Key');
    const email = new CfnParameter(stack, 'NotificationEmail', { default: 'none' });
    const hasEmail = new CfnCondition(stack, 'HasEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, 'none')),
    });
    const notifications = new ProjectNotifications(stack, 'Notifications', {
      names,
      key,
      email: { address: email.valueAsString, condition: hasEmail },
    });
    notifications.notifyOn(
      'PipelineFailed',
      'pipeline-failed',
      {
        source: ['aws.sagemaker'],
        detailType: ['SageMaker Model Building Pipeline Execution Status Change'],
      },
      events.RuleTargetInput.fromText(
        `Pipeline ${events.EventField.fromPath('$.detail.pipelineArn')} failed`,
      ),
    );
    // A second stack of the same app (one synthesis): no e-mail address.
    const bare = new Stack(stack.node.root, 'NoEmail', { env: ENV });
    new ProjectNotifications(bare, 'Notifications', { names, key: new kms.Key(bare, 'Key') });
    template = Template.fromStack(stack);
    withoutEmail = Template.fromStack(bare);
  });

  test('topic named from the project id, encrypted with the given key', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'sagemaker-p-abc123def456-notifications',
      DisplayName: 'SageMaker project demo',
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
  });

  test('the topic policy denies publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('CloudWatch may publish only for alarms of this project (both prefixes) in this account', () => {
    const alarm = (prefix: string) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:${ENV.region}:${ENV.account}:alarm:${prefix}-*`],
      ],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ProjectAlarmActions',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: Match.stringLikeRegexp('^NotificationsTopic') },
            Condition: {
              ArnLike: { 'aws:SourceArn': [alarm(names.shortPrefix), alarm(names.longPrefix)] },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
        ]),
      },
    });
  });

  test('the e-mail subscription exists only under its condition', () => {
    template.hasResource('AWS::SNS::Subscription', {
      Condition: 'HasEmail',
      Properties: { Protocol: 'email', Endpoint: { Ref: 'NotificationEmail' } },
    });
    withoutEmail.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('notifyOn: a rule named from the project, sending the message to the topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'sagemaker-p-abc123def456-pipeline-failed',
      Description: 'Notify the SageMaker project demo: pipeline-failed',
      EventPattern: { source: ['aws.sagemaker'] },
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('^NotificationsTopic') },
          InputTransformer: Match.objectLike({
            InputPathsMap: { 'detail-pipelineArn': '$.detail.pipelineArn' },
          }),
        }),
      ],
    });
    withoutEmail.resourceCountIs('AWS::Events::Rule', 0);
  });

  describe('notifyOn validation', () => {
    const notifications = () => {
      const stack = bareStack();
      return new ProjectNotifications(stack, 'N', { names, key: new kms.Key(stack, 'Key') });
    };
    const pattern = { source: ['aws.sagemaker'] };
    const message = events.RuleTargetInput.fromText('x');

    test.each(['', 'pipeline failed', 'pipeline/failed', 'x'.repeat(MAX_RULE_PURPOSE_LENGTH + 1)])(
      'ruleName %p is refused, naming the property',
      (ruleName) => {
        expect(() => notifications().notifyOn('Rule', ruleName, pattern, message)).toThrow(
          new RegExp(
            `notifyOn\\(Rule\\): ruleName '.*' must be 1 to ${MAX_RULE_PURPOSE_LENGTH} of the characters`,
          ),
        );
      },
    );

    test('the longest ruleName still gives an EventBridge rule name of at most 64 characters', () => {
      const longest = new ProjectNames('n'.repeat(32), 'p'.repeat(SAGEMAKER_PROJECT_ID_MAX_LENGTH));
      expect(longest.short('x'.repeat(MAX_RULE_PURPOSE_LENGTH))).toHaveLength(64);
      expect(() =>
        notifications().notifyOn('Rule', 'x'.repeat(MAX_RULE_PURPOSE_LENGTH), pattern, message),
      ).not.toThrow();
    });
  });
});
