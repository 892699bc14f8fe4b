// Time-predicated read of the series from a SageMaker Feature Group's offline store, through Athena:
// one query with a predicate on the event-time column (never a scan of the whole history without a
// time bound), keeping the latest written version of each (item, timestamp) and dropping deletions.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DescribeFeatureGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { type Observation, isoSeconds, parseIsoTimestamp } from '@mlops-templates/metrics';
import type { SeriesColumns, WindowRead } from './csv-source';

/** Feature Store types of the event-time column. */
export type EventTimeType = 'String' | 'Fractional' | 'Integral';

/** Where a Feature Group's offline store table is, and how its timestamp column is typed. */
export interface OfflineStoreTable {
  readonly catalog: string;
  readonly database: string;
  readonly table: string;
  readonly timestampType: EventTimeType;
}

const IDENTIFIER = /^[A-Za-z0-9_-]{1,255}$/;

function quoteIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} ${JSON.stringify(name)} is not a plain identifier`);
  return `"${name}"`;
}

/** Looks up the offline store table of a Feature Group and the type of its timestamp column. */
export async function describeOfflineStoreTable(
  sagemaker: SageMakerClient,
  featureGroupName: string,
  timestampColumn: string,
): Promise<OfflineStoreTable> {
  const fg = await sagemaker.send(new DescribeFeatureGroupCommand({ FeatureGroupName: featureGroupName }));
  const catalog = fg.OfflineStoreConfig?.DataCatalogConfig;
  if (!catalog?.Database || !catalog.TableName) {
    throw new Error(`Feature Group ${featureGroupName} has no offline store table (OfflineStoreConfig)`);
  }
  const feature = fg.FeatureDefinitions?.find((f) => f.FeatureName === timestampColumn);
  if (!feature?.FeatureType) {
    throw new Error(`Feature Group ${featureGroupName} has no feature ${timestampColumn}`);
  }
  return {
    catalog: catalog.Catalog ?? 'AwsDataCatalog',
    database: catalog.Database,
    table: catalog.TableName,
    timestampType: feature.FeatureType as EventTimeType,
  };
}

/** The time predicate on the timestamp column for [fromMs, toMs]. */
export function timePredicate(column: string, type: EventTimeType, fromMs: number, toMs: number): string {
  const col = quoteIdentifier(column, 'timestamp column');
  if (type === 'String') {
    return `from_iso8601_timestamp(${col}) BETWEEN from_iso8601_timestamp('${isoSeconds(fromMs)}') AND from_iso8601_timestamp('${isoSeconds(toMs)}')`;
  }
  const from = type === 'Integral' ? Math.floor(fromMs / 1000) : fromMs / 1000;
  const to = type === 'Integral' ? Math.ceil(toMs / 1000) : toMs / 1000;
  return `${col} BETWEEN ${from} AND ${to}`;
}

/**
 * The window query: rows of [fromMs, toMs] only, the latest written version of each
 * (item, timestamp), deleted records dropped.
 */
export function buildWindowQuery(
  table: OfflineStoreTable,
  columns: SeriesColumns,
  fromMs: number,
  toMs: number,
): string {
  const ts = quoteIdentifier(columns.timestampColumn, 'timestamp column');
  const target = quoteIdentifier(columns.targetColumn, 'target column');
  const item =
    columns.itemIdColumn === 'none' ? undefined : quoteIdentifier(columns.itemIdColumn, 'item column');
  const source = `${quoteIdentifier(table.database, 'database')}.${quoteIdentifier(table.table, 'table')}`;
  const partition = item ? `${item}, ${ts}` : ts;
  return [
    `SELECT ${ts} AS ts, ${item ? `${item} AS item, ` : ''}${target} AS target`,
    'FROM (',
    `  SELECT ${ts}, ${item ? `${item}, ` : ''}${target}, is_deleted,`,
    `    row_number() OVER (PARTITION BY ${partition} ORDER BY write_time DESC, api_invocation_time DESC) AS version_rank`,
    `  FROM ${source}`,
    `  WHERE ${timePredicate(columns.timestampColumn, table.timestampType, fromMs, toMs)}`,
    ')',
    'WHERE version_rank = 1 AND NOT is_deleted',
  ].join('\n');
}

/** Settings of one Athena query run. */
export interface AthenaRunOptions {
  readonly workGroup: string;
  /** s3:// folder for the query results. */
  readonly outputLocation: string;
  readonly timeoutMs: number;
  /** Between two status polls (ms); default 1000. */
  readonly pollMs?: number;
  /** Injected in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** Runs a query and returns its rows (header excluded) as string cells (`null` = SQL NULL). */
export async function runAthenaQuery(
  athena: AthenaClient,
  sql: string,
  options: AthenaRunOptions,
): Promise<(string | null)[][]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: options.workGroup,
      ResultConfiguration: { OutputLocation: options.outputLocation },
    }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new Error('Athena returned no QueryExecutionId');
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const execution = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = execution.QueryExecution?.Status?.State;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new Error(
        `Athena query ${id} ${state}: ${execution.QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`,
      );
    }
    if (now() >= deadline) {
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      throw new Error(`Athena query ${id} did not finish within ${options.timeoutMs} ms (stopped)`);
    }
    await sleep(options.pollMs ?? 1000);
  }
  const rows: (string | null)[][] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken }),
    );
    const pageRows = page.ResultSet?.Rows ?? [];
    for (let i = first ? 1 : 0; i < pageRows.length; i++) {
      rows.push((pageRows[i].Data ?? []).map((d) => d.VarCharValue ?? null));
    }
    first = false;
    nextToken = page.NextToken;
  } while (nextToken);
  return rows;
}

/** Turns the window query's rows (ts, [item,] target) into observations; bad rows are counted. */
export function rowsToObservations(
  rows: (string | null)[][],
  timestampType: EventTimeType,
  hasItem: boolean,
): { observations: Observation[]; malformedRows: number; malformedExamples: string[] } {
  const observations: Observation[] = [];
  const malformedExamples: string[] = [];
  let malformedRows = 0;
  rows.forEach((row, i) => {
    const [tsCell, second, third] = row;
    const targetCell = hasItem ? third : second;
    const itemId = hasItem ? (second ?? '') : null;
    let timestamp: number | undefined;
    if (tsCell !== null && tsCell !== undefined) {
      if (timestampType === 'String') timestamp = parseIsoTimestamp(tsCell);
      else if (Number.isFinite(Number(tsCell))) timestamp = Math.round(Number(tsCell) * 1000);
    }
    const value =
      targetCell === null || targetCell === undefined || targetCell === '' ? null : Number(targetCell);
    const reason =
      timestamp === undefined
        ? `timestamp ${JSON.stringify(tsCell)} is not readable`
        : value !== null && !Number.isFinite(value)
          ? `target ${JSON.stringify(targetCell)} is not a number`
          : hasItem && itemId === ''
            ? 'empty item id'
            : undefined;
    if (reason !== undefined) {
      malformedRows++;
      if (malformedExamples.length < 5) malformedExamples.push(`row ${i + 1}: ${reason}`);
      return;
    }
    observations.push({ itemId, timestamp: timestamp!, value });
  });
  return { observations, malformedRows, malformedExamples };
}

/** Reads [fromMs, toMs] of the series from a Feature Group's offline store. */
export async function readFeatureGroupWindow(
  clients: { athena: AthenaClient; sagemaker: SageMakerClient },
  featureGroupName: string,
  columns: SeriesColumns,
  fromMs: number,
  toMs: number,
  options: AthenaRunOptions,
): Promise<WindowRead & { query: string }> {
  const table = await describeOfflineStoreTable(clients.sagemaker, featureGroupName, columns.timestampColumn);
  const query = buildWindowQuery(table, columns, fromMs, toMs);
  const rows = await runAthenaQuery(clients.athena, query, options);
  const parsed = rowsToObservations(rows, table.timestampType, columns.itemIdColumn !== 'none');
  return { ...parsed, objectsRead: rows.length, objectsSkipped: 0, query };
}
