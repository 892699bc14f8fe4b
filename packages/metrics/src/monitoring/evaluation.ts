// Accuracy over every forecast matured in the evaluation window, with the shared metrics package
// (weighted quantile loss as Amazon Forecast defines it over the project's one quantile set). Warm-up:
// only forecasts made by the model version serving now count.
import { MetricsInputError } from '../errors';
import { DEFAULT_QUANTILES } from '../quantiles';
import { forecastsOfModelVersion } from '../threshold-policy';
import { WqlAccumulator, type AccuracyResult } from '../wql-accumulator';
import type { StoredForecast } from './forecast-record';
import { normaliseModelVersion } from './model-version';

/** A forecast and what was observed over its horizon. */
export interface MaturedForecast {
  readonly forecast: StoredForecast;
  /** One array per instance, `null` where not observed. */
  readonly targets: (number | null)[][];
}

/** The accuracy of the window. */
export interface WindowEvaluation {
  /** Matured forecasts in the window (any model version). */
  readonly maturedForecasts: number;
  /** Those made by the current model version and evaluated. */
  readonly evaluatedForecasts: number;
  /** Matured forecasts of other (or unknown) model versions, left out (warm-up). */
  readonly otherVersionForecasts: number;
  /** Forecasts that could not be evaluated (inconsistent lengths...), with the first reasons. */
  readonly invalidForecasts: number;
  readonly invalidExamples: string[];
  /** The accumulated accuracy (`points`, `mean_wQL`, `wQL`, `rmse`, `coverage`, `reason`). */
  readonly accuracy: AccuracyResult;
}

/** Evaluates the matured forecasts of `currentModelVersion`; `null` = no version known: none count. */
export function evaluateWindow(
  matured: readonly MaturedForecast[],
  currentModelVersion: string | null,
): WindowEvaluation {
  const accumulator = new WqlAccumulator({ quantiles: DEFAULT_QUANTILES });
  const tagged = matured.map((m) => ({
    ...m,
    modelVersion: m.forecast.modelVersion === null ? null : normaliseModelVersion(m.forecast.modelVersion),
  }));
  const current =
    currentModelVersion === null
      ? []
      : forecastsOfModelVersion(tagged, normaliseModelVersion(currentModelVersion));
  const invalidExamples: string[] = [];
  let invalid = 0;
  let evaluated = 0;
  for (const { forecast, targets } of current) {
    try {
      if (targets.length !== forecast.forecasts.length) {
        throw new MetricsInputError(
          `${targets.length} target arrays for ${forecast.forecasts.length} forecasts`,
        );
      }
      accumulator.addMany(
        forecast.forecasts.map((f, i) => ({ target: targets[i], quantiles: f.quantiles, mean: f.mean })),
      );
      evaluated++;
    } catch (error) {
      if (!(error instanceof MetricsInputError)) throw error;
      invalid++;
      if (invalidExamples.length < 5) invalidExamples.push(`${forecast.inferenceId}: ${error.message}`);
    }
  }
  return {
    maturedForecasts: matured.length,
    evaluatedForecasts: evaluated,
    otherVersionForecasts: matured.length - current.length,
    invalidForecasts: invalid,
    invalidExamples,
    accuracy: accumulator.result(),
  };
}
