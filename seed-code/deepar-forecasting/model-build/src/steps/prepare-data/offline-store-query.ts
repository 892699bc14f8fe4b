// The Athena SQL that reads the training window from a SageMaker Feature Store offline store. A pure
// function: every query it builds bounds the event time from below (and the partitions of Glue-format
// tables by day), so the data scanned grows with the window, never with the history. Record versions
// and deletions are resolved afterwards (see series.ts), so the deletion markers in the window are read.
import { isoSeconds } from '@mlops-templates/metrics';
import { utcDate } from '../common/time';

/** Feature Store event-time feature types. */
export type EventTimeType = 'String' | 'Fractional';

export interface OfflineStoreQuerySpec {
  readonly database: string;
  readonly table: string;
  readonly recordIdColumn: string;
  readonly eventTimeColumn: string;
  readonly eventTimeType: EventTimeType;
  /** Column holding the observation time (often the event time itself). */
  readonly timestampColumn: string;
  readonly targetColumn: string;
  /** `null` = a single series. */
  readonly itemIdColumn: string | null;
  /** Data window [start, end). */
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /**
   * Day partition keys of a Glue-format table (Feature Store writes `year=/month=/day=/hour=` folders
   * by event time); `undefined` for Iceberg tables, whose hidden partitions prune on the event time.
   */
  readonly dayPartitions?: { readonly year: string; readonly month: string; readonly day: string };
}

export interface OfflineStoreQuery {
  readonly sql: string;
  /** Result column aliases. */
  readonly columns: readonly string[];
  /** Whether a record version is (record id, event time) — the observation time is the event time. */
  readonly versionedByEventTime: boolean;
}

/** Result column aliases of the query. */
export const QUERY_COLUMNS = {
  recordId: 'record_id',
  observationTime: 'observation_time',
  itemId: 'item_id',
  target: 'target_value',
  writeTime: 'write_time',
  apiInvocationTime: 'api_invocation_time',
  deleted: 'is_deleted',
} as const;

/** A double-quoted SQL identifier; names with quotes or control characters are refused. */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z0-9_\-.]{1,255}$/.test(name)) {
    throw new Error(`unsafe SQL identifier ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `yyyymmdd` as an integer, for the day-partition bounds. */
function dayNumber(ms: number): number {
  return Number(utcDate(ms).replace(/-/g, ''));
}

/**
 * Builds the query. Predicates:
 * - event time ≥ window start (String event times are ISO-8601 and compared as text with a bound
 *   that precedes every format of that second; Fractional ones as epoch seconds);
 * - when the observation time is the event time: also event time < window end (otherwise records
 *   written after the window are read too, since their observation time may lie inside it; the
 *   observation time is checked exactly after parsing either way);
 * - Glue-format tables: partition day between the window's first and last day.
 */
export function buildOfflineStoreQuery(spec: OfflineStoreQuerySpec): OfflineStoreQuery {
  if (!(spec.windowEndMs > spec.windowStartMs)) throw new Error('the data window is empty (end ≤ start)');
  const eventTime = quoteIdentifier(spec.eventTimeColumn);
  const versionedByEventTime = spec.timestampColumn === spec.eventTimeColumn;
  const bound = (ms: number): string =>
    spec.eventTimeType === 'Fractional' ? String(ms / 1000) : stringLiteral(isoSeconds(ms).slice(0, 19));

  const predicates = [`${eventTime} >= ${bound(spec.windowStartMs)}`];
  if (versionedByEventTime) predicates.push(`${eventTime} < ${bound(spec.windowEndMs)}`);
  if (spec.dayPartitions !== undefined) {
    const { year, month, day } = spec.dayPartitions;
    const composite =
      `(CAST(${quoteIdentifier(year)} AS integer) * 10000 + CAST(${quoteIdentifier(month)} AS integer) * 100 + ` +
      `CAST(${quoteIdentifier(day)} AS integer))`;
    const firstDay = dayNumber(spec.windowStartMs);
    predicates.push(
      versionedByEventTime
        ? `${composite} BETWEEN ${firstDay} AND ${dayNumber(spec.windowEndMs - 1)}`
        : `${composite} >= ${firstDay}`,
    );
  }

  const c = QUERY_COLUMNS;
  const select = [
    `CAST(${quoteIdentifier(spec.recordIdColumn)} AS varchar) AS ${c.recordId}`,
    `CAST(${quoteIdentifier(spec.timestampColumn)} AS varchar) AS ${c.observationTime}`,
    ...(spec.itemIdColumn ? [`CAST(${quoteIdentifier(spec.itemIdColumn)} AS varchar) AS ${c.itemId}`] : []),
    `${quoteIdentifier(spec.targetColumn)} AS ${c.target}`,
    `write_time AS ${c.writeTime}`,
    `api_invocation_time AS ${c.apiInvocationTime}`,
    `is_deleted AS ${c.deleted}`,
  ];
  const sql =
    `SELECT ${select.join(', ')}\n` +
    `FROM ${quoteIdentifier(spec.database)}.${quoteIdentifier(spec.table)}\n` +
    `WHERE ${predicates.join('\n  AND ')}`;
  return {
    sql,
    columns: [
      c.recordId,
      c.observationTime,
      ...(spec.itemIdColumn ? [c.itemId] : []),
      c.target,
      c.writeTime,
      c.apiInvocationTime,
      c.deleted,
    ],
    versionedByEventTime,
  };
}
