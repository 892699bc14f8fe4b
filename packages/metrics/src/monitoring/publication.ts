// What the monitoring collector publishes to CloudWatch, and why (pure; moved from the monitoring seed,
// #15). The alarm threshold comes from the stage's SSM parameter, written by model-deploy's post-deploy
// step through the threshold policy; it is used only when it belongs to the model version serving now
// and that version has enough matured points (`warmUpStatus` of the threshold policy). Freshness: no
// new data, or too few matured points → `points_evaluated = 0` and no `mean_wQL` datapoint, so the
// accuracy alarm never sees a guess.
import { warmUpStatus, type ThresholdState } from '../threshold-policy';
import { normaliseModelVersion } from './model-version';

/** The stage alarm-threshold parameter, read. */
export type ThresholdParameter =
  /** `unset`: no successful deploy has set a threshold yet. */
  | { readonly kind: 'unset' }
  /** JSON with the model version the threshold was derived for. */
  | { readonly kind: 'versioned'; readonly state: ThresholdState }
  /** A bare number: a manual override, applied to whatever version serves. */
  | { readonly kind: 'manual'; readonly threshold: number }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Reads the value of `<STAGE>_ALARM_THRESHOLD_PARAMETER_NAME`: `unset`; JSON
 * `{"threshold": 0.12, "modelVersion": "<model package ARN or version>", ...}` (the threshold
 * policy's decision); or a bare positive number (manual override).
 */
export function parseThresholdParameter(value: string | undefined, stage: string): ThresholdParameter {
  const text = (value ?? '').trim();
  if (text === '' || text.toLowerCase() === 'unset') return { kind: 'unset' };
  if (/^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(text)) {
    const threshold = Number(text);
    return threshold > 0 && Number.isFinite(threshold)
      ? { kind: 'manual', threshold }
      : { kind: 'invalid', reason: `threshold ${text} is not a positive number` };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return {
      kind: 'invalid',
      reason: `neither "unset", a number nor JSON: ${JSON.stringify(text.slice(0, 80))}`,
    };
  }
  const d = document as Record<string, unknown>;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    return { kind: 'invalid', reason: 'the JSON value is not an object' };
  }
  if (d.threshold === null) return { kind: 'unset' };
  if (typeof d.threshold !== 'number' || !(d.threshold > 0) || !Number.isFinite(d.threshold)) {
    return { kind: 'invalid', reason: '"threshold" is not a positive number' };
  }
  if (typeof d.modelVersion !== 'string' || d.modelVersion.trim() === '') {
    return {
      kind: 'invalid',
      reason: '"modelVersion" is missing: a threshold must name the model version it belongs to',
    };
  }
  if (d.stage !== undefined && d.stage !== stage) {
    return {
      kind: 'invalid',
      reason: `the parameter holds the threshold of stage ${String(d.stage)}, not ${stage}`,
    };
  }
  return { kind: 'versioned', state: { stage, modelVersion: d.modelVersion, threshold: d.threshold } };
}

/** Input of {@link decidePublication}. */
export interface PublicationInput {
  readonly stage: string;
  /** Whether observations newer than the previous run's arrived. */
  readonly newData: boolean;
  /** The model version serving now (`null` = unknown). */
  readonly modelVersion: string | null;
  /** Matured points of the current version in the evaluation window. */
  readonly points: number;
  readonly meanWql: number | null;
  /** Why `meanWql` is null. */
  readonly accuracyReason?: string;
  readonly minPointsEvaluated: number;
  readonly threshold: ThresholdParameter;
}

/** The datapoints of one run and the reasons for what is left out. */
export interface Publication {
  /** Always published (0 when there is no accuracy datapoint). */
  readonly pointsEvaluated: number;
  readonly meanWql?: number;
  readonly threshold?: number;
  /** Why there is no `mean_wQL` datapoint. */
  readonly accuracyReason?: string;
  /** Why there is no `threshold` datapoint. */
  readonly thresholdReason?: string;
}

/** Decides the datapoints of a run (pure). */
export function decidePublication(input: PublicationInput): Publication {
  let accuracyReason: string | undefined;
  if (!input.newData) {
    accuracyReason = 'no new data since the previous run';
  } else if (input.modelVersion === null) {
    accuracyReason = 'the serving model version is unknown';
  } else if (input.points < input.minPointsEvaluated) {
    accuracyReason = `too few matured points of model version ${input.modelVersion}: ${input.points} < ${input.minPointsEvaluated}`;
  } else if (input.meanWql === null) {
    accuracyReason = input.accuracyReason ?? 'mean wQL is undefined';
  }
  if (accuracyReason !== undefined) {
    return { pointsEvaluated: 0, accuracyReason, thresholdReason: 'no accuracy datapoint in this run' };
  }
  const meanWql = input.meanWql as number;
  const version = input.modelVersion as string;
  let threshold: number | undefined;
  let thresholdReason: string | undefined;
  const t = input.threshold;
  if (t.kind === 'unset') {
    thresholdReason = 'the stage threshold is "unset" (no successful deploy has set one)';
  } else if (t.kind === 'invalid') {
    thresholdReason = `the stage threshold parameter is invalid: ${t.reason}`;
  } else {
    const state: ThresholdState =
      t.kind === 'manual'
        ? { stage: input.stage, modelVersion: normaliseModelVersion(version), threshold: t.threshold }
        : { ...t.state, modelVersion: normaliseModelVersion(t.state.modelVersion ?? '') };
    const warmUp = warmUpStatus({
      currentModelVersion: normaliseModelVersion(version),
      state,
      maturedPoints: input.points,
      minMaturedPoints: input.minPointsEvaluated,
    });
    if (warmUp.active) threshold = warmUp.threshold as number;
    else thresholdReason = warmUp.reason;
  }
  return {
    pointsEvaluated: input.points,
    meanWql,
    ...(threshold !== undefined ? { threshold } : {}),
    ...(thresholdReason !== undefined ? { thresholdReason } : {}),
  };
}

/** Metric names (the dashboard and the alarms use the same constants). */
export const METRIC_NAMES = {
  meanWql: 'mean_wQL',
  pointsEvaluated: 'points_evaluated',
  threshold: 'threshold',
} as const;
