// The S3 side of the tabular synthetic-data generator: one run writes the whole hours due since the
// last run as two header CSVs in the shared partitioned layout (@mlops-templates/metrics data-layout
// and tabular-csv) — the labels (ground truth by record id) under the labels prefix, then the data
// (features and target) under the data prefix — then the progress state; crash recovery as the series
// generator's (`resumeRun`).
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  alignDown,
  dataKey,
  isoSeconds,
  type LogPort,
  parseFrequency,
  renderTabularCsv,
  SILENT_LOG_PORT,
} from '@mlops-templates/metrics';
import { SYNTHETIC_EVENT_TIME_COLUMN, SYNTHETIC_RECORD_ID_COLUMN } from '@mlops-templates/project-contract';
import { planRunTimestamps } from './generator';
import { resumeRun, writeGeneratorState } from './run';
import { type TabularSyntheticConfig } from './tabular-config';
import {
  generateTabularRecords,
  tabularDataHeader,
  tabularDataRow,
  tabularLabelsHeader,
} from './tabular-generator';
import { withContext } from '../common/aws-errors';
import { type Clock, systemClock } from '../common/clock';

/** The generator's grid: whole hours (a run writes the hours that have ended). */
const HOURLY = parseFrequency('1H');
const HOUR = HOURLY.stepMs;

export interface TabularSyntheticDependencies {
  readonly s3: S3Client;
  readonly config: TabularSyntheticConfig;
  readonly logger?: LogPort;
  readonly clock?: Clock;
}

export interface TabularSyntheticRunResult {
  readonly rowsWritten: number;
  readonly dataKey?: string;
  readonly labelsKey?: string;
  /** First and last hour written (ISO-8601 UTC, the hour's start). */
  readonly firstHour?: string;
  readonly lastHour?: string;
  readonly firstRun: boolean;
  readonly recoveredObjects: string[];
}

/** The hours (their start, ms) a run writes: the ended hours after `lastWritten`, at most `maxHours`. */
export function planTabularHours(input: {
  readonly lastWritten?: number;
  readonly now: Date;
  readonly backfillHours: number;
  readonly maxHours: number;
}): number[] {
  // An hour is written once it has ended: planning on the grid up to (now − 1 h) aligned down.
  return planRunTimestamps({
    frequency: HOURLY,
    lastWritten: input.lastWritten === undefined ? undefined : new Date(input.lastWritten),
    now: new Date(input.now.getTime() - HOUR),
    backfillPoints: input.backfillHours,
    maxTimestampsPerRun: input.maxHours,
  });
}

async function put(s3: S3Client, bucket: string, key: string, body: string): Promise<void> {
  await withContext('PutObject', `s3://${bucket}/${key}`, () =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv' })),
  );
}

/** One scheduled run of the tabular generator (see README.md "Tabular synthetic data"). */
export async function runTabularSyntheticData(
  deps: TabularSyntheticDependencies,
): Promise<TabularSyntheticRunResult> {
  const { s3, config } = deps;
  const logger = deps.logger ?? SILENT_LOG_PORT;
  const now = (deps.clock ?? systemClock)();
  const location = { bucket: config.bucket, prefix: config.dataPrefix };
  const maxHours = Math.floor(config.maxRowsPerRun / config.rowsPerHour);

  const {
    timestamps: hours,
    lastWritten,
    recoveredObjects,
    firstRun,
  } = await resumeRun(
    s3,
    location,
    (last) => planTabularHours({ lastWritten: last, now, backfillHours: config.backfillHours, maxHours }),
    logger,
    // A data object's name ends with its last record's time; the hour it completes is that hour.
    (lastRecord) => alignDown(lastRecord, HOURLY),
  );
  const writeState = (lastHour: number) =>
    writeGeneratorState(s3, location, {
      version: 1,
      lastTimestamp: isoSeconds(lastHour),
      frequency: HOURLY.text,
      seed: config.seed,
      updatedAt: now.toISOString(),
    });

  if (hours.length === 0) {
    if (recoveredObjects.length > 0 && lastWritten !== undefined) await writeState(lastWritten);
    logger.info('Nothing to write yet', { lastHour: lastWritten && isoSeconds(lastWritten) });
    return { rowsWritten: 0, firstRun, recoveredObjects };
  }

  const records = generateTabularRecords(
    { seed: config.seed, problemType: config.problemType, drift: config.drift },
    hours,
    config.rowsPerHour,
  );
  // The identity columns are the contract's: model-build drops them from the features and windows the
  // data-quality baseline by the event time.
  const columns = {
    recordId: SYNTHETIC_RECORD_ID_COLUMN,
    eventTime: SYNTHETIC_EVENT_TIME_COLUMN,
    target: config.targetColumn,
  };
  const first = records[0].millis;
  const last = records[records.length - 1].millis;
  const times = records.map((r) => isoSeconds(r.millis));
  const labels = renderTabularCsv(
    tabularLabelsHeader(columns),
    records.map((r, i) => [r.recordId, times[i], r.target]),
  );
  const data = renderTabularCsv(
    tabularDataHeader(columns),
    records.map((r, i) => tabularDataRow(r, times[i])),
  );
  // Labels first: a crash after them rewrites the same labels (same content) on the next run; the data
  // object is what the next run's recovery looks for.
  const labelsKey = dataKey(config.labelsPrefix, first, last);
  const objectKey = dataKey(config.dataPrefix, first, last);
  await put(s3, config.bucket, labelsKey, labels);
  await put(s3, config.bucket, objectKey, data);
  await writeState(hours[hours.length - 1]);
  const result: TabularSyntheticRunResult = {
    rowsWritten: records.length,
    dataKey: objectKey,
    labelsKey,
    firstHour: isoSeconds(hours[0]),
    lastHour: isoSeconds(hours[hours.length - 1]),
    firstRun,
    recoveredObjects,
  };
  logger.info('Tabular synthetic data written', { ...result, bucket: config.bucket });
  return result;
}
