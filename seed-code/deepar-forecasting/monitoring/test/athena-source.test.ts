// The Feature Group source: one Athena query with a time predicate on the event-time column, latest
// version per (item, timestamp), deletions dropped; polling, failures and the timeout.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DescribeFeatureGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import {
  buildWindowQuery,
  readFeatureGroupWindow,
  rowsToObservations,
  runAthenaQuery,
  timePredicate,
} from '../src/collector/athena-source';

const table = {
  catalog: 'AwsDataCatalog',
  database: 'sagemaker_featurestore',
  table: 'sales-1700000000',
  timestampType: 'String' as const,
};
const columns = { timestampColumn: 'event_time', targetColumn: 'sales', itemIdColumn: 'store' };
const from = Date.UTC(2024, 5, 1, 0);
const to = Date.UTC(2024, 5, 8, 0);

describe('window query', () => {
  test('bounds the event time on both sides (ISO strings)', () => {
    expect(timePredicate('event_time', 'String', from, to)).toBe(
      `from_iso8601_timestamp("event_time") BETWEEN from_iso8601_timestamp('2024-06-01T00:00:00Z') AND from_iso8601_timestamp('2024-06-08T00:00:00Z')`,
    );
  });

  test('bounds epoch-second event times numerically', () => {
    expect(timePredicate('t', 'Fractional', from, to)).toBe(`"t" BETWEEN ${from / 1000} AND ${to / 1000}`);
    expect(timePredicate('t', 'Integral', from + 500, to + 500)).toBe(
      `"t" BETWEEN ${from / 1000} AND ${to / 1000 + 1}`,
    );
  });

  test('keeps the latest written version of each (item, time) and drops deletions', () => {
    const sql = buildWindowQuery(table, columns, from, to);
    expect(sql).toContain('FROM "sagemaker_featurestore"."sales-1700000000"');
    expect(sql).toContain(
      'PARTITION BY "store", "event_time" ORDER BY write_time DESC, api_invocation_time DESC',
    );
    expect(sql).toContain('WHERE version_rank = 1 AND NOT is_deleted');
    expect(sql).toContain(`WHERE ${timePredicate('event_time', 'String', from, to)}`);
    expect(sql.startsWith('SELECT "event_time" AS ts, "store" AS item, "sales" AS target')).toBe(true);
  });

  test('a single series partitions by time only', () => {
    const sql = buildWindowQuery(table, { ...columns, itemIdColumn: 'none' }, from, to);
    expect(sql).toContain('PARTITION BY "event_time" ORDER BY');
    expect(sql).not.toContain('AS item');
  });

  test('refuses identifiers that would need escaping', () => {
    expect(() => buildWindowQuery({ ...table, table: 'x"; DROP' }, columns, from, to)).toThrow(
      /not a plain identifier/,
    );
  });
});

describe('rowsToObservations', () => {
  test('reads ISO and epoch timestamps, counts bad rows', () => {
    const iso = rowsToObservations(
      [
        ['2024-06-01T00:00:00Z', 's1', '3.5'],
        ['2024-06-01T01:00:00Z', 's1', null],
        ['garbage', 's1', '1'],
        ['2024-06-01T02:00:00Z', 's1', 'x'],
      ],
      'String',
      true,
    );
    expect(iso.observations).toEqual([
      { itemId: 's1', timestamp: from, value: 3.5 },
      { itemId: 's1', timestamp: from + 3_600_000, value: null },
    ]);
    expect(iso.malformedRows).toBe(2);
    const epoch = rowsToObservations([[String(from / 1000), '7']], 'Fractional', false);
    expect(epoch.observations).toEqual([{ itemId: null, timestamp: from, value: 7 }]);
  });
});

describe('running the query', () => {
  const athenaMock = mockClient(AthenaClient);
  const sagemakerMock = mockClient(SageMakerClient);
  afterAll(() => {
    athenaMock.restore();
    sagemakerMock.restore();
  });
  beforeEach(() => {
    athenaMock.reset();
    sagemakerMock.reset();
  });
  const options = {
    workGroup: 'primary',
    outputLocation: 's3://bkt/monitoring/staging/athena/',
    timeoutMs: 10_000,
    sleep: async () => undefined,
  };

  test('polls until SUCCEEDED and pages the results (header dropped)', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athenaMock
      .on(GetQueryResultsCommand)
      .resolvesOnce({
        ResultSet: {
          Rows: [
            { Data: [{ VarCharValue: 'ts' }, { VarCharValue: 'target' }] },
            { Data: [{ VarCharValue: 'a' }, { VarCharValue: '1' }] },
          ],
        },
        NextToken: 'n',
      })
      .resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: 'b' }, {}] }] } });
    const rows = await runAthenaQuery(new AthenaClient({ region: 'us-east-1' }), 'SELECT 1', options);
    expect(rows).toEqual([
      ['a', '1'],
      ['b', null],
    ]);
    const start = athenaMock.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    expect(start.WorkGroup).toBe('primary');
    expect(start.ResultConfiguration?.OutputLocation).toBe('s3://bkt/monitoring/staging/athena/');
  });

  test('a failed query is an error with its reason', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q2' });
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND' } } });
    await expect(
      runAthenaQuery(new AthenaClient({ region: 'us-east-1' }), 'SELECT 1', options),
    ).rejects.toThrow(/q2 FAILED: TABLE_NOT_FOUND/);
  });

  test('a query running past the timeout is stopped', async () => {
    let clock = 0;
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q3' });
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athenaMock.on(StopQueryExecutionCommand).resolves({});
    await expect(
      runAthenaQuery(new AthenaClient({ region: 'us-east-1' }), 'SELECT 1', {
        ...options,
        timeoutMs: 3000,
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
      }),
    ).rejects.toThrow(/did not finish within 3000 ms/);
    expect(athenaMock.commandCalls(StopQueryExecutionCommand)).toHaveLength(1);
  });

  test('readFeatureGroupWindow finds the offline table and the event-time type', async () => {
    sagemakerMock.on(DescribeFeatureGroupCommand).resolves({
      OfflineStoreConfig: {
        S3StorageConfig: { S3Uri: 's3://x' },
        DataCatalogConfig: {
          Catalog: 'AwsDataCatalog',
          Database: 'sagemaker_featurestore',
          TableName: 'sales_tbl',
        },
      },
      FeatureDefinitions: [{ FeatureName: 'event_time', FeatureType: 'Fractional' }],
    });
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q4' });
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athenaMock.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        Rows: [
          { Data: [{ VarCharValue: 'ts' }] },
          { Data: [{ VarCharValue: String(from / 1000) }, { VarCharValue: 's1' }, { VarCharValue: '2' }] },
        ],
      },
    });
    const read = await readFeatureGroupWindow(
      {
        athena: new AthenaClient({ region: 'us-east-1' }),
        sagemaker: new SageMakerClient({ region: 'us-east-1' }),
      },
      'sales',
      columns,
      from,
      to,
      options,
    );
    expect(read.query).toContain(`"event_time" BETWEEN ${from / 1000} AND ${to / 1000}`);
    expect(read.observations).toEqual([{ itemId: 's1', timestamp: from, value: 2 }]);
  });
});
