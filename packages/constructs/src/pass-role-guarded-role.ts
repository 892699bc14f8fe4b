// An IAM role whose every iam:PassRole permission carries an `iam:PassedToService` condition,
// including those aws-cdk-lib grants on its own (e.g. a CodePipeline CloudFormation action
// passing its deployment role), so a role it may pass cannot be handed to any other service.
// It also moves actions that accept only "*" out of statements aws-cdk-lib scopes to ARNs (where
// they could never apply) into a statement on "*".
import { Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of {@link PassRoleGuardedRole}. */
export interface PassRoleGuardedRoleProps extends iam.RoleProps {
  /** Services the role may pass roles to (the `iam:PassedToService` values). */
  readonly passedToServices: string[];
  /**
   * Actions that accept only `"*"` as resource (IAM Service Authorization Reference: the action
   * lists no resource type) which aws-cdk-lib grants on ARNs for this role, e.g.
   * `cloudformation:ValidateTemplate` from the CodePipeline CloudFormation actions. Granted on an
   * ARN they never apply; they are moved to a statement of their own on `"*"`.
   * @default - none
   */
  readonly wildcardOnlyActions?: string[];
}

/** A statement of a resolved policy document. */
interface PolicyJsonStatement {
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly [key: string]: unknown;
}

/** A role that conditions every PassRole statement added to it on `iam:PassedToService`. */
export class PassRoleGuardedRole extends iam.Role {
  private readonly passedToServices: string[];
  private readonly wildcardOnlyActions: ReadonlySet<string>;
  private wrapped = false;

  constructor(scope: Construct, id: string, props: PassRoleGuardedRoleProps) {
    super(scope, id, props);
    if (props.passedToServices.length === 0) {
      throw new Error('passedToServices: at least one service is required');
    }
    for (const action of props.wildcardOnlyActions ?? []) {
      if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) {
        throw new Error(`wildcardOnlyActions: "${action}" is not a single service:Action`);
      }
    }
    this.passedToServices = props.passedToServices;
    this.wildcardOnlyActions = new Set(props.wildcardOnlyActions ?? []);
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (
      statement.actions.includes('iam:PassRole') &&
      !('iam:PassedToService' in (statement.conditions.StringEquals ?? {}))
    ) {
      statement.addCondition('StringEquals', {
        ...(statement.conditions.StringEquals ?? {}),
        'iam:PassedToService':
          this.passedToServices.length === 1 ? this.passedToServices[0] : this.passedToServices,
      });
    }
    const result = super.addToPrincipalPolicy(statement);
    this.moveWildcardOnlyActions();
    return result;
  }

  /**
   * Rewrites the default policy at synthesis: aws-cdk-lib keeps adding resources to statements it
   * already added (CodePipeline's singleton policy), so the split happens on the resolved document.
   */
  private moveWildcardOnlyActions(): void {
    if (this.wildcardOnlyActions.size === 0 || this.wrapped) return;
    const policy = this.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
    const cfn = policy?.node.defaultChild as iam.CfnPolicy | undefined;
    if (!cfn) return;
    this.wrapped = true;
    const original = cfn.policyDocument as unknown;
    const stack = Stack.of(this);
    const only = this.wildcardOnlyActions;
    cfn.policyDocument = Lazy.any({
      produce: () => {
        const doc = stack.resolve(original) as { Version?: string; Statement: PolicyJsonStatement[] };
        const moved = new Set<string>();
        const statements = doc.Statement.flatMap((st) => {
          const actions = [st.Action].flat().filter((a): a is string => typeof a === 'string');
          const here = actions.filter((a) => only.has(a));
          if (st.Effect !== 'Allow' || here.length === 0 || [st.Resource].flat().includes('*')) return [st];
          here.forEach((a) => moved.add(a));
          const rest = actions.filter((a) => !only.has(a));
          return rest.length === 0 ? [] : [{ ...st, Action: rest.length === 1 ? rest[0] : rest }];
        });
        if (moved.size > 0) {
          const list = [...moved].sort();
          statements.push({ Effect: 'Allow', Action: list.length === 1 ? list[0] : list, Resource: '*' });
        }
        return { ...doc, Statement: statements };
      },
    });
  }
}
