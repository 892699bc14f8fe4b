// Acknowledges cdk-nag AwsSolutions-IAM5 (wildcard) findings of a policy one by one, each with
// the reason of the statement it comes from. Findings are named the way cdk-nag renders them:
// `Action::<action>` and `Resource::<arn>` with `<Ref>` / `<LogicalId.Attr>` for tokens.
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

type CfnValue = string | { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, CfnValue[]] };

/** Renders a resolved CloudFormation string value the way cdk-nag names it in finding ids. */
export function renderForNag(value: CfnValue): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return `<${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  if (value['Fn::Join']) {
    const [sep, parts] = value['Fn::Join'];
    return parts.map(renderForNag).join(sep);
  }
  // Other intrinsics (Fn::If, Fn::Sub...): their JSON, which contains "*" only if a branch does.
  return JSON.stringify(value);
}

/**
 * The IAM5 finding ids of a statement: every action and every resource containing `*`.
 */
export function wildcardFindings(scope: IConstruct, statement: iam.PolicyStatement): string[] {
  return resolvedStatementFindings(Stack.of(scope).resolve(statement.toStatementJson()));
}

/** The IAM5 finding ids of a resolved (CloudFormation JSON) policy statement. */
export function resolvedStatementFindings(resolved: unknown): string[] {
  const json = resolved as { Action?: CfnValue | CfnValue[]; Resource?: CfnValue | CfnValue[] };
  const findings: string[] = [];
  for (const a of [json.Action ?? []].flat()) {
    const s = renderForNag(a);
    if (s.includes('*')) findings.push(`Action::${s}`);
  }
  for (const r of [json.Resource ?? []].flat()) {
    const s = renderForNag(r);
    if (s.includes('*')) findings.push(`Resource::${s}`);
  }
  return findings;
}

/**
 * Acknowledges every IAM5 finding of `statements` on `scope` (the policy construct). Each
 * statement must have a `sid` with an entry in `reasons`: an unexplained wildcard is an error.
 */
export function acknowledgeWildcards(
  scope: IConstruct,
  statements: iam.PolicyStatement[],
  reasons: Record<string, string>,
): void {
  const done = new Set<string>();
  for (const st of statements) {
    const findings = wildcardFindings(scope, st);
    if (findings.length === 0) continue;
    const reason = st.sid ? reasons[st.sid] : undefined;
    if (!reason) {
      throw new Error(
        `acknowledgeWildcards: statement '${st.sid ?? '(no sid)'}' has wildcards but no reason`,
      );
    }
    for (const f of findings) {
      if (done.has(f)) continue;
      done.add(f);
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${f}]`, reason: `${reason} (${f})` });
    }
  }
}

/** A rule explaining a family of IAM5 findings. */
export interface WildcardRule {
  /** Matches finding ids such as `Action::s3:GetObject*` or `Resource::<Bucket.Arn>/*`. */
  readonly finding: RegExp;
  /** Why this wildcard is the narrowest form available. */
  readonly reason: string;
}

/**
 * Acknowledges the IAM5 findings of every IAM policy under `scope` (call it after the last grant),
 * each with the reason of the first matching rule. A wildcard no rule explains is an error, so
 * a new grant cannot slip through unexplained.
 */
export function acknowledgeWildcardsByRule(scope: IConstruct, rules: WildcardRule[]): void {
  const stack = Stack.of(scope);
  for (const c of scope.node.findAll()) {
    if (!(c instanceof iam.CfnPolicy || c instanceof iam.CfnManagedPolicy)) continue;
    const doc = stack.resolve(c.policyDocument) as { Statement?: unknown[] } | undefined;
    const findings = new Set<string>();
    for (const st of doc?.Statement ?? []) {
      for (const f of resolvedStatementFindings(st)) findings.add(f);
    }
    for (const f of findings) {
      const rule = rules.find((r) => r.finding.test(f));
      if (!rule) {
        throw new Error(`acknowledgeWildcardsByRule: no rule explains ${f} in ${c.node.path}`);
      }
      Validations.of(c).acknowledge({ id: `AwsSolutions-IAM5[${f}]`, reason: `${rule.reason} (${f})` });
    }
  }
}
