// Which model package a pipeline execution deploys. An execution started by an approval carries
// the approved package's ARN (pipeline variable MODEL_PACKAGE_ARN, or the EventBridge event for a
// local replay): exactly that package is deployed, after checking it is still Approved and belongs
// to the project's group. An execution started by a push carries "latest": the latest Approved
// package of the group is deployed, and the log says so.
import * as fs from 'node:fs';
import {
  DescribeModelPackageCommand,
  DescribeModelPackageCommandOutput,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import type { Log } from './log';
import { ConfigError } from './stage-config';
import { parseModelPackageArn } from './stage-parameters';

/** How the package was chosen. */
export type ModelPackageSource = 'pipeline-variable' | 'event' | 'latest-approved';

/** The model package a deployment uses, as recorded in deploy/model-package.json. */
export interface ResolvedModelPackage {
  readonly arn: string;
  readonly groupName: string;
  readonly version: number;
  readonly approvalStatus: string;
  readonly creationTime?: string;
  readonly source: ModelPackageSource;
  /** The backtest evaluation report (JSON) registered with the package, when there is one. */
  readonly evaluationReportUri?: string;
  /** ModelMetrics.ModelQuality.Statistics of the package, when there is one. */
  readonly modelQualityStatisticsUri?: string;
  /** The package's customer metadata (trigger reason, data window, the model-build's own keys, ...). */
  readonly customerMetadata: Record<string, string>;
}

/** What the pipeline (or a local replay) says to deploy. */
export interface DeployRequest {
  /** MODEL_PACKAGE_ARN: an ARN, or "latest" / empty for a push-started execution. */
  readonly modelPackageArn?: string;
  /** TRIGGER: "model-approved" or "push" (informational, checked for consistency). */
  readonly trigger?: string;
  /** A `SageMaker Model Package State Change` event (takes precedence over the variables). */
  readonly event?: unknown;
  /** The project's model package group (MODEL_PACKAGE_GROUP_NAME). */
  readonly groupName: string;
}

/** A model package that must not be deployed, or none to deploy; the message says why. */
export class ModelPackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelPackageError';
  }
}

// The AWS documentation sample repeats the "source" key; it is not checked (the rule filters it).
const stateChangeEventSchema = z.object({
  'detail-type': z.literal('SageMaker Model Package State Change'),
  detail: z.object({
    ModelPackageArn: z.string().min(1),
    ModelPackageGroupName: z.string().min(1),
    ModelApprovalStatus: z.string().optional(),
  }),
});

/** The package ARN and group of a `SageMaker Model Package State Change` event. */
export function modelPackageFromEvent(event: unknown): {
  arn: string;
  groupName: string;
  approvalStatus?: string;
} {
  const parsed = stateChangeEventSchema.safeParse(event);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
    );
    throw new ModelPackageError(`not a "SageMaker Model Package State Change" event: ${issues.join('; ')}`);
  }
  const { detail } = parsed.data;
  return {
    arn: detail.ModelPackageArn,
    groupName: detail.ModelPackageGroupName,
    approvalStatus: detail.ModelApprovalStatus,
  };
}

/** Reads an EventBridge event file (JSON). */
export function readEventFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the event file ${file}: ${(error as Error).message}`);
  }
}

const isLatest = (value: string | undefined): boolean => {
  const v = (value ?? '').trim();
  return v === '' || v.toLowerCase() === 'latest';
};

/** Resolves and checks the model package to deploy. Throws {@link ModelPackageError} with the reason. */
export async function resolveModelPackage(
  sagemaker: SageMakerClient,
  request: DeployRequest,
  log: Log,
): Promise<ResolvedModelPackage> {
  const { groupName } = request;
  if (request.event !== undefined) {
    const fromEvent = modelPackageFromEvent(request.event);
    log.info(
      `Event: model package ${fromEvent.arn} of group ${fromEvent.groupName} (status in the event: ${fromEvent.approvalStatus ?? 'n/a'})`,
    );
    if (fromEvent.groupName !== groupName) {
      throw new ModelPackageError(
        `the event is about model package group ${fromEvent.groupName}, not this project's group ${groupName}: nothing to deploy`,
      );
    }
    return describeApproved(sagemaker, fromEvent.arn, groupName, 'event', log);
  }
  if (!isLatest(request.modelPackageArn)) {
    const arn = (request.modelPackageArn as string).trim();
    log.info(
      `Deploying the model package approved in the triggering event: ${arn} (TRIGGER=${request.trigger ?? 'unset'})`,
    );
    return describeApproved(sagemaker, arn, groupName, 'pipeline-variable', log);
  }
  if (request.trigger === 'model-approved') {
    throw new ModelPackageError(
      'TRIGGER=model-approved but MODEL_PACKAGE_ARN is "latest": the approval did not hand over its package; refusing to guess which one to deploy',
    );
  }
  const latest = await sagemaker.send(
    new ListModelPackagesCommand({
      ModelPackageGroupName: groupName,
      ModelApprovalStatus: 'Approved',
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    }),
  );
  const newest = latest.ModelPackageSummaryList?.[0];
  if (newest?.ModelPackageArn === undefined) {
    throw new ModelPackageError(
      `no Approved model package in group ${groupName}: approve one in the model registry (or run model-build) before deploying`,
    );
  }
  log.info(
    `This execution was started by a push (TRIGGER=${request.trigger ?? 'unset'}, MODEL_PACKAGE_ARN=${request.modelPackageArn || 'unset'}): ` +
      `deploying the LATEST Approved package of ${groupName}: ${newest.ModelPackageArn}` +
      (newest.CreationTime ? ` (created ${newest.CreationTime.toISOString()})` : ''),
  );
  return describeApproved(sagemaker, newest.ModelPackageArn, groupName, 'latest-approved', log);
}

async function describeApproved(
  sagemaker: SageMakerClient,
  arn: string,
  groupName: string,
  source: ModelPackageSource,
  log: Log,
): Promise<ResolvedModelPackage> {
  let fromArn: { groupName: string; version: number };
  try {
    fromArn = parseModelPackageArn(arn);
  } catch (error) {
    throw new ModelPackageError((error as Error).message);
  }
  if (fromArn.groupName !== groupName) {
    throw new ModelPackageError(
      `model package ${arn} is in group ${fromArn.groupName}, not this project's group ${groupName}`,
    );
  }
  let described: DescribeModelPackageCommandOutput;
  try {
    described = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
  } catch (error) {
    const e = error as Error;
    throw new ModelPackageError(`cannot describe model package ${arn}: ${e.name}: ${e.message}`);
  }
  if (described.ModelPackageGroupName !== undefined && described.ModelPackageGroupName !== groupName) {
    throw new ModelPackageError(
      `model package ${arn} belongs to group ${described.ModelPackageGroupName}, not this project's group ${groupName}`,
    );
  }
  const status = described.ModelApprovalStatus ?? 'unknown';
  if (status !== 'Approved') {
    throw new ModelPackageError(`model package ${arn} is ${status}, not Approved: refusing to deploy it`);
  }
  if (described.ModelPackageStatus !== undefined && described.ModelPackageStatus !== 'Completed') {
    throw new ModelPackageError(`model package ${arn} is ${described.ModelPackageStatus}, not Completed`);
  }
  const version = described.ModelPackageVersion ?? fromArn.version;
  const customerMetadata = described.CustomerMetadataProperties ?? {};
  const evaluationReportUri = customerMetadata.evaluation_report;
  const modelQualityStatisticsUri = described.ModelMetrics?.ModelQuality?.Statistics?.S3Uri;
  log.info(
    `Model package ${groupName}/${version}: Approved, created ${described.CreationTime?.toISOString() ?? 'n/a'}, ` +
      `evaluation report ${evaluationReportUri ?? modelQualityStatisticsUri ?? 'none'}`,
  );
  return {
    arn,
    groupName,
    version,
    approvalStatus: status,
    ...(described.CreationTime ? { creationTime: described.CreationTime.toISOString() } : {}),
    source,
    ...(evaluationReportUri ? { evaluationReportUri } : {}),
    ...(modelQualityStatisticsUri ? { modelQualityStatisticsUri } : {}),
    customerMetadata,
  };
}
