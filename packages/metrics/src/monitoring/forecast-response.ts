// The collector's check of a DeepAR response (pure; moved from the monitoring seed, #15): every quantile
// of the project's set and the mean, the full horizon, one forecast per instance. Nothing from an
// invalid response is stored.
import { type DeepArForecast, parseDeepArResponse } from '../deepar';
import { DEFAULT_QUANTILES } from '../quantiles';

/** A validated forecast: every default quantile and the mean, each `horizon` long. */
export interface ValidForecast {
  readonly quantiles: Record<string, number[]>;
  readonly mean: number[];
}

/**
 * Parses and validates a DeepAR response for `instanceCount` instances and a `horizon`. Throws an
 * Error saying what is wrong (nothing from an invalid response is stored).
 */
export function parseForecastResponse(body: string, instanceCount: number, horizon: number): ValidForecast[] {
  const forecasts: DeepArForecast[] = parseDeepArResponse(body);
  if (forecasts.length !== instanceCount) {
    throw new Error(`the response has ${forecasts.length} forecasts for ${instanceCount} instances`);
  }
  return forecasts.map((forecast, i) => {
    const quantiles: Record<string, number[]> = {};
    for (const level of DEFAULT_QUANTILES) {
      const values = forecast.quantiles?.[level];
      if (values === undefined) throw new Error(`forecast ${i} has no quantile ${level}`);
      if (values.length !== horizon) {
        throw new Error(
          `forecast ${i} quantile ${level} has ${values.length} values, the horizon is ${horizon}`,
        );
      }
      quantiles[level] = values;
    }
    if (forecast.mean === undefined) throw new Error(`forecast ${i} has no mean`);
    if (forecast.mean.length !== horizon) {
      throw new Error(`forecast ${i} mean has ${forecast.mean.length} values, the horizon is ${horizon}`);
    }
    return { quantiles, mean: forecast.mean };
  });
}
