// RetrainLoop on a bare Stack: the retrain function's environment (the names it must agree on,
// cooldown, attempts, re-check interval, optional gate threshold parameter), its grants (start and
// inspect only the model-build pipeline, read only this project's alarms, GetParameter only on the
// gate parameter), the alarm rule matching this project's alarm prefix, and the re-check schedule
// with its own role (trusted for this account only) and the key.
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  bareStack,
  ENV,
  FIXTURE_HANDLER,
  literalNames,
  policyStatements,
  statementBySid,
  testApp,
} from './support';
import { ALARM_STATE_CHANGE, RetrainLoop, RetrainLoopProps } from '../src/retrain-loop';

const names = literalNames();

function loop(stack: Stack, props: Partial<RetrainLoopProps> = {}): RetrainLoop {
  const key = new kms.Key(stack, 'Key');
  return new RetrainLoop(stack, 'Retrain', {
    names,
    handlerEntry: FIXTURE_HANDLER,
    topic: new sns.Topic(stack, 'Topic', { masterKey: key }),
    key,
    ...props,
  });
}

describe('RetrainLoop', () => {
  let template: Template;
  let defaults: Template;

  beforeAll(() => {
    const app: App = testApp({ bundling: false });
    const stack = new Stack(app, 'Test', { env: ENV });
    loop(stack, {
      cooldown: Duration.hours(12),
      maxAttempts: 5,
      recheckInterval: Duration.minutes(30),
      gateThresholdParameter: new ssm.StringParameter(stack, 'Gate', {
        parameterName: '/sagemaker/demo-p-abc123def456/gate-threshold',
        stringValue: 'default',
      }),
    });
    const plain = new Stack(app, 'Defaults', { env: ENV });
    loop(plain);
    template = Template.fromStack(stack);
    defaults = Template.fromStack(plain);
  });

  test('the function is named from the project and gets the loop settings as environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sagemaker-p-abc123def456-retrain',
      Timeout: 120,
      ReservedConcurrentExecutions: Match.absent(),
      Environment: {
        Variables: {
          ALARM_NAME_PREFIX: names.alarmNamePrefix,
          MODEL_BUILD_PIPELINE_NAME: names.modelBuildPipeline,
          MODEL_PACKAGE_GROUP_NAME: names.modelPackageGroup,
          RETRAIN_COOLDOWN_MINUTES: '720',
          RETRAIN_MAX_ATTEMPTS: '5',
          NOTIFICATION_TOPIC_ARN: { Ref: Match.stringLikeRegexp('^Topic') },
          METRIC_NAMESPACE: names.metricNamespace,
          RECHECK_INTERVAL_MINUTES: '30',
          GATE_THRESHOLD_PARAMETER_NAME: { Ref: Match.stringLikeRegexp('^Gate') },
        },
      },
    });
  });

  test('defaults: 6 h cooldown, 3 attempts, hourly re-check, no gate parameter', () => {
    defaults.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          RETRAIN_COOLDOWN_MINUTES: '360',
          RETRAIN_MAX_ATTEMPTS: '3',
          RECHECK_INTERVAL_MINUTES: '60',
          GATE_THRESHOLD_PARAMETER_NAME: Match.absent(),
        }),
      },
    });
    defaults.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(60 minutes)' });
    expect(policyStatements(defaults).map((s) => s.Sid)).not.toContain('ReadGateThreshold');
  });

  test('starts and inspects only the model-build pipeline and its executions', () => {
    const pipeline = (suffix: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:sagemaker:${ENV.region}:${ENV.account}:pipeline/${names.modelBuildPipeline}${suffix}`,
        ],
      ],
    });
    const st = statementBySid(template, 'StartAndInspectModelBuild');
    expect(st.Action).toEqual([
      'sagemaker:StartPipelineExecution',
      'sagemaker:ListPipelineExecutions',
      'sagemaker:DescribePipelineExecution',
      'sagemaker:ListPipelineParametersForExecution',
    ]);
    expect(st.Resource).toEqual([pipeline(''), pipeline('/execution/*')]);
  });

  test('ListModelPackages on "*" only (the API accepts nothing narrower), alarms by project prefix', () => {
    expect(statementBySid(template, 'SeeRegisteredModels')).toMatchObject({
      Action: 'sagemaker:ListModelPackages',
      Resource: '*',
    });
    expect(JSON.stringify(statementBySid(template, 'ReadOwnAlarms').Resource)).toContain(
      `:alarm:${names.alarmNamePrefix}*`,
    );
  });

  test('the gate threshold is read with GetParameter only, on that parameter only', () => {
    const st = statementBySid(template, 'ReadGateThreshold');
    expect(st.Action).toBe('ssm:GetParameter');
    expect(st.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:ssm:${ENV.region}:${ENV.account}:parameter`,
          { Ref: expect.stringMatching(/^Gate/) },
        ],
      ],
    });
    const all = policyStatements(template).flatMap((s) => [s.Action].flat());
    expect(all).not.toContain('ssm:DescribeParameters');
  });

  test('may publish to the topic', () => {
    const publish = policyStatements(template).find((s) => [s.Action].flat().includes('sns:Publish'));
    expect(publish?.Resource).toEqual({ Ref: expect.stringMatching(/^Topic/) });
  });

  test("the alarm rule sends this project's accuracy alarms entering ALARM, with retries", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: 'sagemaker-p-abc123def456-retrain-on-alarm',
      EventPattern: {
        source: [ALARM_STATE_CHANGE.source],
        'detail-type': [ALARM_STATE_CHANGE.detailType],
        detail: { alarmName: [{ prefix: names.alarmNamePrefix }], state: { value: ['ALARM'] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RetrainHandlerFunction'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RetrainAlarmRule'), 'Arn'] },
    });
  });

  test('the re-check schedule: the interval, the key, the recheck input with the scheduled time', () => {
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(schedule.Properties).toMatchObject({
      Name: 'sagemaker-p-abc123def456-retrain-recheck',
      ScheduleExpression: 'rate(30 minutes)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      KmsKeyArn: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^RetrainSchedulerRole/), 'Arn'] },
      },
    });
    expect(JSON.parse(schedule.Properties.Target.Input as string)).toEqual({
      action: 'recheck',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  test('the scheduler role: trusted by EventBridge Scheduler of this account, invoke and decrypt only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'sagemaker-p-abc123def456-retrain-recheck',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': ENV.account } },
          },
        ],
      },
    });
    const [policy] = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^RetrainSchedulerRole') }] },
      }),
    );
    const actions = (policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>)
      .flatMap((s) => [s.Action].flat())
      .sort();
    expect(actions).toEqual(['kms:Decrypt', 'lambda:InvokeFunction']);
  });

  describe('validation', () => {
    // The bounds are the handler's (CONFIG_LIMITS of @mlops-templates/retrain): a value it refuses
    // at cold start would fail every invocation.
    test.each([0, -1, 1.5, Number.NaN, 101])('maxAttempts %p is refused', (maxAttempts) => {
      expect(() => loop(bareStack({ bundling: false }), { maxAttempts })).toThrow(
        /maxAttempts: must be a whole number from 1 to 100/,
      );
    });
    test.each([
      ['zero', Duration.minutes(0)],
      ['not whole minutes', Duration.seconds(90)],
      ['over 7 days', Duration.days(8)],
    ])('recheckInterval %s is refused', (_what, recheckInterval) => {
      expect(() => loop(bareStack({ bundling: false }), { recheckInterval })).toThrow(
        /recheckInterval: must be a whole number of minutes from 1 to 10080/,
      );
    });
    test.each([
      ['not whole minutes', Duration.seconds(30)],
      ['over 7 days', Duration.days(8)],
    ])('cooldown %s is refused', (_what, cooldown) => {
      expect(() => loop(bareStack({ bundling: false }), { cooldown })).toThrow(
        /cooldown: must be a whole number of minutes from 0 to 10080/,
      );
    });
    test('a zero cooldown (the handler reads it as "no cooldown") and the upper bounds are accepted', () => {
      expect(() =>
        loop(bareStack({ bundling: false }), {
          cooldown: Duration.minutes(0),
          recheckInterval: Duration.days(7),
          maxAttempts: 100,
        }),
      ).not.toThrow();
    });
    test('Duration itself refuses negative amounts', () => {
      expect(() => Duration.minutes(-1)).toThrow(/cannot be negative/);
    });
  });
});
