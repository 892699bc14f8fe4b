// The S3-provisioned templates path (issue #18), rehearsed like the Service Catalog path:
//  - the Studio principals list the templates bucket and read every published template and its tags
//    with nothing but the bucket policy (Studio uses the user's own role: SageMaker Developer Guide,
//    "Create custom project templates", S3 templates), over TLS only;
//  - the provisioning role reads every published template (CloudFormation reads a TemplateURL with the
//    caller's credentials) and every product asset the product template references (Lambda code and
//    seed zips, read with the caller's credentials by Lambda CreateFunction and CodeCommit
//    CreateRepository: Lambda Developer Guide "Deploying Lambda functions as .zip file archives", AWS
//    CodeCommit User Guide "AWS::CodeCommit::Repository Code");
//  - when the provisioning role is not the Service Catalog launch role, it is evaluated against the
//    same CloudFormation handler permissions and escalation checks (done by the caller, rehearsal.ts).
import { decide, type AwsRequest } from './engine';
import type { NamedCheck } from './named-checks';
import { managedPolicies, resourcePolicies, type PolicyDocument, type RolePrincipal } from './principals';
import type { Evaluated } from './rehearsal';
import type { Json, ResolvedTemplate } from './resolve';

/** What the portfolio publishes on the S3 path. */
export interface S3TemplatesPath {
  readonly bucketArn: string;
  /** Object keys of the published templates. */
  readonly keys: readonly string[];
  /** The Studio principals named by the bucket policy. */
  readonly studioPrincipals: readonly string[];
  /** ARN of the provisioning role. */
  readonly provisioningRoleArn: string;
}

type Statement = Record<string, Json>;
const list = (v: Json | undefined): string[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

/** Finds the S3 templates path in a resolved portfolio; undefined when it is not enabled. */
export function s3TemplatesPathOf(
  portfolio: ResolvedTemplate,
  policies: ReadonlyMap<string, PolicyDocument>,
): S3TemplatesPath | undefined {
  for (const [bucketArn, doc] of policies) {
    const sids = new Map(doc.Statement.map((s) => [String(s.Sid ?? ''), s as Statement]));
    const read = sids.get('StudioReadsTemplatesAndTags');
    const provisioning = sids.get('ProvisioningRoleReadsTemplates');
    if (!read && !provisioning) continue;
    const principalsOf = (s: Statement | undefined) => list((s?.Principal as Record<string, Json>)?.AWS);
    const keys: string[] = [];
    for (const r of Object.values(portfolio.resources)) {
      if (r.type !== 'Custom::AWS') continue;
      const call = JSON.parse(String(r.properties.Update ?? r.properties.Create ?? '{}')) as {
        action?: string;
        parameters?: { Key?: string; Bucket?: string };
      };
      if (
        call.action === 'copyObject' &&
        call.parameters?.Key &&
        bucketArn.endsWith(`:::${call.parameters.Bucket}`)
      ) {
        keys.push(call.parameters.Key);
      }
    }
    return {
      bucketArn,
      keys,
      studioPrincipals: principalsOf(read),
      provisioningRoleArn: principalsOf(provisioning)[0] ?? '',
    };
  }
  return undefined;
}

/** The provisioning role as IAM sees it: the launch role itself, or an account role with its attached policies. */
export function provisioningRoleOf(
  path: S3TemplatesPath,
  launch: RolePrincipal,
  all: readonly ResolvedTemplate[],
): RolePrincipal {
  if (path.provisioningRoleArn === launch.arn) return launch;
  const name = path.provisioningRoleArn.split('/').pop() ?? '';
  const managed = managedPolicies(all);
  const attached = all.flatMap((t) =>
    Object.values(t.resources).filter(
      (r) => r.type === 'AWS::IAM::ManagedPolicy' && list(r.properties.Roles).includes(name) && r.arn,
    ),
  );
  return {
    id: `portfolio/s3-provisioning-role(${name})`,
    roleName: name,
    arn: path.provisioningRoleArn,
    assumedBy: ['cloudformation.amazonaws.com'],
    identityPolicies: attached.map((r) => managed.get(r.arn as string)).filter((p) => p !== undefined),
    externalManagedPolicies: [],
  };
}

/** S3 objects of the product asset bucket that a product template references. */
export function productAssetObjects(product: ResolvedTemplate, partition: string): string[] {
  const out = new Set<string>();
  for (const r of Object.values(product.resources)) {
    const p = r.properties as Record<string, Json>;
    if (r.type === 'AWS::Lambda::Function') {
      const code = p.Code as { S3Bucket?: string; S3Key?: string } | undefined;
      if (code?.S3Bucket && code.S3Key) out.add(`arn:${partition}:s3:::${code.S3Bucket}/${code.S3Key}`);
    }
    if (r.type === 'AWS::CodeCommit::Repository') {
      const s3 = (p.Code as { S3?: { Bucket?: string; Key?: string } } | undefined)?.S3;
      if (s3?.Bucket && s3.Key) out.add(`arn:${partition}:s3:::${s3.Bucket}/${s3.Key}`);
    }
  }
  return [...out].sort();
}

/**
 * The named checks of the S3 path. Principal `s3:<arn>` is evaluated with no identity policy (only the
 * bucket policy decides); `s3-provisioning` is the provisioning role.
 */
export function s3TemplatesChecks(
  path: S3TemplatesPath,
  product: ResolvedTemplate,
  assetBucketArn: string,
): NamedCheck[] {
  const { partition } = product.context;
  const tls = { 'aws:SecureTransport': 'true' };
  const checks: NamedCheck[] = [];
  const allow = (principal: string, label: string, request: AwsRequest, resourcePolicyOf: string) =>
    checks.push({ principal, kind: 'named', label, request, expected: 'Allowed', resourcePolicyOf });
  const deny = (principal: string, label: string, request: AwsRequest, resourcePolicyOf: string) =>
    checks.push({ principal, kind: 'escalation', label, request, expected: 'Denied', resourcePolicyOf });
  for (const studio of path.studioPrincipals) {
    const who = `s3:${studio}`;
    allow(
      who,
      'Studio lists the S3 templates',
      { action: 's3:ListBucket', resource: path.bucketArn, context: tls },
      path.bucketArn,
    );
    for (const key of path.keys) {
      const object = `${path.bucketArn}/${key}`;
      allow(
        who,
        `Studio reads template ${key}`,
        { action: 's3:GetObject', resource: object, context: tls },
        path.bucketArn,
      );
      allow(
        who,
        `Studio reads the tags of ${key} (s3:GetObjectTagging)`,
        { action: 's3:GetObjectTagging', resource: object, context: tls },
        path.bucketArn,
      );
      deny(
        who,
        `Studio cannot overwrite ${key}`,
        { action: 's3:PutObject', resource: object, context: tls },
        path.bucketArn,
      );
      deny(
        who,
        `Studio cannot read ${key} without TLS`,
        { action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'false' } },
        path.bucketArn,
      );
    }
  }
  for (const key of path.keys) {
    allow(
      's3-provisioning',
      `provisioning role reads template ${key}`,
      { action: 's3:GetObject', resource: `${path.bucketArn}/${key}`, context: tls },
      path.bucketArn,
    );
  }
  for (const object of productAssetObjects(product, partition)) {
    allow(
      's3-provisioning',
      `provisioning role reads product asset ${object.split('/').pop()}`,
      { action: 's3:GetObject', resource: object, context: tls },
      assetBucketArn,
    );
  }
  return checks;
}

/**
 * Rehearses the S3 path of one resolved portfolio and product: undefined when the portfolio does not
 * enable it. A Studio principal (`s3:<arn>`) is evaluated with no identity policy, so only the bucket
 * policy can allow it: the path must work whatever the execution role's own policies are.
 */
export async function rehearseS3TemplatesPath(
  portfolio: ResolvedTemplate,
  product: ResolvedTemplate,
  launch: RolePrincipal,
  all: readonly ResolvedTemplate[],
): Promise<{ provisioning: RolePrincipal; results: Evaluated[] } | undefined> {
  const policies = resourcePolicies(portfolio);
  const path = s3TemplatesPathOf(portfolio, policies);
  if (!path) return undefined;
  const provisioning = provisioningRoleOf(path, launch, all);
  const assetBucket = Object.values(portfolio.resources).find(
    (r) => r.type === 'AWS::S3::Bucket' && r.logicalId.startsWith('ProductAssetBucket'),
  );
  const results: Evaluated[] = [];
  if (path.keys.length === 0 || !path.provisioningRoleArn) {
    results.push({
      principal: 'portfolio',
      kind: 'named',
      label: `S3 templates: ${path.keys.length === 0 ? 'no template is published' : 'no provisioning role reads the templates'}`,
      expected: 'Allowed',
      decision: { result: 'Invalid', detail: 'the S3 path is enabled but cannot be rehearsed' },
      ok: false,
    });
  }
  for (const check of s3TemplatesChecks(path, product, assetBucket?.arn ?? '')) {
    const studio = /^s3:(.+)$/.exec(check.principal)?.[1];
    const principal: RolePrincipal = studio
      ? {
          id: `studio ${studio}`,
          roleName: studio.split('/').pop() ?? studio,
          arn: studio,
          assumedBy: [],
          identityPolicies: [],
          externalManagedPolicies: [],
        }
      : provisioning;
    const account = portfolio.context.account;
    const decision = await decide(
      principal,
      check.request,
      account,
      policies.get(check.resourcePolicyOf ?? ''),
    );
    const passed =
      check.expected === 'Allowed'
        ? decision.result === 'Allowed'
        : decision.result === 'ImplicitlyDenied' || decision.result === 'ExplicitlyDenied';
    results.push({
      principal: principal.id,
      kind: check.kind,
      label: `S3 templates: ${check.label}`,
      request: check.request,
      expected: check.expected,
      decision,
      ok: passed,
    });
  }
  return { provisioning, results };
}
