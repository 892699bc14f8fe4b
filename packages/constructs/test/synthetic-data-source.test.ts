// SyntheticDataSource on a bare Stack: generator, schedule and first-data resource, all under the
// given condition; the grants on the given prefixes only; the conditional creation order; the rule
// bound to its own function; and the validation of each property.
import { CfnCondition, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bareStack, FIXTURE_HANDLER } from './support';
import { ProjectNames } from '../src/project-names';
import { SyntheticDataSource, SyntheticDataSourceProps } from '../src/synthetic-data-source';

function props(stack: Stack): SyntheticDataSourceProps {
  return {
    names: new ProjectNames('demo', 'p-abc123'),
    key: new kms.Key(stack, 'Key'),
    bucket: new s3.Bucket(stack, 'Bucket'),
    condition: new CfnCondition(stack, 'IsSynthetic', { expression: Fn.conditionEquals('a', 'a') }),
    entry: FIXTURE_HANDLER,
    firstDataResourceType: 'Custom::SyntheticFirstData',
    description: 'writes test data',
    environment: { DATA_PREFIX: 'data/synthetic/' },
    prefixes: ['data/synthetic/', 'labels/'],
  };
}

describe('SyntheticDataSource', () => {
  test('generator, 15-minute schedule and first data, each only under the condition', () => {
    const stack = bareStack({ bundling: false });
    new SyntheticDataSource(stack, 'SyntheticData', props(stack));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DATA_PREFIX: 'data/synthetic/' }) },
      Timeout: 120,
    });
    for (const type of ['AWS::Lambda::Function', 'AWS::Scheduler::Schedule', 'Custom::SyntheticFirstData']) {
      t.hasResource(type, { Condition: 'IsSynthetic' });
    }
    t.hasResourceProperties('Custom::SyntheticFirstData', { ServiceTimeout: '300' });
  });

  test('the generator reads and writes its prefixes only', () => {
    const stack = bareStack({ bundling: false });
    new SyntheticDataSource(stack, 'SyntheticData', props(stack));
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toContain('/data/synthetic/*');
    expect(policies).toContain('/labels/*');
    expect(policies).not.toMatch(/"\/\*"/);
  });

  test('a longer timeout lengthens the first-data service timeout', () => {
    const stack = bareStack({ bundling: false });
    new SyntheticDataSource(stack, 'SyntheticData', { ...props(stack), timeout: Duration.minutes(10) });
    Template.fromStack(stack).hasResourceProperties('Custom::SyntheticFirstData', { ServiceTimeout: '780' });
  });

  test('runsBefore tags the construct with a conditional reference to the first data', () => {
    const stack = bareStack({ bundling: false });
    const source = new SyntheticDataSource(stack, 'SyntheticData', props(stack));
    const target = new s3.Bucket(stack, 'Target');
    source.runsBefore(target);
    const firstData = stack.resolve((source.firstData.node.defaultChild as CfnResource).logicalId);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([
        { Key: 'sagemaker:first-data', Value: { 'Fn::If': ['IsSynthetic', { Ref: firstData }, 'none'] } },
      ]),
    });
  });

  test('wildcardRules: versions of its own generator only', () => {
    const stack = bareStack({ bundling: false });
    const source = new SyntheticDataSource(stack, 'SyntheticData', props(stack));
    const [rule] = source.wildcardRules;
    const fn = stack.resolve((source.generator.function.node.defaultChild as CfnResource).logicalId);
    expect(rule.finding.test(`Resource::<${fn}.Arn>:*`)).toBe(true);
    expect(rule.finding.test('Resource::<OtherFunction12345678.Arn>:*')).toBe(false);
  });

  test.each(['cron(0 * * * ? *)', 'rate(0 minutes)', 'rate(1 day)'])('rejects schedule %p', (schedule) => {
    const stack = bareStack({ bundling: false });
    expect(() => new SyntheticDataSource(stack, 'SyntheticData', { ...props(stack), schedule })).toThrow(
      /schedule: must be rate\(<n> minute\[s\]\|hour\[s\]\)/,
    );
  });

  test.each([
    [{ prefixes: [] }, /prefixes: must name at least one key prefix/],
    [{ prefixes: ['data'] }, /prefixes: each must end with '\/'/],
    [{ prefixes: ['data/*/'] }, /prefixes: each must end with '\/' and hold no '\*'/],
    [{ firstDataResourceType: 'AWS::S3::Bucket' }, /firstDataResourceType: must be Custom::<name>/],
    [{ timeout: Duration.minutes(16) }, /timeout: must be 1 to 900 seconds/],
  ])('rejects %p', (override, message) => {
    const stack = bareStack({ bundling: false });
    expect(() => new SyntheticDataSource(stack, 'SyntheticData', { ...props(stack), ...override })).toThrow(
      message,
    );
  });
});
