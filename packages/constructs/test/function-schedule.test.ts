// scheduleFunction on a bare Stack: a schedule that runs the function with its own role, which may
// invoke that function only and decrypt with the project key; and the validation of the rate.
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { bareStack } from './support';
import { scheduleFunction, validateFunctionSchedule } from '../src/function-schedule';
import { ProjectNames } from '../src/project-names';

function fixture() {
  const stack = bareStack();
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  return { stack, fn, key: new kms.Key(stack, 'Key'), names: new ProjectNames('demo', 'p-abc123') };
}

describe('scheduleFunction', () => {
  test('schedule and role named by purpose; the role invokes this function and decrypts with the key', () => {
    const f = fixture();
    scheduleFunction(f.stack, {
      ...f,
      purpose: 'synthetic-data',
      schedule: 'rate(1 hour)',
      roleDescription: 'runs it',
      scheduleDescription: 'does it',
    });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'sagemaker-p-abc123-synthetic-data',
      ScheduleExpression: 'rate(1 hour)',
      Target: { RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 900 } },
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'sagemaker-p-abc123-synthetic-data-schedule',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    const policy = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(policy).toContain('lambda:InvokeFunction');
    expect(policy).toContain('kms:Decrypt');
    expect(policy).not.toContain('kms:Encrypt');
  });

  test.each(['rate(1 day)', 'cron(0 * * * ? *)', 'rate(0 minutes)', 'rate(5 minute)x'])(
    'refuses %p, naming the property',
    (schedule) => {
      expect(() => validateFunctionSchedule('schedule', schedule)).toThrow(
        /^schedule: must be rate\(<n> minute\[s\]\|hour\[s\]\)/,
      );
      const f = fixture();
      expect(() =>
        scheduleFunction(f.stack, {
          ...f,
          purpose: 'x',
          schedule,
          roleDescription: 'r',
          scheduleDescription: 's',
        }),
      ).toThrow(/schedule: must be rate/);
    },
  );
  test.each(['rate(1 minute)', 'rate(15 minutes)', 'rate(2 hours)'])('accepts %p', (schedule) => {
    expect(() => validateFunctionSchedule('schedule', schedule)).not.toThrow();
  });
});
