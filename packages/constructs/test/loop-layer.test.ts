// LoopLayer on a bare Stack: a part creates its resources in its parent's scope (so the logical ids of
// the stack the parts were split from stay the same), and is itself a construct of the tree.
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { bareStack } from './support';
import { LoopLayer } from '../src/loop-layer';

class Part extends LoopLayer {
  public readonly topic: sns.Topic;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new sns.Topic(this.resourceScope, 'Topic');
  }
}

describe('LoopLayer', () => {
  test('resources are created next to the part, with the ids they had in the parent', () => {
    const stack = bareStack();
    const part = new Part(stack, 'Part');
    expect(part.node.path).toBe('Test/Part');
    expect(part.topic.node.path).toBe('Test/Topic');
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::SNS::Topic'))).toEqual([
      expect.stringMatching(/^Topic[0-9A-F]{8}$/),
    ]);
  });

  test("two parts creating the same id in one parent collide (the ids are the parent's)", () => {
    const stack = bareStack();
    new Part(stack, 'One');
    expect(() => new Part(stack, 'Two')).toThrow(/There is already a Construct with name 'Topic'/);
  });
});
