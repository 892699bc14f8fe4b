// The small logging interface the pure cores depend on, and its adapter to Powertools Logger, so cores
// stay testable with a recording logger while the Lambda handlers emit structured JSON logs.
import type { Logger } from '@aws-lambda-powertools/logger';

/** Attributes attached to one log entry (merged into the JSON line by Powertools). */
export type LogAttributes = Record<string, unknown>;

/** What the cores need from a logger. */
export interface CoreLogger {
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/** Adapts a Powertools Logger to {@link CoreLogger}. */
export function powertoolsCoreLogger(logger: Logger): CoreLogger {
  return {
    info: (message, attributes) => (attributes ? logger.info(message, attributes) : logger.info(message)),
    warn: (message, attributes) => (attributes ? logger.warn(message, attributes) : logger.warn(message)),
    error: (message, attributes) => (attributes ? logger.error(message, attributes) : logger.error(message)),
  };
}

/** A logger that drops everything (default for cores called without one). */
export const SILENT_LOGGER: CoreLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Returns the current time; injected so cores can be tested with a fixed clock. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
