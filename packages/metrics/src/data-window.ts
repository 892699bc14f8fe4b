// The data window of a build — how much history model-build reads, the synthetic generator writes on
// its first run and the monitoring collector sends the endpoint — derived from the frequency and the
// steps a build needs (context + horizon for training, K backtest windows of one horizon each), never
// a fixed number of days: 90 days of a 1D series are 90 steps, fewer than the 144 a default build needs.
import { MetricsInputError } from './errors';
import type { Frequency } from './frequency';

const DAY_MS = 86_400_000;

/** How observations within one time step are combined when resampling to the frequency grid. */
export type ResampleAggregation = 'mean' | 'sum' | 'last';

/** The settings of the data window the seeds share (model-build's `config/pipeline.json` `data`). */
export interface DataWindowSettings {
  /** The window covers at least this many days (more when the frequency × steps needed is longer). */
  readonly minimumDays: number;
  /** Backtest windows K, each `prediction_length` steps, at the end of the window. */
  readonly backtestWindows: number;
  readonly resampleAggregation: ResampleAggregation;
}

/** The defaults: model-build, the synthetic generator and the collector use these unless configured. */
export const DATA_WINDOW_DEFAULTS: DataWindowSettings = {
  minimumDays: 90,
  backtestWindows: 4,
  resampleAggregation: 'mean',
};

/**
 * Steps of slack on top of the steps a build needs: resampling drops the step the window starts in
 * and the step "now" falls in (neither is wholly inside the window).
 */
export const DATA_WINDOW_SLACK_STEPS = 2;

/** What a build trains and backtests with. */
export interface BuildShape {
  readonly predictionLength: number;
  /** DeepAR `context_length`; default `predictionLength` (the seed's hyperparameter default). */
  readonly contextLength?: number;
  /** Default {@link DATA_WINDOW_DEFAULTS}.backtestWindows. */
  readonly backtestWindows?: number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new MetricsInputError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Steps a series needs for one build: `context_length + prediction_length` before the first
 * backtest window, then K windows of `prediction_length` (model-build's `buildBacktest` rule).
 */
export function requiredBuildSteps(shape: BuildShape): number {
  const horizon = positiveInteger('predictionLength', shape.predictionLength);
  const context = positiveInteger('contextLength', shape.contextLength ?? horizon);
  const windows = positiveInteger(
    'backtestWindows',
    shape.backtestWindows ?? DATA_WINDOW_DEFAULTS.backtestWindows,
  );
  return context + horizon + windows * horizon;
}

/** Input of {@link dataWindowSteps}. */
export interface DataWindowInput extends BuildShape {
  readonly frequency: Pick<Frequency, 'stepMs'>;
  /** Default {@link DATA_WINDOW_DEFAULTS}.minimumDays. */
  readonly minimumDays?: number;
}

/** Time steps of the data window: the minimum days' worth, or the steps a build needs plus slack. */
export function dataWindowSteps(input: DataWindowInput): number {
  const minimumDays = positiveInteger('minimumDays', input.minimumDays ?? DATA_WINDOW_DEFAULTS.minimumDays);
  const stepMs = input.frequency.stepMs;
  if (!(stepMs > 0)) throw new MetricsInputError(`the frequency step must be positive, got ${stepMs}`);
  return Math.max(
    Math.ceil((minimumDays * DAY_MS) / stepMs),
    requiredBuildSteps(input) + DATA_WINDOW_SLACK_STEPS,
  );
}

/** Length of the data window in whole days (≥ `minimumDays`). */
export function dataWindowDays(input: DataWindowInput): number {
  return Math.ceil((dataWindowSteps(input) * input.frequency.stepMs) / DAY_MS);
}
