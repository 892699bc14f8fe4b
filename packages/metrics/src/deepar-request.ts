// The DeepAR inference request, written once for every caller (the monitoring collector, the endpoint
// test of model-deploy, model-build's JSON Lines): `start` in DeepAR's `YYYY-MM-DD HH:MM:SS` (UTC) and
// missing values as the string "NaN" — Amazon SageMaker Developer Guide, "DeepAR Inference Formats"
// and "Input/Output Interface for the DeepAR Algorithm".
import { DEFAULT_QUANTILES } from './quantiles';

/** DeepAR's `start` format: `YYYY-MM-DD HH:MM:SS` (UTC). */
export function deepArStart(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** One series as DeepAR reads it: missing values as the string "NaN". */
export interface DeepArInstance {
  readonly start: string;
  readonly target: (number | 'NaN')[];
}

/** The JSON body of a DeepAR real-time inference request. */
export interface DeepArRequest {
  readonly instances: DeepArInstance[];
  readonly configuration: {
    readonly num_samples: number;
    readonly output_types: string[];
    readonly quantiles: string[];
  };
}

/** A series to send: its first step and its values (`null` or a non-finite number = missing). */
export interface DeepArSeries {
  readonly startMs: number;
  readonly target: ArrayLike<number | null>;
}

/** A series as DeepAR reads it (request instance or training JSON line). */
export function toDeepArInstance(series: DeepArSeries): DeepArInstance {
  return {
    start: deepArStart(series.startMs),
    target: Array.from(series.target, (y) => (y === null || !Number.isFinite(y) ? 'NaN' : y)),
  };
}

/** Options of {@link buildDeepArRequest}. */
export interface DeepArRequestOptions {
  /** DeepAR `num_samples`. */
  readonly numSamples: number;
  /** Quantile levels asked for; default the project's {@link DEFAULT_QUANTILES}. */
  readonly quantiles?: readonly string[];
}

/** The request for `series`, asking for the mean and the quantiles. */
export function buildDeepArRequest(
  series: readonly DeepArSeries[],
  options: DeepArRequestOptions,
): DeepArRequest {
  return {
    instances: series.map(toDeepArInstance),
    configuration: {
      num_samples: options.numSamples,
      output_types: ['mean', 'quantiles'],
      quantiles: [...(options.quantiles ?? DEFAULT_QUANTILES)],
    },
  };
}
