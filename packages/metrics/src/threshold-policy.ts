// Alarm-threshold policy for live forecast accuracy (pure functions, no I/O). A model version's
// threshold comes from its own backtest (an upper percentile of per-window mean wQL × a tolerance)
// and takes effect only once THAT version is successfully deployed to THAT stage; warm-up counts
// only forecasts of the current version and waits for enough matured points. The reference
// formula θ_new = (1−r)·ℓ_new + r·θ_old is available as a policy for comparison.
//
// Alarm threshold, gate and model version (#14 finding 8): the model-build gate admits a version v
// when v's backtest mean wQL ≤ gate; v's alarm threshold is min(policy value, gate) — capped at the gate
// it was admitted with, so it never exceeds the gate and a worse model never gets a laxer alarm than
// the gate allows; it belongs to v alone (the alarm's ModelVersion dimension) and is used only after
// v's warm-up on that stage.

/** How a new threshold is computed. */
export type ThresholdPolicyName = 'backtest-percentile' | 'reference-ewma';

export const DEFAULT_THRESHOLD_PERCENTILE = 90;
export const DEFAULT_THRESHOLD_TOLERANCE = 1.2;
export const DEFAULT_MIN_BACKTEST_WINDOWS = 1;
export const DEFAULT_MIN_MATURED_POINTS = 100;

export interface ThresholdPolicyOptions {
  /** Default `'backtest-percentile'`. */
  readonly policy?: ThresholdPolicyName;
  /** Percentile (0–100] of the per-window backtest wQL; default 90. */
  readonly percentile?: number;
  /** Multiplier (> 0) applied to the percentile; default 1.2. */
  readonly tolerance?: number;
  /** Backtest windows with a defined wQL needed before a threshold is derived; default 1. */
  readonly minBacktestWindows?: number;
  /** r in θ_new = (1−r)·ℓ_new + r·θ_old; required by `'reference-ewma'`, in [0, 1]. */
  readonly retention?: number;
}

/** The threshold in force for a stage's accuracy alarm. */
export interface ThresholdState {
  readonly stage: string;
  /** The model version the threshold was derived for; `null` before any. */
  readonly modelVersion: string | null;
  /** The threshold on mean wQL; `null` = none yet. */
  readonly threshold: number | null;
}

export type DeploymentStatus = 'Succeeded' | 'Failed' | 'InProgress' | 'Stopped';

/** A deployment of a model version to a stage (e.g. from the deploy pipeline or an endpoint event). */
export interface DeploymentRecord {
  readonly modelVersion: string;
  readonly stage: string;
  readonly status: DeploymentStatus;
}

/** A model version's backtest: mean wQL of each backtest window (`null` = undefined window). */
export interface ModelBacktest {
  readonly modelVersion: string;
  readonly windowWql: ReadonlyArray<number | null>;
}

/** ℓ_new of the reference formula: the loss of the newly deployed model version. */
export interface ModelLoss {
  readonly modelVersion: string;
  readonly value: number;
}

export interface DecideThresholdInput {
  /** The stage whose alarm threshold is decided. */
  readonly stage: string;
  /** The threshold in force. */
  readonly current: ThresholdState;
  /** The deployment being handled; no new threshold without a successful one of this stage. */
  readonly deployment?: DeploymentRecord;
  /** The deployed version's backtest (policy `'backtest-percentile'`). */
  readonly backtest?: ModelBacktest;
  /** The deployed version's loss (policy `'reference-ewma'`). */
  readonly newModelLoss?: ModelLoss;
  /**
   * The model-build gate the deployed version passed (backtest mean wQL ≤ gate): the threshold is
   * capped at it. Omitted: no cap (the threshold may then exceed the gate for a poor model).
   */
  readonly gateThreshold?: number;
  readonly options?: ThresholdPolicyOptions;
}

export interface ThresholdDecision {
  /** Whether `threshold` differs from the one in force (a new threshold was derived). */
  readonly changed: boolean;
  readonly threshold: number | null;
  readonly modelVersion: string | null;
  readonly policy: ThresholdPolicyName;
  readonly reason: string;
}

/**
 * The `p`-th percentile (0 < p ≤ 100) of the values, linearly interpolated between closest ranks
 * (numpy's default). Throws on an empty list or non-finite values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!values.every(Number.isFinite)) throw new RangeError('percentile of non-finite values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
}

/**
 * The alarm threshold a backtest supports: percentile(per-window wQL) × tolerance, over the
 * windows whose wQL is defined. `undefined` when fewer than `minBacktestWindows` are defined.
 */
export function backtestThreshold(
  windowWql: ReadonlyArray<number | null>,
  options: ThresholdPolicyOptions = {},
): number | undefined {
  const { percentile: p, tolerance, minBacktestWindows } = resolveOptions(options);
  const defined = windowWql.filter((w): w is number => w !== null);
  if (!defined.every((w) => Number.isFinite(w) && w >= 0)) {
    throw new RangeError('backtest window wQL values must be finite and non-negative (or null)');
  }
  if (defined.length === 0 || defined.length < minBacktestWindows) return undefined;
  return percentile(defined, p) * tolerance;
}

/** The reference formula: θ_new = (1−r)·ℓ_new + r·θ_old (θ_new = ℓ_new when there is no θ_old). */
export function referenceEwmaThreshold(
  newLoss: number,
  oldThreshold: number | null,
  retention: number,
): number {
  checkRetention(retention);
  if (!Number.isFinite(newLoss) || newLoss < 0) {
    throw new RangeError(`the new loss must be finite and ≥ 0, got ${newLoss}`);
  }
  return oldThreshold === null ? newLoss : (1 - retention) * newLoss + retention * oldThreshold;
}

/**
 * Decides the threshold after a deployment event. A new threshold is returned only for a
 * successful deployment of a model version to this stage, derived from that version's own
 * backtest (or, with `'reference-ewma'`, its loss); otherwise the current threshold is returned
 * unchanged with the reason. Throws `RangeError` on invalid options.
 */
export function decideThreshold(input: DecideThresholdInput): ThresholdDecision {
  const options = resolveOptions(input.options ?? {});
  const { current, deployment, stage } = input;
  const unchanged = (reason: string): ThresholdDecision => ({
    changed: false,
    threshold: current.threshold,
    modelVersion: current.modelVersion,
    policy: options.policy,
    reason,
  });
  if (current.stage !== stage) {
    throw new RangeError(`the current threshold is of stage ${current.stage}, not ${stage}`);
  }
  if (deployment === undefined) return unchanged('no deployment record: the threshold is kept');
  const version = deployment.modelVersion;
  if (deployment.stage !== stage) {
    return unchanged(
      `the deployment of ${version} is to stage ${deployment.stage}, not ${stage}: the threshold is kept`,
    );
  }
  if (deployment.status !== 'Succeeded') {
    return unchanged(
      `the deployment of ${version} to ${stage} is ${deployment.status}, not Succeeded: the threshold is kept`,
    );
  }
  if (current.modelVersion === version && current.threshold !== null) {
    return unchanged(`the threshold of ${version} on ${stage} is already set`);
  }

  let threshold: number;
  let how: string;
  if (options.policy === 'backtest-percentile') {
    const backtest = input.backtest;
    if (backtest === undefined) return unchanged(`no backtest of ${version}: the threshold is kept`);
    if (backtest.modelVersion !== version) {
      return unchanged(
        `the backtest is of ${backtest.modelVersion}, not of the deployed ${version}: the threshold is kept`,
      );
    }
    const derived = backtestThreshold(backtest.windowWql, options);
    if (derived === undefined) {
      return unchanged(
        `the backtest of ${version} has fewer than ${Math.max(1, options.minBacktestWindows)} windows with a defined wQL: the threshold is kept`,
      );
    }
    threshold = derived;
    how = `p${options.percentile} of ${version}'s backtest window wQL × ${options.tolerance}`;
  } else {
    const loss = input.newModelLoss;
    if (options.retention === undefined) {
      throw new RangeError("policy 'reference-ewma' needs options.retention (r)");
    }
    if (loss === undefined) return unchanged(`no loss of ${version}: the threshold is kept`);
    if (loss.modelVersion !== version) {
      return unchanged(
        `the loss is of ${loss.modelVersion}, not of the deployed ${version}: the threshold is kept`,
      );
    }
    threshold = referenceEwmaThreshold(loss.value, current.threshold, options.retention);
    how = `(1−${options.retention})·${loss.value} + ${options.retention}·${current.threshold ?? loss.value}`;
  }
  if (input.gateThreshold !== undefined) {
    if (!(Number.isFinite(input.gateThreshold) && input.gateThreshold > 0)) {
      throw new RangeError(`gateThreshold must be a finite number > 0, got ${input.gateThreshold}`);
    }
    if (threshold > input.gateThreshold) {
      how = `${how} = ${threshold}, capped at the gate ${input.gateThreshold}`;
      threshold = input.gateThreshold;
    }
  }
  return {
    changed: threshold !== current.threshold || current.modelVersion !== version,
    threshold,
    modelVersion: version,
    policy: options.policy,
    reason: `set after the successful deployment of ${version} to ${stage}: ${how}`,
  };
}

/**
 * Warm-up filter: the forecasts made by `modelVersion` (records without a version do not count).
 */
export function forecastsOfModelVersion<T extends { readonly modelVersion?: string | null }>(
  records: Iterable<T>,
  modelVersion: string,
): T[] {
  const out: T[] = [];
  for (const record of records) if (record.modelVersion === modelVersion) out.push(record);
  return out;
}

export interface WarmUpInput {
  /** The model version serving on the stage now. */
  readonly currentModelVersion: string;
  /** The threshold in force. */
  readonly state: ThresholdState;
  /** Matured (observed) points of forecasts made by the current model version. */
  readonly maturedPoints: number;
  /** Points needed before the threshold is used; default 100. */
  readonly minMaturedPoints?: number;
}

export interface WarmUpStatus {
  /** Whether accuracy should be compared with the threshold now. */
  readonly active: boolean;
  readonly threshold: number | null;
  readonly maturedPoints: number;
  readonly minMaturedPoints: number;
  readonly reason: string;
}

/**
 * Whether the threshold is in effect: it must belong to the current model version and enough
 * matured points of that version's forecasts must have been observed.
 */
export function warmUpStatus(input: WarmUpInput): WarmUpStatus {
  const minMaturedPoints = input.minMaturedPoints ?? DEFAULT_MIN_MATURED_POINTS;
  if (!Number.isInteger(minMaturedPoints) || minMaturedPoints < 0) {
    throw new RangeError(`minMaturedPoints must be a non-negative integer, got ${minMaturedPoints}`);
  }
  if (!Number.isInteger(input.maturedPoints) || input.maturedPoints < 0) {
    throw new RangeError(`maturedPoints must be a non-negative integer, got ${input.maturedPoints}`);
  }
  const { state, currentModelVersion, maturedPoints } = input;
  const status = (active: boolean, reason: string): WarmUpStatus => ({
    active,
    threshold: state.threshold,
    maturedPoints,
    minMaturedPoints,
    reason,
  });
  if (state.threshold === null) return status(false, 'no threshold is set yet');
  if (state.modelVersion !== currentModelVersion) {
    return status(
      false,
      `the threshold belongs to ${state.modelVersion ?? 'no model version'}, not to the current ${currentModelVersion}`,
    );
  }
  if (maturedPoints < minMaturedPoints) {
    return status(
      false,
      `warming up: ${maturedPoints} of ${minMaturedPoints} matured points of ${currentModelVersion}`,
    );
  }
  return status(true, `${maturedPoints} matured points of ${currentModelVersion} (≥ ${minMaturedPoints})`);
}

interface ResolvedOptions {
  readonly policy: ThresholdPolicyName;
  readonly percentile: number;
  readonly tolerance: number;
  readonly minBacktestWindows: number;
  readonly retention: number | undefined;
}

function resolveOptions(options: ThresholdPolicyOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    policy: options.policy ?? 'backtest-percentile',
    percentile: options.percentile ?? DEFAULT_THRESHOLD_PERCENTILE,
    tolerance: options.tolerance ?? DEFAULT_THRESHOLD_TOLERANCE,
    minBacktestWindows: options.minBacktestWindows ?? DEFAULT_MIN_BACKTEST_WINDOWS,
    retention: options.retention,
  };
  if (resolved.policy !== 'backtest-percentile' && resolved.policy !== 'reference-ewma') {
    throw new RangeError(`unknown threshold policy ${JSON.stringify(resolved.policy)}`);
  }
  if (!(resolved.percentile > 0 && resolved.percentile <= 100)) {
    throw new RangeError(`percentile must be in (0, 100], got ${resolved.percentile}`);
  }
  if (!(Number.isFinite(resolved.tolerance) && resolved.tolerance > 0)) {
    throw new RangeError(`tolerance must be a finite number > 0, got ${resolved.tolerance}`);
  }
  if (!Number.isInteger(resolved.minBacktestWindows) || resolved.minBacktestWindows < 0) {
    throw new RangeError(
      `minBacktestWindows must be a non-negative integer, got ${resolved.minBacktestWindows}`,
    );
  }
  if (resolved.retention !== undefined) checkRetention(resolved.retention);
  return resolved;
}

function checkRetention(retention: number): void {
  if (!(retention >= 0 && retention <= 1)) {
    throw new RangeError(`retention r must be in [0, 1], got ${retention}`);
  }
}
