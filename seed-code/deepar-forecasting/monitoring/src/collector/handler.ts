// Lambda entry of the collector (bundled by `npm run bundle`): validates its environment at cold
// start, builds the SDK clients and a Powertools logger, and runs one collection cycle per event
// (EventBridge Scheduler's input, or `{}` from `aws lambda invoke`). The event content is only logged.
import { Logger } from '@aws-lambda-powertools/logger';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import { createCollectorClients } from './clients';
import { type CollectionSummary, runCollection } from './collect';
import { loadCollectorEnvironment } from './environment';

const logger = new Logger({ serviceName: 'monitoring-collector' });
const environment = loadCollectorEnvironment();
const clients = createCollectorClients();

export async function handler(event: unknown): Promise<CollectionSummary> {
  logger.info('collection triggered', {
    event,
    stage: environment.stage,
    endpointName: environment.endpointName,
  });
  return runCollection({ environment, clients, logger: powertoolsLogPort(logger) });
}
