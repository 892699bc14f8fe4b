// The Powertools Logger (structured JSON) the step handlers create; the step cores take the shared
// `LogPort` of @mlops-templates/metrics (its `powertoolsLogPort` adapts this logger, `SILENT_LOG_PORT`
// discards everything), so tests can capture what they log.
import { Logger } from '@aws-lambda-powertools/logger';

/** A Powertools Logger for a step function (service name from POWERTOOLS_SERVICE_NAME or `serviceName`). */
export function createStepLogger(serviceName: string): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName });
}
