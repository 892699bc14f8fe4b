// Lambda entry of the synthetic-data generator, run by an EventBridge Scheduler schedule (the event's
// content is ignored). Configuration from environment variables, validated at cold start (README.md).
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { powertoolsCoreLogger, systemClock } from './common/logger';
import { loadSyntheticDataConfig } from './synthetic/config';
import { runSyntheticData, type SyntheticDataRunResult } from './synthetic/run';

const powertools = new Logger({ serviceName: 'synthetic-data' });
const config = loadSyntheticDataConfig(process.env);
const s3 = new S3Client({});
const logger = powertoolsCoreLogger(powertools);

export async function handler(_event: unknown, context?: Context): Promise<SyntheticDataRunResult> {
  if (context !== undefined) powertools.addContext(context);
  return runSyntheticData({ s3, config, logger, clock: systemClock });
}
