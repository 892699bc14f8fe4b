// One collection cycle of a stage (the core the Lambda handler and the local runner call, with
// injected clients, logger, clock and id generator):
//   1. read the latest window of the series (time-predicated: dt= partitions or an Athena predicate);
//   2. invoke the stage's OWN endpoint once with a DeepAR request carrying an InferenceId, and store
//      the forecast with the model version that answered;
//   3. write ground-truth merge records for earlier forecasts whose horizon is now observed;
//   4. evaluate wQL over every forecast of the current model version matured in the window;
//   5. publish mean_wQL / points_evaluated / threshold (freshness rules in publication.ts).
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { dataWindowSteps, type Frequency } from '@mlops-templates/metrics';
import { randomUUID } from 'node:crypto';
import { readFeatureGroupWindow } from './athena-source';
import { parseS3Uri, readCsvWindow, type WindowRead } from './csv-source';
import { buildDeepArRequest, parseForecastResponse, type RequestInstance } from './deepar-request';
import { evaluateWindow, type MaturedForecast } from './evaluation';
import {
  forecastKey,
  getJson,
  listForecasts,
  markerKeyOf,
  parseGroundTruthMarker,
  parseStoredForecast,
  putJson,
  type GroundTruthMarker,
  type StoredForecast,
} from './forecast-store';
import {
  assertOutsideDataCapture,
  forecastMaturity,
  groundTruthKey,
  renderGroundTruthLines,
} from './ground-truth';
import { resolveServingModelVersion, type ServingModelVersion } from './model-version';
import {
  decidePublication,
  metricData,
  parseThresholdParameter,
  publishMetricData,
  type Publication,
  type ThresholdParameter,
} from './publication';
import {
  buildSeriesWindow,
  contextTarget,
  latestObservation,
  resampleObservations,
  type SeriesWindow,
} from './series';
import { parseProjectConfig, type CollectorSettings, type ProjectConfig } from './settings';
import { readCollectorState, stateKey, writeCollectorState } from './state';
import { compactTimestamp, deepArStart, isoSeconds, parseFrequency, parseIsoTimestamp } from './time';

/** Deployment stages. */
export type Stage = 'staging' | 'prod';

/** What a collector instance is bound to (from its environment). */
export interface CollectorEnvironment {
  readonly stage: Stage;
  /** The endpoint of THIS stage (never the other stage's). */
  readonly endpointName: string;
  readonly bucket: string;
  readonly metricNamespace: string;
  readonly configParameterName: string;
  readonly thresholdParameterName: string;
  /** e.g. `monitoring/` */
  readonly monitoringPrefix: string;
  /** e.g. `ground-truth/` */
  readonly groundTruthPrefix: string;
  /** e.g. `data-capture/`: never written by the collector. */
  readonly dataCapturePrefix: string;
  readonly settings: CollectorSettings;
}

/** AWS clients of a cycle. */
export interface CollectorClients {
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly sagemaker: SageMakerClient;
  readonly runtime: SageMakerRuntimeClient;
  readonly cloudwatch: CloudWatchClient;
  readonly athena: AthenaClient;
}

/** Structured logger (Powertools Logger in the Lambda). */
export interface CollectorLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export interface CollectorDependencies {
  readonly environment: CollectorEnvironment;
  readonly clients: CollectorClients;
  readonly logger: CollectorLogger;
  /** Clock (ms); default Date.now. */
  readonly now?: () => number;
  /** Random id part of inference ids and run ids; default 8 hex characters of a UUID. */
  readonly newId?: () => string;
  /** Used between Athena polls. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What a cycle did (returned by the Lambda, so `aws lambda invoke` shows it). */
export interface CollectionSummary {
  readonly stage: Stage;
  readonly endpointName: string;
  readonly runAt: string;
  readonly runId: string;
  readonly modelVersion: string | null;
  readonly modelVersionReason?: string;
  readonly data: {
    readonly source: string;
    readonly from: string;
    readonly to: string;
    readonly items: number;
    readonly observations: number;
    readonly latestObservedAt: string | null;
    readonly newData: boolean;
    readonly objectsRead: number;
    readonly objectsSkipped: number;
    readonly malformedRows: number;
  };
  readonly forecast:
    | {
        readonly inferenceId: string;
        readonly key: string;
        readonly modelVersion: string | null;
        readonly instances: number;
      }
    | { readonly skipped: string };
  readonly groundTruth: {
    readonly key: string | null;
    readonly records: number;
    readonly pending: number;
    readonly expired: number;
  };
  readonly evaluation: {
    readonly windowFrom: string;
    readonly maturedForecasts: number;
    readonly evaluatedForecasts: number;
    readonly otherVersionForecasts: number;
    readonly invalidForecasts: number;
    readonly points: number;
    readonly meanWql: number | null;
    readonly reason?: string;
  };
  readonly published: Publication;
}

async function getParameter(ssm: SSMClient, name: string): Promise<string | undefined> {
  try {
    const response = await ssm.send(new GetParameterCommand({ Name: name }));
    return response.Parameter?.Value;
  } catch (error) {
    if ((error as { name?: string }).name === 'ParameterNotFound') return undefined;
    throw error;
  }
}

/** Reads [fromMs, toMs] of the series from the configured source. */
async function readWindow(
  deps: CollectorDependencies,
  config: ProjectConfig,
  fromMs: number,
  toMs: number,
): Promise<WindowRead & { source: string }> {
  const { clients, environment } = deps;
  if (config.dataSourceType === 'feature-group') {
    const read = await readFeatureGroupWindow(
      { athena: clients.athena, sagemaker: clients.sagemaker },
      config.dataSourceLocation,
      config,
      fromMs,
      toMs,
      {
        workGroup: environment.settings.athenaWorkGroup,
        outputLocation: `s3://${environment.bucket}/${environment.monitoringPrefix}${environment.stage}/athena/`,
        timeoutMs: environment.settings.athenaTimeoutMs,
        sleep: deps.sleep,
      },
    );
    return { ...read, source: `feature-group:${config.dataSourceLocation}` };
  }
  const location = parseS3Uri(config.dataSourceLocation);
  const read = await readCsvWindow(clients.s3, location, config, fromMs, toMs);
  return { ...read, source: `s3://${location.bucket}/${location.prefix}` };
}

/**
 * Steps of history per series in a live request: the configured `contextLength`, else the data window a
 * build of this frequency and horizon reads (context = horizon, the shared default backtest windows and
 * minimum days) — what the model was trained and backtested on.
 */
export function requestContextSteps(
  settings: Pick<CollectorSettings, 'contextLength'>,
  frequency: Pick<Frequency, 'stepMs'>,
  predictionLength: number,
): number {
  return settings.contextLength ?? dataWindowSteps({ frequency, predictionLength });
}

/** Runs one collection cycle. AWS errors reading the data or writing results are thrown. */
export async function runCollection(deps: CollectorDependencies): Promise<CollectionSummary> {
  const { environment: env, clients, logger } = deps;
  const settings = env.settings;
  const nowMs = (deps.now ?? Date.now)();
  const newId = deps.newId ?? (() => randomUUID().slice(0, 8));
  const runId = `${compactTimestamp(nowMs)}-${newId()}`;

  // ------------------------------------------------------------------ configuration
  const configValue = await getParameter(clients.ssm, env.configParameterName);
  if (configValue === undefined) throw new Error(`SSM parameter ${env.configParameterName} does not exist`);
  const config = parseProjectConfig(configValue);
  const frequency = parseFrequency(config.frequency);
  const { stepMs } = frequency;
  const horizon = config.predictionLength;
  const graceMs = settings.groundTruthGracePeriods * stepMs;
  const evaluationWindowMs = settings.evaluationHorizons * horizon * stepMs;

  // ------------------------------------------------------------------ 1. the latest window only
  // The history of a live request = the data window model-build reads (same layout, same length).
  const contextSteps = requestContextSteps(settings, frequency, horizon);
  const readPoints = Math.max(contextSteps, horizon + settings.groundTruthGracePeriods + 1);
  const readFrom = nowMs - readPoints * stepMs;
  const read = await readWindow(deps, config, readFrom, nowMs);
  if (read.malformedRows > 0) {
    logger.warn('malformed rows skipped', { count: read.malformedRows, examples: read.malformedExamples });
  }
  // Scored on the inputs the model was trained on: resampled to FREQUENCY like model-build does.
  const window = buildSeriesWindow(resampleObservations(read.observations, frequency, readFrom, nowMs));
  const latest = latestObservation(window);

  const stateObjectKey = stateKey(env.monitoringPrefix, env.stage);
  const state = await readCollectorState(clients.s3, env.bucket, stateObjectKey, (reason) =>
    logger.warn('collector state unreadable: starting afresh', { reason }),
  );
  const previousObserved = state ? parseIsoTimestamp(state.lastObservedAt) : undefined;
  const previousContextEnd = state?.lastForecastContextEnd
    ? parseIsoTimestamp(state.lastForecastContextEnd)
    : undefined;
  const newData = latest !== undefined && (previousObserved === undefined || latest > previousObserved);

  // ------------------------------------------------------------------ 2. one forecast of this stage's endpoint
  let serving: ServingModelVersion;
  try {
    serving = await resolveServingModelVersion(clients.sagemaker, env.endpointName);
  } catch (error) {
    logger.error('cannot describe the endpoint', {
      endpointName: env.endpointName,
      error: (error as Error).message,
    });
    serving = { endpointStatus: 'Unknown', label: null, reason: (error as Error).message };
  }
  if (serving.reason) logger.warn('model version', { label: serving.label, reason: serving.reason });
  let currentVersion = serving.endpointStatus === 'InService' ? serving.label : null;

  let forecastOutcome: CollectionSummary['forecast'];
  let storedNow: { entryKey: string; forecast: StoredForecast } | undefined;
  if (latest === undefined) forecastOutcome = { skipped: 'no observations in the window' };
  else if (previousContextEnd !== undefined && latest <= previousContextEnd) {
    forecastOutcome = { skipped: 'no observation newer than the last forecast context' };
  } else if (serving.endpointStatus !== 'InService') {
    forecastOutcome = { skipped: `endpoint ${env.endpointName} is ${serving.endpointStatus}` };
  } else {
    const outcome = await forecastOnce(
      deps,
      window,
      config,
      { stepMs, horizon, contextSteps },
      serving,
      nowMs,
      newId,
    );
    forecastOutcome = outcome.summary;
    if (outcome.stored) storedNow = outcome.stored;
    if (outcome.versionAfter !== undefined) currentVersion = outcome.versionAfter;
  }

  // ------------------------------------------------------------------ 3. ground truth of matured forecasts
  const listFrom = nowMs - Math.max(evaluationWindowMs, graceMs + stepMs);
  const listTo = Math.max(nowMs, latest ?? nowMs);
  const entries = await listForecasts(
    clients.s3,
    env.bucket,
    env.monitoringPrefix,
    env.stage,
    listFrom,
    listTo,
  );
  const forecastsByKey = new Map<string, StoredForecast>();
  if (storedNow) forecastsByKey.set(storedNow.entryKey, storedNow.forecast);
  const loadForecast = async (key: string): Promise<StoredForecast | undefined> => {
    const cached = forecastsByKey.get(key);
    if (cached) return cached;
    try {
      const forecast = parseStoredForecast(
        await getJson(clients.s3, env.bucket, key),
        `s3://${env.bucket}/${key}`,
      );
      forecastsByKey.set(key, forecast);
      return forecast;
    } catch (error) {
      logger.error('unreadable stored forecast skipped', { key, error: (error as Error).message });
      return undefined;
    }
  };

  const newMarkers = new Map<string, GroundTruthMarker>();
  const records: { inferenceId: string; targets: (number | null)[][] }[] = [];
  let pending = 0;
  let expired = 0;
  const gtKey = groundTruthKey(env.groundTruthPrefix, env.stage, nowMs, runId);
  for (const entry of entries) {
    if (entry.markerKey !== undefined) continue;
    const forecast = await loadForecast(entry.forecastKey);
    if (!forecast) continue;
    const maturity = forecastMaturity(forecast, window, nowMs, graceMs);
    if (maturity.state === 'pending') {
      pending++;
      continue;
    }
    const observed = maturity.observedPoints > 0;
    if (observed) records.push({ inferenceId: forecast.inferenceId, targets: maturity.targets });
    else expired++;
    newMarkers.set(entry.forecastKey, {
      version: 1,
      inferenceId: forecast.inferenceId,
      writtenAt: isoSeconds(nowMs),
      groundTruthKey: observed ? gtKey : null,
      targets: maturity.targets,
    });
  }
  if (records.length > 0) {
    assertOutsideDataCapture(gtKey, env.dataCapturePrefix);
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: env.bucket,
        Key: gtKey,
        Body: renderGroundTruthLines(records),
        ContentType: 'application/jsonl',
      }),
    );
    logger.info('ground truth written', { key: gtKey, records: records.length });
  }
  for (const [key, marker] of newMarkers) {
    const markerKey = markerKeyOf(key);
    assertOutsideDataCapture(markerKey, env.dataCapturePrefix);
    await putJson(clients.s3, env.bucket, markerKey, marker);
  }

  // ------------------------------------------------------------------ 4. wQL over the window
  const windowFrom = nowMs - evaluationWindowMs;
  const matured: MaturedForecast[] = [];
  for (const entry of entries) {
    const marker =
      newMarkers.get(entry.forecastKey) ??
      (entry.markerKey !== undefined ? await loadMarker(deps, entry.markerKey) : undefined);
    if (!marker || marker.groundTruthKey === null) continue;
    const forecast = await loadForecast(entry.forecastKey);
    if (!forecast) continue;
    const dueAt = parseIsoTimestamp(forecast.dueAt)!;
    if (dueAt <= windowFrom || dueAt > listTo) continue;
    matured.push({ forecast, targets: marker.targets });
  }
  const evaluation = evaluateWindow(matured, currentVersion);
  if (evaluation.invalidForecasts > 0) {
    logger.warn('forecasts not evaluated', {
      count: evaluation.invalidForecasts,
      examples: evaluation.invalidExamples,
    });
  }

  // ------------------------------------------------------------------ 5. publish
  let threshold: ThresholdParameter;
  try {
    const value = await getParameter(clients.ssm, env.thresholdParameterName);
    if (value === undefined)
      logger.warn('threshold parameter missing: treated as unset', { name: env.thresholdParameterName });
    threshold = parseThresholdParameter(value, env.stage);
  } catch (error) {
    threshold = {
      kind: 'invalid',
      reason: `cannot read ${env.thresholdParameterName}: ${(error as Error).message}`,
    };
  }
  const publication = decidePublication({
    stage: env.stage,
    newData,
    modelVersion: currentVersion,
    points: evaluation.accuracy.points,
    meanWql: evaluation.accuracy.mean_wQL,
    accuracyReason: evaluation.accuracy.reason,
    minPointsEvaluated: settings.minPointsEvaluated,
    threshold,
  });
  await publishMetricData(
    clients.cloudwatch,
    env.metricNamespace,
    metricData(publication, env.stage, currentVersion, new Date(nowMs)),
  );
  if (publication.accuracyReason)
    logger.warn('no mean_wQL datapoint', { reason: publication.accuracyReason });
  if (publication.thresholdReason)
    logger.warn('no threshold datapoint', { reason: publication.thresholdReason });

  const newestObserved = Math.max(latest ?? -Infinity, previousObserved ?? -Infinity);
  const newestContext =
    storedNow !== undefined
      ? Math.max(...storedNow.forecast.instances.map((i) => parseIsoTimestamp(i.contextEnd)!))
      : previousContextEnd;
  if (Number.isFinite(newestObserved)) {
    await writeCollectorState(clients.s3, env.bucket, stateObjectKey, {
      version: 1,
      lastObservedAt: isoSeconds(newestObserved),
      ...(newestContext !== undefined ? { lastForecastContextEnd: isoSeconds(newestContext) } : {}),
      lastInferenceId: storedNow?.forecast.inferenceId ?? state?.lastInferenceId ?? null,
      updatedAt: isoSeconds(nowMs),
    });
  }

  const summary: CollectionSummary = {
    stage: env.stage,
    endpointName: env.endpointName,
    runAt: isoSeconds(nowMs),
    runId,
    modelVersion: currentVersion,
    ...(serving.reason ? { modelVersionReason: serving.reason } : {}),
    data: {
      source: read.source,
      from: isoSeconds(readFrom),
      to: isoSeconds(nowMs),
      items: window.size,
      observations: read.observations.length,
      latestObservedAt: latest === undefined ? null : isoSeconds(latest),
      newData,
      objectsRead: read.objectsRead,
      objectsSkipped: read.objectsSkipped,
      malformedRows: read.malformedRows,
    },
    forecast: forecastOutcome,
    groundTruth: { key: records.length > 0 ? gtKey : null, records: records.length, pending, expired },
    evaluation: {
      windowFrom: isoSeconds(windowFrom),
      maturedForecasts: evaluation.maturedForecasts,
      evaluatedForecasts: evaluation.evaluatedForecasts,
      otherVersionForecasts: evaluation.otherVersionForecasts,
      invalidForecasts: evaluation.invalidForecasts,
      points: evaluation.accuracy.points,
      meanWql: evaluation.accuracy.mean_wQL,
      ...(evaluation.accuracy.reason ? { reason: evaluation.accuracy.reason } : {}),
    },
    published: publication,
  };
  logger.info('collection cycle done', { summary });
  return summary;
}

async function loadMarker(deps: CollectorDependencies, key: string): Promise<GroundTruthMarker | undefined> {
  const { clients, environment: env, logger } = deps;
  try {
    return parseGroundTruthMarker(await getJson(clients.s3, env.bucket, key), `s3://${env.bucket}/${key}`);
  } catch (error) {
    logger.error('unreadable ground-truth marker skipped', { key, error: (error as Error).message });
    return undefined;
  }
}

/** Invokes the endpoint once and stores the forecast. Endpoint/response errors are logged, not thrown. */
async function forecastOnce(
  deps: CollectorDependencies,
  window: SeriesWindow,
  config: ProjectConfig,
  { stepMs, horizon, contextSteps }: { stepMs: number; horizon: number; contextSteps: number },
  before: ServingModelVersion,
  nowMs: number,
  newId: () => string,
): Promise<{
  summary: CollectionSummary['forecast'];
  stored?: { entryKey: string; forecast: StoredForecast };
  versionAfter?: string | null;
}> {
  const { environment: env, clients, logger } = deps;
  const instances: RequestInstance[] = [];
  for (const item of window.values()) {
    const { start, target } = contextTarget(item, contextSteps, stepMs);
    if (target.every((y) => y === null)) continue;
    instances.push({ itemId: item.itemId, contextStart: start, contextEnd: item.latest, target });
  }
  if (instances.length === 0) return { summary: { skipped: 'every series of the window is empty' } };
  const firstStart = Math.min(...instances.map((i) => i.contextEnd)) + stepMs;
  const inferenceId = `${env.stage}-${compactTimestamp(firstStart)}-${newId()}`;
  const request = buildDeepArRequest(instances, env.settings.numSamples, deepArStart);
  let body: string;
  let invokedVariant: string | null = null;
  try {
    const response = await clients.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: env.endpointName,
        Body: new TextEncoder().encode(JSON.stringify(request)),
        ContentType: 'application/json',
        Accept: 'application/json',
        InferenceId: inferenceId,
      }),
    );
    body = new TextDecoder().decode(response.Body);
    invokedVariant = response.InvokedProductionVariant ?? null;
  } catch (error) {
    logger.error('endpoint invocation failed', {
      endpointName: env.endpointName,
      inferenceId,
      error: (error as Error).message,
    });
    return { summary: { skipped: `invocation failed: ${(error as Error).message}` } };
  }
  let forecasts;
  try {
    forecasts = parseForecastResponse(body, instances.length, horizon);
  } catch (error) {
    logger.error('invalid DeepAR response: nothing stored', { inferenceId, error: (error as Error).message });
    return { summary: { skipped: `invalid response: ${(error as Error).message}` } };
  }

  // Which version answered: the one served before AND after the call (an update in between = unknown).
  let modelVersion: string | null = before.label;
  let versionAfter: string | null | undefined;
  try {
    const after = await resolveServingModelVersion(
      clients.sagemaker,
      env.endpointName,
      invokedVariant ?? undefined,
    );
    if (after.endpointStatus !== 'InService' || after.endpointConfigName !== before.endpointConfigName) {
      modelVersion = null;
      versionAfter = after.endpointStatus === 'InService' ? after.label : null;
      logger.warn('the endpoint changed during the invocation: forecast kept out of evaluation', {
        inferenceId,
      });
    } else {
      modelVersion = after.label;
      versionAfter = after.label;
    }
  } catch (error) {
    modelVersion = null;
    logger.warn('cannot confirm the model version after the invocation', { error: (error as Error).message });
  }

  const dueAt = Math.max(...instances.map((i) => i.contextEnd)) + horizon * stepMs;
  const forecast: StoredForecast = {
    version: 1,
    inferenceId,
    stage: env.stage,
    endpointName: env.endpointName,
    modelVersion,
    modelVersionSource: modelVersion === null ? null : (before.source ?? null),
    invokedVariant,
    createdAt: isoSeconds(nowMs),
    frequency: config.frequency,
    stepMs,
    predictionLength: horizon,
    dueAt: isoSeconds(dueAt),
    instances: instances.map((i) => ({
      itemId: i.itemId,
      contextEnd: isoSeconds(i.contextEnd),
      forecastStart: isoSeconds(i.contextEnd + stepMs),
    })),
    forecasts,
  };
  const key = forecastKey(env.monitoringPrefix, env.stage, dueAt, inferenceId);
  assertOutsideDataCapture(key, env.dataCapturePrefix);
  await putJson(clients.s3, env.bucket, key, forecast);
  logger.info('forecast stored', { inferenceId, key, modelVersion, instances: instances.length });
  return {
    summary: { inferenceId, key, modelVersion, instances: instances.length },
    stored: { entryKey: key, forecast },
    ...(versionAfter !== undefined ? { versionAfter } : {}),
  };
}
