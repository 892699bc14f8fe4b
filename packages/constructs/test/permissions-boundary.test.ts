// ProjectRolesPermissionsBoundary on a bare Stack: the ceiling names its services' project resources
// (no account-and-region wildcard over every service), one statement per service; its name, the
// conditions that keep role writes inside the boundary, and the denies that protect it.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  PROJECT_ROLES_BOUNDARY_POLICY_NAME,
  projectRolesBoundaryArn,
  ProjectRolesPermissionsBoundary,
} from '../src/permissions-boundary';

type Statement = { Sid: string; Effect: string; Action: string | string[]; Resource: unknown };

function statements(
  props: ConstructorParameters<typeof ProjectRolesPermissionsBoundary>[2] = {},
): Statement[] {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ProjectRolesPermissionsBoundary(stack, 'Boundary', props);
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
  return policy.Properties.PolicyDocument.Statement as Statement[];
}

describe('ProjectRolesPermissionsBoundary', () => {
  test('no Allow statement spans every service of the account and region', () => {
    for (const s of statements().filter((st) => st.Effect === 'Allow')) {
      for (const r of [s.Resource].flat()) {
        // The old ceiling arn:<partition>:*:<region>:<account>:* (any service): its service part
        // is the Fn::Join segment ":*:".
        expect(JSON.stringify(r)).not.toContain('":*:"');
      }
    }
  });

  test('each project service statement holds only that service, on resources of that service', () => {
    const project = statements().filter((s) => /^Project[A-Z]/.test(s.Sid));
    expect(project.map((s) => s.Sid)).toEqual(
      expect.arrayContaining(['ProjectSagemaker', 'ProjectLambda', 'ProjectLogs']),
    );
    for (const s of project) {
      const services = new Set([s.Action].flat().map((a) => a.split(':')[0]));
      expect(services.size).toBe(1);
      const [service] = [...services];
      for (const r of [s.Resource].flat()) expect(JSON.stringify(r)).toContain(`:${service}:`);
    }
    const lambda = project.find((s) => s.Sid === 'ProjectLambda');
    expect(JSON.stringify(lambda?.Resource)).toContain(':function:sagemaker-*');
  });
});

describe('ProjectRolesPermissionsBoundary: names, conditions and denies', () => {
  type Conditioned = Statement & { Condition?: Record<string, Record<string, unknown>> };
  let template: Template;
  let all: Conditioned[];
  const bySid = (sid: string): Conditioned => {
    const found = all.find((s) => s.Sid === sid);
    if (!found) throw new Error(`no statement ${sid}`);
    return found;
  };
  const BOUNDARY = {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, `:iam::123456789012:policy/${PROJECT_ROLES_BOUNDARY_POLICY_NAME}`],
    ],
  };

  beforeAll(() => {
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
    new ProjectRolesPermissionsBoundary(stack, 'Boundary', {
      additionalStatements: [
        new iam.PolicyStatement({
          sid: 'ExtraForecast',
          actions: ['forecast:CreateDataset'],
          resources: ['arn:aws:forecast:eu-west-1:123456789012:dataset/sagemaker-*'],
        }),
      ],
    });
    template = Template.fromStack(stack);
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    all = policy.Properties.PolicyDocument.Statement as Conditioned[];
  });

  test('the managed policy has the name products reference, and projectRolesBoundaryArn points to it', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: PROJECT_ROLES_BOUNDARY_POLICY_NAME,
    });
    const stack = new Stack(new App(), 'Other', { env: { account: '123456789012', region: 'eu-west-1' } });
    expect(stack.resolve(projectRolesBoundaryArn(stack))).toEqual(BOUNDARY);
  });

  test('role writes only with this boundary attached, on project roles only', () => {
    expect(bySid('RoleWritesOnlyWithThisBoundary').Condition).toEqual({
      StringEquals: { 'iam:PermissionsBoundary': BOUNDARY },
    });
    expect(JSON.stringify(bySid('RoleWritesOnlyWithThisBoundary').Resource)).toContain(':role/sagemaker-*');
  });

  test('the boundary can never be removed or rewritten, and no role is created without it', () => {
    const escape = bySid('NeverEscapeTheBoundary');
    expect(escape.Effect).toBe('Deny');
    expect(escape.Action).toEqual(
      expect.arrayContaining(['iam:DeleteRolePermissionsBoundary', 'iam:CreatePolicyVersion']),
    );
    expect(escape.Resource).toEqual(expect.arrayContaining([BOUNDARY]));
    const without = bySid('NoRoleWithoutThisBoundary');
    expect(without).toMatchObject({
      Effect: 'Deny',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
      Resource: '*',
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
    });
  });

  test('reads outside the project buckets stay in this account; connections only when tagged', () => {
    expect(bySid('ReadDataOfThisAccount').Condition).toEqual({
      StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } },
    });
    expect(bySid('ConnectionsTaggedForSageMaker').Condition).toEqual({
      StringEqualsIgnoreCase: { 'aws:ResourceTag/sagemaker': 'true' },
    });
    expect(bySid('EndpointAutoscalingServiceLinkedRole').Condition).toEqual({
      StringEquals: { 'iam:AWSServiceName': 'sagemaker.application-autoscaling.amazonaws.com' },
    });
  });

  test('additionalStatements are part of the ceiling', () => {
    expect(bySid('ExtraForecast').Action).toBe('forecast:CreateDataset');
  });

  test('no Allow statement allows every action', () => {
    for (const s of all) expect([s.Action].flat()).not.toContain('*');
  });
});

/** The resource with the partition reference replaced by `aws` (the only token of S3 ARNs). */
const concrete = (r: unknown): string =>
  typeof r === 'string'
    ? r
    : ((r as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1] as unknown[])
        .map((x) => (typeof x === 'string' ? x : 'aws'))
        .join('');
const glob = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((x) => x.replace(/[.?+^$()[\]{}|\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** Whether some Allow statement of the boundary admits `action` on the S3 `resource`. */
function admits(all: Statement[], action: string, resource: string): boolean {
  return all.some(
    (s) =>
      s.Effect === 'Allow' &&
      [s.Action].flat().some((a) => glob(a).test(action)) &&
      [s.Resource].flat().some((r) => glob(concrete(r)).test(resource)) &&
      !('Condition' in s),
  );
}

describe('a custom assetBucketName (#19 finding 5)', () => {
  const reads = [
    ['s3:GetObject', 'arn:aws:s3:::acme-product-assets/seeding/bundle.zip'],
    ['s3:GetObjectVersion', 'arn:aws:s3:::acme-product-assets/seeding/bundle.zip'],
    ['s3:GetBucketAcl', 'arn:aws:s3:::acme-product-assets'],
    ['s3:GetBucketLocation', 'arn:aws:s3:::acme-product-assets'],
  ];

  test.each(reads)('without the sagemaker- prefix: the boundary admits %s on it', (action, resource) => {
    expect(admits(statements({ assetBucketName: 'acme-product-assets' }), action, resource)).toBe(true);
  });

  test.each(reads)(
    'negative control: without the setting, %s on that bucket is capped away',
    (action, resource) => {
      expect(admits(statements(), action, resource)).toBe(false);
    },
  );

  test('read-only, that bucket only; a prefixed name needs no extra statement', () => {
    const all = statements({ assetBucketName: 'acme-product-assets' });
    expect(admits(all, 's3:PutObject', 'arn:aws:s3:::acme-product-assets/x')).toBe(false);
    expect(admits(all, 's3:GetObjectVersion', 'arn:aws:s3:::other-bucket/x')).toBe(false);
    expect(statements({ assetBucketName: 'sagemaker-projects-assets-x' }).map((s) => s.Sid)).not.toContain(
      'ReadProductAssets',
    );
  });
});
