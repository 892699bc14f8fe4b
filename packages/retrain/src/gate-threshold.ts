// The model-build gate threshold of a retrain: read from SSM right before the start and passed as the
// `GateThreshold` pipeline parameter, with the value rules of the model-build repository's
// `pipeline:run` (`default` → the definition's default; a finite positive number → that number). A
// missing, unreadable or unusable value never blocks the retrain: it starts without the parameter
// (the definition's default applies) and a warning names the parameter and the problem.
import type { Parameter } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

/** Name of the model-build pipeline's Float parameter compared with the backtest mean wQL. */
export const GATE_THRESHOLD_PARAMETER = 'GateThreshold';

/** Longest wait for the SSM read, SDK retries included, before starting without it (ms). */
export const GATE_THRESHOLD_READ_TIMEOUT_MS = 10_000;

/** What an SSM value means for the start. */
export type GateThresholdValue =
  | { readonly kind: 'default' }
  | { readonly kind: 'threshold'; readonly threshold: number }
  | { readonly kind: 'invalid'; readonly problem: string };

/**
 * Interprets the SSM value as `pipeline:run` does: trimmed, `default` → the definition's default,
 * a finite positive number → that number, anything else → invalid.
 */
export function interpretGateThreshold(value: string | undefined): GateThresholdValue {
  if (value === undefined) return { kind: 'invalid', problem: 'the parameter has no value' };
  const text = value.trim();
  if (text === 'default') return { kind: 'default' };
  const threshold = Number(text);
  if (text === '' || !Number.isFinite(threshold) || threshold <= 0) {
    const shown = value.length > 100 ? `${value.slice(0, 100)}…` : value;
    return {
      kind: 'invalid',
      problem: `it holds ${JSON.stringify(shown)}: expected "default" or a positive number`,
    };
  }
  return { kind: 'threshold', threshold };
}

/** The gate threshold a start uses. */
export interface GateThresholdChoice {
  /** `[]` (the definition's default applies) or `[{ Name: 'GateThreshold', Value }]`. */
  readonly pipelineParameters: Parameter[];
  /** The number passed, or `pipeline-default`. */
  readonly gateThreshold: number | 'pipeline-default';
  /** Where it comes from, for logs and notifications. */
  readonly source: string;
}

interface WarningLogger {
  warn(message: string, attributes?: Record<string, unknown>): void;
}

/**
 * Runs `request` with an abort signal that fires after `timeoutMs`; rejects with a TimeoutError then,
 * even when the request does not observe the signal (the SDK's HTTP handler does and cancels it).
 */
async function withTimeout<T>(request: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs} ms`);
      error.name = 'TimeoutError';
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([request(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

const PIPELINE_DEFAULT = (source: string): GateThresholdChoice => ({
  pipelineParameters: [],
  gateThreshold: 'pipeline-default',
  source,
});

/**
 * Reads `parameterName` (when set) and chooses the GateThreshold of the start. Never throws: a read
 * error (ParameterNotFound, AccessDenied, throttling after the SDK's retries, the timeout) or an unusable
 * value gives the definition's default and a warning naming the parameter and the problem.
 */
export async function chooseGateThreshold(
  parameterName: string | undefined,
  ssm: SSMClient | undefined,
  logger: WarningLogger,
): Promise<GateThresholdChoice> {
  if (parameterName === undefined) return PIPELINE_DEFAULT('GATE_THRESHOLD_PARAMETER_NAME not set');
  const fallBack = (problem: string): GateThresholdChoice => {
    logger.warn(
      `gate threshold parameter ${parameterName} not usable (${problem}); ` +
        "starting the retrain with the pipeline definition's default GateThreshold",
      { gateThresholdParameterName: parameterName, problem },
    );
    return PIPELINE_DEFAULT(`pipeline definition (SSM ${parameterName} not usable)`);
  };
  if (ssm === undefined) return fallBack('no SSM client was given to the decision');

  let value: string | undefined;
  try {
    const response = await withTimeout(
      (abortSignal) => ssm.send(new GetParameterCommand({ Name: parameterName }), { abortSignal }),
      GATE_THRESHOLD_READ_TIMEOUT_MS,
    );
    value = response.Parameter?.Value;
  } catch (error) {
    return fallBack(
      `GetParameter failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  }
  const interpreted = interpretGateThreshold(value);
  switch (interpreted.kind) {
    case 'default':
      return PIPELINE_DEFAULT(`pipeline definition (SSM ${parameterName} says "default")`);
    case 'threshold':
      return {
        pipelineParameters: [{ Name: GATE_THRESHOLD_PARAMETER, Value: String(interpreted.threshold) }],
        gateThreshold: interpreted.threshold,
        source: `SSM ${parameterName}`,
      };
    case 'invalid':
      return fallBack(interpreted.problem);
  }
}
