// Builds stored forecasts for the tests (the collector's own record format).
import { DEFAULT_QUANTILES, type StoredForecast } from '@mlops-templates/metrics';

export const HOUR = 3_600_000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A forecast of `items` series whose context ends at `contextEnd`, each step predicted as `level(item)`. */
export function storedForecast(options: {
  inferenceId: string;
  contextEnd: number;
  horizon: number;
  items: (string | null)[];
  modelVersion: string | null;
  level?: (item: number, k: number) => number;
  stepMs?: number;
}): StoredForecast {
  const step = options.stepMs ?? HOUR;
  const level = options.level ?? ((i: number) => 100 + 10 * i);
  return {
    version: 1,
    inferenceId: options.inferenceId,
    stage: 'staging',
    endpointName: 'sagemaker-p-test-staging',
    modelVersion: options.modelVersion,
    modelVersionSource: options.modelVersion === null ? null : 'model-package',
    invokedVariant: 'AllTraffic',
    createdAt: iso(options.contextEnd + 30 * 60_000),
    frequency: '1H',
    stepMs: step,
    predictionLength: options.horizon,
    dueAt: iso(options.contextEnd + options.horizon * step),
    instances: options.items.map((itemId) => ({
      itemId,
      contextEnd: iso(options.contextEnd),
      forecastStart: iso(options.contextEnd + step),
    })),
    forecasts: options.items.map((_, i) => {
      const mean = Array.from({ length: options.horizon }, (__, k) => level(i, k));
      const quantiles: Record<string, number[]> = {};
      for (const q of DEFAULT_QUANTILES) quantiles[q] = mean.map((m) => m * (0.8 + 0.4 * Number(q)));
      return { quantiles, mean };
    }),
  };
}
