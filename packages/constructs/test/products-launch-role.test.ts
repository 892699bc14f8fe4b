// SageMakerProductsLaunchRole / SageMakerProductsLaunchPolicy on a bare Stack: the role Service
// Catalog assumes, the launch policy's least-privilege statements and their conditions (roles only
// with the boundary, PassRole only to the listed services, keys only with the project tag), the
// Deny that protects the launch role, its policy and the boundary, and the property validation.
import { Aws } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bareStack, ENV, PolicyStatementJson, policyStatements } from './support';
import { PROJECT_ROLES_BOUNDARY_POLICY_NAME } from '../src/permissions-boundary';
import {
  DEFAULT_LAUNCH_POLICY_NAME,
  DEFAULT_LAUNCH_ROLE_NAME,
  PASSABLE_TO_SERVICES,
  SageMakerProductsLaunchPolicy,
  SageMakerProductsLaunchRole,
  type SageMakerProductsLaunchRoleProps,
} from '../src/products-launch-role';

const ACCOUNT = { Ref: 'AWS::AccountId' };
const REGION = { Ref: 'AWS::Region' };
/** `arn:<partition>` followed by the parts, as CloudFormation receives it. */
const arn = (...parts: Array<string | { Ref: string }>) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ...parts]],
});
/** The boundary ARN (built from the stack's concrete account). */
const BOUNDARY = arn(`:iam::${ENV.account}:policy/${PROJECT_ROLES_BOUNDARY_POLICY_NAME}`);

describe('SageMakerProductsLaunchRole', () => {
  let template: Template;
  let statements: PolicyStatementJson[];
  let custom: PolicyStatementJson[];
  const sid = (list: PolicyStatementJson[], name: string) => {
    const found = list.find((s) => s.Sid === name);
    if (!found) throw new Error(`no statement ${name}`);
    return found;
  };

  beforeAll(() => {
    const stack = bareStack();
    const assetBucket = s3.Bucket.fromBucketName(stack, 'Assets', 'sagemaker-portfolio-assets');
    new SageMakerProductsLaunchRole(stack, 'LaunchRole', { assetBucket });
    template = Template.fromStack(stack);
    statements = policyStatements(template);

    const other = bareStack();
    new SageMakerProductsLaunchPolicy(other, 'Provisioning', {
      assetBucket: s3.Bucket.fromBucketName(other, 'Assets', 'sagemaker-portfolio-assets'),
      managedPolicyName: 'sagemaker-projects-s3-provisioning-policy',
      launchRoleName: 'sagemaker-provisioning',
      stackNamePrefixes: ['SC-', 'SP-'],
    });
    custom = policyStatements(Template.fromStack(other));
  });

  test('a named role trusted by Service Catalog, with the launch policy attached', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: DEFAULT_LAUNCH_ROLE_NAME,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'servicecatalog.amazonaws.com' },
          },
        ],
      },
      ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('^LaunchRoleLaunchPolicy') }],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: DEFAULT_LAUNCH_POLICY_NAME,
    });
    template.resourceCountIs('AWS::IAM::Policy', 0); // no inline grant beside the managed policy
  });

  test('stacks only with the Service Catalog name prefix by default, or the given prefixes', () => {
    expect(sid(statements, 'ProvisionedProductStacks').Resource).toEqual(
      arn(':cloudformation:', REGION, ':', ACCOUNT, ':stack/SC-*'),
    );
    expect(sid(custom, 'ProvisionedProductStacks').Resource).toEqual([
      arn(':cloudformation:', REGION, ':', ACCOUNT, ':stack/SC-*'),
      arn(':cloudformation:', REGION, ':', ACCOUNT, ':stack/SP-*'),
    ]);
  });

  test('project roles are created and changed only with the permissions boundary attached', () => {
    const st = sid(statements, 'ProjectRolesWithBoundary');
    expect(st.Action).toEqual(expect.arrayContaining(['iam:CreateRole', 'iam:PutRolePolicy']));
    expect(st.Action).not.toContain('iam:AttachRolePolicy');
    expect(st.Resource).toEqual(arn(':iam::', ACCOUNT, ':role/sagemaker-*'));
    expect(st.Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } });
  });

  test('project roles may be passed only to the listed services', () => {
    const st = sid(statements, 'PassProjectRoles');
    expect(st.Action).toBe('iam:PassRole');
    expect(st.Condition).toEqual({ StringEquals: { 'iam:PassedToService': PASSABLE_TO_SERVICES } });
    // Every other Allow statement leaves PassRole out.
    const others = statements.filter((s) => s.Effect === 'Allow' && s.Sid !== 'PassProjectRoles');
    for (const s of others) expect([s.Action].flat()).not.toContain('iam:PassRole');
  });

  test('keys only with a sagemaker:project-id tag (request tag to create, resource tag to use)', () => {
    expect(sid(statements, 'ProjectKeysCreate').Condition).toEqual({
      Null: { 'aws:RequestTag/sagemaker:project-id': 'false' },
    });
    expect(sid(statements, 'ProjectKeysManage').Condition).toEqual({
      Null: { 'aws:ResourceTag/sagemaker:project-id': 'false' },
    });
  });

  test('templates are read only when Service Catalog tagged them; assets only from the asset bucket', () => {
    expect(sid(statements, 'ReadProvisioningTemplates')).toMatchObject({
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { StringEquals: { 's3:ExistingObjectTag/servicecatalog:provisioning': 'true' } },
    });
    expect(sid(statements, 'ReadProductAssets').Resource).toEqual(arn(':s3:::sagemaker-portfolio-assets/*'));
  });

  test('the launch role, its policy and the boundary are denied every IAM write, PassRole included', () => {
    const deny = sid(statements, 'NeverModifyLaunchRoleOrBoundary');
    expect(deny.Effect).toBe('Deny');
    expect(deny.Action).toEqual(
      expect.arrayContaining(['iam:PutRolePolicy', 'iam:PassRole', 'iam:CreatePolicyVersion']),
    );
    expect(deny.Resource).toEqual([
      arn(':iam::', ACCOUNT, `:role/${DEFAULT_LAUNCH_ROLE_NAME}`),
      BOUNDARY,
      arn(':iam::', ACCOUNT, `:policy/${DEFAULT_LAUNCH_POLICY_NAME}`),
    ]);
    // launchRoleName / managedPolicyName name what the Deny protects.
    expect(sid(custom, 'NeverModifyLaunchRoleOrBoundary').Resource).toEqual([
      arn(':iam::', ACCOUNT, ':role/sagemaker-provisioning'),
      BOUNDARY,
      arn(':iam::', ACCOUNT, ':policy/sagemaker-projects-s3-provisioning-policy'),
    ]);
  });

  test('connections are passed only to CodePipeline and only when tagged sagemaker=true, per service prefix', () => {
    for (const [name, key] of [
      ['PassConnectionsToPipelines', 'codeconnections:PassedToService'],
      ['PassLegacyConnectionsToPipelines', 'codestar-connections:PassedToService'],
    ]) {
      expect(sid(statements, name).Condition).toEqual({
        StringEquals: { [key]: 'codepipeline.amazonaws.com' },
        StringEqualsIgnoreCase: { 'aws:ResourceTag/sagemaker': 'true' },
      });
    }
  });

  test('no Allow statement grants every action, and "*" resources only where the API needs it', () => {
    const onStar = statements.filter((s) => s.Effect === 'Allow' && [s.Resource].flat().includes('*'));
    expect(onStar.map((s) => s.Sid).sort()).toEqual([
      'ApisWithoutResourceLevelPermissions',
      'ProjectKeysCreate',
      'ReadProvisioningTemplates',
      'TemplateValidation',
    ]);
    for (const s of statements) expect([s.Action].flat()).not.toContain('*');
  });

  describe('validation', () => {
    const props = () => {
      const stack = bareStack();
      return { stack, assetBucket: s3.Bucket.fromBucketName(stack, 'Assets', 'sagemaker-portfolio-assets') };
    };
    // IAM User Guide, "IAM and AWS STS quotas": role names ≤ 64, managed policy names ≤ 128 characters.
    // The role's roleName, and the policy's own names (the role gives the policy its roleName).
    const build = (extra: Partial<SageMakerProductsLaunchRoleProps>) => () => {
      const { stack, assetBucket } = props();
      return extra.roleName !== undefined
        ? new SageMakerProductsLaunchRole(stack, 'R', { assetBucket, ...extra })
        : new SageMakerProductsLaunchPolicy(stack, 'P', { assetBucket, ...extra });
    };
    test.each([
      [{ roleName: 'r'.repeat(65) }, /roleName: an IAM role name has 1–64 characters, got 65/],
      [{ roleName: 'launch role' }, /roleName: 'launch role' is not an IAM role name/],
      [
        { managedPolicyName: 'p'.repeat(129) },
        /managedPolicyName: an IAM managed policy name has 1–128 characters, got 129/,
      ],
      [{ launchRoleName: 'r'.repeat(65) }, /launchRoleName: an IAM role name has 1–64 characters, got 65/],
    ])('IAM names beyond the limits are refused: %p', (extra, message) => {
      expect(build(extra)).toThrow(message);
    });
    test('the limits themselves, and token names, are accepted', () => {
      const { stack, assetBucket } = props();
      expect(
        () =>
          new SageMakerProductsLaunchPolicy(stack, 'P', {
            assetBucket,
            managedPolicyName: 'p'.repeat(128),
            launchRoleName: 'r'.repeat(64),
          }),
      ).not.toThrow();
      expect(
        () => new SageMakerProductsLaunchRole(stack, 'R', { assetBucket, roleName: `r-${Aws.STACK_NAME}` }),
      ).not.toThrow();
    });
    test.each(['sc-*', '1SC', 'SC_', 'S'.repeat(33)])('stackNamePrefixes refuses %p', (prefix) => {
      const { stack, assetBucket } = props();
      expect(
        () => new SageMakerProductsLaunchPolicy(stack, 'P', { assetBucket, stackNamePrefixes: [prefix] }),
      ).toThrow(/stackNamePrefixes: '.*' is not a CloudFormation stack name prefix/);
    });
  });
});
