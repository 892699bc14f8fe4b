// IAM statements two roles of a project grant alike (the pipeline steps and the CodeBuild
// role both resolve the serving model and call the project's endpoints), built in one place.
import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DEPLOYMENT_STAGES, ProjectNames } from './project-names';

/** Which model version serves an endpoint: endpoint → endpoint config → model → model package. */
export function servingModelLookupStatement(stack: Stack, names: ProjectNames): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ResolveServingModelVersion',
    actions: ['sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel'],
    resources: [
      stack.formatArn({
        service: 'sagemaker',
        resource: 'endpoint-config',
        resourceName: names.shortNameWildcard,
      }),
      stack.formatArn({ service: 'sagemaker', resource: 'model', resourceName: names.shortNameWildcard }),
    ],
  });
}

/** Invoke and describe the project's own stage endpoints. */
export function invokeOwnEndpointsStatement(
  stack: Stack,
  names: ProjectNames,
  sid: string,
): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['sagemaker:InvokeEndpoint', 'sagemaker:DescribeEndpoint'],
    resources: DEPLOYMENT_STAGES.map((stage) =>
      stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: names.endpoint(stage) }),
    ),
  });
}

/** ARN of every parameter in the project's SSM namespace. */
export function projectParametersArn(stack: Stack, names: ProjectNames): string {
  return stack.formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: names.ssmParameterWildcard,
  });
}

/**
 * kms:Decrypt of objects S3 decrypts for the caller: any key of this account, only through S3 in this
 * region (KMS Developer Guide, "kms:ViaService"); the key's own policy must also allow the role.
 */
export function dataKeyDecryptStatement(sid: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['kms:Decrypt'],
    resources: [`arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
  });
}
