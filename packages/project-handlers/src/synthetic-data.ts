// Lambda entry of the synthetic-data generator, run by an EventBridge Scheduler schedule (the event's
// content is ignored) and, once at project creation, as the service token of the first-data custom
// resource (synthetic/first-data.ts). Configuration from environment variables, validated at cold start
// (README.md).
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import type { Context } from 'aws-lambda';
import { putCustomResourceResponse } from './common/cfn-response';
import { systemClock } from './common/clock';
import { loadSyntheticDataConfig } from './synthetic/config';
import { handleFirstDataEvent, isCustomResourceEvent } from './synthetic/first-data';
import { runSyntheticData, type SyntheticDataRunResult } from './synthetic/run';

const powertools = new Logger({ serviceName: 'synthetic-data' });
const config = loadSyntheticDataConfig(process.env);
const s3 = new S3Client({});
const logger = powertoolsLogPort(powertools);

export async function handler(event: unknown, context?: Context): Promise<SyntheticDataRunResult | void> {
  if (context !== undefined) powertools.addContext(context);
  const run = () => runSyntheticData({ s3, config, logger, clock: systemClock });
  if (isCustomResourceEvent(event)) {
    await handleFirstDataEvent(event, { run, respond: putCustomResourceResponse, logger });
    return;
  }
  return run();
}
