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
  throw new Error(`renderForNag: unsupported value ${JSON.stringify(value)}`);
}

/**
 * The IAM5 finding ids of a statement: every action and every resource containing `*`.
 */
export function wildcardFindings(scope: IConstruct, statement: iam.PolicyStatement): string[] {
  const json = Stack.of(scope).resolve(statement.toStatementJson()) as {
    Action?: CfnValue | CfnValue[];
    Resource?: CfnValue | CfnValue[];
  };
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
