// The pure core of the Evaluate step: pairs each backtest window's DeepAR batch-transform output
// (one {"quantiles":{...},"mean":[...]} line per series) with the window's actual values, and computes
// wQL per quantile, mean wQL and RMSE of the mean per window and over all windows with the shared
// @mlops-templates/metrics implementation (the same code monitoring uses). It also renders the
// evaluation report and the model-quality metrics file for the model registry.
import {
  AccuracyResult,
  MetricsInputError,
  normaliseQuantileKeys,
  parseDeepArBatchLine,
  parseJsonAllowingNaN,
  WqlAccumulator,
} from '@mlops-templates/metrics';

/** A problem in the backtest data or the transform output (the step fails with this message). */
export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

export interface WindowInput {
  readonly index: number;
  readonly forecastStart: string;
  /** Lines of the window's test file: `{"start":...,"target":[history..., actuals...]}`. */
  readonly testLines: readonly string[];
  /** Lines of the transform output for the window's input file, in the same order. */
  readonly forecastLines: readonly string[];
}

export interface EvaluationInput {
  readonly windows: readonly WindowInput[];
  readonly quantiles: readonly string[];
  readonly predictionLength: number;
}

export interface WindowAccuracy extends AccuracyResult {
  readonly index: number;
  readonly forecast_start: string;
  readonly series: number;
}

export interface EvaluationResult {
  /** Gate metric: the average over windows of each window's mean wQL (windows with none left out). */
  readonly meanWql: number;
  /** Average over windows of each window's wQL per quantile. */
  readonly wqlByQuantile: Record<string, number>;
  /** Every window pooled into one accuracy figure. */
  readonly pooled: AccuracyResult;
  readonly windows: WindowAccuracy[];
  /** Sample standard deviation of the windows' mean wQL; `null` with fewer than 2 windows. */
  readonly meanWqlStdDev: number | null;
}

/** Non-empty lines (trailing newline and blank lines ignored). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** The last `horizon` target values of a test line; "NaN", null and bare NaN are missing (NaN). */
export function actualsOfTestLine(line: string, horizon: number, where: string): Float64Array {
  let document: unknown;
  try {
    document = parseJsonAllowingNaN(line);
  } catch (error) {
    throw new EvaluationError(`${where}: not JSON: ${(error as Error).message}`);
  }
  const target = (document as { target?: unknown } | null)?.target;
  if (!Array.isArray(target)) throw new EvaluationError(`${where}: no "target" array`);
  if (target.length < horizon) {
    throw new EvaluationError(
      `${where}: target has ${target.length} values, fewer than prediction_length ${horizon}`,
    );
  }
  return Float64Array.from(target.slice(target.length - horizon), (value: unknown, i) => {
    if (value === null || value === 'NaN') return Number.NaN;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw new EvaluationError(
      `${where}: target value ${JSON.stringify(value)} at horizon step ${i + 1} is not a number`,
    );
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Evaluates every window; throws `EvaluationError` on misaligned or malformed data. */
export function evaluateBacktest(input: EvaluationInput): EvaluationResult {
  const quantiles = normaliseQuantileKeys(input.quantiles);
  const horizon = input.predictionLength;
  if (input.windows.length === 0) throw new EvaluationError('no backtest window to evaluate');
  const pooled = new WqlAccumulator({ quantiles });
  const windows: WindowAccuracy[] = [];
  for (const window of input.windows) {
    const label = `window ${window.index}`;
    if (window.forecastLines.length !== window.testLines.length) {
      throw new EvaluationError(
        `${label}: the transform output has ${window.forecastLines.length} forecasts for ${window.testLines.length} series`,
      );
    }
    const accumulator = new WqlAccumulator({ quantiles });
    window.testLines.forEach((testLine, i) => {
      const where = `${label}, series ${i + 1}`;
      const actuals = actualsOfTestLine(testLine, horizon, `${where} (test file)`);
      let forecast;
      try {
        forecast = parseDeepArBatchLine(window.forecastLines[i], `${where} (forecast): `);
      } catch (error) {
        throw new EvaluationError((error as Error).message);
      }
      if (forecast.quantiles === undefined) {
        throw new EvaluationError(
          `${where}: the forecast has no quantiles (output_types must include "quantiles")`,
        );
      }
      const lengths = [...Object.values(forecast.quantiles), ...(forecast.mean ? [forecast.mean] : [])].map(
        (v) => v.length,
      );
      if (lengths.some((length) => length !== horizon)) {
        throw new EvaluationError(
          `${where}: forecast length ${lengths.find((l) => l !== horizon)} differs from prediction_length ${horizon}`,
        );
      }
      try {
        accumulator.add(actuals, forecast.quantiles, forecast.mean);
        pooled.add(actuals, forecast.quantiles, forecast.mean);
      } catch (error) {
        if (error instanceof MetricsInputError) throw new EvaluationError(`${where}: ${error.message}`);
        throw error;
      }
    });
    windows.push({
      index: window.index,
      forecast_start: window.forecastStart,
      series: window.testLines.length,
      ...accumulator.result(),
    });
  }

  const defined = windows.filter((window) => window.mean_wQL !== null);
  if (defined.length === 0) {
    throw new EvaluationError(
      `no backtest window has a defined mean wQL (${windows.map((w) => `window ${w.index}: ${w.reason ?? 'undefined'}`).join('; ')})`,
    );
  }
  const windowMeans = defined.map((window) => window.mean_wQL as number);
  const meanWql = mean(windowMeans);
  const wqlByQuantile = Object.fromEntries(
    quantiles.map((q) => [q, mean(defined.map((window) => window.wQL[q] as number))]),
  );
  const meanWqlStdDev =
    windowMeans.length < 2
      ? null
      : Math.sqrt(
          windowMeans.reduce((sum, value) => sum + (value - meanWql) ** 2, 0) / (windowMeans.length - 1),
        );
  return { meanWql, wqlByQuantile, pooled: pooled.result(), windows, meanWqlStdDev };
}

/** Per-window mean wQL as compact JSON (for the model package metadata, ≤ 256 characters). */
export function windowWqlJson(result: EvaluationResult): string {
  return JSON.stringify(
    result.windows.map((window) =>
      window.mean_wQL === null ? null : Number(window.mean_wQL.toPrecision(5)),
    ),
  );
}

const metric = (
  value: number,
  standardDeviation: number | null = null,
): { value: number; standard_deviation: number | string } => ({
  value,
  standard_deviation: standardDeviation ?? 'NaN',
});

/**
 * The model-quality statistics file attached to the model package: SageMaker's regression metrics
 * format (`mse`, `rmse`) plus the forecast metrics (`mean_wQL`, `wQL[τ]`), averaged over windows.
 */
export function modelQualityMetrics(result: EvaluationResult): Record<string, unknown> {
  const regression: Record<string, { value: number; standard_deviation: number | string }> = {};
  if (result.pooled.rmse !== null) {
    regression.mse = metric(result.pooled.rmse ** 2);
    regression.rmse = metric(result.pooled.rmse);
  }
  regression.mean_wQL = metric(result.meanWql, result.meanWqlStdDev);
  for (const [quantile, value] of Object.entries(result.wqlByQuantile)) {
    regression[`wQL[${quantile}]`] = metric(value);
  }
  return { version: 0.0, dataset: { item_count: result.pooled.points }, regression_metrics: regression };
}
