// One collection cycle of a stage (the core the Lambda handler and the local runner call, with
// injected clients, logger, clock and id generator):
//   1. read the latest window of the series (time-predicated: dt= partitions or an Athena predicate);
//   2. invoke the stage's OWN endpoint once with a DeepAR request carrying an InferenceId, and store
//      the forecast with the model version that answered;
//   3. write ground-truth merge records for earlier forecasts whose horizon is now observed;
//   4. evaluate wQL over every forecast of the current model version matured in the window;
//   5. publish mean_wQL / points_evaluated / threshold (freshness rules: `decidePublication`);
//   6. save the state the next run starts from.
// Each step is one phase function over the run's context (`CollectionRun`); the pure decisions they
// take (maturity, evaluation, publication) are the cores in @mlops-templates/metrics.
import { randomUUID } from 'node:crypto';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import {
  type LogPort,
  formatS3Uri,
  parseS3FolderUri,
  type ForecastEntry,
  type WindowEvaluation,
  dataWindowSteps,
  type Frequency,
  buildDeepArRequest,
  parseForecastResponse,
  evaluateWindow,
  type MaturedForecast,
  forecastKey,
  markerKeyOf,
  parseGroundTruthMarker,
  parseStoredForecast,
  type GroundTruthMarker,
  type StoredForecast,
  assertOutsideDataCapture,
  forecastMaturity,
  groundTruthKey,
  renderGroundTruthLines,
  decidePublication,
  parseThresholdParameter,
  type Publication,
  type ThresholdParameter,
  buildSeriesWindow,
  contextTarget,
  latestObservation,
  resampleObservations,
  type SeriesWindow,
  compactTimestamp,
  isoSeconds,
  parseFrequency,
  parseIsoTimestamp,
} from '@mlops-templates/metrics';
import { readFeatureGroupWindow } from './athena-source';
import { readCsvWindow, type WindowRead } from './csv-source';
import { getJson, listForecasts, putJson } from './forecast-store';
import { resolveServingModelVersion, type ServingModelVersion } from './model-version';
import { metricData, publishMetricData } from './publication';
import { parseProjectConfig, type CollectorSettings, type ProjectConfig } from './settings';
import { type CollectorState, readCollectorState, stateKey, writeCollectorState } from './state';

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

/** One series of the request. */
interface RequestInstance {
  readonly itemId: string | null;
  /** Timestamp (ms) of the first target value. */
  readonly contextStart: number;
  /** Timestamp (ms) of the last target value (the newest observation). */
  readonly contextEnd: number;
  /** Values; `null` = missing (sent as "NaN"). */
  readonly target: (number | null)[];
}

export interface CollectorDependencies {
  readonly environment: CollectorEnvironment;
  readonly clients: CollectorClients;
  /** Structured logger (Powertools Logger through `powertoolsLogPort` in the Lambda). */
  readonly logger: LogPort;
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
  const location = parseS3FolderUri(config.dataSourceLocation);
  const read = await readCsvWindow(clients.s3, location, config, fromMs, toMs);
  return { ...read, source: formatS3Uri(location) };
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

/**
 * What every phase of a cycle reads: the dependencies, the run's clock and id, and the project facts
 * (frequency, horizon and the windows derived from them). Built once by {@link startRun}.
 */
interface CollectionRun {
  readonly deps: CollectorDependencies;
  readonly env: CollectorEnvironment;
  readonly clients: CollectorClients;
  readonly logger: LogPort;
  readonly settings: CollectorSettings;
  readonly nowMs: number;
  readonly newId: () => string;
  readonly runId: string;
  readonly config: ProjectConfig;
  readonly frequency: Frequency;
  readonly stepMs: number;
  readonly horizon: number;
  readonly graceMs: number;
  readonly evaluationWindowMs: number;
  /** Steps of history per series in the request (see {@link requestContextSteps}). */
  readonly contextSteps: number;
}

/** Phase 0: the run's clock and id, and the project configuration (SSM). */
async function startRun(deps: CollectorDependencies): Promise<CollectionRun> {
  const { environment: env, clients, logger } = deps;
  const settings = env.settings;
  const nowMs = (deps.now ?? Date.now)();
  const newId = deps.newId ?? (() => randomUUID().slice(0, 8));
  const runId = `${compactTimestamp(nowMs)}-${newId()}`;
  const configValue = await getParameter(clients.ssm, env.configParameterName);
  if (configValue === undefined) throw new Error(`SSM parameter ${env.configParameterName} does not exist`);
  const config = parseProjectConfig(configValue);
  const frequency = parseFrequency(config.frequency);
  const { stepMs } = frequency;
  const horizon = config.predictionLength;
  return {
    deps,
    env,
    clients,
    logger,
    settings,
    nowMs,
    newId,
    runId,
    config,
    frequency,
    stepMs,
    horizon,
    graceMs: settings.groundTruthGracePeriods * stepMs,
    evaluationWindowMs: settings.evaluationHorizons * horizon * stepMs,
    // The history of a live request = the data window model-build reads (same layout, same length).
    contextSteps: requestContextSteps(settings, frequency, horizon),
  };
}

/** What phase 1 observed: the latest window of the series and the previous run's state. */
interface ObservedData {
  readonly read: WindowRead & { source: string };
  readonly readFrom: number;
  readonly window: SeriesWindow;
  readonly latest: number | undefined;
  readonly stateObjectKey: string;
  readonly state: CollectorState | undefined;
  readonly previousObserved: number | undefined;
  readonly previousContextEnd: number | undefined;
  readonly newData: boolean;
}

/** Phase 1: the latest window only, resampled like training, and whether it holds new data. */
async function observeData(run: CollectionRun): Promise<ObservedData> {
  const { env, clients, logger, settings, nowMs, stepMs, horizon, contextSteps } = run;
  const readPoints = Math.max(contextSteps, horizon + settings.groundTruthGracePeriods + 1);
  const readFrom = nowMs - readPoints * stepMs;
  const read = await readWindow(run.deps, run.config, readFrom, nowMs);
  if (read.malformedRows > 0) {
    logger.warn('malformed rows skipped', { count: read.malformedRows, examples: read.malformedExamples });
  }
  // Scored on the inputs the model was trained on: resampled to FREQUENCY like model-build does.
  const window = buildSeriesWindow(resampleObservations(read.observations, run.frequency, readFrom, nowMs));
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
  return {
    read,
    readFrom,
    window,
    latest,
    stateObjectKey,
    state,
    previousObserved,
    previousContextEnd,
    newData,
  };
}

/** What phase 2 did: the forecast (or why none), and the model version serving after it. */
interface ForecastPhase {
  readonly serving: ServingModelVersion;
  readonly currentVersion: string | null;
  readonly outcome: CollectionSummary['forecast'];
  readonly storedNow?: { entryKey: string; forecast: StoredForecast };
}

/** Phase 2: one forecast of this stage's endpoint, unless there is nothing new to forecast. */
async function forecastPhase(run: CollectionRun, data: ObservedData): Promise<ForecastPhase> {
  const { env, clients, logger } = run;
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
  const currentVersion = serving.endpointStatus === 'InService' ? serving.label : null;

  const skipped = (reason: string): ForecastPhase => ({
    serving,
    currentVersion,
    outcome: { skipped: reason },
  });
  if (data.latest === undefined) return skipped('no observations in the window');
  if (data.previousContextEnd !== undefined && data.latest <= data.previousContextEnd) {
    return skipped('no observation newer than the last forecast context');
  }
  if (serving.endpointStatus !== 'InService') {
    return skipped(`endpoint ${env.endpointName} is ${serving.endpointStatus}`);
  }
  const outcome = await forecastOnce(run, data.window, serving);
  return {
    serving,
    currentVersion: outcome.versionAfter !== undefined ? outcome.versionAfter : currentVersion,
    outcome: outcome.summary,
    ...(outcome.stored ? { storedNow: outcome.stored } : {}),
  };
}

/** What phase 3 found in the forecast store and wrote. */
interface GroundTruthPhase {
  readonly entries: ForecastEntry[];
  /** Forecasts due after this instant are not evaluated. */
  readonly listTo: number;
  readonly newMarkers: ReadonlyMap<string, GroundTruthMarker>;
  readonly loadForecast: (key: string) => Promise<StoredForecast | undefined>;
  readonly summary: CollectionSummary['groundTruth'];
}

/** Phase 3: ground truth of the forecasts whose horizon is now observed (or whose grace ran out). */
async function groundTruthPhase(
  run: CollectionRun,
  data: ObservedData,
  forecast: ForecastPhase,
): Promise<GroundTruthPhase> {
  const { env, clients, logger, nowMs, stepMs, graceMs, evaluationWindowMs } = run;
  const listFrom = nowMs - Math.max(evaluationWindowMs, graceMs + stepMs);
  const listTo = Math.max(nowMs, data.latest ?? nowMs);
  const entries = await listForecasts(
    clients.s3,
    env.bucket,
    env.monitoringPrefix,
    env.stage,
    listFrom,
    listTo,
  );
  const forecastsByKey = new Map<string, StoredForecast>();
  if (forecast.storedNow) forecastsByKey.set(forecast.storedNow.entryKey, forecast.storedNow.forecast);
  const loadForecast = async (key: string): Promise<StoredForecast | undefined> => {
    const cached = forecastsByKey.get(key);
    if (cached) return cached;
    try {
      const stored = parseStoredForecast(
        await getJson(clients.s3, env.bucket, key),
        `s3://${env.bucket}/${key}`,
      );
      forecastsByKey.set(key, stored);
      return stored;
    } catch (error) {
      logger.error('unreadable stored forecast skipped', { key, error: (error as Error).message });
      return undefined;
    }
  };

  const newMarkers = new Map<string, GroundTruthMarker>();
  const records: { inferenceId: string; targets: (number | null)[][] }[] = [];
  let pending = 0;
  let expired = 0;
  const gtKey = groundTruthKey(env.groundTruthPrefix, env.stage, nowMs, run.runId);
  for (const entry of entries) {
    if (entry.markerKey !== undefined) continue;
    const stored = await loadForecast(entry.forecastKey);
    if (!stored) continue;
    const maturity = forecastMaturity(stored, data.window, nowMs, graceMs);
    if (maturity.state === 'pending') {
      pending++;
      continue;
    }
    const observed = maturity.observedPoints > 0;
    if (observed) records.push({ inferenceId: stored.inferenceId, targets: maturity.targets });
    else expired++;
    newMarkers.set(entry.forecastKey, {
      version: 1,
      inferenceId: stored.inferenceId,
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
  return {
    entries,
    listTo,
    newMarkers,
    loadForecast,
    summary: { key: records.length > 0 ? gtKey : null, records: records.length, pending, expired },
  };
}

/** Phase 4: wQL over the forecasts of the current model version matured in the evaluation window. */
async function evaluationPhase(
  run: CollectionRun,
  truth: GroundTruthPhase,
  currentVersion: string | null,
): Promise<{ windowFrom: number; evaluation: WindowEvaluation }> {
  const windowFrom = run.nowMs - run.evaluationWindowMs;
  const matured: MaturedForecast[] = [];
  for (const entry of truth.entries) {
    const marker =
      truth.newMarkers.get(entry.forecastKey) ??
      (entry.markerKey !== undefined ? await loadMarker(run.deps, entry.markerKey) : undefined);
    if (!marker || marker.groundTruthKey === null) continue;
    const forecast = await truth.loadForecast(entry.forecastKey);
    if (!forecast) continue;
    const dueAt = parseIsoTimestamp(forecast.dueAt)!;
    if (dueAt <= windowFrom || dueAt > truth.listTo) continue;
    matured.push({ forecast, targets: marker.targets });
  }
  const evaluation = evaluateWindow(matured, currentVersion);
  if (evaluation.invalidForecasts > 0) {
    run.logger.warn('forecasts not evaluated', {
      count: evaluation.invalidForecasts,
      examples: evaluation.invalidExamples,
    });
  }
  return { windowFrom, evaluation };
}

/** Phase 5: the datapoints of the run (freshness and warm-up rules of `decidePublication`), published. */
async function publicationPhase(
  run: CollectionRun,
  data: ObservedData,
  evaluation: WindowEvaluation,
  currentVersion: string | null,
): Promise<Publication> {
  const { env, clients, logger, nowMs } = run;
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
    newData: data.newData,
    modelVersion: currentVersion,
    points: evaluation.accuracy.points,
    meanWql: evaluation.accuracy.mean_wQL,
    accuracyReason: evaluation.accuracy.reason,
    minPointsEvaluated: run.settings.minPointsEvaluated,
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
  return publication;
}

/** Phase 6: the state the next run starts from (newest observation, newest forecast context). */
async function saveStatePhase(
  run: CollectionRun,
  data: ObservedData,
  forecast: ForecastPhase,
): Promise<void> {
  const { env, clients, nowMs } = run;
  const { storedNow } = forecast;
  const newestObserved = Math.max(data.latest ?? -Infinity, data.previousObserved ?? -Infinity);
  const newestContext =
    storedNow !== undefined
      ? Math.max(...storedNow.forecast.instances.map((i) => parseIsoTimestamp(i.contextEnd)!))
      : data.previousContextEnd;
  if (Number.isFinite(newestObserved)) {
    await writeCollectorState(clients.s3, env.bucket, data.stateObjectKey, {
      version: 1,
      lastObservedAt: isoSeconds(newestObserved),
      ...(newestContext !== undefined ? { lastForecastContextEnd: isoSeconds(newestContext) } : {}),
      lastInferenceId: storedNow?.forecast.inferenceId ?? data.state?.lastInferenceId ?? null,
      updatedAt: isoSeconds(nowMs),
    });
  }
}

/** Runs one collection cycle, phase by phase. AWS errors reading the data or writing results are thrown. */
export async function runCollection(deps: CollectorDependencies): Promise<CollectionSummary> {
  const run = await startRun(deps);
  const data = await observeData(run);
  const forecast = await forecastPhase(run, data);
  const truth = await groundTruthPhase(run, data, forecast);
  const { windowFrom, evaluation } = await evaluationPhase(run, truth, forecast.currentVersion);
  const publication = await publicationPhase(run, data, evaluation, forecast.currentVersion);
  await saveStatePhase(run, data, forecast);

  const { env, nowMs } = run;
  const { read, latest } = data;
  const summary: CollectionSummary = {
    stage: env.stage,
    endpointName: env.endpointName,
    runAt: isoSeconds(nowMs),
    runId: run.runId,
    modelVersion: forecast.currentVersion,
    ...(forecast.serving.reason ? { modelVersionReason: forecast.serving.reason } : {}),
    data: {
      source: read.source,
      from: isoSeconds(data.readFrom),
      to: isoSeconds(nowMs),
      items: data.window.size,
      observations: read.observations.length,
      latestObservedAt: latest === undefined ? null : isoSeconds(latest),
      newData: data.newData,
      objectsRead: read.objectsRead,
      objectsSkipped: read.objectsSkipped,
      malformedRows: read.malformedRows,
    },
    forecast: forecast.outcome,
    groundTruth: truth.summary,
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
  run.logger.info('collection cycle done', { summary });
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
  run: CollectionRun,
  window: SeriesWindow,
  before: ServingModelVersion,
): Promise<{
  summary: CollectionSummary['forecast'];
  stored?: { entryKey: string; forecast: StoredForecast };
  versionAfter?: string | null;
}> {
  const { env, clients, logger, config, stepMs, horizon, contextSteps, nowMs, newId } = run;
  const instances: RequestInstance[] = [];
  for (const item of window.values()) {
    const { start, target } = contextTarget(item, contextSteps, stepMs);
    if (target.every((y) => y === null)) continue;
    instances.push({ itemId: item.itemId, contextStart: start, contextEnd: item.latest, target });
  }
  if (instances.length === 0) return { summary: { skipped: 'every series of the window is empty' } };
  const firstStart = Math.min(...instances.map((i) => i.contextEnd)) + stepMs;
  const inferenceId = `${env.stage}-${compactTimestamp(firstStart)}-${newId()}`;
  const request = buildDeepArRequest(
    instances.map((i) => ({ startMs: i.contextStart, target: i.target })),
    { numSamples: env.settings.numSamples },
  );
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
