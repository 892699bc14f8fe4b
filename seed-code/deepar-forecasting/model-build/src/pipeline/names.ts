// Names from the environment: the Lambda step functions (the contract's stepFunction), their ARNs,
// the project tags every created resource carries (pipeline-definition's), and the S3 locations of an
// execution's files.
import { stepFunction, type StepFunctionPurpose } from '@mlops-templates/project-contract';
import { partitionOf } from '@mlops-templates/pipeline-definition';
import { ModelBuildEnvironment } from '../config/environment';

export type { StepFunctionPurpose };

/** The contract's step function name: the names the CodeBuild role may create and SageMaker may invoke. */
export function stepFunctionName(
  env: Pick<ModelBuildEnvironment, 'SAGEMAKER_PROJECT_NAME' | 'SAGEMAKER_PROJECT_ID'>,
  purpose: StepFunctionPurpose,
): string {
  return stepFunction(
    { projectName: env.SAGEMAKER_PROJECT_NAME, projectId: env.SAGEMAKER_PROJECT_ID },
    purpose,
  );
}

export function stepFunctionArn(
  env: Pick<
    ModelBuildEnvironment,
    'SAGEMAKER_PROJECT_NAME' | 'SAGEMAKER_PROJECT_ID' | 'AWS_REGION' | 'AWS_ACCOUNT_ID'
  >,
  purpose: StepFunctionPurpose,
): string {
  return `arn:${partitionOf(env.AWS_REGION)}:lambda:${env.AWS_REGION}:${env.AWS_ACCOUNT_ID}:function:${stepFunctionName(env, purpose)}`;
}

export { projectTags, type Tag } from '@mlops-templates/pipeline-definition';

const trimSlashes = (text: string): string => text.replace(/^\/+|\/+$/g, '');

/** `s3://<bucket>/<prefix>` without a trailing slash. */
export function bucketPrefixUri(env: Pick<ModelBuildEnvironment, 'PROJECT_BUCKET'>, prefix: string): string {
  const clean = trimSlashes(prefix);
  return clean === '' ? `s3://${env.PROJECT_BUCKET}` : `s3://${env.PROJECT_BUCKET}/${clean}`;
}
