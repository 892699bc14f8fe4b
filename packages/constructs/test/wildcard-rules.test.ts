// The wildcard rules on a bare Stack: a rule bound to one resource's ARN token matches the findings on
// that resource only; the product-wide families match what they name and not a foreign resource.
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bareStack } from './support';
import { renderForNag } from '../src/nag-acknowledgements';
import {
  functionVersionsWildcardRule,
  ownResourceWildcardRule,
  PRODUCT_WILDCARD_RULES,
} from '../src/wildcard-rules';

const matches = (finding: string) => PRODUCT_WILDCARD_RULES.some((r) => r.finding.test(finding));

describe('ownResourceWildcardRule', () => {
  test('matches the findings on its own resource only', () => {
    const stack = bareStack();
    const own = new s3.Bucket(stack, 'Own');
    const other = new s3.Bucket(stack, 'Other');
    const rule = ownResourceWildcardRule(stack, own.bucketArn, '/.*\\*', 'objects of the own bucket');
    const finding = (b: s3.Bucket) => `Resource::${renderForNag(stack.resolve(b.bucketArn))}/data/*`;
    expect(rule.finding.test(finding(own))).toBe(true);
    expect(rule.finding.test(finding(other))).toBe(false);
    expect(rule.reason).toBe('objects of the own bucket');
  });

  test('functionVersionsWildcardRule: versions and aliases of the function', () => {
    const stack = bareStack();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    const rule = functionVersionsWildcardRule(stack, fn);
    expect(rule.finding.test(`Resource::${renderForNag(stack.resolve(fn.functionArn))}:*`)).toBe(true);
    expect(rule.finding.test(`Resource::${renderForNag(stack.resolve(fn.functionArn))}/*`)).toBe(false);
  });
});

describe('PRODUCT_WILDCARD_RULES', () => {
  test.each([
    'Action::s3:GetObject*',
    'Resource::*',
    'Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:training-job/*',
    'Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:sagemaker-<SageMakerProjectId>-*',
    'Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/sagemaker/<SageMakerProjectName>-<SageMakerProjectId>/*',
  ])('explains %s', (finding) => {
    expect(matches(finding)).toBe(true);
  });

  test.each([
    'Action::iam:*',
    'Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:*',
    'Resource::arn:<AWS::Partition>:s3:::other-bucket/*',
  ])('negative control: does not explain %s', (finding) => {
    expect(matches(finding)).toBe(false);
  });

  test('every rule has a reason', () => {
    for (const rule of PRODUCT_WILDCARD_RULES) expect(rule.reason.length).toBeGreaterThan(20);
  });
});
