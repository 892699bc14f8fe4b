// The S3 side of the synthetic-data generator: reads the progress state, plans the run, writes the data
// object, then the state (in that order, so a crash never skips points), and recovers from a crash
// between the two writes by finding the data object already written.
import {
  GetObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type LogPort, SILENT_LOG_PORT } from '@mlops-templates/metrics';
import { z } from 'zod';
import type { SyntheticDataConfig } from './config';
import { dataKey, dataKeyPrefix, isoTimestamp, parseDataKey, renderCsv, stateKey } from './csv';
import { generatePoints, planRunTimestamps } from './generator';
import { AwsCallError, isNotFoundError, withContext } from '../common/aws-errors';
import { type Clock, systemClock } from '../common/clock';

/** Progress state stored in `<prefix>_state.json`. */
export const generatorStateSchema = z.object({
  version: z.literal(1),
  /** The last timestamp written (ISO-8601 UTC). */
  lastTimestamp: z.iso.datetime({ offset: true }),
  frequency: z.string().optional(),
  seed: z.number().optional(),
  itemCount: z.number().optional(),
  updatedAt: z.string().optional(),
});

export type GeneratorState = z.infer<typeof generatorStateSchema>;

/** The state object exists but cannot be used; the run stops without writing anything. */
export class CorruptStateError extends Error {
  constructor(location: string, reason: string) {
    super(`Corrupt synthetic-data state ${location}: ${reason}. Fix or delete the object to continue.`);
    this.name = 'CorruptStateError';
  }
}

export interface SyntheticDataDependencies {
  readonly s3: S3Client;
  readonly config: SyntheticDataConfig;
  readonly logger?: LogPort;
  readonly clock?: Clock;
}

export interface SyntheticDataRunResult {
  /** CSV rows written (timestamps × items). */
  readonly rowsWritten: number;
  readonly objectKey?: string;
  readonly firstTimestamp?: string;
  readonly lastTimestamp?: string;
  /** True when no state existed and no data object was found (backfill run). */
  readonly firstRun: boolean;
  /** Data objects of an interrupted earlier run that were found and kept. */
  readonly recoveredObjects: string[];
}

/** Reads the state; undefined when it does not exist. Unreadable content → {@link CorruptStateError}. */
export async function readGeneratorState(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<GeneratorState | undefined> {
  const location = `s3://${bucket}/${key}`;
  let text: string;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (response.Body === undefined) throw new CorruptStateError(location, 'empty response body');
    text = await response.Body.transformToString('utf-8');
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    if (isNotFoundError(error)) return undefined;
    throw new AwsCallError('GetObject', location, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CorruptStateError(location, `not JSON (${(error as Error).message})`);
  }
  const parsed = generatorStateSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
    );
    throw new CorruptStateError(location, problems.join('; '));
  }
  return parsed.data;
}

/** Where a generator writes: the bucket and the normalized data prefix. */
export interface DataLocation {
  readonly bucket: string;
  /** Empty or ending with `/`. */
  readonly prefix: string;
}

/** The data object (if any) whose first timestamp is `firstMillis`, with its last timestamp. */
async function findObjectStartingAt(
  s3: S3Client,
  location: DataLocation,
  firstMillis: number,
): Promise<{ key: string; last: number } | undefined> {
  const prefix = dataKeyPrefix(location.prefix, firstMillis);
  const response = await withContext('ListObjectsV2', `s3://${location.bucket}/${prefix}`, () =>
    s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: prefix })),
  );
  let found: { key: string; last: number } | undefined;
  for (const object of response.Contents ?? []) {
    const range = object.Key === undefined ? undefined : parseDataKey(object.Key);
    if (range && range.first === firstMillis && (found === undefined || range.last > found.last)) {
      found = { key: object.Key as string, last: range.last };
    }
  }
  return found;
}

/** The data object with the latest last timestamp under the prefix (used when the state is missing). */
async function findLatestObject(
  s3: S3Client,
  location: DataLocation,
): Promise<{ key: string; last: number } | undefined> {
  const prefix = `${location.prefix}dt=`;
  return withContext('ListObjectsV2', `s3://${location.bucket}/${prefix}`, async () => {
    let found: { key: string; last: number } | undefined;
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: location.bucket, Prefix: prefix },
    )) {
      for (const object of page.Contents ?? []) {
        const range = object.Key === undefined ? undefined : parseDataKey(object.Key);
        if (range && (found === undefined || range.last > found.last)) {
          found = { key: object.Key as string, last: range.last };
        }
      }
    }
    return found;
  });
}

/** Where a run starts: the grid points it writes, after what was written before (found or recovered). */
export interface ResumedRun {
  readonly timestamps: number[];
  /** The last grid point written before this run (undefined: nothing yet). */
  readonly lastWritten?: number;
  /** Data objects of an interrupted earlier run that were found and kept. */
  readonly recoveredObjects: string[];
  /** True when no state existed and no data object was found (backfill run). */
  readonly firstRun: boolean;
}

/**
 * Reads the state, finds where the previous runs stopped — after the latest data object when the state
 * is missing, after the object of an interrupted run that wrote its data but not its state — and plans
 * the grid points of this run with `plan`. `gridPointOf` maps an object's last timestamp (from its key)
 * to the grid point it completes (identity for the series generator).
 */
export async function resumeRun(
  s3: S3Client,
  location: DataLocation,
  plan: (lastWritten: number | undefined) => number[],
  logger: LogPort,
  gridPointOf: (lastInObject: number) => number = (last) => last,
): Promise<ResumedRun & { readonly state?: GeneratorState }> {
  const state = await readGeneratorState(s3, location.bucket, stateKey(location.prefix));
  let lastWritten: number | undefined = state === undefined ? undefined : Date.parse(state.lastTimestamp);
  const recoveredObjects: string[] = [];
  if (state === undefined) {
    const latest = await findLatestObject(s3, location);
    if (latest !== undefined) {
      lastWritten = gridPointOf(latest.last);
      recoveredObjects.push(latest.key);
      logger.warn('State missing but data objects exist; continuing after the latest one', {
        key: latest.key,
      });
    }
  }
  let timestamps: number[];
  for (;;) {
    timestamps = plan(lastWritten);
    if (timestamps.length === 0 || lastWritten === undefined) break;
    // A previous run may have written its data object and stopped before updating the state.
    const orphan = await findObjectStartingAt(s3, location, timestamps[0]);
    if (orphan === undefined) break;
    recoveredObjects.push(orphan.key);
    lastWritten = gridPointOf(orphan.last);
    logger.warn('Found the data object of an interrupted run; continuing after it', { key: orphan.key });
  }
  return {
    timestamps,
    lastWritten,
    recoveredObjects,
    firstRun: state === undefined && recoveredObjects.length === 0,
    ...(state !== undefined ? { state } : {}),
  };
}

/** Writes the progress state object `<prefix>_state.json`. */
export async function writeGeneratorState(
  s3: S3Client,
  location: DataLocation,
  state: GeneratorState,
): Promise<void> {
  const key = stateKey(location.prefix);
  await withContext('PutObject', `s3://${location.bucket}/${key}`, () =>
    s3.send(
      new PutObjectCommand({
        Bucket: location.bucket,
        Key: key,
        Body: `${JSON.stringify(state, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    ),
  );
}

async function writeState(
  s3: S3Client,
  config: SyntheticDataConfig,
  lastMillis: number,
  now: Date,
): Promise<void> {
  await writeGeneratorState(s3, config, {
    version: 1,
    lastTimestamp: isoTimestamp(lastMillis),
    frequency: config.frequency.text,
    seed: config.seed,
    itemCount: config.itemCount,
    updatedAt: now.toISOString(),
  });
}

/** One scheduled run: writes the points due since the last run (see README.md). */
export async function runSyntheticData(deps: SyntheticDataDependencies): Promise<SyntheticDataRunResult> {
  const { s3, config } = deps;
  const logger = deps.logger ?? SILENT_LOG_PORT;
  const now = (deps.clock ?? systemClock)();

  const maxTimestampsPerRun = Math.floor(config.maxPointsPerRun / config.itemCount);
  const resumed = await resumeRun(
    s3,
    config,
    (lastWritten) =>
      planRunTimestamps({
        frequency: config.frequency,
        lastWritten: lastWritten === undefined ? undefined : new Date(lastWritten),
        now,
        backfillPoints: config.backfillPoints,
        maxTimestampsPerRun,
      }),
    logger,
  );
  const { state, timestamps, lastWritten, recoveredObjects, firstRun } = resumed;
  if (state !== undefined && state.frequency !== undefined && state.frequency !== config.frequency.text) {
    logger.warn('Frequency changed since the last run; continuing on the new grid', {
      previous: state.frequency,
      current: config.frequency.text,
    });
  }

  if (timestamps.length === 0) {
    if (recoveredObjects.length > 0 && lastWritten !== undefined) {
      await writeState(s3, config, lastWritten, now);
    }
    logger.info('Nothing to write yet', { lastTimestamp: lastWritten && isoTimestamp(lastWritten) });
    return { rowsWritten: 0, firstRun, recoveredObjects };
  }

  const first = timestamps[0];
  const last = timestamps[timestamps.length - 1];
  const points = generatePoints(
    { seed: config.seed, levelShiftAt: config.levelShiftAt, levelShiftFactor: config.levelShiftFactor },
    timestamps,
    { count: config.itemCount, named: config.itemIdColumn !== undefined },
  );
  const csv = renderCsv(
    { timestamp: config.timestampColumn, itemId: config.itemIdColumn, target: config.targetColumn },
    points,
  );
  const key = dataKey(config.prefix, first, last);
  await withContext('PutObject', `s3://${config.bucket}/${key}`, () =>
    s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: csv, ContentType: 'text/csv' })),
  );
  await writeState(s3, config, last, now);
  const result = {
    rowsWritten: points.length,
    objectKey: key,
    firstTimestamp: isoTimestamp(first),
    lastTimestamp: isoTimestamp(last),
    firstRun,
    recoveredObjects,
  };
  logger.info('Synthetic data written', { ...result, bucket: config.bucket });
  return result;
}
