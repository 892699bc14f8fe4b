// The DeepAR request the collector sends (one instance per series, the project's one quantile set)
// and the validation of the response (every quantile, the full horizon, one forecast per instance).
import { DEFAULT_QUANTILES, type DeepArForecast, parseDeepArResponse } from '@mlops-templates/metrics';

/** One series of the request. */
export interface RequestInstance {
  readonly itemId: string | null;
  /** Timestamp (ms) of the first target value. */
  readonly contextStart: number;
  /** Timestamp (ms) of the last target value (the newest observation). */
  readonly contextEnd: number;
  /** Values; `null` = missing (sent as "NaN"). */
  readonly target: (number | null)[];
}

/** The JSON body of a DeepAR inference request. */
export interface DeepArRequest {
  readonly instances: { start: string; target: (number | 'NaN')[] }[];
  readonly configuration: {
    readonly num_samples: number;
    readonly output_types: string[];
    readonly quantiles: string[];
  };
}

/** Builds the request: `start` in DeepAR's `YYYY-MM-DD HH:MM:SS`, missing values as "NaN". */
export function buildDeepArRequest(
  instances: readonly RequestInstance[],
  numSamples: number,
  formatStart: (ms: number) => string,
): DeepArRequest {
  return {
    instances: instances.map((instance) => ({
      start: formatStart(instance.contextStart),
      target: instance.target.map((y) => (y === null ? 'NaN' : y)),
    })),
    configuration: {
      num_samples: numSamples,
      output_types: ['mean', 'quantiles'],
      quantiles: [...DEFAULT_QUANTILES],
    },
  };
}

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
