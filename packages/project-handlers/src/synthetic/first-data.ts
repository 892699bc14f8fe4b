// A synthetic generator as a CloudFormation custom resource (the function is the service token): at
// project creation the generator runs once — writing its first-run backfill, a build's whole data
// window — before the model-build pipeline is created, so the pipeline's first execution (which
// CodePipeline starts on creation) never races the generator's schedule and finds empty data (issue
// #14). Shared by both generators' entries: the series generator (synthetic-data.ts, DeepAR) and the
// tabular one (tabular-synthetic-data.ts); each passes its run, reduced to what both results have.
import { type LogPort, SILENT_LOG_PORT } from '@mlops-templates/metrics';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { customResourceResponseBody, type CustomResourceAnswer } from '../common/cfn-response';

/** The resource type the product stack declares. */
export const FIRST_DATA_RESOURCE_TYPE = 'Custom::SageMakerProjectSyntheticFirstData';

/**
 * What the resource reports of a run — what both generators' results have: the series generator's
 * `SyntheticDataRunResult` as it is, the tabular one's `rowsWritten` and `lastHour` (the start of the
 * last hour written) as `lastTimestamp`.
 */
export interface FirstDataRunResult {
  readonly rowsWritten: number;
  /** The last timestamp written (ISO-8601 UTC); absent when the run wrote nothing. */
  readonly lastTimestamp?: string;
}

export interface FirstDataDependencies {
  /** One generator run (the scheduled run's core). */
  readonly run: () => Promise<FirstDataRunResult>;
  /** Uploads the response body to the event's pre-signed ResponseURL. */
  readonly respond: (url: string, body: string) => Promise<void>;
  readonly logger?: LogPort;
}

/** True for a CloudFormation custom resource request (the schedule's events carry no RequestType). */
export function isCustomResourceEvent(event: unknown): event is CloudFormationCustomResourceEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  return (
    (e.RequestType === 'Create' || e.RequestType === 'Update' || e.RequestType === 'Delete') &&
    typeof e.ResponseURL === 'string' &&
    typeof e.StackId === 'string'
  );
}

/**
 * Create and Update: one generator run (idempotent: it writes only what is due), answered SUCCESS with
 * `RowsWritten` and `LastTimestamp`, or FAILED with the generator's error — the project creation then
 * fails with that reason instead of a first build failing later on empty data. Delete: SUCCESS, nothing
 * done (the data follows the bucket's DataRetention).
 */
export async function handleFirstDataEvent(
  event: CloudFormationCustomResourceEvent,
  deps: FirstDataDependencies,
): Promise<CustomResourceAnswer> {
  const logger = deps.logger ?? SILENT_LOG_PORT;
  const physicalResourceId =
    event.RequestType === 'Create' ? `synthetic-first-data-${event.RequestId}` : event.PhysicalResourceId;
  let answer: CustomResourceAnswer;
  if (event.RequestType === 'Delete') {
    answer = {
      status: 'SUCCESS',
      physicalResourceId,
      reason: 'nothing to delete: the data stays with the bucket',
    };
  } else {
    try {
      const result = await deps.run();
      answer = {
        status: 'SUCCESS',
        physicalResourceId,
        reason: `${result.rowsWritten} rows written`,
        data: { RowsWritten: String(result.rowsWritten), LastTimestamp: result.lastTimestamp ?? '' },
      };
    } catch (error) {
      logger.error('First synthetic data not written', { error: (error as Error).message });
      answer = {
        status: 'FAILED',
        physicalResourceId,
        reason: `Synthetic data generation failed: ${(error as Error).message}`,
      };
    }
  }
  logger.info('First-data custom resource answered', {
    requestType: event.RequestType,
    status: answer.status,
    reason: answer.reason,
  });
  await deps.respond(event.ResponseURL, customResourceResponseBody(event, answer));
  return answer;
}
