// applyCondition on a bare Stack: every CloudFormation resource under the construct carries the
// condition (also ones CDK creates, such as a role's default policy); resources outside do not.
import { CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { bareStack } from './support';
import { applyCondition } from '../src/conditions';

describe('applyCondition', () => {
  let template: Template;
  let stack: Stack;

  beforeAll(() => {
    stack = bareStack();
    const condition = new CfnCondition(stack, 'IsProd', {
      expression: Fn.conditionEquals(
        new CfnParameter(stack, 'Stage', { default: 'prod' }).valueAsString,
        'prod',
      ),
    });
    const subtree = new Construct(stack, 'Conditional');
    const role = new iam.Role(subtree, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const topic = new sns.Topic(subtree, 'Topic');
    topic.grantPublish(role); // adds the role's DefaultPolicy under the subtree
    new sns.Topic(stack, 'Unconditional');
    applyCondition(subtree, condition);
    template = Template.fromStack(stack);
  });

  test('every resource of the subtree, including the generated default policy, has the condition', () => {
    const under = Object.entries(
      template.toJSON().Resources as Record<string, { Type: string; Condition?: string }>,
    ).filter(([id]) => id.startsWith('Conditional'));
    expect(under.map(([, r]) => r.Type).sort()).toEqual([
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::SNS::Topic',
    ]);
    for (const [, r] of under) expect(r.Condition).toBe('IsProd');
  });

  test('a resource outside the subtree keeps no condition', () => {
    const outside = template.findResources('AWS::SNS::Topic', { Condition: 'IsProd' });
    expect(Object.keys(outside)).toEqual([expect.stringMatching(/^ConditionalTopic/)]);
    const all = template.findResources('AWS::SNS::Topic');
    const unconditional = Object.entries(all).find(([id]) => id.startsWith('Unconditional'));
    expect(unconditional?.[1].Condition).toBeUndefined();
  });
});
