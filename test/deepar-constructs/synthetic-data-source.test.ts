// SyntheticDataSource in a minimal product stack: generator, schedule and first-data resource, all
// under DataSourceType=synthetic; the conditional creation order; the rule bound to its own function;
// and the validation of the schedule.
import { CfnResource } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { productFixture, productTemplate } from './support';
import { SyntheticDataSource } from '../../templates/deepar-forecasting/constructs/synthetic-data-source';

function props(f: ReturnType<typeof productFixture>) {
  return { ...f, key: new kms.Key(f.stack, 'Key'), bucket: new s3.Bucket(f.stack, 'Bucket') };
}

describe('SyntheticDataSource', () => {
  test('generator, 15-minute schedule and first data, each only with synthetic data', () => {
    const f = productFixture();
    new SyntheticDataSource(f.stack, 'SyntheticData', props(f));
    const t = productTemplate(f);
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
    const condition = f.stack.resolve(f.parameters.isSynthetic.logicalId);
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::Scheduler::Schedule',
      'Custom::SageMakerProjectSyntheticFirstData',
    ]) {
      t.hasResource(type, { Condition: condition });
    }
  });

  test('runsBefore tags the construct with a conditional reference to the first data', () => {
    const f = productFixture();
    const source = new SyntheticDataSource(f.stack, 'SyntheticData', props(f));
    const target = new s3.Bucket(f.stack, 'Target');
    source.runsBefore(target);
    const firstData = f.stack.resolve((source.firstData.node.defaultChild as CfnResource).logicalId);
    productTemplate(f).hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([
        {
          Key: 'sagemaker:first-data',
          Value: {
            'Fn::If': [f.stack.resolve(f.parameters.isSynthetic.logicalId), { Ref: firstData }, 'none'],
          },
        },
      ]),
    });
  });

  test('wildcardRules: versions of its own generator only', () => {
    const f = productFixture();
    const source = new SyntheticDataSource(f.stack, 'SyntheticData', props(f));
    const [rule] = source.wildcardRules;
    const fn = f.stack.resolve((source.generator.function.node.defaultChild as CfnResource).logicalId);
    const own = `Resource::<${fn}.Arn>:*`;
    expect(rule.finding.test(own)).toBe(true);
    expect(rule.finding.test('Resource::<OtherFunction12345678.Arn>:*')).toBe(false);
  });

  test.each(['cron(0 * * * ? *)', 'rate(0 minutes)', 'rate(1 day)'])('rejects schedule %p', (schedule) => {
    const f = productFixture();
    expect(() => new SyntheticDataSource(f.stack, 'SyntheticData', { ...props(f), schedule })).toThrow(
      /schedule: must be rate\(<n> minute\[s\]\|hour\[s\]\)/,
    );
  });
});
