// The Athena SQL for the Feature Store offline store: every query bounds the event time from below
// (and Glue-format partitions by day), so what a run scans grows with the window, not the history.
import { DAY } from './helpers';
import {
  buildOfflineStoreQuery,
  OfflineStoreQuerySpec,
  quoteIdentifier,
} from '../src/steps/prepare-data/offline-store-query';

const END = Date.UTC(2024, 5, 1); // 2024-06-01T00:00Z

function spec(overrides: Partial<OfflineStoreQuerySpec> = {}): OfflineStoreQuerySpec {
  return {
    database: 'sagemaker_featurestore',
    table: 'sales-1717200000',
    recordIdColumn: 'item_id',
    eventTimeColumn: 'event_time',
    eventTimeType: 'String',
    timestampColumn: 'event_time',
    targetColumn: 'sales',
    itemIdColumn: 'item_id',
    windowStartMs: END - 30 * DAY,
    windowEndMs: END,
    dayPartitions: { year: 'year', month: 'month', day: 'day' },
    ...overrides,
  };
}

/** The partition days (yyyymmdd) the query's BETWEEN / >= predicate selects among `days`. */
function partitionDaysSelected(sql: string, days: number[]): number[] {
  const between = /BETWEEN (\d{8}) AND (\d{8})/.exec(sql);
  const atLeast = />= (\d{8})\b/.exec(sql);
  if (between) return days.filter((d) => d >= Number(between[1]) && d <= Number(between[2]));
  if (atLeast) return days.filter((d) => d >= Number(atLeast[1]));
  return days;
}

/** Every day (yyyymmdd) from `fromMs` to `toMs` (exclusive): the partitions of a history. */
function historyDays(fromMs: number, toMs: number): number[] {
  const days: number[] = [];
  for (let t = fromMs; t < toMs; t += DAY) {
    days.push(Number(new Date(t).toISOString().slice(0, 10).replace(/-/g, '')));
  }
  return days;
}

describe('buildOfflineStoreQuery', () => {
  test('bounds the event time on both sides and reads the Feature Store bookkeeping columns', () => {
    const { sql, columns, versionedByEventTime } = buildOfflineStoreQuery(spec());
    expect(sql).toContain(`"event_time" >= '2024-05-02T00:00:00'`);
    expect(sql).toContain(`"event_time" < '2024-06-01T00:00:00'`);
    expect(sql).toContain('FROM "sagemaker_featurestore"."sales-1717200000"');
    expect(sql).toMatch(
      /write_time AS write_time.*api_invocation_time AS api_invocation_time.*is_deleted AS is_deleted/s,
    );
    expect(sql).not.toMatch(/is_deleted\s*=/); // deletions are resolved after deduplication, not filtered first
    expect(columns).toEqual([
      'record_id',
      'observation_time',
      'item_id',
      'target_value',
      'write_time',
      'api_invocation_time',
      'is_deleted',
    ]);
    expect(versionedByEventTime).toBe(true);
  });

  test('the partitions scanned grow with the window and do not depend on the length of the history', () => {
    const scanned = (windowDays: number, historyYears: number): number => {
      const { sql } = buildOfflineStoreQuery(spec({ windowStartMs: END - windowDays * DAY }));
      return partitionDaysSelected(sql, historyDays(END - historyYears * 365 * DAY, END + 10 * DAY)).length;
    };
    expect(scanned(30, 1)).toBe(30);
    expect(scanned(30, 5)).toBe(30);
    expect(scanned(90, 5)).toBe(90);
    expect(scanned(7, 3)).toBe(7);
  });

  test('every query has a lower time bound, also without partitions (Iceberg) and for Fractional event times', () => {
    const iceberg = buildOfflineStoreQuery(spec({ dayPartitions: undefined })).sql;
    expect(iceberg).not.toContain('year');
    expect(iceberg).toContain(`"event_time" >= '2024-05-02T00:00:00'`);
    const fractional = buildOfflineStoreQuery(
      spec({ eventTimeType: 'Fractional', dayPartitions: undefined }),
    ).sql;
    expect(fractional).toContain(`"event_time" >= ${(END - 30 * DAY) / 1000}`);
    expect(fractional).toContain(`"event_time" < ${END / 1000}`);
  });

  test('an observation column other than the event time keeps the lower bounds (records are written after they happen)', () => {
    const query = buildOfflineStoreQuery(spec({ timestampColumn: 'sale_date', recordIdColumn: 'sale_id' }));
    expect(query.versionedByEventTime).toBe(false);
    expect(query.sql).toContain(`"event_time" >= '2024-05-02T00:00:00'`);
    expect(query.sql).not.toContain(`"event_time" <`);
    expect(query.sql).toMatch(/\) >= 20240502/);
    expect(query.sql).toContain('CAST("sale_date" AS varchar) AS observation_time');
  });

  test('a single series selects no item column; an empty window and unsafe identifiers are refused', () => {
    expect(buildOfflineStoreQuery(spec({ itemIdColumn: null })).columns).not.toContain('item_id');
    expect(() => buildOfflineStoreQuery(spec({ windowStartMs: END }))).toThrow(/empty/);
    expect(() => quoteIdentifier('x" OR 1=1 --')).toThrow(/unsafe SQL identifier/);
    expect(() => buildOfflineStoreQuery(spec({ table: 'a"b' }))).toThrow(/unsafe/);
  });
});
