// Checks a DeepAR endpoint response against its request: one forecast per instance, every
// configured quantile present, each quantile and the mean exactly PREDICTION_LENGTH finite numbers,
// quantiles non-decreasing in their level at every step. Every problem is listed, not only the first.
import { DeepArForecast, normaliseQuantileKey, parseDeepArResponse } from '@mlops-templates/metrics';
import { bodyExcerpt, EndpointTestError, problemsMessage } from '@mlops-templates/model-deploy';

export interface ResponseExpectation {
  /** Instances in the request (one forecast each). */
  readonly instances: number;
  /** The forecast horizon (PREDICTION_LENGTH). */
  readonly predictionLength: number;
  /** Quantile levels requested (DEFAULT_QUANTILES). */
  readonly quantiles: readonly string[];
  /** Whether the mean was requested. */
  readonly mean: boolean;
}

/** Relative slack for quantile order (DeepAR quantiles are computed from sorted samples). */
const ORDER_TOLERANCE = 1e-9;

/**
 * Validates the response body; returns the parsed forecasts or throws {@link EndpointTestError}
 * listing the problems found.
 */
export function validateDeepArResponse(body: string, expected: ResponseExpectation): DeepArForecast[] {
  let forecasts: DeepArForecast[];
  try {
    forecasts = parseDeepArResponse(body);
  } catch (error) {
    throw new EndpointTestError(
      `the response is not a DeepAR forecast: ${(error as Error).message}. Body: ${bodyExcerpt(body)}`,
    );
  }
  const problems: string[] = [];
  const quantiles = expected.quantiles
    .map((q) => normaliseQuantileKey(q))
    .sort((a, b) => Number(a) - Number(b));
  if (forecasts.length !== expected.instances) {
    problems.push(`${forecasts.length} forecast(s) for ${expected.instances} request instance(s)`);
  }
  forecasts.forEach((forecast, i) => {
    const where = `predictions[${i}]`;
    if (forecast.quantiles === undefined) {
      problems.push(`${where} has no "quantiles" (expected ${quantiles.join(', ')})`);
    } else {
      const missing = quantiles.filter((q) => forecast.quantiles?.[q] === undefined);
      if (missing.length > 0) problems.push(`${where} misses quantile(s) ${missing.join(', ')}`);
      for (const q of quantiles) {
        const values = forecast.quantiles[q];
        if (values !== undefined && values.length !== expected.predictionLength) {
          problems.push(
            `${where}.quantiles["${q}"] has ${values.length} values, expected ${expected.predictionLength} (PREDICTION_LENGTH)`,
          );
        }
      }
      const present = quantiles.filter((q) => forecast.quantiles?.[q]?.length === expected.predictionLength);
      for (let k = 1; k < present.length; k++) {
        const lower = forecast.quantiles[present[k - 1]];
        const upper = forecast.quantiles[present[k]];
        const t = lower.findIndex((v, step) => v - upper[step] > ORDER_TOLERANCE * Math.max(1, Math.abs(v)));
        if (t !== -1) {
          problems.push(
            `${where}: quantile ${present[k - 1]} (${lower[t]}) is above quantile ${present[k]} (${upper[t]}) at step ${t}`,
          );
        }
      }
    }
    if (expected.mean) {
      if (forecast.mean === undefined) problems.push(`${where} has no "mean"`);
      else if (forecast.mean.length !== expected.predictionLength) {
        problems.push(
          `${where}.mean has ${forecast.mean.length} values, expected ${expected.predictionLength} (PREDICTION_LENGTH)`,
        );
      }
    }
  });
  if (problems.length > 0) throw new EndpointTestError(problemsMessage("the endpoint's response", problems));
  return forecasts;
}
