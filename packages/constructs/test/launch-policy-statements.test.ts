// The launch policy's statements as pure functions of literal names (no stack): statement ids are
// unique, the groups keep the policy's order, the names given scope the Deny and the role statements,
// and every statement with a wildcard has its reason (and every reason a statement).
import {
  connectionPassStatements,
  LAUNCH_POLICY_WILDCARD_REASONS,
  type LaunchPolicyScope,
  launchPolicyStatements,
  launchStackStatements,
  projectRoleStatements,
  projectServiceStatements,
  projectStorageStatements,
} from '../src/launch-policy-statements';

const SCOPE: LaunchPolicyScope = {
  partition: 'aws',
  region: 'eu-west-1',
  account: '123456789012',
  prefix: 'sagemaker-',
  stackNamePrefixes: ['SC-', 'SP-'],
  assetObjectsArn: 'arn:aws:s3:::sagemaker-assets/*',
  boundaryArn: 'arn:aws:iam::123456789012:policy/sagemaker-boundary',
  launchRoleName: 'sagemaker-launch',
  launchPolicyName: 'sagemaker-launch-policy',
};

interface StatementJson {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
const json = (statements: ReturnType<typeof launchPolicyStatements>): StatementJson[] =>
  statements.map((s) => s.toStatementJson() as StatementJson);
const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
const bySid = (sid: string): StatementJson => {
  const found = json(launchPolicyStatements(SCOPE)).find((s) => s.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}`);
  return found;
};

test('statement ids are unique and the groups keep the policy order', () => {
  const sids = json(launchPolicyStatements(SCOPE)).map((s) => s.Sid);
  expect(new Set(sids).size).toBe(sids.length);
  const groups = [
    launchStackStatements,
    projectStorageStatements,
    projectRoleStatements,
    projectServiceStatements,
    connectionPassStatements,
  ].flatMap((group) => json(group(SCOPE)).map((s) => s.Sid));
  expect(sids).toEqual(groups);
  expect(sids[0]).toBe('ProvisionedProductStacks');
});

test('the Deny protects exactly the launch role, the boundary and the launch policy it is given', () => {
  const deny = bySid('NeverModifyLaunchRoleOrBoundary');
  expect(deny.Effect).toBe('Deny');
  expect(list(deny.Resource)).toEqual([
    'arn:aws:iam::123456789012:role/sagemaker-launch',
    SCOPE.boundaryArn,
    'arn:aws:iam::123456789012:policy/sagemaker-launch-policy',
  ]);
  expect(list(deny.Action)).toEqual(
    expect.arrayContaining(['iam:PassRole', 'iam:DeleteRolePermissionsBoundary']),
  );
});

test('project roles: created only with the boundary, on the prefix; stacks on every given prefix', () => {
  const create = bySid('ProjectRolesWithBoundary');
  expect(create.Resource).toBe('arn:aws:iam::123456789012:role/sagemaker-*');
  expect(create.Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': SCOPE.boundaryArn } });
  expect(list(bySid('ProvisionedProductStacks').Resource)).toEqual([
    'arn:aws:cloudformation:eu-west-1:123456789012:stack/SC-*',
    'arn:aws:cloudformation:eu-west-1:123456789012:stack/SP-*',
  ]);
  expect(bySid('ReadProductAssets').Resource).toBe(SCOPE.assetObjectsArn);
});

test('every statement with a wildcard has a reason, and every reason names a statement', () => {
  const statements = json(launchPolicyStatements(SCOPE));
  const wildcard = statements.filter(
    (s) => list(s.Resource).some((r) => r.includes('*')) || list(s.Action).some((a) => a.includes('*')),
  );
  // negative control: the check finds the statements it is about
  expect(wildcard.map((s) => s.Sid)).toEqual(
    expect.arrayContaining(['TemplateValidation', 'ProjectBuckets']),
  );
  for (const s of wildcard) expect(LAUNCH_POLICY_WILDCARD_REASONS[s.Sid ?? '']).toEqual(expect.any(String));
  const sids = new Set(statements.map((s) => s.Sid));
  expect(Object.keys(LAUNCH_POLICY_WILDCARD_REASONS).filter((sid) => !sids.has(sid))).toEqual([]);
});
