// An IAM role whose every iam:PassRole permission carries an `iam:PassedToService` condition,
// including those aws-cdk-lib grants on its own (e.g. a CodePipeline CloudFormation action
// passing its deployment role), so a role it may pass cannot be handed to any other service.
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of {@link PassRoleGuardedRole}. */
export interface PassRoleGuardedRoleProps extends iam.RoleProps {
  /** Services the role may pass roles to (the `iam:PassedToService` values). */
  readonly passedToServices: string[];
}

/** A role that conditions every PassRole statement added to it on `iam:PassedToService`. */
export class PassRoleGuardedRole extends iam.Role {
  private readonly passedToServices: string[];

  constructor(scope: Construct, id: string, props: PassRoleGuardedRoleProps) {
    super(scope, id, props);
    if (props.passedToServices.length === 0) {
      throw new Error('passedToServices: at least one service is required');
    }
    this.passedToServices = props.passedToServices;
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
    return super.addToPrincipalPolicy(statement);
  }
}
