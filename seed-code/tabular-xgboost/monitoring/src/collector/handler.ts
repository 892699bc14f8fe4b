// Lambda entry of the ground-truth collector (bundled by `npm run bundle`): reads its environment at
// cold start, then runs one collection per invocation (EventBridge Scheduler's input, or `{}` from
// `aws lambda invoke`), logging structured JSON with Powertools. The logic is in collect.ts.
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import { type CollectionSummary, collectGroundTruth } from './collect';
import { readCollectorEnvironment } from './environment';
import { s3ObjectStore } from './s3-store';

const logger = new Logger({ serviceName: 'ground-truth-collector' });
const environment = readCollectorEnvironment(process.env);
const store = s3ObjectStore(new S3Client({}), environment.bucket);

export async function handler(event: unknown): Promise<CollectionSummary> {
  logger.info('collection triggered', { event, stage: environment.stage });
  return collectGroundTruth(store, environment, Date.now(), randomUUID(), powertoolsLogPort(logger));
}
