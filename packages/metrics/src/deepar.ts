// Parsers for DeepAR inference output: the real-time endpoint response
// ({"predictions":[{"quantiles":{...},"mean":[...]}]}, or JSON Lines when requested so) and the
// lines of a batch-transform output file (one {"quantiles":{...},"mean":[...]} per line).

import { z } from 'zod';
import { MetricsInputError } from './errors';
import { parseJsonAllowingNaN } from './json';
import { normaliseQuantileRecord } from './quantiles';
import { describeZodError, finiteNumberArray } from './validation';

/** One DeepAR forecast of one series (quantile keys in canonical form, e.g. "0.5"). */
export interface DeepArForecast {
  /** Quantile forecasts by level; absent when the request's output_types had no "quantiles". */
  readonly quantiles?: Record<string, number[]>;
  /** Mean forecast; absent when the request's output_types had no "mean". */
  readonly mean?: number[];
}

const forecastSchema = z.object({
  quantiles: z.record(z.string(), finiteNumberArray()).optional(),
  mean: finiteNumberArray().optional(),
});

const responseSchema = z.object({ predictions: z.array(forecastSchema) });

/**
 * Parses a DeepAR endpoint response body: `{"predictions":[...]}` (application/json) or one
 * forecast object per line (application/jsonlines). Throws {@link MetricsInputError} when the body
 * is not a DeepAR forecast.
 */
export function parseDeepArResponse(body: string | unknown): DeepArForecast[] {
  if (typeof body !== 'string') return forecastsFromResponse(body);
  let document: unknown;
  try {
    document = parseJsonAllowingNaN(body);
  } catch (error) {
    const lines = body.split('\n').filter((line) => line.trim() !== '');
    if (lines.length > 1) return lines.map((line, i) => parseDeepArBatchLine(line, `line ${i + 1}: `));
    throw new MetricsInputError(`the response is not JSON: ${(error as Error).message}`);
  }
  if (isObject(document) && !('predictions' in document) && ('quantiles' in document || 'mean' in document)) {
    return [toForecast(document, '')];
  }
  return forecastsFromResponse(document);
}

/**
 * Parses one line of a DeepAR batch-transform output (or of a JSON Lines endpoint response):
 * `{"quantiles":{"0.1":[...],...},"mean":[...]}`.
 */
export function parseDeepArBatchLine(line: string, prefix = ''): DeepArForecast {
  let document: unknown;
  try {
    document = parseJsonAllowingNaN(line);
  } catch (error) {
    throw new MetricsInputError(`${prefix}not JSON: ${(error as Error).message}`);
  }
  return toForecast(document, prefix);
}

function forecastsFromResponse(document: unknown): DeepArForecast[] {
  const parsed = responseSchema.safeParse(document);
  if (!parsed.success) {
    throw new MetricsInputError(
      `not a DeepAR response ({"predictions":[...]}): ${describeZodError(parsed.error)}`,
    );
  }
  return parsed.data.predictions.map((forecast, i) => normalise(forecast, `predictions.${i}: `));
}

function toForecast(document: unknown, prefix: string): DeepArForecast {
  const parsed = forecastSchema.safeParse(document);
  if (!parsed.success) {
    throw new MetricsInputError(`${prefix}not a DeepAR forecast: ${describeZodError(parsed.error)}`);
  }
  return normalise(parsed.data, prefix);
}

function normalise(forecast: z.infer<typeof forecastSchema>, prefix: string): DeepArForecast {
  if (forecast.quantiles === undefined && forecast.mean === undefined) {
    throw new MetricsInputError(`${prefix}the forecast has neither "quantiles" nor "mean"`);
  }
  let quantiles: Record<string, number[]> | undefined;
  if (forecast.quantiles !== undefined) {
    try {
      quantiles = normaliseQuantileRecord(forecast.quantiles);
    } catch (error) {
      throw new MetricsInputError(`${prefix}${(error as Error).message}`);
    }
  }
  return {
    ...(quantiles !== undefined ? { quantiles } : {}),
    ...(forecast.mean !== undefined ? { mean: forecast.mean } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
