// Lambda entry point (bundled by the product stack with esbuild/NodejsFunction): validates the
// configuration at cold start (a bad variable fails the init with its name) and builds the SDK
// clients, Powertools Logger and Metrics once per container.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createRetrainClients } from './clients';
import { loadConfig } from './config';
import { SERVICE_NAME } from './decision';
import { createHandler } from './lambda';

const config = loadConfig(process.env);

export const handler = createHandler({
  config,
  clients: createRetrainClients(),
  logger: new Logger({ serviceName: SERVICE_NAME }),
  metrics: new Metrics({ namespace: config.metricNamespace, serviceName: SERVICE_NAME }),
});
