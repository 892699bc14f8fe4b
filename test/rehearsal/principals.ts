// The IAM principals of resolved templates and the policies IAM evaluates for each: identity policies
// (inline, AWS::IAM::Policy and customer managed policies attached to the role), the permissions
// boundary, and the resource policies of the project's resources (key, bucket, topic policies).
import type { Json, ResolvedTemplate } from './resolve';

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: ReadonlyArray<Record<string, Json>>;
}

/** A named policy of a principal. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** A role as IAM sees it after deployment. */
export interface RolePrincipal {
  /** `<template>/<logical id>`. */
  readonly id: string;
  readonly roleName: string;
  readonly arn: string;
  readonly assumedBy: readonly string[];
  readonly identityPolicies: readonly NamedPolicy[];
  readonly boundary?: NamedPolicy;
  /** Managed policy ARNs attached that no resolved template defines (AWS managed or pre-existing). */
  readonly externalManagedPolicies: readonly string[];
}

const statementsOf = (doc: Json): PolicyDocument => {
  const d = doc as { Statement?: Json };
  const list = Array.isArray(d?.Statement) ? d.Statement : d?.Statement ? [d.Statement] : [];
  return { Version: '2012-10-17', Statement: list as Array<Record<string, Json>> };
};

/** Customer managed policies defined by the given templates, by ARN. */
export function managedPolicies(templates: readonly ResolvedTemplate[]): Map<string, NamedPolicy> {
  const out = new Map<string, NamedPolicy>();
  for (const t of templates) {
    for (const r of Object.values(t.resources)) {
      if (r.type !== 'AWS::IAM::ManagedPolicy' || !r.arn) continue;
      out.set(r.arn, {
        name: r.arn.split('/').pop() ?? r.logicalId,
        document: statementsOf(r.properties.PolicyDocument),
      });
    }
  }
  return out;
}

/** Every role of `template`, with managed policies and boundaries looked up in `all` templates. */
export function rolesOf(
  label: string,
  template: ResolvedTemplate,
  all: readonly ResolvedTemplate[],
): RolePrincipal[] {
  const managed = managedPolicies(all);
  const roles: RolePrincipal[] = [];
  for (const r of Object.values(template.resources)) {
    if (r.type !== 'AWS::IAM::Role') continue;
    const roleName = r.ref;
    const identityPolicies: NamedPolicy[] = [];
    const external: string[] = [];
    for (const p of (r.properties.Policies ?? []) as Array<{ PolicyName: string; PolicyDocument: Json }>) {
      identityPolicies.push({ name: String(p.PolicyName), document: statementsOf(p.PolicyDocument) });
    }
    const attached = new Set((r.properties.ManagedPolicyArns ?? []) as string[]);
    for (const t of all) {
      for (const other of Object.values(t.resources)) {
        const rolesList = (other.properties.Roles ?? []) as string[];
        if (other.type === 'AWS::IAM::Policy' && rolesList.includes(roleName)) {
          identityPolicies.push({
            name: String(other.properties.PolicyName),
            document: statementsOf(other.properties.PolicyDocument),
          });
        }
        if (other.type === 'AWS::IAM::ManagedPolicy' && rolesList.includes(roleName) && other.arn) {
          attached.add(other.arn);
        }
      }
    }
    for (const arn of attached) {
      const policy = managed.get(arn);
      if (policy) identityPolicies.push(policy);
      else external.push(arn);
    }
    const boundaryArn = r.properties.PermissionsBoundary as string | undefined;
    const boundary = boundaryArn ? managed.get(boundaryArn) : undefined;
    if (boundaryArn && !boundary) {
      throw new Error(
        `${label}/${r.logicalId}: permissions boundary ${boundaryArn} is not defined by any rehearsed template`,
      );
    }
    const trust = statementsOf(r.properties.AssumeRolePolicyDocument);
    const assumedBy = trust.Statement.flatMap((s) => {
      const principal = s.Principal as Record<string, Json> | undefined;
      return Object.values(principal ?? {}).flatMap((v) => (Array.isArray(v) ? v.map(String) : [String(v)]));
    });
    roles.push({
      id: `${label}/${r.logicalId}`,
      roleName,
      arn: r.arn ?? '',
      assumedBy,
      identityPolicies,
      boundary,
      externalManagedPolicies: external,
    });
  }
  return roles;
}

/** Resource policies of a template's resources, keyed by the ARN they protect. */
export function resourcePolicies(template: ResolvedTemplate): Map<string, PolicyDocument> {
  const out = new Map<string, PolicyDocument>();
  const byRef = new Map(Object.values(template.resources).map((r) => [r.ref, r]));
  for (const r of Object.values(template.resources)) {
    if (r.type === 'AWS::KMS::Key' && r.arn) out.set(r.arn, statementsOf(r.properties.KeyPolicy));
    if (r.type === 'AWS::S3::BucketPolicy') {
      const bucket = byRef.get(String(r.properties.Bucket));
      if (bucket?.arn) out.set(bucket.arn, statementsOf(r.properties.PolicyDocument));
    }
    if (r.type === 'AWS::SNS::TopicPolicy') {
      for (const topic of (r.properties.Topics ?? []) as string[]) {
        out.set(topic, statementsOf(r.properties.PolicyDocument));
      }
    }
  }
  return out;
}
