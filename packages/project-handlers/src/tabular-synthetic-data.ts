// Lambda entry of the tabular synthetic-data generator (template tabular-xgboost), run by an
// EventBridge Scheduler schedule (the event's content is ignored) and, once at project creation, as the
// service token of the first-data custom resource (synthetic/first-data.ts, shared with the series
// generator). Configuration from the contract's environment variables, validated at cold start
// (README.md "Tabular synthetic data").
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import type { Context } from 'aws-lambda';
import { putCustomResourceResponse } from './common/cfn-response';
import { systemClock } from './common/clock';
import { handleFirstDataEvent, isCustomResourceEvent } from './synthetic/first-data';
import { loadTabularSyntheticConfig } from './synthetic/tabular-config';
import { runTabularSyntheticData, type TabularSyntheticRunResult } from './synthetic/tabular-run';

const powertools = new Logger({ serviceName: 'tabular-synthetic-data' });
const config = loadTabularSyntheticConfig(process.env);
const s3 = new S3Client({});
const logger = powertoolsLogPort(powertools);

export async function handler(event: unknown, context?: Context): Promise<TabularSyntheticRunResult | void> {
  if (context !== undefined) powertools.addContext(context);
  const run = () => runTabularSyntheticData({ s3, config, logger, clock: systemClock });
  if (isCustomResourceEvent(event)) {
    await handleFirstDataEvent(event, {
      run: async () => {
        const result = await run();
        return { rowsWritten: result.rowsWritten, lastTimestamp: result.lastHour };
      },
      respond: putCustomResourceResponse,
      logger,
    });
    return;
  }
  return run();
}
