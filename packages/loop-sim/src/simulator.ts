// The loop on a simulated clock (5-minute ticks). Every hour: the synthetic generator's point is
// available at its timestamp; at :05 each stage's collector runs (its real pure cores: series window,
// maturity and grace, warm-up by model version, freshness and publication); at :10 both stages'
// accuracy and freshness alarms are evaluated (alarm-model.ts) and an accuracy alarm entering ALARM
// sends the EventBridge `CloudWatch Alarm State Change` event to the real retrain decision; at :30 the
// retrain re-check runs (the construct's `rate(60 minutes)` schedule). Executions train the stand-in
// forecaster on the build's data window at their end, gate it with the real GateThreshold rule and
// register a PendingManualApproval package; people approve or reject after a delay; the deploy
// pipeline deploys staging, waits for the prod approval, deploys prod; after each deploy the stage's
// alarm threshold comes from the real threshold policy and the monitoring stack re-points the
// stage's alarm at the new ModelVersion (PutMetricAlarm keeps the alarm's state).
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Parameter, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { dataWindowSteps, decideThreshold, type ThresholdState } from '@mlops-templates/metrics';
import * as names from '@mlops-templates/project-contract';
import { hashUniform, seriesValue } from '@mlops-templates/project-handlers';
import {
  CONFIG_DEFAULTS,
  type DecisionLogger,
  loadConfig,
  type RetrainClients,
  type RetrainConfig,
  runRetrainDecision,
  TRIGGER_REASON_PREFIX,
} from '@mlops-templates/retrain';
import { type AlarmState, type RangePoint, SimulatedAlarm, type TreatMissingData } from './alarm-model';
import {
  buildSeriesWindow,
  decidePublication,
  evaluateWindow,
  forecastMaturity,
  isoSeconds,
  latestObservation,
  type MaturedForecast,
  MODEL_BUILD_CONFIG,
  MONITORING_CONFIG,
  type Observation,
  parseFrequency,
  parseThresholdParameter,
  type StoredForecast,
} from './collector-cores';
import {
  FakeCloudWatch,
  type FakeWorld,
  FakeSageMaker,
  FakeSns,
  FakeSsm,
  type PublishedMessage,
  type SimAlarmView,
  type SimExecution,
  type SimModelPackage,
} from './fake-aws';
import { type Backtest, backtest, type FittedModel, fit, forecast, type RegularSeries } from './forecaster';
import { type Scenario, tabularSettingsOf } from './scenario';
import {
  baselineDrift,
  buildTabular,
  DATA_QUALITY_NAMESPACE,
  featureBaselineDriftMetric,
  type TabularBuild,
  TabularRecords,
} from './tabular-model';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
const TICK_MS = 5 * MINUTE_MS;
/** Relative noise (standard deviation) of an `unbeatableDrift`: far above any gate. */
const DRIFT_NOISE = 1;
/** A model has seen the current regime when its data ends at least a week (the seasonal cycle) after it began. */
const REGIME_SEEN_MS = 7 * 24 * 3_600_000;
/** Hour 0 of every run: a Monday, 00:00 UTC. */
export const SIM_START = Date.UTC(2026, 0, 5);
export const STAGES = ['staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const PROJECT = { projectName: 'loopsim', projectId: 'p-loopsim0000' };
/** The simulated project's names: the contract's (@mlops-templates/project-contract). */
export const NAMES = {
  pipeline: names.modelBuildPipeline(PROJECT),
  modelPackageGroup: names.modelPackageGroup(PROJECT),
  alarmPrefix: names.alarmNamePrefix(PROJECT),
  topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${names.shortName(PROJECT, 'notifications')}`,
  gateParameter: names.gateThresholdParameter(PROJECT),
  namespace: names.metricNamespace(PROJECT),
} as const;

/**
 * The data-quality monitoring schedule of a stage (tabular): a dimension value of Model Monitor's
 * metrics. Named here until the tabular monitoring seed's schedule name is in project-contract.
 */
function dataQualitySchedule(stage: Stage): string {
  return `${names.shortPrefix(PROJECT)}-data-quality-${stage}`;
}

/** One hour's record of a stage, for the summary and the picture. */
export interface StagePeriod {
  readonly hour: number;
  /**
   * Published value of the retrain alarm's metric (`null` = no datapoint): mean wQL (deepar) or
   * `feature_baseline_drift_<feature>` (tabular).
   */
  readonly meanWql: number | null;
  /** Published threshold (`null` = none: warm-up, unset...); tabular: the fixed drift threshold. */
  readonly threshold: number | null;
  readonly pointsEvaluated: number | null;
  /** The version serving when the collector ran (`null` = none/unknown). */
  readonly modelVersion: string | null;
  readonly accuracyAlarm: AlarmState;
  readonly freshnessAlarm: AlarmState;
}

/** A timed happening, for the summary and the picture. */
export interface LoopEvent {
  readonly at: number;
  readonly kind:
    | 'retrain-started'
    | 'build-started'
    | 'execution-finished'
    | 'model-registered'
    | 'model-approved'
    | 'model-rejected'
    | 'deployed'
    | 'notification'
    | 'alarm-transition'
    | 'retrain-decision';
  readonly stage?: Stage;
  readonly detail: string;
  readonly modelVersion?: number;
}

/** Everything a run produced. */
export interface SimulationResult {
  readonly scenario: Scenario;
  readonly stepMs: number;
  readonly periodMs: number;
  readonly hours: number;
  readonly periods: Record<Stage, StagePeriod[]>;
  readonly events: LoopEvent[];
  readonly executions: readonly SimExecution[];
  readonly modelPackages: readonly SimModelPackage[];
  readonly published: readonly PublishedMessage[];
  readonly config: RetrainConfig;
  /** Retrain starts while a model waited for its approval (package or prod) or its deploy. */
  readonly retrainsWhileAwaitingApproval: number;
  /** Retrain starts after a human-needed notification and before the next approved model. */
  readonly retrainsAfterHumanNeeded: number;
  readonly maxConcurrentExecutions: number;
  readonly deadlocked: boolean;
  /**
   * Retrain starts while the model serving prod had seen the series' current regime: no level shift
   * or drift start/end from a week before its data end up to the start.
   */
  readonly retrainsInStationaryStretches: number;
  /** Hours at which the series changed regime (level shifts, drift start and end). */
  readonly regimeChanges: readonly number[];
  readonly accuracyAlarmTransitions: Record<Stage, { at: number; from: AlarmState; to: AlarmState }[]>;
  readonly warmUpReAlarms: number;
  /** N of the accuracy alarm. */
  readonly evaluationPeriods: number;
}

interface BuiltModel {
  readonly version: number;
  /** The DeepAR stand-in and its backtest (model `deepar`). */
  readonly deepar?: { readonly model: FittedModel; readonly backtest: Backtest };
  /** The tabular stand-in, its test RMSE and its data-quality baseline (model `tabular`). */
  readonly tabular?: TabularBuild;
  /** The gate's metric: backtest mean wQL (deepar) or test RMSE (tabular); `null` = none. */
  readonly gateMetric: number | null;
  /** Last data timestamp the model saw. */
  readonly dataEnd: number;
  /** The GateThreshold its build compared the gate metric with. */
  readonly gate: number;
}

/** What one collector or monitoring execution published for a stage (the period record's source). */
interface PeriodPublication {
  readonly meanWql?: number;
  readonly threshold?: number;
  readonly pointsEvaluated: number;
}

interface StageState {
  /** The version the endpoint serves (`null` = none). */
  serving: number | null;
  endpointStatus: 'InService' | 'Updating';
  /** The version the monitoring stack points the accuracy alarm at. */
  alarmVersion: number;
  thresholdParameter: string;
  accuracy: SimulatedAlarm;
  freshness: SimulatedAlarm;
  forecasts: {
    forecast: StoredForecast;
    dueAt: number;
    targets: (number | null)[][] | null;
    expired: boolean;
  }[];
  lastObservedAt?: number;
  lastContextEnd?: number;
  /** Published datapoints by period index: mean wQL and threshold per version, points by stage. */
  meanWql: Map<number, Map<number, number>>;
  threshold: Map<number, Map<number, number>>;
  points: Map<number, number>;
  /** Deploy time of the serving version (warm-up start). */
  deployedAt: number;
  /** Whether a threshold datapoint of the serving version was published since its deploy. */
  warmedUp: boolean;
}

interface PendingAction {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
}

const SILENT_LOGGER: DecisionLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Runs a scenario to the end. Deterministic: the same scenario gives the same result. */
export async function simulate(scenario: Scenario): Promise<SimulationResult> {
  const { stepMs } = parseFrequency(scenario.frequency);
  const horizon = scenario.predictionLength;
  const collector = MONITORING_CONFIG.collector;
  // The alarm period: one collector run (hourly schedule), never shorter than the data frequency
  // (the monitoring seed's alarmPeriodSeconds with alarmPeriodSeconds = "schedule").
  const periodMs = Math.max(HOUR_MS, stepMs);
  const hours = scenario.days * 24;
  const end = SIM_START + hours * HOUR_MS;
  const policy = scenario.policy;
  const people = scenario.people;
  const accuracySettings = {
    evaluationPeriods: policy.evaluationPeriods ?? MONITORING_CONFIG.accuracyAlarm.evaluationPeriods,
    datapointsToAlarm: policy.datapointsToAlarm ?? MONITORING_CONFIG.accuracyAlarm.datapointsToAlarm,
    treatMissingData: (policy.treatMissingData ?? 'missing') as TreatMissingData,
  };
  const freshnessSettings = {
    evaluationPeriods: MONITORING_CONFIG.freshnessAlarm.evaluationPeriods,
    datapointsToAlarm: MONITORING_CONFIG.freshnessAlarm.datapointsToAlarm,
    treatMissingData: 'breaching' as TreatMissingData,
  };

  // ---------------------------------------------------------------- the series
  const firstPoint = SIM_START - (scenario.series.backfillPoints - 1) * stepMs;
  const pointCount = Math.floor((end - firstPoint) / stepMs) + 1;
  const shifts = scenario.events
    .filter((e) => e.levelShift !== undefined)
    .map((e) => ({ at: SIM_START + e.atHour * HOUR_MS, factor: 1 + (e.levelShift as number) / 100 }))
    .sort((a, b) => a.at - b.at);
  const drifts = scenario.events
    .filter((e) => e.unbeatableDrift === true)
    .map((e) => ({
      from: SIM_START + e.atHour * HOUR_MS,
      until: SIM_START + (e.untilHour ?? hours + 1) * HOUR_MS,
    }));
  const values = new Float64Array(pointCount);
  for (let i = 0; i < pointCount; i++) {
    const t = firstPoint + i * stepMs;
    // The product's generator, with its own level shift for the first shift event; later shifts multiply.
    let v = seriesValue(
      {
        seed: scenario.seed,
        levelShiftAt: shifts[0] ? new Date(shifts[0].at) : undefined,
        levelShiftFactor: shifts[0]?.factor ?? 1,
      },
      0,
      t,
    );
    for (const s of shifts.slice(1)) if (t >= s.at) v *= s.factor;
    if (drifts.some((d) => t >= d.from && t < d.until)) {
      const u1 = hashUniform(scenario.seed, 'drift', t, 1);
      const u2 = hashUniform(scenario.seed, 'drift', t, 2);
      const gaussian = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      v = Math.max(0.05 * v, v * (1 + DRIFT_NOISE * gaussian));
    }
    values[i] = Math.round(v * 1000) / 1000;
  }
  const indexAt = (t: number) => Math.floor((t - firstPoint) / stepMs);
  /** The data written by `t` (the generator writes each point at its timestamp), `from` inclusive. */
  const seriesUntil = (t: number, fromT: number): RegularSeries => {
    const last = Math.min(pointCount - 1, indexAt(t));
    const first = Math.max(0, Math.ceil((fromT - firstPoint) / stepMs));
    const out: (number | null)[] = [];
    for (let i = first; i <= last; i++) out.push(values[i]);
    return { start: firstPoint + first * stepMs, stepMs, values: out };
  };
  // ---------------------------------------------------------------- the tabular loop (model tabular)
  const isTabular = scenario.model === 'tabular';
  const tabular = tabularSettingsOf(scenario);
  const covariate = scenario.events.find((e) => e.covariateShift !== undefined);
  const tabularRecords = new TabularRecords(
    {
      seed: scenario.seed,
      problemType: 'regression',
      ...(covariate?.feature !== undefined
        ? {
            drift: {
              kind: 'covariate' as const,
              at: new Date(SIM_START + covariate.atHour * HOUR_MS),
              feature: covariate.feature,
              magnitude: covariate.covariateShift as number,
            },
          }
        : {}),
    },
    tabular.rowsPerHour,
  );
  const regimeChanges = [
    ...(isTabular && covariate !== undefined ? [SIM_START + covariate.atHour * HOUR_MS] : []),
    ...shifts.map((s) => s.at),
    ...drifts.flatMap((d) => [d.from, d.until]).filter((t) => t <= end),
  ].sort((a, b) => a - b);

  // ---------------------------------------------------------------- the world
  let now = SIM_START - 3 * HOUR_MS;
  const executions: SimExecution[] = [];
  const modelPackages: SimModelPackage[] = [];
  const built = new Map<number, BuiltModel>();
  const published: PublishedMessage[] = [];
  const events: LoopEvent[] = [];
  const parameters = new Map<string, string>();
  parameters.set(
    NAMES.gateParameter,
    policy.gateThreshold === undefined ? 'default' : String(policy.gateThreshold),
  );
  const actions: PendingAction[] = [];
  let actionOrder = 0;
  const schedule = (at: number, run: () => void) => actions.push({ at, order: actionOrder++, run });
  let executionCounter = 0;

  const build = (dataEnd: number, version: number, gate: number): BuiltModel | undefined => {
    if (isTabular) {
      const result = buildTabular(
        tabularRecords,
        dataEnd,
        tabular.trainingWindowHours,
        tabular.baselineWindowHours,
      );
      return result === undefined
        ? undefined
        : { version, tabular: result, gateMetric: result.testRmse, dataEnd, gate };
    }
    const window = seriesUntil(dataEnd, dataEnd - MODEL_BUILD_CONFIG.trainingWindowDays * 86_400_000);
    const model = fit(window);
    if (model === undefined) return undefined;
    const result = backtest(window, horizon, MODEL_BUILD_CONFIG.backtestWindows);
    return { version, deepar: { model, backtest: result }, gateMetric: result.meanWql, dataEnd, gate };
  };
  /** The pipeline's default gate: model-build's config (deepar) or the tabular settings' RMSE. */
  const defaultGate = isTabular ? tabular.gateRmse : MODEL_BUILD_CONFIG.defaultGateThreshold;
  const gateMetricName = isTabular ? 'test RMSE' : 'backtest mean wQL';
  /** The gate a build started now would use (the SSM parameter, `default` = the pipeline's). */
  const currentGate = (): number => {
    const value = parameters.get(NAMES.gateParameter);
    return value === undefined || value === 'default' ? defaultGate : Number(value);
  };
  const gateOf = (parametersOfRun: readonly Parameter[]): number => {
    const passed = parametersOfRun.find((p) => p.Name === 'GateThreshold')?.Value;
    return passed === undefined ? defaultGate : Number(passed);
  };

  let approvalDelayHours = people.modelApprovalDelayHours;
  let prodApprovalDelayHours = people.prodApprovalDelayHours;
  let rejectNext = false;

  /**
   * The retrain alarm of a stage: the accuracy alarm (deepar), or the data-quality drift alarm on
   * `feature_baseline_drift_<feature>` (tabular); both start with the retrain alarm name prefix.
   */
  const accuracyAlarmName = (stage: Stage): string =>
    isTabular
      ? `${NAMES.alarmPrefix}${stage}-${featureBaselineDriftMetric(tabular.alarmFeature)}`
      : `${NAMES.alarmPrefix}${stage}`;
  const stageStates = {} as Record<Stage, StageState>;
  const thresholdStates = {} as Record<Stage, ThresholdState>;
  const inFlightDeploys = new Set<number>();

  const world: FakeWorld = {
    now: () => now,
    pipelineName: NAMES.pipeline,
    modelPackageGroupName: NAMES.modelPackageGroup,
    executions,
    modelPackages,
    parameters,
    published,
    alarms: (): SimAlarmView[] =>
      STAGES.map((stage) => {
        const s = stageStates[stage];
        const common = {
          name: s.accuracy.name,
          arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${s.accuracy.name}`,
          state: s.accuracy.state,
          stateTransitionedAt: s.accuracy.stateTransitionedAt,
          stateUpdatedAt: s.accuracy.stateUpdatedAt,
          stage,
        };
        if (isTabular) {
          // Model Monitor's metric: its namespace and dimensions only (no ModelVersion dimension).
          return {
            ...common,
            namespace: DATA_QUALITY_NAMESPACE,
            singleMetric: {
              metricName: featureBaselineDriftMetric(tabular.alarmFeature),
              dimensions: [
                { Name: 'Endpoint', Value: names.endpoint(PROJECT, stage) },
                { Name: 'MonitoringSchedule', Value: dataQualitySchedule(stage) },
              ],
              statistic: 'Sum',
              threshold: tabular.driftThreshold,
            },
          };
        }
        return { ...common, modelVersion: String(s.alarmVersion), namespace: NAMES.namespace };
      }),
    startExecution: (pipelineParameters, token) => {
      executionCounter += 1;
      const execution: SimExecution = {
        arn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/${NAMES.pipeline}/execution/sim${String(executionCounter).padStart(5, '0')}`,
        status: 'Executing',
        startTime: now,
        lastModifiedTime: now,
        parameters: pipelineParameters,
        clientRequestToken: token,
      };
      executions.push(execution);
      const reason = pipelineParameters.find((p) => p.Name === 'TriggerReason')?.Value ?? '';
      events.push({
        at: now,
        kind: reason.startsWith(TRIGGER_REASON_PREFIX) ? 'retrain-started' : 'build-started',
        detail: reason,
      });
      onRetrainStart(execution);
      const dataEnd = now;
      schedule(now + people.trainingHours * HOUR_MS, () => finishExecution(execution, dataEnd));
      return execution;
    },
  };

  const registerPackage = (model: BuiltModel, approval: SimModelPackage['approval']): SimModelPackage => {
    const pkg: SimModelPackage = {
      arn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/${NAMES.modelPackageGroup}/${model.version}`,
      version: model.version,
      creationTime: now,
      approval,
    };
    modelPackages.push(pkg);
    built.set(model.version, model);
    return pkg;
  };

  const finishExecution = (execution: SimExecution, dataEnd: number) => {
    const version = modelPackages.length + 1;
    const gate = gateOf(execution.parameters);
    const candidate = build(dataEnd, version, gate);
    execution.lastModifiedTime = now;
    const mean = candidate?.gateMetric ?? null;
    if (candidate === undefined || mean === null || !(mean <= gate)) {
      // GateOnMeanWql → RejectModel (a Fail step): the execution fails, nothing is registered.
      execution.status = 'Failed';
      events.push({
        at: now,
        kind: 'execution-finished',
        detail: `Failed: ${gateMetricName} ${mean?.toFixed(4) ?? 'undefined'} > gate ${gate}`,
      });
      return;
    }
    execution.status = 'Succeeded';
    const pkg = registerPackage(candidate, 'PendingManualApproval');
    events.push({
      at: now,
      kind: 'model-registered',
      detail: `v${version} ${gateMetricName} ${mean.toFixed(4)} ≤ gate ${gate}`,
      modelVersion: version,
    });
    const reject = rejectNext;
    rejectNext = false;
    schedule(now + approvalDelayHours * HOUR_MS, () => {
      if (reject) {
        pkg.approval = 'Rejected';
        events.push({
          at: now,
          kind: 'model-rejected',
          detail: `v${pkg.version} rejected`,
          modelVersion: pkg.version,
        });
        return;
      }
      pkg.approval = 'Approved';
      humanNeededOpen = false;
      events.push({
        at: now,
        kind: 'model-approved',
        detail: `v${pkg.version} approved`,
        modelVersion: pkg.version,
      });
      startDeploy(pkg.version);
    });
  };

  const setThreshold = (stage: Stage, version: number) => {
    // Tabular: the alarm threshold is the constraints' comparison threshold, fixed; no policy.
    if (isTabular) return;
    const model = built.get(version);
    const decision = decideThreshold({
      stage,
      current: thresholdStates[stage],
      deployment: { modelVersion: String(version), stage, status: 'Succeeded' },
      backtest: model?.deepar
        ? { modelVersion: String(version), windowWql: model.deepar.backtest.windowWql }
        : undefined,
      // #14 finding 8: the alarm threshold never exceeds the gate the version passed.
      ...(model !== undefined ? { gateThreshold: model.gate } : {}),
    });
    thresholdStates[stage] = { stage, modelVersion: decision.modelVersion, threshold: decision.threshold };
    stageStates[stage].thresholdParameter =
      decision.threshold === null
        ? 'unset'
        : JSON.stringify({ threshold: decision.threshold, modelVersion: decision.modelVersion, stage });
  };

  const deployTo = (stage: Stage, version: number, then?: () => void) => {
    const s = stageStates[stage];
    s.endpointStatus = 'Updating';
    schedule(now + people.deployHours * HOUR_MS, () => {
      s.serving = version;
      s.endpointStatus = 'InService';
      s.deployedAt = now;
      // Tabular: the drift alarm's threshold is fixed, so there is no warm-up.
      s.warmedUp = isTabular;
      setThreshold(stage, version);
      // Endpoint IN_SERVICE → the monitoring pipeline re-points the alarm at the new ModelVersion.
      // PutMetricAlarm keeps the state; CloudWatch evaluates the updated alarm within about a minute,
      // modelled as right away.
      s.alarmVersion = version;
      evaluateAccuracy(stage);
      events.push({
        at: now,
        kind: 'deployed',
        stage,
        detail: `v${version} on ${stage}`,
        modelVersion: version,
      });
      then?.();
    });
  };

  const startDeploy = (version: number) => {
    inFlightDeploys.add(version);
    deployTo('staging', version, () => {
      schedule(now + prodApprovalDelayHours * HOUR_MS, () => {
        deployTo('prod', version, () => inFlightDeploys.delete(version));
      });
    });
  };

  for (const stage of STAGES) {
    stageStates[stage] = {
      serving: null,
      endpointStatus: 'InService',
      alarmVersion: 1,
      thresholdParameter: 'unset',
      accuracy: new SimulatedAlarm(accuracyAlarmName(stage), accuracySettings, SIM_START),
      freshness: new SimulatedAlarm(`freshness-${stage}`, freshnessSettings, SIM_START),
      forecasts: [],
      meanWql: new Map(),
      threshold: new Map(),
      points: new Map(),
      deployedAt: SIM_START,
      // Tabular: the drift alarm's threshold is fixed from the start (no warm-up).
      warmedUp: isTabular,
    };
    thresholdStates[stage] = { stage, modelVersion: null, threshold: null };
  }

  // The project's first build (TriggerReason=push) ran before hour 0; its model was approved and deployed.
  {
    const first = build(SIM_START - 3 * HOUR_MS, 1, currentGate());
    if (first === undefined) throw new Error('the backfill is too short to train the first model');
    executionCounter += 1;
    executions.push({
      arn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:pipeline/${NAMES.pipeline}/execution/sim00000`,
      status: 'Succeeded',
      startTime: SIM_START - 3 * HOUR_MS,
      lastModifiedTime: SIM_START - HOUR_MS,
      parameters: [{ Name: 'TriggerReason', Value: 'push' }],
    });
    now = SIM_START - HOUR_MS;
    registerPackage(first, 'Approved');
    now = SIM_START;
    for (const stage of STAGES) {
      stageStates[stage].serving = 1;
      setThreshold(stage, 1);
    }
  }

  // ---------------------------------------------------------------- the retrain Lambda
  const environment: Record<string, string> = {
    ALARM_NAME_PREFIX: NAMES.alarmPrefix,
    MODEL_BUILD_PIPELINE_NAME: NAMES.pipeline,
    MODEL_PACKAGE_GROUP_NAME: NAMES.modelPackageGroup,
    NOTIFICATION_TOPIC_ARN: NAMES.topicArn,
    METRIC_NAMESPACE: NAMES.namespace,
    RECHECK_INTERVAL_MINUTES: '60',
    GATE_THRESHOLD_PARAMETER_NAME: NAMES.gateParameter,
  };
  if (policy.cooldownMinutes !== undefined) {
    environment.RETRAIN_COOLDOWN_MINUTES = String(policy.cooldownMinutes);
  }
  if (policy.maxAttempts !== undefined) environment.RETRAIN_MAX_ATTEMPTS = String(policy.maxAttempts);
  if (policy.attemptWindowMinutes !== undefined) {
    environment.RETRAIN_ATTEMPT_WINDOW_MINUTES = String(policy.attemptWindowMinutes);
  }
  const config = loadConfig(environment);
  const clients: RetrainClients = {
    sagemaker: new FakeSageMaker(world) as unknown as SageMakerClient,
    cloudwatch: new FakeCloudWatch(world) as unknown as CloudWatchClient,
    sns: new FakeSns(world) as unknown as SNSClient,
    ssm: new FakeSsm(world) as unknown as SSMClient,
  };
  const decisionContext = { config, clients, logger: SILENT_LOGGER, now: () => new Date(now) };
  const invokeRetrain = async (event: unknown) => {
    const outcome = await runRetrainDecision(event, decisionContext);
    events.push({
      at: now,
      kind: 'retrain-decision',
      detail: `${outcome.trigger}: ${outcome.decision} ${outcome.reason}`,
    });
  };

  // ---------------------------------------------------------------- measurements
  let retrainsWhileAwaitingApproval = 0;
  let retrainsAfterHumanNeeded = 0;
  let retrainsInStationaryStretches = 0;
  let maxConcurrent = 0;
  let humanNeededOpen = false;
  let lastRetrainAt = -Infinity;
  function onRetrainStart(execution: SimExecution): void {
    const reason = execution.parameters.find((p) => p.Name === 'TriggerReason')?.Value ?? '';
    if (!reason.startsWith(TRIGGER_REASON_PREFIX)) return;
    lastRetrainAt = now;
    const awaiting =
      modelPackages.some((p) => p.approval === 'PendingManualApproval') || inFlightDeploys.size > 0;
    if (awaiting) retrainsWhileAwaitingApproval += 1;
    if (humanNeededOpen) retrainsAfterHumanNeeded += 1;
    const servingProd = stageStates.prod.serving;
    const dataEnd = servingProd === null ? -Infinity : (built.get(servingProd)?.dataEnd ?? -Infinity);
    if (!regimeChanges.some((t) => t > dataEnd - REGIME_SEEN_MS && t <= now)) {
      retrainsInStationaryStretches += 1;
    }
  }
  const countRunning = () => executions.filter((e) => e.status === 'Executing').length;

  // Deadlock: an accuracy alarm in ALARM, nothing in flight (no execution, no model waiting for a
  // person or a deploy), a build now would pass the gate, and no retrain for longer than a week plus
  // the cooldown (the longest wait the loop's own rules justify) — the loop is stuck, not waiting.
  const deadlockAfterMs = 7 * 24 * HOUR_MS + config.cooldownMinutes * MINUTE_MS + 2 * HOUR_MS;
  let stallSince: number | undefined;
  let deadlocked = false;
  const checkDeadlock = () => {
    const inAlarm = STAGES.some((s) => stageStates[s].accuracy.state === 'ALARM');
    const inFlight =
      countRunning() > 0 ||
      inFlightDeploys.size > 0 ||
      modelPackages.some((p) => p.approval === 'PendingManualApproval');
    if (!inAlarm || inFlight || lastRetrainAt > (stallSince ?? -Infinity)) {
      stallSince = undefined;
      if (!inAlarm || inFlight) return;
    }
    if (stallSince === undefined) {
      const mean = build(now, -1, currentGate())?.gateMetric;
      if (mean !== undefined && mean !== null && mean <= currentGate()) stallSince = now;
      return;
    }
    if (now - stallSince > deadlockAfterMs) deadlocked = true;
  };

  const periods: Record<Stage, StagePeriod[]> = { staging: [], prod: [] };
  const accuracyAlarmTransitions: SimulationResult['accuracyAlarmTransitions'] = { staging: [], prod: [] };
  let warmUpReAlarms = 0;

  // ---------------------------------------------------------------- the collector (one stage)
  const evaluationWindowMs = collector.evaluationHorizons * horizon * stepMs;
  const graceMs = collector.groundTruthGracePeriods * stepMs;
  // Live context as the collector sends it (requestContextSteps in the seed's collect.ts): the configured
  // contextLength, else the data window a build of this frequency and horizon trains and backtests on.
  const contextSteps =
    (collector as { contextLength?: number }).contextLength ??
    dataWindowSteps({ frequency: { stepMs }, predictionLength: horizon });
  const readPoints = Math.max(contextSteps, horizon + collector.groundTruthGracePeriods + 1);
  const outages = scenario.events
    .filter((e) => e.collectorOutageHours !== undefined)
    .map((e) => ({
      from: SIM_START + e.atHour * HOUR_MS,
      until: SIM_START + (e.atHour + (e.collectorOutageHours as number)) * HOUR_MS,
    }));
  let inferenceCounter = 0;
  const evaluationCache = new Map<string, ReturnType<typeof evaluateWindow>>();
  let windowCache: { at: number; window: ReturnType<typeof buildSeriesWindow> } | undefined;
  let forecastCache: { key: string; value: ReturnType<typeof forecast> } | undefined;

  const runCollector = (stage: Stage, periodIndex: number) => {
    const s = stageStates[stage];
    const readFrom = now - readPoints * stepMs;
    // Both stages read the same data at the same time: one window per run time.
    if (windowCache?.at !== now) {
      const observations: Observation[] = [];
      for (
        let i = Math.max(0, Math.ceil((readFrom - firstPoint) / stepMs));
        i <= Math.min(pointCount - 1, indexAt(now));
        i++
      ) {
        observations.push({ itemId: null, timestamp: firstPoint + i * stepMs, value: values[i] });
      }
      windowCache = { at: now, window: buildSeriesWindow(observations) };
    }
    const window = windowCache.window;
    const latest = latestObservation(window);
    const newData = latest !== undefined && (s.lastObservedAt === undefined || latest > s.lastObservedAt);
    const currentVersion = s.endpointStatus === 'InService' && s.serving !== null ? String(s.serving) : null;

    // One forecast of this stage's endpoint per new context (the stand-in serves the version's model).
    if (
      latest !== undefined &&
      currentVersion !== null &&
      (s.lastContextEnd === undefined || latest > s.lastContextEnd)
    ) {
      const model = built.get(s.serving as number) as BuiltModel;
      // The same version forecasts the same context identically on both stages.
      const forecastKey = `${s.serving}@${latest}`;
      if (forecastCache?.key !== forecastKey) {
        const fitted = model.deepar?.model as FittedModel;
        forecastCache = { key: forecastKey, value: forecast(fitted, latest + stepMs, horizon) };
      }
      const f = forecastCache.value;
      inferenceCounter += 1;
      s.forecasts.push({
        forecast: {
          version: 1,
          inferenceId: `${stage}-${inferenceCounter}`,
          stage,
          endpointName: names.endpoint(PROJECT, stage),
          modelVersion: currentVersion,
          modelVersionSource: 'model-package',
          invokedVariant: 'AllTraffic',
          createdAt: isoSeconds(now),
          frequency: scenario.frequency,
          stepMs,
          predictionLength: horizon,
          dueAt: isoSeconds(latest + horizon * stepMs),
          instances: [
            { itemId: null, contextEnd: isoSeconds(latest), forecastStart: isoSeconds(latest + stepMs) },
          ],
          forecasts: [{ quantiles: f.quantiles, mean: f.mean }],
        },
        dueAt: latest + horizon * stepMs,
        targets: null,
        expired: false,
      });
      s.lastContextEnd = latest;
    }

    // Ground truth of matured forecasts (maturity and grace: the collector's core).
    const listFrom = now - Math.max(evaluationWindowMs, graceMs + stepMs);
    const listTo = Math.max(now, latest ?? now);
    const matured: MaturedForecast[] = [];
    s.forecasts = s.forecasts.filter((entry) => entry.dueAt > listFrom - evaluationWindowMs);
    for (const entry of s.forecasts) {
      const dueAt = entry.dueAt;
      if (dueAt <= listFrom || dueAt > listTo) continue;
      if (entry.targets === null && !entry.expired) {
        const maturity = forecastMaturity(entry.forecast, window, now, graceMs);
        if (maturity.state === 'pending') continue;
        if (maturity.observedPoints > 0) entry.targets = maturity.targets;
        else entry.expired = true;
      }
      if (entry.targets !== null && dueAt > now - evaluationWindowMs) {
        matured.push({ forecast: entry.forecast, targets: entry.targets });
      }
    }
    // Both stages usually serve the same version on the same data at the same time: their matured
    // forecasts are then identical, and so is the (real) evaluation; it is computed once.
    const evaluationKey = [
      now,
      currentVersion,
      matured.length,
      matured[0]?.forecast.instances[0].contextEnd,
      matured[matured.length - 1]?.forecast.instances[0].contextEnd,
      matured.map((m) => m.forecast.modelVersion).join(','),
    ].join('|');
    let evaluation = evaluationCache.get(evaluationKey);
    if (evaluation === undefined) {
      evaluation = evaluateWindow(matured, currentVersion);
      evaluationCache.clear();
      evaluationCache.set(evaluationKey, evaluation);
    }
    const publication = decidePublication({
      stage,
      newData,
      modelVersion: currentVersion,
      points: evaluation.accuracy.points,
      meanWql: evaluation.accuracy.mean_wQL,
      accuracyReason: evaluation.accuracy.reason,
      minPointsEvaluated: collector.minPointsEvaluated,
      threshold: parseThresholdParameter(s.thresholdParameter, stage),
    });
    if (latest !== undefined) s.lastObservedAt = Math.max(latest, s.lastObservedAt ?? -Infinity);
    s.points.set(periodIndex, publication.pointsEvaluated);
    if (currentVersion !== null && publication.meanWql !== undefined) {
      const v = Number(currentVersion);
      if (!s.meanWql.has(v)) s.meanWql.set(v, new Map());
      s.meanWql.get(v)?.set(periodIndex, publication.meanWql);
      if (publication.threshold !== undefined) {
        if (!s.threshold.has(v)) s.threshold.set(v, new Map());
        s.threshold.get(v)?.set(periodIndex, publication.threshold);
        if (s.serving === v) s.warmedUp = true;
      }
    }
    return publication;
  };

  /**
   * Tabular: one execution of a stage's hourly data-quality monitoring schedule — the records the
   * endpoint captured in the hour that just ended against the baseline of the version the monitoring
   * stack points at; publishes `feature_baseline_drift_<feature>` of the alarm's feature (stored like
   * the DeepAR loop's mean wQL, by version and period, with the fixed threshold).
   */
  const runMonitoringExecution = (stage: Stage, periodIndex: number): PeriodPublication => {
    const s = stageStates[stage];
    // At hour 0 the execution analyses the hour before it against the first model's baseline, as if
    // that model had served it: no empty first execution (the tabular loop has no warm-up).
    const hourStart = SIM_START + periodIndex * periodMs - HOUR_MS;
    const captured = tabularRecords.hour(hourStart);
    const baseline = built.get(s.alarmVersion)?.tabular?.baseline[tabular.alarmFeature];
    s.points.set(periodIndex, captured.length);
    if (baseline === undefined || captured.length === 0) return { pointsEvaluated: captured.length };
    const drift = baselineDrift(
      baseline,
      captured.map((r) => r.numeric[tabular.alarmFeature]),
    );
    const v = s.alarmVersion;
    if (!s.meanWql.has(v)) s.meanWql.set(v, new Map());
    s.meanWql.get(v)?.set(periodIndex, drift);
    if (!s.threshold.has(v)) s.threshold.set(v, new Map());
    s.threshold.get(v)?.set(periodIndex, tabular.driftThreshold);
    return { meanWql: drift, threshold: tabular.driftThreshold, pointsEvaluated: captured.length };
  };

  /** Evaluates a stage's accuracy alarm (metric math `wql - thr` of the version it watches) now. */
  function evaluateAccuracy(stage: Stage) {
    const s = stageStates[stage];
    const version = s.alarmVersion;
    const accuracyPoint = (i: number): RangePoint => {
      const w = s.meanWql.get(version)?.get(i);
      const t = s.threshold.get(version)?.get(i);
      return w === undefined || t === undefined ? null : w - t > 0;
    };
    const transition = s.accuracy.evaluate(Math.floor((now - SIM_START) / periodMs), accuracyPoint, now);
    if (transition !== undefined) {
      accuracyAlarmTransitions[stage].push(transition);
      events.push({
        at: now,
        kind: 'alarm-transition',
        stage,
        detail: `${transition.from} → ${transition.to}`,
      });
      if (transition.to === 'ALARM' && !s.warmedUp) warmUpReAlarms += 1;
    }
    return transition;
  }

  // ---------------------------------------------------------------- the clock
  const lastPublication: Record<Stage, PeriodPublication | undefined> = {
    staging: undefined,
    prod: undefined,
  };
  for (now = SIM_START; now < end; now += TICK_MS) {
    // World actions due (execution ends, approvals, deploy steps), in time order.
    actions.sort((a, b) => a.at - b.at || a.order - b.order);
    while (actions.length > 0 && actions[0].at <= now) (actions.shift() as PendingAction).run();
    for (const e of scenario.events) {
      if (SIM_START + e.atHour * HOUR_MS > now - TICK_MS && SIM_START + e.atHour * HOUR_MS <= now) {
        if (e.approvalDelayHours !== undefined) approvalDelayHours = e.approvalDelayHours;
        if (e.prodApprovalDelayHours !== undefined) prodApprovalDelayHours = e.prodApprovalDelayHours;
        if (e.rejectNextModel === true) rejectNext = true;
      }
    }
    maxConcurrent = Math.max(maxConcurrent, countRunning());
    const minute = Math.round(((now - SIM_START) % HOUR_MS) / MINUTE_MS);
    const periodIndex = Math.floor((now - SIM_START) / periodMs);
    const periodStart = SIM_START + periodIndex * periodMs;

    if (minute === 5 && (now - periodStart) % periodMs === 5 * MINUTE_MS) {
      const down = outages.some((o) => now >= o.from && now < o.until);
      for (const stage of STAGES) {
        lastPublication[stage] = down
          ? undefined
          : isTabular
            ? runMonitoringExecution(stage, periodIndex)
            : runCollector(stage, periodIndex);
      }
    }
    if (minute === 10 && (now - periodStart) % periodMs === 10 * MINUTE_MS) {
      for (const stage of STAGES) {
        const s = stageStates[stage];
        const freshnessPoint = (i: number): RangePoint => {
          const p = s.points.get(i);
          return p === undefined ? null : p < 1;
        };
        const accuracy = evaluateAccuracy(stage);
        const freshness = s.freshness.evaluate(periodIndex, freshnessPoint, now);
        if (freshness !== undefined && freshness.to !== 'INSUFFICIENT_DATA') {
          // The freshness alarm's actions: SNS on ALARM and on OK.
          published.push({
            at: now,
            topicArn: NAMES.topicArn,
            subject: `${freshness.to}: freshness ${stage}`,
            event: freshness.to === 'ALARM' ? 'freshness-alarm' : 'freshness-ok',
            message: '',
          });
          events.push({ at: now, kind: 'notification', stage, detail: `freshness ${freshness.to}` });
        }
        if (accuracy?.to === 'ALARM') {
          // The product's EventBridge rule (prefix, state ALARM) → the retrain Lambda.
          await invokeRetrain(alarmStateChangeEvent(s.accuracy.name, accuracy.from, now));
        }
        const pub = lastPublication[stage];
        periods[stage].push({
          hour: (now - SIM_START) / HOUR_MS,
          meanWql: pub?.meanWql ?? null,
          threshold: pub?.threshold ?? null,
          pointsEvaluated: pub?.pointsEvaluated ?? null,
          modelVersion: pub === undefined ? null : s.serving === null ? null : String(s.serving),
          accuracyAlarm: s.accuracy.state,
          freshnessAlarm: s.freshness.state,
        });
        lastPublication[stage] = undefined;
      }
    }
    if (minute === 30) {
      const before = published.length;
      await invokeRetrain({ action: 'recheck', scheduledTime: isoSeconds(now) });
      for (const m of published.slice(before)) {
        if (m.event === 'retrain-attempts-exhausted') humanNeededOpen = true;
      }
      checkDeadlock();
    }
    for (const m of published) {
      if (m.at === now && m.event !== null && m.event.startsWith('retrain')) {
        events.push({ at: now, kind: 'notification', detail: m.event });
      }
    }
  }

  return {
    scenario,
    stepMs,
    periodMs,
    hours,
    periods,
    events: events.sort((a, b) => a.at - b.at),
    executions,
    modelPackages,
    published,
    config,
    retrainsWhileAwaitingApproval,
    retrainsAfterHumanNeeded,
    maxConcurrentExecutions: maxConcurrent,
    deadlocked,
    retrainsInStationaryStretches,
    regimeChanges: regimeChanges.map((t) => (t - SIM_START) / HOUR_MS),
    accuracyAlarmTransitions,
    warmUpReAlarms,
    evaluationPeriods: accuracySettings.evaluationPeriods,
  };
}

/** The EventBridge `CloudWatch Alarm State Change` event of an accuracy alarm entering ALARM. */
export function alarmStateChangeEvent(
  alarmName: string,
  previous: AlarmState,
  at: number,
): Record<string, unknown> {
  return {
    version: '0',
    id: `sim-${alarmName}-${at}`,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: ACCOUNT,
    time: isoSeconds(at),
    region: REGION,
    resources: [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarmName}`],
    detail: {
      alarmName,
      state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: new Date(at).toISOString() },
      previousState: { value: previous },
      configuration: { metrics: [] },
    },
  };
}

/** The cooldown the run used (minutes). */
export function cooldownOf(result: SimulationResult): number {
  return result.config.cooldownMinutes ?? CONFIG_DEFAULTS.cooldownMinutes;
}
