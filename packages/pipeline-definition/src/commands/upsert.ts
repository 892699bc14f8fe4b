// `pipeline:upsert`'s SageMaker part, shared by the model-build repositories: creates the pipeline
// (DescribePipeline → not found → CreatePipeline with the project tags) or updates it (UpdatePipeline,
// then AddTags), so running it twice changes nothing but the pipeline's version.
import { randomUUID } from 'node:crypto';
import {
  AddTagsCommand,
  CreatePipelineCommand,
  DescribePipelineCommand,
  SageMakerClient,
  UpdatePipelineCommand,
} from '@aws-sdk/client-sagemaker';

import type { Output } from './common';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** The SageMaker project tags (a project's teardown finds resources by `sagemaker:project-id`). */
export function projectTags(env: {
  readonly SAGEMAKER_PROJECT_NAME: string;
  readonly SAGEMAKER_PROJECT_ID: string;
}): Tag[] {
  return [
    { Key: 'sagemaker:project-name', Value: env.SAGEMAKER_PROJECT_NAME },
    { Key: 'sagemaker:project-id', Value: env.SAGEMAKER_PROJECT_ID },
  ];
}

export interface PipelineUpsert {
  readonly pipelineName: string;
  readonly description: string;
  readonly definitionJson: string;
  readonly roleArn: string;
  readonly tags: readonly Tag[];
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'ResourceNotFound' || name === 'ResourceNotFoundException';
}

/** Creates the pipeline, or updates it when it exists; returns what happened and its ARN. */
export async function upsertPipeline(
  request: PipelineUpsert,
  sageMaker: SageMakerClient,
): Promise<{ outcome: 'created' | 'updated'; arn: string }> {
  let exists = true;
  try {
    await sageMaker.send(new DescribePipelineCommand({ PipelineName: request.pipelineName }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    exists = false;
  }
  const common = {
    PipelineName: request.pipelineName,
    PipelineDescription: request.description,
    PipelineDefinition: request.definitionJson,
    RoleArn: request.roleArn,
  };
  if (!exists) {
    const created = await sageMaker.send(
      new CreatePipelineCommand({ ...common, Tags: [...request.tags], ClientRequestToken: randomUUID() }),
    );
    return { outcome: 'created', arn: created.PipelineArn as string };
  }
  const updated = await sageMaker.send(new UpdatePipelineCommand(common));
  const arn = updated.PipelineArn as string;
  await sageMaker.send(new AddTagsCommand({ ResourceArn: arn, Tags: [...request.tags] }));
  return { outcome: 'updated', arn };
}

/** The project variables a model-build pipeline upsert needs. */
export interface ProjectPipelineEnvironment {
  readonly MODEL_BUILD_PIPELINE_NAME: string;
  readonly SAGEMAKER_EXECUTION_ROLE_ARN: string;
  readonly SAGEMAKER_PROJECT_NAME: string;
  readonly SAGEMAKER_PROJECT_ID: string;
}

/**
 * Upserts the project's model-build pipeline (description `<what> of SageMaker project <name> (<id>)`,
 * the execution role, the project tags) and prints `SageMaker pipeline <name>: created|updated (<arn>)`.
 */
export async function upsertProjectPipeline(
  env: ProjectPipelineEnvironment,
  what: string,
  definitionJson: string,
  sageMaker: SageMakerClient,
  output: Output,
): Promise<{ outcome: 'created' | 'updated'; arn: string }> {
  const result = await upsertPipeline(
    {
      pipelineName: env.MODEL_BUILD_PIPELINE_NAME,
      description: `${what} of SageMaker project ${env.SAGEMAKER_PROJECT_NAME} (${env.SAGEMAKER_PROJECT_ID})`,
      definitionJson,
      roleArn: env.SAGEMAKER_EXECUTION_ROLE_ARN,
      tags: projectTags(env),
    },
    sageMaker,
  );
  output.out(`SageMaker pipeline ${env.MODEL_BUILD_PIPELINE_NAME}: ${result.outcome} (${result.arn})`);
  return result;
}
