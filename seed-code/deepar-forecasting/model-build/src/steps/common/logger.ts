// The small logging interface the step cores take (so tests can capture it), and the Powertools
// Logger (structured JSON) the handlers pass in.
import { Logger } from '@aws-lambda-powertools/logger';

export interface StepLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

/** A Powertools Logger for a step function (service name from POWERTOOLS_SERVICE_NAME or `serviceName`). */
export function createStepLogger(serviceName: string): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName });
}

/** Adapts a Powertools Logger to `StepLogger`. */
export function asStepLogger(logger: Logger): StepLogger {
  return {
    info: (message, details) => (details ? logger.info(message, details) : logger.info(message)),
    warn: (message, details) => (details ? logger.warn(message, details) : logger.warn(message)),
  };
}

/** Discards everything (tests and local runs that do not care). */
export const SILENT_LOGGER: StepLogger = { info: () => undefined, warn: () => undefined };
