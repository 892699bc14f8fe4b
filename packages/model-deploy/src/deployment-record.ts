// deploy/model-package.json, written by the build step into the StageParameters artifact and read
// by the endpoint test and the post-deploy step (at $CODEBUILD_SRC_DIR_StageParameters): the model
// package being deployed and, per stage, the endpoint config the deploy must leave in service.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DescribeEndpointCommand,
  DescribeEndpointCommandOutput,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import type { ResolvedModelPackage } from './model-package';
import { ConfigError, describeIssues, Stage } from './stage-config';
import { MODEL_PACKAGE_ARN } from './stage-parameters';

/** What deploy/model-package.json holds: the package and, per stage, what the deploy must produce. */
export interface DeploymentRecordFile {
  readonly modelPackage: ResolvedModelPackage;
  readonly trigger: string;
  readonly builtAt: string;
  readonly stages: Record<
    Stage,
    {
      readonly stackName: string;
      readonly endpointName: string;
      readonly endpointConfigName: string;
      readonly modelName: string;
      readonly instanceType: string;
    }
  >;
}

const stageRecord = z.object({
  stackName: z.string().min(1),
  endpointName: z.string().min(1),
  endpointConfigName: z.string().min(1),
  modelName: z.string().min(1),
  instanceType: z.string().min(1),
});

const recordSchema = z.object({
  modelPackage: z
    .object({
      arn: z.string().regex(MODEL_PACKAGE_ARN, 'must be a versioned model package ARN'),
      groupName: z.string().min(1),
      version: z.number().int().min(1),
      approvalStatus: z.string(),
      creationTime: z.string().optional(),
      source: z.enum(['pipeline-variable', 'event', 'latest-approved']),
      evaluationReportUri: z.string().optional(),
      modelQualityStatisticsUri: z.string().optional(),
      customerMetadata: z.record(z.string(), z.string()),
    })
    .loose(),
  trigger: z.string(),
  builtAt: z.string(),
  stages: z.object({ staging: stageRecord, prod: stageRecord }),
});

/** The record file inside a StageParameters artifact folder. */
export function deploymentRecordPath(artifactDir: string): string {
  return path.join(artifactDir, 'deploy', 'model-package.json');
}

/**
 * The record file a later step reads: `--record FILE` when given, else the StageParameters artifact
 * of the pipeline action (`CODEBUILD_SRC_DIR_StageParameters`), else the repository's own deploy/
 * folder when a local build step left one there (`undefined` when there is none).
 */
export function findDeploymentRecord(
  explicit: string | undefined,
  artifactDir: string | undefined,
  repositoryRoot: string,
): string | undefined {
  if (explicit !== undefined) return explicit;
  if (artifactDir) return deploymentRecordPath(artifactDir);
  const local = deploymentRecordPath(repositoryRoot);
  return fs.existsSync(local) ? local : undefined;
}

/** Reads and validates deploy/model-package.json. Throws {@link ConfigError}. */
export function loadDeploymentRecord(file: string): DeploymentRecordFile {
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the build output ${file}: ${(error as Error).message}`);
  }
  const parsed = recordSchema.safeParse(document);
  if (!parsed.success) {
    throw new ConfigError(`${file} is invalid: ${describeIssues(parsed.error).join('; ')}`);
  }
  return parsed.data as DeploymentRecordFile;
}

/** Why an endpoint is not (yet) serving what the deployment record says, or undefined when it is. */
export function endpointMismatch(
  described: DescribeEndpointCommandOutput,
  record: DeploymentRecordFile,
  stage: Stage,
): string | undefined {
  const expected = record.stages[stage];
  const pkg = `${record.modelPackage.groupName}/${record.modelPackage.version}`;
  if (described.EndpointStatus !== 'InService') {
    const reason = described.FailureReason ? ` (${described.FailureReason})` : '';
    return `endpoint ${expected.endpointName} is ${described.EndpointStatus ?? 'in an unknown state'}, not InService${reason}`;
  }
  if (described.EndpointConfigName !== expected.endpointConfigName) {
    return (
      `endpoint ${expected.endpointName} serves endpoint config ${described.EndpointConfigName ?? 'none'}, ` +
      `not ${expected.endpointConfigName} (model package ${pkg}): the deployment did not complete or was rolled back`
    );
  }
  return undefined;
}

/** DescribeEndpoint of a stage's endpoint, with a readable error. */
export async function describeStageEndpoint(
  sagemaker: SageMakerClient,
  endpointName: string,
): Promise<DescribeEndpointCommandOutput> {
  try {
    return await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  } catch (error) {
    const e = error as Error;
    throw new ConfigError(`cannot describe endpoint ${endpointName}: ${e.name}: ${e.message}`);
  }
}
