// What the retrain decision reads from SageMaker: the model-build pipeline's executions (newest first,
// with the TriggerReason of the recent ones), the model packages of the project's group, and when an
// attempt finished. AWS reads only; the rules that judge this history are in retry-policy.ts.
import {
  DescribePipelineExecutionCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionsCommand,
  ListPipelineParametersForExecutionCommand,
  type PipelineExecutionSummary,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  type DecisionContext,
  type ExecutionRecord,
  type ModelPackageRecord,
  type PipelineHistory,
  TRIGGER_REASON_PARAMETER,
} from './decision';

const UNUSABLE_MODEL_PACKAGE_STATUSES = new Set(['Failed', 'Deleting']);
/** ListPipelineExecutions pages (100 each) read at most per run. */
const MAX_EXECUTION_PAGES = 10;
const PARAMETER_LOOKUP_CONCURRENCY = 5;

async function triggerReasonOf(
  sagemaker: SageMakerClient,
  executionArn: string,
): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sagemaker.send(
      new ListPipelineParametersForExecutionCommand({
        PipelineExecutionArn: executionArn,
        NextToken: nextToken,
      }),
    );
    const parameter = page.PipelineParameters?.find((p) => p.Name === TRIGGER_REASON_PARAMETER);
    if (parameter !== undefined) return parameter.Value;
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return undefined;
}

/**
 * Reads the pipeline's executions back to `listSince` (at least the newest page, for running ones),
 * the TriggerReason of those started at or after `parametersSince`, and the newest model package.
 */
export async function loadPipelineHistory(
  ctx: DecisionContext,
  listSince: Date,
  parametersSince: Date,
): Promise<PipelineHistory> {
  const { sagemaker } = ctx.clients;
  const summaries: PipelineExecutionSummary[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await sagemaker.send(
      new ListPipelineExecutionsCommand({
        PipelineName: ctx.config.pipelineName,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 100,
        NextToken: nextToken,
      }),
    );
    pages += 1;
    const batch = page.PipelineExecutionSummaries ?? [];
    summaries.push(...batch);
    const oldest = batch[batch.length - 1]?.StartTime;
    nextToken = oldest !== undefined && oldest < listSince ? undefined : page.NextToken;
  } while (nextToken !== undefined && pages < MAX_EXECUTION_PAGES);
  if (nextToken !== undefined) {
    ctx.logger.warn('pipeline execution history truncated', { pages, executions: summaries.length });
  }

  const executions: ExecutionRecord[] = summaries
    .filter(
      (s): s is PipelineExecutionSummary & { PipelineExecutionArn: string } =>
        s.PipelineExecutionArn !== undefined,
    )
    .map((s) => ({
      arn: s.PipelineExecutionArn,
      status: s.PipelineExecutionStatus ?? 'Unknown',
      startTime: s.StartTime,
    }))
    .sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0));

  const needReason = executions.filter((e) => e.startTime !== undefined && e.startTime >= parametersSince);
  const reasons = new Map<string, string | undefined>();
  for (let i = 0; i < needReason.length; i += PARAMETER_LOOKUP_CONCURRENCY) {
    const batch = needReason.slice(i, i + PARAMETER_LOOKUP_CONCURRENCY);
    const values = await Promise.all(batch.map(async (e) => triggerReasonOf(sagemaker, e.arn)));
    batch.forEach((e, index) => reasons.set(e.arn, values[index]));
  }

  let modelPackages: ModelPackageRecord[] | undefined;
  if (ctx.config.modelPackageGroupName !== undefined) {
    const packages = await sagemaker.send(
      new ListModelPackagesCommand({
        ModelPackageGroupName: ctx.config.modelPackageGroupName,
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 20,
      }),
    );
    modelPackages = (packages.ModelPackageSummaryList ?? [])
      .filter((p) => !UNUSABLE_MODEL_PACKAGE_STATUSES.has(p.ModelPackageStatus ?? ''))
      .filter(
        (p): p is typeof p & { ModelPackageArn: string; CreationTime: Date } =>
          p.ModelPackageArn !== undefined && p.CreationTime !== undefined,
      )
      .map((p) => ({
        arn: p.ModelPackageArn,
        version: p.ModelPackageVersion,
        approvalStatus: p.ModelApprovalStatus ?? 'Unknown',
        createdAt: p.CreationTime,
      }))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  return {
    executions: executions.map((e) => (reasons.has(e.arn) ? { ...e, triggerReason: reasons.get(e.arn) } : e)),
    latestModelPackageAt: modelPackages?.[0]?.createdAt,
    ...(modelPackages !== undefined ? { modelPackages } : {}),
  };
}

/** When `attempt` finished: its LastModifiedTime (DescribePipelineExecution), else its start. */
export async function lastAttemptFinishedAt(
  ctx: DecisionContext,
  attempt: ExecutionRecord,
): Promise<Date | undefined> {
  const described = await ctx.clients.sagemaker.send(
    new DescribePipelineExecutionCommand({ PipelineExecutionArn: attempt.arn }),
  );
  return described.LastModifiedTime ?? attempt.startTime;
}
