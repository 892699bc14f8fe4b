// CDK makes a Lambda function and a CodePipeline depend on their service role (and the role's
// default policy) even though their `Role`/`RoleArn` property already references the role with
// Fn::GetAtt; cfn-lint reports that as W3005 (redundant DependsOn). The dependency is harmless and is added while the
// app is prepared for synthesis, after aspects run, so it cannot be removed from here. This
// aspect gives exactly the functions and pipelines whose role is a GetAtt a resource-level
// cfn-lint exception for W3005; every other resource keeps the check.
import { IAspect, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/** Adds `Metadata.cfn-lint.config.ignore_checks: [W3005]` to functions/pipelines whose role is a GetAtt. */
export class AcknowledgeLambdaRoleDependsOn implements IAspect {
  public visit(node: IConstruct): void {
    let roleValue: string;
    if (node instanceof lambda.CfnFunction) roleValue = node.role;
    else if (node instanceof codepipeline.CfnPipeline) roleValue = node.roleArn;
    else return;
    const role = Stack.of(node).resolve(roleValue) as { 'Fn::GetAtt'?: [string, string] } | string;
    if (typeof role === 'object' && role['Fn::GetAtt']) {
      node.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    }
  }
}
