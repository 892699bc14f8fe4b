// The AWS side of the project teardown: lists what exists, hands it to the pure plan, and performs the
// deletions. Every call is idempotent (not-found = already deleted); other errors propagate with context.
import {
  type CloudFormationClient,
  DeleteStackCommand,
  paginateListStacks,
  StackStatus,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { type CodeCommitClient, DeleteRepositoryCommand } from '@aws-sdk/client-codecommit';
import { DeleteFunctionCommand, type LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DeleteModelPackageCommand,
  DeletePipelineCommand,
  paginateListEndpointConfigs,
  paginateListModelPackages,
  paginateListModels,
  paginateListTags,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  DeleteScheduleCommand,
  paginateListSchedules,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { type LogPort, SILENT_LOG_PORT } from '@mlops-templates/metrics';
import {
  chunk,
  DELETE_COMPLETE,
  stepFunctionsToDelete,
  modelPackagesToDelete,
  type ObjectVersionRef,
  planStackDeletionPoll,
  planStackDeletionStart,
  type ProjectStack,
  schedulesToDelete,
  type StackInfo,
  stackDeletionFailureMessage,
  type TaggedResource,
  taggedProjectResources,
} from './plan';
import type { TeardownProperties } from './properties';
import { AwsCallError, deleteIgnoringNotFound, isNotFoundError, withContext } from '../common/aws-errors';
import { type Clock, systemClock } from '../common/clock';

/** The AWS clients the teardown uses (real SDK clients; tests mock them with aws-sdk-client-mock). */
export interface TeardownClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sageMaker: SageMakerClient;
  readonly scheduler: SchedulerClient;
  readonly s3: S3Client;
  readonly codeCommit: CodeCommitClient;
  readonly lambda: LambdaClient;
  readonly logs: CloudWatchLogsClient;
}

export interface TeardownContext {
  readonly clients: TeardownClients;
  readonly logger?: LogPort;
  readonly clock?: Clock;
  /** Stop emptying buckets at this time and report "not complete" (the next poll continues). */
  readonly deadline?: Date;
}

/** EventBridge Scheduler group the project's external schedules live in. */
export const SCHEDULE_GROUP = 'default';

/** Every stack status except DELETE_COMPLETE: the stacks that still exist. */
export const EXISTING_STACK_STATUSES: StackStatus[] = Object.values(StackStatus).filter(
  (status) => status !== DELETE_COMPLETE,
);

// ------------------------------------------------------------------------------------------------
// Stacks
// ------------------------------------------------------------------------------------------------

/** Root and nested stacks that still exist and whose name starts with one of the prefixes. */
export async function listStacksWithPrefixes(
  cloudFormation: CloudFormationClient,
  prefixes: readonly string[],
): Promise<StackInfo[]> {
  if (prefixes.length === 0) return [];
  return withContext('ListStacks', 'for the project prefixes', async () => {
    const stacks: StackInfo[] = [];
    const pages = paginateListStacks(
      { client: cloudFormation },
      { StackStatusFilter: EXISTING_STACK_STATUSES },
    );
    for await (const page of pages) {
      for (const summary of page.StackSummaries ?? []) {
        const name = summary.StackName ?? '';
        if (!prefixes.some((prefix) => name.startsWith(prefix))) continue;
        stacks.push({
          stackId: summary.StackId ?? name,
          stackName: name,
          status: summary.StackStatus ?? 'UNKNOWN',
          statusReason: summary.StackStatusReason,
          parentId: summary.ParentId,
        });
      }
    }
    return stacks;
  });
}

/** Calls DeleteStack (by stack id, so a same-named newer stack is never hit) for each stack. */
export async function deleteStacks(
  cloudFormation: CloudFormationClient,
  stacks: readonly ProjectStack[],
  logger: LogPort,
): Promise<void> {
  for (const stack of stacks) {
    // DeleteStack succeeds for a stack that is already gone; it uses the stack's own service role.
    await withContext('DeleteStack', stack.stackName, () =>
      cloudFormation.send(new DeleteStackCommand({ StackName: stack.stackId })),
    );
    logger.info('Stack deletion requested', {
      stackName: stack.stackName,
      previousStatus: stack.status,
      phase: stack.phase,
    });
  }
}

// ------------------------------------------------------------------------------------------------
// SageMaker pipelines, schedules
// ------------------------------------------------------------------------------------------------

/** Deletes the SageMaker pipelines; returns the names that existed. */
export async function deleteSageMakerPipelines(
  sageMaker: SageMakerClient,
  pipelineNames: readonly string[],
  logger: LogPort,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of pipelineNames) {
    const existed = await deleteIgnoringNotFound('DeletePipeline', name, () =>
      sageMaker.send(new DeletePipelineCommand({ PipelineName: name })),
    );
    if (existed) deleted.push(name);
    logger.info(existed ? 'SageMaker pipeline deleted' : 'SageMaker pipeline already absent', {
      pipelineName: name,
    });
  }
  return deleted;
}

/** Deletes the schedules of the `default` group whose name starts with the prefix. */
export async function deleteSchedulesWithPrefix(
  scheduler: SchedulerClient,
  prefix: string,
  logger: LogPort,
): Promise<string[]> {
  const names = await withContext('ListSchedules', `${SCHEDULE_GROUP}/${prefix}*`, async () => {
    const found: string[] = [];
    const pages = paginateListSchedules(
      { client: scheduler },
      { GroupName: SCHEDULE_GROUP, NamePrefix: prefix },
    );
    for await (const page of pages) {
      for (const schedule of page.Schedules ?? []) if (schedule.Name) found.push(schedule.Name);
    }
    return found;
  });
  const deleted: string[] = [];
  for (const name of schedulesToDelete(prefix, names)) {
    const existed = await deleteIgnoringNotFound('DeleteSchedule', `${SCHEDULE_GROUP}/${name}`, () =>
      scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: SCHEDULE_GROUP })),
    );
    if (existed) deleted.push(name);
  }
  logger.info('Schedules deleted', { prefix, scheduleNames: deleted });
  return deleted;
}

// ------------------------------------------------------------------------------------------------
// Model packages, models, endpoint configs
// ------------------------------------------------------------------------------------------------

/** Deletes every model package (version) of the group, so CloudFormation can delete the group. */
export async function deleteModelPackagesOfGroup(
  sageMaker: SageMakerClient,
  groupName: string,
  logger: LogPort,
): Promise<string[]> {
  const packages = await withContext('ListModelPackages', groupName, async () => {
    const found: { arn: string; groupName?: string }[] = [];
    try {
      const pages = paginateListModelPackages(
        { client: sageMaker },
        { ModelPackageGroupName: groupName, ModelPackageType: 'Versioned' },
      );
      for await (const page of pages) {
        for (const summary of page.ModelPackageSummaryList ?? []) {
          if (summary.ModelPackageArn) {
            found.push({ arn: summary.ModelPackageArn, groupName: summary.ModelPackageGroupName });
          }
        }
      }
    } catch (error) {
      if (!isNotFoundError(error)) throw error; // the group itself is already gone
    }
    return found;
  });
  const deleted: string[] = [];
  for (const arn of modelPackagesToDelete(groupName, packages)) {
    const existed = await deleteIgnoringNotFound('DeleteModelPackage', arn, () =>
      sageMaker.send(new DeleteModelPackageCommand({ ModelPackageName: arn })),
    );
    if (existed) deleted.push(arn);
  }
  logger.info('Model packages deleted', { modelPackageGroupName: groupName, count: deleted.length });
  return deleted;
}

async function tagsOf(sageMaker: SageMakerClient, arn: string): Promise<Record<string, string> | undefined> {
  try {
    const tags: Record<string, string> = {};
    for await (const page of paginateListTags({ client: sageMaker }, { ResourceArn: arn })) {
      for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
    }
    return tags;
  } catch (error) {
    if (isNotFoundError(error)) return undefined; // deleted meanwhile
    throw new AwsCallError('ListTags', arn, error);
  }
}

async function withTags(
  sageMaker: SageMakerClient,
  resources: readonly { name: string; arn: string }[],
): Promise<TaggedResource[]> {
  const tagged: TaggedResource[] = [];
  for (const resource of resources) {
    const tags = await tagsOf(sageMaker, resource.arn);
    if (tags !== undefined) tagged.push({ ...resource, tags });
  }
  return tagged;
}

/** What {@link deleteProjectModelsAndEndpointConfigs} deleted. */
export interface ModelCleanupResult {
  readonly endpointConfigs: string[];
  readonly models: string[];
}

/**
 * Deletes the SageMaker endpoint configs and models whose name contains the filter and that carry the
 * tag `sagemaker:project-id` = projectId. Called only once the project's stacks are gone.
 */
export async function deleteProjectModelsAndEndpointConfigs(
  sageMaker: SageMakerClient,
  projectId: string,
  nameFilter: string,
  logger: LogPort,
): Promise<ModelCleanupResult> {
  const configCandidates = await withContext(
    'ListEndpointConfigs',
    `name contains ${nameFilter}`,
    async () => {
      const found: { name: string; arn: string }[] = [];
      for await (const page of paginateListEndpointConfigs(
        { client: sageMaker },
        { NameContains: nameFilter },
      )) {
        for (const c of page.EndpointConfigs ?? []) {
          if (c.EndpointConfigName && c.EndpointConfigArn) {
            found.push({ name: c.EndpointConfigName, arn: c.EndpointConfigArn });
          }
        }
      }
      return found;
    },
  );
  const modelCandidates = await withContext('ListModels', `name contains ${nameFilter}`, async () => {
    const found: { name: string; arn: string }[] = [];
    for await (const page of paginateListModels({ client: sageMaker }, { NameContains: nameFilter })) {
      for (const m of page.Models ?? []) {
        if (m.ModelName && m.ModelArn) found.push({ name: m.ModelName, arn: m.ModelArn });
      }
    }
    return found;
  });

  const endpointConfigs: string[] = [];
  for (const config of taggedProjectResources(
    projectId,
    nameFilter,
    await withTags(sageMaker, configCandidates),
  )) {
    const existed = await deleteIgnoringNotFound('DeleteEndpointConfig', config.name, () =>
      sageMaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: config.name })),
    );
    if (existed) endpointConfigs.push(config.name);
  }
  const models: string[] = [];
  for (const model of taggedProjectResources(
    projectId,
    nameFilter,
    await withTags(sageMaker, modelCandidates),
  )) {
    const existed = await deleteIgnoringNotFound('DeleteModel', model.name, () =>
      sageMaker.send(new DeleteModelCommand({ ModelName: model.name })),
    );
    if (existed) models.push(model.name);
  }
  logger.info('SageMaker endpoint configs and models deleted', { endpointConfigs, models });
  return { endpointConfigs, models };
}

// ------------------------------------------------------------------------------------------------
// Pipeline step functions, repositories
// ------------------------------------------------------------------------------------------------

/**
 * Deletes the Lambda functions the model-build pipeline created (`sagemaker-<id>-step-*`, outside any
 * stack) and their log groups `/aws/lambda/<name>` (Lambda Developer Guide, "Sending Lambda function
 * logs to CloudWatch Logs": the default log group). Returns the functions that existed.
 */
export async function deleteStepFunctions(
  lambda: LambdaClient,
  logs: CloudWatchLogsClient,
  prefix: string,
  logger: LogPort,
): Promise<string[]> {
  const names = await withContext('ListFunctions', `${prefix}*`, async () => {
    const found: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda }, {})) {
      for (const f of page.Functions ?? []) {
        if (f.FunctionName !== undefined && stepFunctionsToDelete(prefix, [f.FunctionName]).length > 0) {
          found.push(f.FunctionName);
        }
      }
    }
    return found;
  });
  const deleted: string[] = [];
  for (const name of names) {
    const existed = await deleteIgnoringNotFound('DeleteFunction', name, () =>
      lambda.send(new DeleteFunctionCommand({ FunctionName: name })),
    );
    if (existed) deleted.push(name);
    await deleteIgnoringNotFound('DeleteLogGroup', `/aws/lambda/${name}`, () =>
      logs.send(new DeleteLogGroupCommand({ logGroupName: `/aws/lambda/${name}` })),
    );
  }
  logger.info('Pipeline step functions and their log groups deleted', { prefix, functions: deleted });
  return deleted;
}

/**
 * Deletes the project's CodeCommit repositories (DataRetention=Delete only). DeleteRepository
 * answers success with no repository id for a repository that no longer exists (CodeCommit API
 * Reference, "DeleteRepository"), so a retry is harmless. Returns the repositories deleted now.
 */
export async function deleteRepositories(
  codeCommit: CodeCommitClient,
  names: readonly string[],
  logger: LogPort,
): Promise<string[]> {
  const deleted: string[] = [];
  for (const name of names) {
    const result = await withContext('DeleteRepository', name, () =>
      codeCommit.send(new DeleteRepositoryCommand({ repositoryName: name })),
    );
    if (result.repositoryId !== undefined) deleted.push(name);
  }
  logger.info('CodeCommit repositories deleted (DataRetention = Delete)', { repositories: deleted });
  return deleted;
}

// ------------------------------------------------------------------------------------------------
// Buckets
// ------------------------------------------------------------------------------------------------

/** `deleted`: the bucket is gone; `interrupted`: out of time or still receiving objects, call again. */
export type BucketOutcome = 'deleted' | 'already-absent' | 'interrupted';

function versionRefs(page: ListObjectVersionsCommandOutput): ObjectVersionRef[] {
  const refs: ObjectVersionRef[] = [];
  for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
    if (v.Key !== undefined) refs.push({ Key: v.Key, VersionId: v.VersionId });
  }
  return refs;
}

/**
 * Deletes every object version and delete marker of the bucket (paginated, DeleteObjects in batches of
 * 1000), then the bucket. Stops early (returns `interrupted`) when `outOfTime()` says so.
 */
export async function emptyAndDeleteBucket(
  s3: S3Client,
  bucket: string,
  outOfTime: () => boolean,
  logger: LogPort,
): Promise<BucketOutcome> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  let removed = 0;
  for (;;) {
    let page: ListObjectVersionsCommandOutput;
    try {
      page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
    } catch (error) {
      if (isNotFoundError(error)) return 'already-absent';
      throw new AwsCallError('ListObjectVersions', `s3://${bucket}`, error);
    }
    for (const batch of chunk(versionRefs(page))) {
      const result = await withContext('DeleteObjects', `s3://${bucket}`, () =>
        s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } })),
      );
      const errors = result.Errors ?? [];
      if (errors.length > 0) {
        const sample = errors
          .slice(0, 3)
          .map((e) => `${e.Key}@${e.VersionId ?? 'null'}: ${e.Code} ${e.Message}`)
          .join('; ');
        throw new Error(`DeleteObjects s3://${bucket} failed for ${errors.length} object(s): ${sample}`);
      }
      removed += batch.length;
    }
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
    if (outOfTime()) {
      logger.info('Bucket emptying interrupted, continues at the next poll', { bucket, removed });
      return 'interrupted';
    }
  }
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (isNotFoundError(error)) return 'already-absent';
    if ((error as { name?: string }).name === 'BucketNotEmpty') {
      logger.warn('Bucket received new objects while being emptied, retrying at the next poll', { bucket });
      return 'interrupted';
    }
    throw new AwsCallError('DeleteBucket', `s3://${bucket}`, error);
  }
  logger.info('Bucket emptied and deleted', { bucket, removedVersions: removed });
  return 'deleted';
}

// ------------------------------------------------------------------------------------------------
// The two steps driven by the custom resource Provider
// ------------------------------------------------------------------------------------------------

export interface TeardownStartResult {
  readonly schedulesDeleted: string[];
  readonly pipelinesDeleted: string[];
  readonly stacksDeleting: string[];
}

/**
 * Start of the teardown (custom resource Delete): delete the schedules (no new runs) and the SageMaker
 * pipelines, then request deletion of the first phase of stacks (and retry stacks left in DELETE_FAILED).
 */
export async function startTeardown(
  props: TeardownProperties,
  ctx: TeardownContext,
): Promise<TeardownStartResult> {
  const logger = ctx.logger ?? SILENT_LOG_PORT;
  const { cloudFormation, sageMaker, scheduler } = ctx.clients;
  logger.info('Teardown started', { projectName: props.ProjectName, projectId: props.ProjectId });
  const schedulesDeleted = await deleteSchedulesWithPrefix(scheduler, props.ScheduleNamePrefix, logger);
  const pipelinesDeleted = await deleteSageMakerPipelines(sageMaker, props.SageMakerPipelineNames, logger);
  const plan = planStackDeletionStart(
    props.StackNamePrefixes,
    await listStacksWithPrefixes(cloudFormation, props.StackNamePrefixes),
  );
  await deleteStacks(cloudFormation, plan.toDelete, logger);
  return { schedulesDeleted, pipelinesDeleted, stacksDeleting: plan.toDelete.map((s) => s.stackName) };
}

export interface TeardownPollResult {
  readonly complete: boolean;
  /** Stacks that still exist. */
  readonly remainingStacks: string[];
  /** Buckets not deleted yet (DataRetention Delete, emptying interrupted). */
  readonly pendingBuckets: string[];
  readonly retainedBuckets: string[];
  /** CodeCommit repositories left in place (DataRetention Retain). */
  readonly retainedRepositories: string[];
}

/**
 * One poll of the teardown (Provider isComplete): fail on DELETE_FAILED stacks; advance to the next
 * phase of stacks; once no stack remains, delete the model packages, the tagged models and endpoint
 * configs and (DataRetention Delete) the buckets, then report complete.
 */
export async function pollTeardown(
  props: TeardownProperties,
  ctx: TeardownContext,
): Promise<TeardownPollResult> {
  const logger = ctx.logger ?? SILENT_LOG_PORT;
  const clock = ctx.clock ?? systemClock;
  const { cloudFormation, sageMaker, s3, codeCommit, lambda, logs } = ctx.clients;

  const plan = planStackDeletionPoll(
    props.StackNamePrefixes,
    await listStacksWithPrefixes(cloudFormation, props.StackNamePrefixes),
  );
  if (plan.failed.length > 0) {
    logger.error('Stack deletion failed', {
      stacks: plan.failed.map((s) => ({ stackName: s.stackName, reason: s.statusReason })),
    });
    throw new Error(stackDeletionFailureMessage(plan.failed));
  }
  await deleteStacks(cloudFormation, plan.toDelete, logger);
  const retain = props.DataRetention === 'Retain';
  const retainedBuckets = retain ? [...props.DataBuckets] : [];
  const retainedRepositories = retain ? [...props.CodeCommitRepositories] : [];
  if (plan.remaining.length > 0) {
    const remainingStacks = plan.remaining.map((s) => s.stackName);
    logger.info('Waiting for stack deletion', { currentPhase: plan.currentPhase, remainingStacks });
    return { complete: false, remainingStacks, pendingBuckets: [], retainedBuckets, retainedRepositories };
  }

  await deleteModelPackagesOfGroup(sageMaker, props.ModelPackageGroupName, logger);
  await deleteProjectModelsAndEndpointConfigs(sageMaker, props.ProjectId, props.ResourceNameFilter, logger);
  if (props.StepFunctionPrefix !== undefined) {
    await deleteStepFunctions(lambda, logs, props.StepFunctionPrefix, logger);
  }
  // The data scientists' code follows the data: deleted only with DataRetention=Delete.
  if (!retain) {
    await deleteRepositories(codeCommit, props.CodeCommitRepositories, logger);
  } else if (retainedRepositories.length > 0) {
    logger.info('CodeCommit repositories retained (DataRetention = Retain)', {
      repositories: retainedRepositories,
    });
  }

  const pendingBuckets: string[] = [];
  if (props.DataRetention === 'Delete') {
    const outOfTime = (): boolean =>
      ctx.deadline !== undefined && clock().getTime() >= ctx.deadline.getTime();
    for (const bucket of props.DataBuckets) {
      if (pendingBuckets.length > 0 || outOfTime()) {
        pendingBuckets.push(bucket);
        continue;
      }
      const outcome = await emptyAndDeleteBucket(s3, bucket, outOfTime, logger);
      if (outcome === 'interrupted') pendingBuckets.push(bucket);
    }
  } else if (retainedBuckets.length > 0) {
    logger.info('Data buckets retained (DataRetention = Retain)', { buckets: retainedBuckets });
  }
  const complete = pendingBuckets.length === 0;
  if (complete) {
    logger.info('Teardown complete', { projectId: props.ProjectId, retainedBuckets, retainedRepositories });
  }
  return { complete, remainingStacks: [], pendingBuckets, retainedBuckets, retainedRepositories };
}
