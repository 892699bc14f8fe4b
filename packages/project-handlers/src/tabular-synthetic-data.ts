// Lambda entry of the tabular synthetic-data generator (template tabular-xgboost), run by an
// EventBridge Scheduler schedule (the event's content is ignored). Configuration from the contract's
// environment variables, validated at cold start (README.md "Tabular synthetic data").
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import type { Context } from 'aws-lambda';
import { systemClock } from './common/clock';
import { loadTabularSyntheticConfig } from './synthetic/tabular-config';
import { runTabularSyntheticData, type TabularSyntheticRunResult } from './synthetic/tabular-run';

const powertools = new Logger({ serviceName: 'tabular-synthetic-data' });
const config = loadTabularSyntheticConfig(process.env);
const s3 = new S3Client({});
const logger = powertoolsLogPort(powertools);

export async function handler(_event: unknown, context?: Context): Promise<TabularSyntheticRunResult> {
  if (context !== undefined) powertools.addContext(context);
  return runTabularSyntheticData({ s3, config, logger, clock: systemClock });
}
