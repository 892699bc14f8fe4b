// Lambda entry of the tabular synthetic traffic sender (template tabular-xgboost), run by an
// EventBridge Scheduler schedule (the event's content is ignored): sends the synthetic records to the
// stage endpoints that are in service and writes their labels (README.md "Tabular synthetic traffic").
// Configuration from the contract's environment variables, validated at cold start.
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import type { Context } from 'aws-lambda';
import { systemClock } from './common/clock';
import { loadTabularTrafficConfig } from './synthetic/tabular-traffic-config';
import { runTabularSyntheticTraffic, type TabularTrafficRunResult } from './synthetic/tabular-traffic-run';

const powertools = new Logger({ serviceName: 'tabular-synthetic-traffic' });
const config = loadTabularTrafficConfig(process.env);
const s3 = new S3Client({});
const sagemaker = new SageMakerClient({});
const runtime = new SageMakerRuntimeClient({});
const logger = powertoolsLogPort(powertools);

export async function handler(_event: unknown, context?: Context): Promise<TabularTrafficRunResult> {
  if (context !== undefined) powertools.addContext(context);
  return runTabularSyntheticTraffic({ s3, sagemaker, runtime, config, logger, clock: systemClock });
}
