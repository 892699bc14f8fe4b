// The one logging port of the project's cores (the monitoring collector, model-build's steps, the
// product's Lambda handlers) and its adapter to Powertools for AWS Lambda's Logger, which writes one
// structured JSON line per entry. Cores take a `LogPort` so tests can record what they log.

/** Attributes of one entry (merged into the JSON line by Powertools). */
export type LogAttributes = Record<string, unknown>;

/** What a core needs from a logger. */
export interface LogPort {
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

/**
 * The part of Powertools' `Logger` (`@aws-lambda-powertools/logger`) the adapter calls: a message and
 * attribute objects. Written structurally so this package does not depend on Powertools.
 */
export interface PowertoolsLoggerLike {
  info(message: string, ...attributes: LogAttributes[]): void;
  warn(message: string, ...attributes: LogAttributes[]): void;
  error(message: string, ...attributes: LogAttributes[]): void;
}

/** Adapts a Powertools Logger to {@link LogPort} (attributes passed only when there are some). */
export function powertoolsLogPort(logger: PowertoolsLoggerLike): LogPort {
  return {
    info: (message, attributes) => (attributes ? logger.info(message, attributes) : logger.info(message)),
    warn: (message, attributes) => (attributes ? logger.warn(message, attributes) : logger.warn(message)),
    error: (message, attributes) => (attributes ? logger.error(message, attributes) : logger.error(message)),
  };
}

/** Drops everything (cores called without a logger, tests that do not look). */
export const SILENT_LOG_PORT: LogPort = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
