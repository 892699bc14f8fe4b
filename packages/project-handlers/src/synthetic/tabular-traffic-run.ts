// The AWS side of the tabular synthetic traffic sender (README "Tabular synthetic traffic"): one run
// finds which stage endpoints are in service and the feature encoding of the model package each
// serves, reads the synthetic records not sent yet (bounded), invokes each endpoint with them (one
// record per request, InferenceId = record id), writes their labels for the ground-truth collector,
// and only then advances its state. Any failed AWS call fails the run without advancing the state.
import { GetObjectCommand, paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import {
  type LogPort,
  parseTabularCsv,
  s3FolderPrefix,
  SILENT_LOG_PORT,
  TabularCsvError,
  tryParseS3Uri,
} from '@mlops-templates/metrics';
import {
  type DeploymentStage,
  TABULAR_MODEL_PACKAGE_METADATA,
  TABULAR_PREPARE_REPORT_FILE,
} from '@mlops-templates/project-contract';
import { parseDataKey } from './csv';
import {
  featureEncoder,
  type FeatureEncoder,
  labelOf,
  MalformedDataObjectError,
  parsePrepareReport,
  planTrafficObjects,
  type PrepareReport,
  renderLabels,
  type TrafficRecord,
  trafficRecords,
  trafficLabelsKey,
  trafficRequests,
  parseTrafficState,
  type TrafficState,
  trafficStateKey,
} from './tabular-traffic';
import type { TabularTrafficConfig, TrafficStage } from './tabular-traffic-config';
import { isNotFoundError, withContext } from '../common/aws-errors';
import { type Clock, systemClock } from '../common/clock';

/** Requests in flight per endpoint (a small, steady load on a one-instance endpoint). */
export const TRAFFIC_CONCURRENCY = 4;
/** Refused records logged by line (the rest are counted). */
const LOGGED_REFUSALS = 5;

export interface TabularTrafficDependencies {
  readonly s3: S3Client;
  readonly sagemaker: SageMakerClient;
  readonly runtime: SageMakerRuntimeClient;
  readonly config: TabularTrafficConfig;
  readonly logger?: LogPort;
  readonly clock?: Clock;
}

/** What a run did for one stage. */
export type StageOutcome =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'sent';
      readonly modelPackageArn: string;
      readonly requests: number;
      /** Records the model cannot take (logged with key and line). */
      readonly refused: number;
      readonly labels: number;
      /** Records whose target is no class of the model (no label line). */
      readonly unlabelled: number;
      readonly labelsKey?: string;
    };

export interface TabularTrafficRunResult {
  readonly firstRun: boolean;
  readonly recordsRead: number;
  readonly stages: Partial<Record<DeploymentStage, StageOutcome>>;
  /** Data objects passed over as malformed (logged with the reason). */
  readonly malformedObjects: string[];
  /** The state written; undefined when the run left it as it was. */
  readonly state?: TrafficState;
}

/** A stage ready to receive traffic: its model's prepare report. */
interface ReadyStage extends TrafficStage {
  readonly modelPackageArn: string;
  readonly report: PrepareReport;
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (isNotFoundError(error)) return undefined;
    return withContext('GetObject', `s3://${bucket}/${key}`, () => Promise.reject(error));
  }
}

async function put(s3: S3Client, bucket: string, key: string, body: string, contentType: string) {
  await withContext('PutObject', `s3://${bucket}/${key}`, () =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType })),
  );
}

/**
 * The stage's endpoint and the prepare report of the model package it serves, or why it gets no
 * traffic: no endpoint yet (none before the first approved model), not InService, a model not from a
 * package, a package without `prepare_report`, a report outside the project bucket, missing or
 * unreadable. Throttling, access and server errors are thrown (the run fails, the state stays).
 */
async function resolveStage(
  deps: TabularTrafficDependencies,
  stage: TrafficStage,
): Promise<ReadyStage | { reason: string }> {
  const { sagemaker, s3, config } = deps;
  const name = stage.endpointName;
  let endpoint;
  try {
    endpoint = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
  } catch (error) {
    // SageMaker API Reference, "DescribeEndpoint": an unknown endpoint is a ValidationException
    // ("Could not find endpoint").
    if (isNotFoundError(error)) return { reason: `endpoint ${name} does not exist (yet)` };
    return withContext('DescribeEndpoint', name, () => Promise.reject(error));
  }
  // SageMaker API Reference, "DescribeEndpoint" EndpointStatus: only InService takes traffic as deployed.
  if (endpoint.EndpointStatus !== 'InService') {
    return { reason: `endpoint ${name} is ${endpoint.EndpointStatus ?? 'of unknown status'}, not InService` };
  }
  const configName = endpoint.EndpointConfigName;
  if (!configName) return { reason: `endpoint ${name} reports no endpoint config` };
  const endpointConfig = await withContext('DescribeEndpointConfig', configName, () =>
    sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName })),
  );
  const modelName = endpointConfig.ProductionVariants?.[0]?.ModelName;
  if (!modelName) return { reason: `endpoint config ${configName} has no model` };
  const model = await withContext('DescribeModel', modelName, () =>
    sagemaker.send(new DescribeModelCommand({ ModelName: modelName })),
  );
  const packageArn = [model.PrimaryContainer, ...(model.Containers ?? [])].find(
    (c) => c?.ModelPackageName,
  )?.ModelPackageName;
  if (!packageArn) return { reason: `model ${modelName} of endpoint ${name} is not from a model package` };
  const modelPackage = await withContext('DescribeModelPackage', packageArn, () =>
    sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: packageArn })),
  );
  const key = TABULAR_MODEL_PACKAGE_METADATA.prepareReport;
  const folderUri = modelPackage.CustomerMetadataProperties?.[key];
  if (!folderUri) {
    return {
      reason: `model package ${packageArn} records no ${key}: the model's feature columns are unknown`,
    };
  }
  const folder = tryParseS3Uri(folderUri);
  if (folder === undefined || folder.bucket !== config.bucket) {
    return { reason: `${key} of ${packageArn} (${folderUri}) is not in the project bucket ${config.bucket}` };
  }
  const reportKey = `${s3FolderPrefix(folder.key)}${TABULAR_PREPARE_REPORT_FILE}`;
  const reportUri = `s3://${config.bucket}/${reportKey}`;
  const text = await readText(s3, config.bucket, reportKey);
  if (text === undefined) return { reason: `${reportUri} (${key} of ${packageArn}) does not exist` };
  try {
    return { ...stage, modelPackageArn: packageArn, report: parsePrepareReport(text, reportUri) };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

/** Every data object key under the prefix after `startAfter` (all without), in key order. */
async function listDataKeys(deps: TabularTrafficDependencies, startAfter?: string): Promise<string[]> {
  const { s3, config } = deps;
  return withContext('ListObjectsV2', `s3://${config.bucket}/${config.dataPrefix}`, async () => {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      {
        Bucket: config.bucket,
        Prefix: config.dataPrefix,
        ...(startAfter !== undefined ? { StartAfter: startAfter } : {}),
      },
    )) {
      for (const object of page.Contents ?? []) {
        // Only the generator's data objects (`dt=…/part-<first>-<last>.csv`); `_` state files are not.
        if (object.Key !== undefined && parseDataKey(object.Key) !== undefined) keys.push(object.Key);
      }
    }
    // ListObjectsV2 returns keys in UTF-8 binary order (Amazon S3 API Reference, "ListObjectsV2").
    return keys.sort();
  });
}

/** Records of one object with the header they were read with. */
interface ReadObject {
  readonly key: string;
  readonly header: readonly string[];
  readonly records: TrafficRecord[];
}

/** Invokes `send` on every item with at most `limit` in flight; the first error rejects. */
async function forEachLimited<T>(items: readonly T[], limit: number, send: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await send(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** One scheduled run of the traffic sender (see README.md "Tabular synthetic traffic"). */
export async function runTabularSyntheticTraffic(
  deps: TabularTrafficDependencies,
): Promise<TabularTrafficRunResult> {
  const { s3, runtime, config } = deps;
  const logger = deps.logger ?? SILENT_LOG_PORT;
  const now = (deps.clock ?? systemClock)();
  const stateKey = trafficStateKey(config.dataPrefix);
  const stateText = await readText(s3, config.bucket, stateKey);
  const state =
    stateText === undefined ? undefined : parseTrafficState(stateText, `s3://${config.bucket}/${stateKey}`);

  // 1. The stages that can take traffic.
  const stages: Partial<Record<DeploymentStage, StageOutcome>> = {};
  const ready: ReadyStage[] = [];
  for (const stage of config.stages) {
    const resolved = await resolveStage(deps, stage);
    if ('reason' in resolved) {
      stages[stage.stage] = { status: 'skipped', reason: resolved.reason };
      logger.info('Stage skipped: no traffic this run', { stage: stage.stage, reason: resolved.reason });
    } else {
      ready.push(resolved);
    }
  }
  const firstRun = state === undefined;
  if (ready.length === 0) {
    logger.info('No endpoint can take traffic: nothing sent, state unchanged');
    return { firstRun, recordsRead: 0, stages, malformedObjects: [] };
  }

  // 2. The records not sent yet, at most maxRowsPerRun, in order.
  const keys = await listDataKeys(deps, state?.key);
  const plan = planTrafficObjects(state, keys);
  const objects: ReadObject[] = [];
  const malformedObjects: string[] = [];
  let position: Omit<TrafficState, 'version' | 'updatedAt' | 'lastRecordId'> | undefined;
  let collected = 0;
  for (const planned of plan.objects) {
    if (collected >= config.maxRowsPerRun) break;
    const text = await readText(s3, config.bucket, planned.key);
    let header: readonly string[];
    let records: TrafficRecord[];
    try {
      if (text === undefined) throw new MalformedDataObjectError(planned.key, 'listed but gone');
      const csv = parseTabularCsv(text);
      header = csv.header;
      records = trafficRecords(planned.key, csv, {
        recordId: config.recordIdColumn,
        target: config.targetColumn,
      });
    } catch (error) {
      if (!(error instanceof MalformedDataObjectError || error instanceof TabularCsvError)) throw error;
      // Passed over (not retried: the same object would fail every run).
      const reason = error instanceof TabularCsvError ? `${planned.key}: ${error.message}` : error.message;
      logger.error('Malformed data object skipped', { key: planned.key, reason });
      malformedObjects.push(planned.key);
      position = { key: planned.key, consumedRows: 0, objectRows: 0 };
      continue;
    }
    const start = planned.newestRowsOnly
      ? Math.max(0, records.length - config.maxRowsPerRun)
      : Math.min(planned.skipRows, records.length);
    const take = Math.min(records.length - start, config.maxRowsPerRun - collected);
    objects.push({ key: planned.key, header, records: records.slice(start, start + take) });
    collected += take;
    position = { key: planned.key, consumedRows: start + take, objectRows: records.length };
  }
  const records = objects.flatMap((o) => o.records);
  if (position === undefined) {
    logger.info('No new synthetic records', { after: state?.key });
    return { firstRun, recordsRead: 0, stages, malformedObjects };
  }

  // 3. The requests per stage: the encoding of the model it serves.
  const planned: { stage: ReadyStage; encoderRequests: ReturnType<typeof trafficRequests> }[] = [];
  for (const stage of ready) {
    const encoders = new Map<string, FeatureEncoder>();
    try {
      for (const o of objects) {
        const id = o.header.join('\u0000');
        if (!encoders.has(id)) {
          encoders.set(id, featureEncoder(stage.report.featureColumns, o.header, config.targetColumn));
        }
      }
    } catch (error) {
      const reason = `model package ${stage.modelPackageArn}: ${(error as Error).message}`;
      stages[stage.stage] = { status: 'skipped', reason };
      logger.warn('Stage skipped: its model does not take the synthetic data', {
        stage: stage.stage,
        reason,
      });
      continue;
    }
    const requests: ReturnType<typeof trafficRequests> = { requests: [], refused: [] };
    for (const o of objects) {
      const encoded = trafficRequests(encoders.get(o.header.join('\u0000')) as FeatureEncoder, o.records);
      requests.requests.push(...encoded.requests);
      requests.refused.push(...encoded.refused);
    }
    if (requests.refused.length > 0) {
      logger.error('Records refused (not sent)', {
        stage: stage.stage,
        refused: requests.refused.length,
        first: requests.refused
          .slice(0, LOGGED_REFUSALS)
          .map((r) => `${r.record.key} line ${r.record.line}: ${r.reason}`),
      });
    }
    planned.push({ stage, encoderRequests: requests });
  }
  if (planned.length === 0 && records.length > 0) {
    logger.warn('No endpoint takes the synthetic data: nothing sent, state unchanged');
    return { firstRun, recordsRead: records.length, stages, malformedObjects };
  }

  // 4. Invoke: built-in XGBoost CSV input, no header (SageMaker Developer Guide, "XGBoost algorithm",
  // inference input text/csv); data capture stores the InferenceId with each request (SageMaker Runtime
  // API Reference, "InvokeEndpoint": InferenceId). Any error fails the run before labels and state.
  for (const { stage, encoderRequests } of planned) {
    await forEachLimited(encoderRequests.requests, TRAFFIC_CONCURRENCY, async (request) => {
      await withContext(
        'InvokeEndpoint',
        `${stage.endpointName} (${stage.stage}, ${request.inferenceId})`,
        () =>
          runtime.send(
            new InvokeEndpointCommand({
              EndpointName: stage.endpointName,
              ContentType: 'text/csv',
              Accept: 'text/csv',
              InferenceId: request.inferenceId,
              Body: new TextEncoder().encode(request.body),
            }),
          ),
      );
    });
  }

  // 5. The labels of what was sent, per stage, then 6. the state.
  for (const { stage, encoderRequests } of planned) {
    const labels: { inferenceId: string; label: number }[] = [];
    let unlabelled = 0;
    for (const request of encoderRequests.requests) {
      const label = labelOf(stage.report, request.record.target);
      if (label === undefined) unlabelled++;
      else labels.push({ inferenceId: request.inferenceId, label });
    }
    let labelsKey: string | undefined;
    if (labels.length > 0) {
      labelsKey = trafficLabelsKey(config.labelsPrefix, stage.stage, now);
      await put(s3, config.bucket, labelsKey, renderLabels(labels), 'application/x-ndjson');
    }
    if (unlabelled > 0) {
      logger.warn('Records whose target is no class of the model: sent without a label', {
        stage: stage.stage,
        unlabelled,
        classes: stage.report.classes,
      });
    }
    stages[stage.stage] = {
      status: 'sent',
      modelPackageArn: stage.modelPackageArn,
      requests: encoderRequests.requests.length,
      refused: encoderRequests.refused.length,
      labels: labels.length,
      unlabelled,
      ...(labelsKey !== undefined ? { labelsKey } : {}),
    };
  }
  // The last record sent (a run that only passed over malformed objects keeps the previous one).
  const lastRecordId = records[records.length - 1]?.recordId ?? state?.lastRecordId;
  const newState: TrafficState = {
    version: 1,
    ...position,
    ...(lastRecordId !== undefined ? { lastRecordId } : {}),
    updatedAt: now.toISOString(),
  };
  await put(s3, config.bucket, stateKey, `${JSON.stringify(newState, null, 2)}\n`, 'application/json');
  const result: TabularTrafficRunResult = {
    firstRun: plan.firstRun,
    recordsRead: records.length,
    stages,
    malformedObjects,
    state: newState,
  };
  logger.info('Synthetic traffic sent', { ...result });
  return result;
}
