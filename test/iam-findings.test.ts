// Findings on the IAM policies of the portfolio (launch policy, permissions boundary) and of
// the DeepAR product, asserted on the synthesized policy documents.
import { sharedCommittedSynth, type SharedSynth } from './support/synth';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

let synth: SharedSynth;
beforeAll(() => {
  synth = sharedCommittedSynth();
});

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

function managedPolicyStatements(name: string): Statement[] {
  const policies = synth.portfolioTemplate.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { ManagedPolicyName: name },
  });
  const found = Object.values(policies);
  expect(found).toHaveLength(1);
  return found[0].Properties.PolicyDocument.Statement as Statement[];
}

const launch = (): Statement[] => managedPolicyStatements('sagemaker-projects-launch-policy');
const boundary = (): Statement[] => managedPolicyStatements('sagemaker-projects-role-boundary');

/** Statements that allow the action (exact name or matching wildcard). */
function allowing(statements: Statement[], action: string): Statement[] {
  return statements.filter(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).some((a) =>
        new RegExp(`^${a.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action),
      ),
  );
}

const json = (x: unknown): string => JSON.stringify(x);

describe('launch policy: APIs without resource-level permissions', () => {
  test('logs:DescribeLogGroups is allowed on "*" only', () => {
    const st = allowing(launch(), 'logs:DescribeLogGroups');
    expect(st.length).toBeGreaterThan(0);
    for (const s of st) expect(list(s.Resource)).toEqual(['*']);
  });

  test('SNS subscription handlers: sns:Unsubscribe and sns:GetSubscriptionAttributes on "*"', () => {
    for (const action of ['sns:Unsubscribe', 'sns:GetSubscriptionAttributes']) {
      const st = allowing(launch(), action);
      expect(st.some((s) => list(s.Resource).includes('*'))).toBe(true);
    }
  });
});

describe('launch policy: missing handler permissions', () => {
  test('sagemaker:GetModelPackageGroupPolicy on model-package groups', () => {
    const st = allowing(launch(), 'sagemaker:GetModelPackageGroupPolicy');
    expect(st.length).toBeGreaterThan(0);
    expect(json(st.map((s) => s.Resource))).toContain(':model-package-group/sagemaker-*');
  });

  test('s3:DeleteBucketPolicy on sagemaker-* buckets', () => {
    const st = allowing(launch(), 's3:DeleteBucketPolicy');
    expect(st.length).toBeGreaterThan(0);
    expect(json(st.map((s) => s.Resource))).toContain(':s3:::sagemaker-*');
  });
});

describe('launch policy: no privilege escalation', () => {
  test('iam:AttachRolePolicy / DetachRolePolicy only with an iam:PolicyARN condition (none attached: none allowed)', () => {
    for (const action of ['iam:AttachRolePolicy', 'iam:DetachRolePolicy']) {
      for (const s of allowing(launch(), action)) {
        const conditions = json(s.Condition ?? {});
        expect(conditions).toMatch(/"Arn(Like|Equals)":\{"iam:PolicyARN"/);
      }
    }
    // The product templates attach no managed policy.
    expect(Object.keys(synth.productTemplates).sort()).toEqual(['deepar-forecasting', 'tabular-xgboost']);
    for (const template of Object.values(synth.productTemplates)) {
      const roles = template.findResources('AWS::IAM::Role');
      expect(Object.keys(roles).length).toBeGreaterThan(5);
      for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('role writes are explicitly denied on the launch role itself, the boundary and the launch policy', () => {
    const deny = launch().filter((s) => s.Effect === 'Deny');
    const denied = (action: string, resourceFragment: string): boolean =>
      deny.some((s) => list(s.Action).includes(action) && json(s.Resource).includes(resourceFragment));
    for (const action of [
      'iam:UpdateAssumeRolePolicy',
      'iam:DeleteRole',
      'iam:TagRole',
      'iam:PutRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:PutRolePermissionsBoundary',
    ]) {
      expect(denied(action, ':role/sagemaker-projects-launch-role')).toBe(true);
    }
    for (const action of ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy']) {
      expect(denied(action, ':policy/sagemaker-projects-role-boundary')).toBe(true);
      expect(denied(action, ':policy/sagemaker-projects-launch-policy')).toBe(true);
    }
  });
});

describe('permissions boundary', () => {
  test('APIs accepting only "*" are in ApisWithoutResourceLevelPermissions', () => {
    const st = boundary().find((s) => s.Sid === 'ApisWithoutResourceLevelPermissions')!;
    expect(list(st.Resource)).toEqual(['*']);
    expect(list(st.Action)).toEqual(
      expect.arrayContaining([
        'sagemaker:ListModelPackages',
        'sagemaker:ListModels',
        'sagemaker:ListEndpointConfigs',
        'cloudformation:ListStacks',
        'scheduler:ListSchedules',
        'application-autoscaling:DescribeScalableTargets',
        'application-autoscaling:DescribeScalingPolicies',
      ]),
    );
  });

  test('teardown, tagging and log-group actions are within the boundary', () => {
    for (const action of [
      's3:DeleteBucket',
      'cloudwatch:TagResource',
      'logs:PutRetentionPolicy',
      'logs:TagResource',
      'logs:DeleteLogGroup',
      'sagemaker:UpdateEndpointWeightsAndCapacities',
      'application-autoscaling:RegisterScalableTarget',
      'application-autoscaling:PutScalingPolicy',
      'application-autoscaling:DeregisterScalableTarget',
      'application-autoscaling:DeleteScalingPolicy',
    ]) {
      expect(allowing(boundary(), action).length).toBeGreaterThan(0);
    }
  });

  test('dashboard ARNs (no region) are within the boundary', () => {
    const st = allowing(boundary(), 'cloudwatch:PutDashboard');
    expect(json(st.map((s) => s.Resource))).toContain(':cloudwatch::');
    expect(json(st.map((s) => s.Resource))).toContain(':dashboard/sagemaker-*');
  });
});

describe('DeepAR product roles', () => {
  const product = () => synth.productTemplates['deepar-forecasting'];

  /** Every policy statement attached to the role with the given logical id. */
  function roleStatements(roleLogicalId: string): Statement[] {
    const policies = product().findResources('AWS::IAM::Policy');
    return Object.values(policies)
      .filter((p) => json(p.Properties.Roles).includes(`"Ref":"${roleLogicalId}"`))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  }

  test('both schedule execution roles can kms:Decrypt the key encrypting their schedule', () => {
    const schedules = Object.values(product().findResources('AWS::Scheduler::Schedule'));
    expect(schedules.length).toBeGreaterThanOrEqual(2);
    for (const schedule of schedules) {
      const roleRef = schedule.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
      const keyRef = json(schedule.Properties.KmsKeyArn);
      const decrypt = allowing(roleStatements(roleRef), 'kms:Decrypt');
      expect(decrypt.some((s) => json(s.Resource) === keyRef || json(s.Resource).includes(keyRef))).toBe(
        true,
      );
    }
  });

  test('the SageMaker execution role can describe the auto-rollback alarms (project alarm prefix)', () => {
    const roles = product().findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'sagemaker.amazonaws.com' } }] },
      },
    });
    const [id] = Object.keys(roles).filter((k) => k.startsWith('SageMakerExecutionRole'));
    const st = allowing(roleStatements(id), 'cloudwatch:DescribeAlarms');
    expect(st.length).toBeGreaterThan(0);
    expect(json(st.map((s) => s.Resource))).toMatch(/:alarm:/);
  });
});

describe('DeepAR project config parameter', () => {
  test('dataSourceLocation resolves (Fn::If / Ref), no unresolved token', () => {
    const params = Object.values(
      synth.productTemplates['deepar-forecasting'].findResources('AWS::SSM::Parameter'),
    );
    const config = params.find((p) => json(p.Properties.Name).includes('config'))!;
    const value = json(config.Properties.Value);
    expect(value).not.toContain('${Token[');
    expect(value).toContain('dataSourceLocation');
    expect(value).toContain('Fn::If');
    expect(value).toMatch(/"Ref":"DataSourceLocation/);
  });
});

describe('DeepAR retrain function', () => {
  test('has no reserved concurrency (launch fails below 100 unreserved executions)', () => {
    const fns = Object.values(
      synth.productTemplates['deepar-forecasting'].findResources('AWS::Lambda::Function'),
    );
    expect(fns.length).toBeGreaterThan(0);
    for (const fn of fns) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});
