// Helpers for CloudFormation conditions on whole construct subtrees.
import { CfnCondition, CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Applies a CloudFormation condition to every resource under a construct. */
export function applyCondition(scope: IConstruct, condition: CfnCondition): void {
  for (const c of scope.node.findAll()) {
    if (CfnResource.isCfnResource(c)) c.cfnOptions.condition = condition;
  }
}
