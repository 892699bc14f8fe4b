// The Lambda side of the retrain decision: wires Powertools Logger and Metrics (EMF) around the core.
// `createHandler` takes its dependencies so tests can inject them; `handler.ts` builds them at cold start.
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { RetrainConfig } from './config';
import { type DecisionLogger, decisionMetrics, type RetrainClients, type RetrainOutcome } from './decision';
import { runRetrainDecision } from './orchestration';

export interface HandlerDependencies {
  readonly config: RetrainConfig;
  readonly clients: RetrainClients;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly now?: () => Date;
}

export type RetrainHandler = (event: unknown, context?: Context) => Promise<RetrainOutcome>;

/** Adapts Powertools Logger to the core's logger interface. */
export function powertoolsDecisionLogger(logger: Logger): DecisionLogger {
  return {
    info: (message, attributes) => (attributes ? logger.info(message, attributes) : logger.info(message)),
    warn: (message, attributes) => (attributes ? logger.warn(message, attributes) : logger.warn(message)),
    error: (message, attributes) => (attributes ? logger.error(message, attributes) : logger.error(message)),
  };
}

/** Emits retrain_triggered / retrain_skipped (dimension Reason) as EMF, one document per data point. */
export function publishOutcomeMetrics(metrics: Metrics, outcome: RetrainOutcome): void {
  for (const metric of decisionMetrics(outcome)) {
    const single = metrics.singleMetric();
    for (const [name, value] of Object.entries(metric.dimensions)) single.addDimension(name, value);
    single.addMetric(metric.name, MetricUnit.Count, 1);
  }
}

/**
 * The handler: parse → decide → metrics. Malformed events return `ignored` (no throw, so no async
 * retry loop); AWS errors after the SDK's retries are thrown so Lambda's bounded async retries apply
 * (the ClientRequestToken keeps those retries from starting a second execution).
 */
export function createHandler(deps: HandlerDependencies): RetrainHandler {
  const logger = powertoolsDecisionLogger(deps.logger);
  return async (event, context) => {
    if (context !== undefined) deps.logger.addContext(context);
    const outcome = await runRetrainDecision(event, {
      config: deps.config,
      clients: deps.clients,
      logger,
      now: deps.now,
    });
    publishOutcomeMetrics(deps.metrics, outcome);
    return outcome;
  };
}
