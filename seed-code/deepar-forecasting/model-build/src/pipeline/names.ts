// Names from the environment: the Lambda step functions (the contract's stepFunction), their ARNs,
// the project tags every created resource carries, and the S3 locations of an execution's files.
import { stepFunction, type StepFunctionPurpose } from '@mlops-templates/project-contract';
import { partitionOf } from './image-uri';
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

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** The SageMaker project tags (the project's teardown finds resources by `sagemaker:project-id`). */
export function projectTags(
  env: Pick<ModelBuildEnvironment, 'SAGEMAKER_PROJECT_NAME' | 'SAGEMAKER_PROJECT_ID'>,
): Tag[] {
  return [
    { Key: 'sagemaker:project-name', Value: env.SAGEMAKER_PROJECT_NAME },
    { Key: 'sagemaker:project-id', Value: env.SAGEMAKER_PROJECT_ID },
  ];
}

const trimSlashes = (text: string): string => text.replace(/^\/+|\/+$/g, '');

/** `s3://<bucket>/<prefix>` without a trailing slash. */
export function bucketPrefixUri(env: Pick<ModelBuildEnvironment, 'PROJECT_BUCKET'>, prefix: string): string {
  const clean = trimSlashes(prefix);
  return clean === '' ? `s3://${env.PROJECT_BUCKET}` : `s3://${env.PROJECT_BUCKET}/${clean}`;
}
