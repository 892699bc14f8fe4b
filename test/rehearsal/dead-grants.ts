// Dead grants: an Allow that can never apply — an action that accepts only "*" granted on ARNs
// (Service Authorization Reference: the action lists no resource type), or a grant the permissions
// boundary caps away (the request the statement describes is denied once the boundary is applied).
import { acceptsOnlyStar, decide } from './engine';
import type { PolicyDocument, RolePrincipal } from './principals';

/** A grant that can never take effect. */
export interface DeadGrant {
  readonly principal: string;
  readonly why: string;
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];

/** Dead grants in the identity policies of `roles`. */
export async function deadGrants(
  roles: readonly RolePrincipal[],
  account: string,
  resourcePolicies: ReadonlyMap<string, PolicyDocument>,
): Promise<DeadGrant[]> {
  const out: DeadGrant[] = [];
  for (const role of roles) {
    for (const policy of role.identityPolicies) {
      for (const s of policy.document.Statement) {
        if (s.Effect !== 'Allow') continue;
        const actions = list(s.Action);
        const resources = list(s.Resource);
        for (const action of actions) {
          if (action.includes('*')) continue;
          const starOnly = await acceptsOnlyStar(action);
          if (starOnly && !resources.includes('*')) {
            out.push({
              principal: role.id,
              why: `${policy.name}: ${action} accepts only "*" but is granted on ${resources.join(', ')}`,
            });
            continue;
          }
          if (!role.boundary || s.Condition !== undefined) continue;
          for (const resource of resources) {
            if (resource === '*' && !starOnly) continue;
            const concrete = resource.replace(/\*/g, 'x');
            // Every request carries aws:ResourceAccount, the account owning the resource (IAM User
            // Guide, "AWS global condition context keys"); the granted resources are this account's.
            const request = { action, resource: concrete, context: { 'aws:ResourceAccount': account } };
            // Only pairs the identity policy really allows count (a statement may list resources of
            // several types; an action on a resource of another type is no grant at all).
            const unbounded = await decide(
              { ...role, boundary: undefined },
              request,
              account,
              resourcePolicies.get(resource),
            );
            if (unbounded.result !== 'Allowed') continue;
            let d = await decide(role, request, account, resourcePolicies.get(resource));
            const tags = boundaryResourceTags(role);
            if (d.result !== 'Allowed' && Object.keys(tags).length > 0) {
              // A boundary that admits only tagged resources (e.g. connections tagged
              // sagemaker=true) caps nothing on a resource that carries the tag.
              d = await decide(
                role,
                { ...request, context: { ...request.context, ...tags } },
                account,
                resourcePolicies.get(resource),
              );
            }
            if (d.result !== 'Allowed' && d.result !== 'Invalid') {
              out.push({
                principal: role.id,
                why: `${policy.name}: ${action} on ${resource} is capped away (${d.detail})`,
              });
            }
          }
        }
      }
    }
  }
  return out;
}

/** The aws:ResourceTag/<key> values the boundary's Allow statements require, as request context. */
function boundaryResourceTags(role: RolePrincipal): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of role.boundary?.document.Statement ?? []) {
    if (s.Effect !== 'Allow' || !s.Condition) continue;
    for (const [op, entries] of Object.entries(s.Condition as Record<string, Record<string, unknown>>)) {
      if (!/^StringEquals(IgnoreCase)?$/.test(op)) continue;
      for (const [key, value] of Object.entries(entries)) {
        if (key.startsWith('aws:ResourceTag/')) out[key] = String([value].flat()[0]);
      }
    }
  }
  return out;
}
