// PassRoleGuardedRole on a bare Stack: every iam:PassRole statement added to it (also by
// aws-cdk-lib grants) carries iam:PassedToService, an existing condition is kept, and actions
// that accept only "*" move out of ARN-scoped statements into one statement on "*" — even when
// resources are added to the statement after it was added to the role.
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { bareStack, PolicyStatementJson, policyStatements } from './support';
import { PassRoleGuardedRole } from '../src/pass-role-guarded-role';

const STACK_ARN = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/sagemaker-a/*';
const LATER_ARN = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/sagemaker-b/*';

describe('PassRoleGuardedRole', () => {
  let statements: PolicyStatementJson[];
  let multi: PolicyStatementJson[];

  beforeAll(() => {
    const stack = bareStack();
    const role = new PassRoleGuardedRole(stack, 'PipelineRole', {
      assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
      passedToServices: ['cloudformation.amazonaws.com'],
      wildcardOnlyActions: ['cloudformation:ValidateTemplate'],
    });
    const deployRole = new iam.Role(stack, 'DeployRole', {
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
    });
    deployRole.grantPassRole(role); // the way aws-cdk-lib's CloudFormation actions grant it
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AlreadyConditioned',
        actions: ['iam:PassRole'],
        resources: ['arn:aws:iam::123456789012:role/sagemaker-x'],
        conditions: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      }),
    );
    const deploy = new iam.PolicyStatement({
      actions: ['cloudformation:CreateStack', 'cloudformation:ValidateTemplate'],
      resources: [STACK_ARN],
    });
    role.addToPrincipalPolicy(deploy);
    deploy.addResources(LATER_ARN); // CodePipeline keeps adding resources to its singleton statements
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['cloudformation:ValidateTemplate'], resources: [STACK_ARN] }),
    );
    statements = policyStatements(Template.fromStack(stack));

    const other = bareStack();
    const two = new PassRoleGuardedRole(other, 'Role', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      passedToServices: ['sagemaker.amazonaws.com', 'lambda.amazonaws.com'],
    });
    two.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: ['arn:aws:iam::123456789012:role/sagemaker-y'],
      }),
    );
    multi = policyStatements(Template.fromStack(other));
  });

  const passRole = (list: PolicyStatementJson[]) =>
    list.filter((s) => [s.Action].flat().includes('iam:PassRole'));

  test('a PassRole grant from aws-cdk-lib gets the iam:PassedToService condition', () => {
    const granted = passRole(statements).find((s) => s.Sid !== 'AlreadyConditioned');
    expect(granted?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DeployRole/), 'Arn'] });
    expect(granted?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    });
  });

  test('an existing iam:PassedToService condition is kept as it is', () => {
    expect(passRole(statements).find((s) => s.Sid === 'AlreadyConditioned')?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' },
    });
  });

  test('several services are given as a list', () => {
    expect(passRole(multi)).toHaveLength(1);
    expect(passRole(multi)[0].Condition).toEqual({
      StringEquals: { 'iam:PassedToService': ['sagemaker.amazonaws.com', 'lambda.amazonaws.com'] },
    });
  });

  test('the wildcard-only action leaves the ARN-scoped statements, resources added later included', () => {
    const onArns = statements.filter((s) => JSON.stringify(s.Resource).includes('stack/sagemaker-'));
    expect(onArns.length).toBeGreaterThan(0);
    for (const s of onArns) expect([s.Action].flat()).not.toContain('cloudformation:ValidateTemplate');
    const create = onArns.find((s) => [s.Action].flat().includes('cloudformation:CreateStack'));
    expect(create?.Resource).toEqual([STACK_ARN, LATER_ARN]);
  });

  test('it is granted once, in a statement of its own on "*"', () => {
    const validate = statements.filter((s) => [s.Action].flat().includes('cloudformation:ValidateTemplate'));
    expect(validate).toEqual([{ Effect: 'Allow', Action: 'cloudformation:ValidateTemplate', Resource: '*' }]);
  });

  test('without wildcardOnlyActions no statement is on "*"', () => {
    expect(multi.filter((s) => s.Resource === '*')).toEqual([]);
  });

  describe('validation', () => {
    const props = { assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com') };
    // The role name is checked by iam.Role itself (IAM User Guide, "IAM and AWS STS quotas": ≤ 64).
    test('roleName longer than the IAM limit of 64 is refused by iam.Role', () => {
      expect(
        () =>
          new PassRoleGuardedRole(bareStack(), 'R', {
            ...props,
            roleName: 'r'.repeat(65),
            passedToServices: ['cloudformation.amazonaws.com'],
          }),
      ).toThrow(/Invalid roleName.*Length must be between 1 and 64/);
    });
    test('passedToServices must name at least one service', () => {
      expect(() => new PassRoleGuardedRole(bareStack(), 'R', { ...props, passedToServices: [] })).toThrow(
        /passedToServices: at least one service is required/,
      );
    });
    test.each(['cloudformation:*', 'ValidateTemplate', 'cloudformation:Validate Template', 's3:Get*'])(
      'wildcardOnlyActions refuses %p',
      (action) => {
        expect(
          () =>
            new PassRoleGuardedRole(bareStack(), 'R', {
              ...props,
              passedToServices: ['cloudformation.amazonaws.com'],
              wildcardOnlyActions: [action],
            }),
        ).toThrow(/wildcardOnlyActions: ".*" is not a single service:Action/);
      },
    );
  });
});
