// Reads the training window from a Feature Store offline store through Athena: describes the
// feature group, finds the day partitions of a Glue-format table, runs the time-bounded query of
// offline-store-query.ts, then keeps the latest version of each record and drops deleted ones.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeFeatureGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { type LogPort, parseS3Uri, type SeriesObservation } from '@mlops-templates/metrics';
import { parse } from 'csv-parse/sync';
import {
  buildOfflineStoreQuery,
  EventTimeType,
  OfflineStoreQuerySpec,
  QUERY_COLUMNS,
} from './offline-store-query';
import { latestVersions, PrepareDataError, SINGLE_SERIES_ID } from './series';
import { ColumnMapping, parseTargetValue, parseTimestampValue } from './tabular';
import { getObjectText } from '../common/s3';
import { parseTimestamp } from '../common/time';

export interface FeatureStoreClients {
  readonly sageMaker: SageMakerClient;
  readonly glue: GlueClient;
  readonly athena: AthenaClient;
  readonly s3: S3Client;
}

export interface FeatureStoreReadOptions {
  readonly featureGroupName: string;
  readonly mapping: ColumnMapping;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /** s3:// prefix for the Athena results (in the project bucket). */
  readonly athenaOutputUri: string;
  readonly kmsKeyArn?: string;
  readonly workGroup: string;
  /** Epoch ms by which the query must have finished (it is stopped otherwise). */
  readonly deadlineMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: LogPort;
}

export interface FeatureStoreReadResult {
  readonly observations: SeriesObservation[];
  readonly rowsRead: number;
  readonly duplicates: number;
  readonly deleted: number;
  readonly sql: string;
  readonly dataScannedBytes?: number;
}

/** The query spec for a described feature group (pure; exported for tests). */
export async function describeOfflineStore(
  clients: Pick<FeatureStoreClients, 'sageMaker' | 'glue'>,
  options: Pick<
    FeatureStoreReadOptions,
    'featureGroupName' | 'mapping' | 'windowStartMs' | 'windowEndMs' | 'logger'
  >,
): Promise<OfflineStoreQuerySpec> {
  const group = await clients.sageMaker.send(
    new DescribeFeatureGroupCommand({ FeatureGroupName: options.featureGroupName }),
  );
  const catalog = group.OfflineStoreConfig?.DataCatalogConfig;
  if (catalog?.Database === undefined || catalog.TableName === undefined) {
    throw new PrepareDataError(
      `feature group "${options.featureGroupName}" has no offline store (Glue table)`,
    );
  }
  const eventTimeColumn = group.EventTimeFeatureName as string;
  const eventTimeFeature = (group.FeatureDefinitions ?? []).find((f) => f.FeatureName === eventTimeColumn);
  const eventTimeType: EventTimeType =
    eventTimeFeature?.FeatureType === 'Fractional' ? 'Fractional' : 'String';
  const features = new Set((group.FeatureDefinitions ?? []).map((f) => f.FeatureName));
  const { mapping } = options;
  const wanted = [
    mapping.timestampColumn,
    mapping.targetColumn,
    ...(mapping.itemIdColumn ? [mapping.itemIdColumn] : []),
  ];
  const unknown = wanted.filter((column) => !features.has(column));
  if (unknown.length > 0) {
    throw new PrepareDataError(
      `feature group "${options.featureGroupName}" has no feature ${unknown.map((c) => JSON.stringify(c)).join(', ')}`,
    );
  }

  let dayPartitions: OfflineStoreQuerySpec['dayPartitions'];
  if (group.OfflineStoreConfig?.TableFormat !== 'Iceberg') {
    const table = await clients.glue.send(
      new GetTableCommand({ DatabaseName: catalog.Database, Name: catalog.TableName }),
    );
    const keys = (table.Table?.PartitionKeys ?? []).map((key) => key.Name ?? '');
    const find = (name: string): string | undefined => keys.find((key) => key.toLowerCase() === name);
    const [year, month, day] = [find('year'), find('month'), find('day')];
    if (year && month && day) {
      dayPartitions = { year, month, day };
    } else {
      options.logger.warn(
        'offline store table has no year/month/day partition keys; the scan is bounded by event time only',
        { partitionKeys: keys },
      );
    }
  }
  return {
    database: catalog.Database,
    table: catalog.TableName,
    recordIdColumn: group.RecordIdentifierFeatureName as string,
    eventTimeColumn,
    eventTimeType,
    timestampColumn: mapping.timestampColumn,
    targetColumn: mapping.targetColumn,
    itemIdColumn: mapping.itemIdColumn,
    windowStartMs: options.windowStartMs,
    windowEndMs: options.windowEndMs,
    dayPartitions,
  };
}

/** Runs one Athena query to completion; returns its result CSV location and bytes scanned. */
async function runAthenaQuery(
  athena: AthenaClient,
  sql: string,
  database: string,
  options: FeatureStoreReadOptions,
): Promise<{ outputLocation: string; dataScannedBytes?: number }> {
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: database },
      WorkGroup: options.workGroup,
      ResultConfiguration: {
        OutputLocation: options.athenaOutputUri,
        ...(options.kmsKeyArn
          ? { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: options.kmsKeyArn } }
          : {}),
      },
    }),
  );
  const id = started.QueryExecutionId as string;
  options.logger.info('Athena query started', { queryExecutionId: id });
  let delay = 500;
  for (;;) {
    const { QueryExecution: execution } = await athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') {
      return {
        outputLocation: execution?.ResultConfiguration?.OutputLocation as string,
        dataScannedBytes: execution?.Statistics?.DataScannedInBytes,
      };
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new PrepareDataError(
        `Athena query ${id} ${state}: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`,
      );
    }
    if (options.now() + delay > options.deadlineMs) {
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      throw new PrepareDataError(
        `Athena query ${id} did not finish in time (state ${state}); it was stopped`,
      );
    }
    await options.sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}

const timeOrder = (text: string | undefined): number => {
  const ms = text === undefined || text === '' ? undefined : parseTimestamp(text);
  return ms ?? Number.NEGATIVE_INFINITY;
};

/** Converts Athena result rows (latest version per record, deletions dropped) into observations. */
export function observationsFromQueryRows(
  rows: readonly Record<string, string>[],
  versionedByEventTime: boolean,
  hasItemColumn: boolean,
  source: string,
): { observations: SeriesObservation[]; duplicates: number; deleted: number } {
  const c = QUERY_COLUMNS;
  const versions = latestVersions(rows, (row) => ({
    key: versionedByEventTime ? `${row[c.recordId]}\u0000${row[c.observationTime]}` : row[c.recordId],
    order: [timeOrder(row[c.writeTime]), timeOrder(row[c.apiInvocationTime])],
    deleted: (row[c.deleted] ?? '').toLowerCase() === 'true',
  }));
  const observations = versions.kept.map((row, index) => {
    const where = `${source} row ${index + 1} (record ${JSON.stringify(row[c.recordId])})`;
    const itemId = hasItemColumn ? (row[c.itemId] ?? '') : SINGLE_SERIES_ID;
    if (itemId === '') throw new PrepareDataError(`${where}: empty item id`);
    return {
      itemId,
      timestampMs: parseTimestampValue(row[c.observationTime], where),
      value: parseTargetValue(row[c.target], where),
    };
  });
  return { observations, duplicates: versions.duplicates, deleted: versions.deleted };
}

export async function readFeatureStoreObservations(
  clients: FeatureStoreClients,
  options: FeatureStoreReadOptions,
): Promise<FeatureStoreReadResult> {
  const spec = await describeOfflineStore(clients, options);
  const query = buildOfflineStoreQuery(spec);
  options.logger.info('offline store query', { sql: query.sql });
  const { outputLocation, dataScannedBytes } = await runAthenaQuery(
    clients.athena,
    query.sql,
    spec.database,
    options,
  );
  const text = await getObjectText(clients.s3, parseS3Uri(outputLocation));
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (error) {
    throw new PrepareDataError(
      `Athena result ${outputLocation} is not valid CSV: ${(error as Error).message}`,
    );
  }
  const converted = observationsFromQueryRows(
    rows,
    query.versionedByEventTime,
    spec.itemIdColumn !== null,
    outputLocation,
  );
  options.logger.info('offline store rows read', {
    rows: rows.length,
    duplicates: converted.duplicates,
    deleted: converted.deleted,
    dataScannedBytes,
  });
  return { ...converted, rowsRead: rows.length, sql: query.sql, dataScannedBytes };
}
