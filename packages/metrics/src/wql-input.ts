// The `wql` input document: one series ({"target":[...],"quantiles":{...},"mean":[...]}) or
// several ({"series":[...]}); validated and evaluated with the streaming accumulator.

import { z } from 'zod';
import { MetricsInputError } from './errors';
import { parseJsonAllowingNaN } from './json';
import { describeZodError } from './validation';
import type { AccuracyResult, WqlAccumulatorOptions } from './wql-accumulator';
import { WqlAccumulator } from './wql-accumulator';

// Element types are checked by the accumulator, which names the offending index.
const seriesSchema = z.object({
  target: z.array(z.unknown()),
  quantiles: z.record(z.string(), z.array(z.unknown())),
  mean: z.array(z.unknown()).optional(),
});

const seriesListSchema = z.object({ series: z.array(seriesSchema) });

/** Parses the text of a `wql` input document (JSON; bare `NaN` is read as null). */
export function parseWqlInput(text: string): unknown {
  try {
    return parseJsonAllowingNaN(text);
  } catch (error) {
    throw new MetricsInputError(`the input is not JSON: ${(error as Error).message}`);
  }
}

/**
 * Evaluates a `wql` input document. Throws {@link MetricsInputError} on missing fields,
 * mismatched lengths, non-numeric values or unknown quantile keys.
 */
export function evaluateWqlDocument(document: unknown, options: WqlAccumulatorOptions = {}): AccuracyResult {
  const isSeriesForm = typeof document === 'object' && document !== null && 'series' in document;
  let series: z.infer<typeof seriesSchema>[];
  if (isSeriesForm) {
    const parsed = seriesListSchema.safeParse(document);
    if (!parsed.success) {
      throw new MetricsInputError(
        `the input is not {"series":[{"target":[...],"quantiles":{...}}, ...]}: ${describeZodError(parsed.error)}`,
      );
    }
    series = parsed.data.series;
  } else {
    const parsed = seriesSchema.safeParse(document);
    if (!parsed.success) {
      throw new MetricsInputError(
        `the input is not {"target":[...],"quantiles":{"0.1":[...], ...}} or {"series":[...]}: ${describeZodError(parsed.error)}`,
      );
    }
    series = [parsed.data];
  }
  const accumulator = new WqlAccumulator(options);
  series.forEach((s, i) => {
    try {
      accumulator.add(
        s.target as (number | null)[],
        s.quantiles as Record<string, (number | null)[]>,
        s.mean as (number | null)[] | undefined,
      );
    } catch (error) {
      if (error instanceof MetricsInputError && isSeriesForm) {
        throw new MetricsInputError(`series[${i}]: ${error.message}`);
      }
      throw error;
    }
  });
  return accumulator.result();
}
