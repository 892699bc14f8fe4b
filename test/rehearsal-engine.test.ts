// The rehearsal's policy-engine front (test/rehearsal/engine.ts): each distinct question is evaluated
// once per process, and "distinct" is decided by content — a policy, boundary, resource policy,
// request or context that differs in any value is a new question, never a cached answer.
import { decide, decisionCacheStats } from './rehearsal/engine';
import type { NamedPolicy, PolicyDocument } from './rehearsal/principals';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:iam::${ACCOUNT}:role/engine-test`;
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:engine-test`;

const policy = (actions: string[], resource = TOPIC): NamedPolicy => ({
  name: 'p',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] },
});

describe('decide', () => {
  test('asking the same question again is answered without a new evaluation', async () => {
    const principal = { arn: ARN, identityPolicies: [policy(['sns:Publish'])] };
    const first = await decide(principal, { action: 'sns:Publish', resource: TOPIC }, ACCOUNT);
    const evaluated = decisionCacheStats().evaluated;
    // A structurally equal principal built anew (as each rehearsal run builds its own).
    const again = await decide(
      { arn: ARN, identityPolicies: [policy(['sns:Publish'])] },
      { action: 'sns:Publish', resource: TOPIC },
      ACCOUNT,
    );
    expect(first.result).toBe('Allowed');
    expect(again).toEqual(first);
    expect(decisionCacheStats().evaluated).toBe(evaluated);
  });

  test('negative controls: a changed policy, boundary, resource, context or resource policy is a new question', async () => {
    const request = { action: 'sns:Publish', resource: TOPIC };
    const allowed = { arn: ARN, identityPolicies: [policy(['sns:Publish'])] };
    expect((await decide(allowed, request, ACCOUNT)).result).toBe('Allowed');

    // Same ARN and policy name, the action removed: denied, not the cached Allowed.
    const withoutPublish = { arn: ARN, identityPolicies: [policy(['sns:Subscribe'])] };
    expect((await decide(withoutPublish, request, ACCOUNT)).result).toBe('ImplicitlyDenied');

    // A boundary that does not allow it.
    const bounded = { ...allowed, boundary: { ...policy(['sns:Subscribe']), name: 'boundary' } };
    expect((await decide(bounded, request, ACCOUNT)).result).toBe('ImplicitlyDenied');

    // Another resource outside the policy.
    const other = { action: 'sns:Publish', resource: `${TOPIC}-other` };
    expect((await decide(allowed, other, ACCOUNT)).result).toBe('ImplicitlyDenied');

    // A condition on the request context: only the matching context is allowed.
    const conditioned: NamedPolicy = {
      name: 'p',
      document: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sns:Publish',
            Resource: TOPIC,
            Condition: { StringEquals: { 'aws:RequestTag/team': 'ml' } },
          },
        ],
      },
    };
    const tagged = { arn: ARN, identityPolicies: [conditioned] };
    const withTag = (team: string) => ({ ...request, context: { 'aws:RequestTag/team': team } });
    expect((await decide(tagged, withTag('ml'), ACCOUNT)).result).toBe('Allowed');
    expect((await decide(tagged, withTag('other'), ACCOUNT)).result).toBe('ImplicitlyDenied');

    // A resource policy that denies it explicitly.
    const denyAll: PolicyDocument = {
      Statement: [{ Effect: 'Deny', Principal: { AWS: ARN }, Action: 'sns:Publish', Resource: TOPIC }],
    };
    expect((await decide(allowed, request, ACCOUNT, denyAll)).result).toBe('ExplicitlyDenied');
    expect((await decide(allowed, request, ACCOUNT)).result).toBe('Allowed');
  });
});
