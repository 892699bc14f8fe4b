// Lambda entry of the collector (bundled by `npm run bundle`): validates its environment at cold
// start, builds the SDK clients and a Powertools logger, and runs one collection cycle per event
// (EventBridge Scheduler's input, or `{}` from `aws lambda invoke`). The event content is only logged.
import { Logger } from '@aws-lambda-powertools/logger';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SSMClient } from '@aws-sdk/client-ssm';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import { type CollectionSummary, type CollectorClients, runCollection } from './collect';
import { loadCollectorEnvironment } from './environment';

const logger = new Logger({ serviceName: 'monitoring-collector' });
const environment = loadCollectorEnvironment();
const clients: CollectorClients = {
  s3: new S3Client({}),
  ssm: new SSMClient({}),
  sagemaker: new SageMakerClient({}),
  runtime: new SageMakerRuntimeClient({}),
  cloudwatch: new CloudWatchClient({}),
  athena: new AthenaClient({}),
};

export async function handler(event: unknown): Promise<CollectionSummary> {
  logger.info('collection triggered', {
    event,
    stage: environment.stage,
    endpointName: environment.endpointName,
  });
  return runCollection({ environment, clients, logger: powertoolsLogPort(logger) });
}
