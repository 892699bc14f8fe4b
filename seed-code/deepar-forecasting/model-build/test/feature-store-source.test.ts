// Reading the Feature Store offline store through Athena (SDK calls mocked): the feature group is
// described, the Glue day partitions found, the bounded query run and polled, the result CSV read,
// and record versions resolved (latest write wins, deletions dropped).
import {
  AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeFeatureGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogger, DAY, HOUR, s3Body } from './helpers';
import {
  FeatureStoreReadOptions,
  observationsFromQueryRows,
  readFeatureStoreObservations,
} from '../src/steps/prepare-data/feature-store-source';

const END = Date.UTC(2024, 5, 1);
const sageMaker = mockClient(SageMakerClient);
const glue = mockClient(GlueClient);
const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);
const region = 'eu-west-1';
/** Real clients: mockClient(Class) intercepts every instance's send. */
const CLIENTS = {
  sageMaker: new SageMakerClient({ region }),
  glue: new GlueClient({ region }),
  athena: new AthenaClient({ region }),
  s3: new S3Client({ region }),
};

const RESULT_CSV = [
  '"record_id","observation_time","item_id","target_value","write_time","api_invocation_time","is_deleted"',
  // a: two versions of the 00:00 record — the later write (12) wins
  '"a","2024-05-31T00:00:00Z","a","10.0","2024-05-31 00:05:00.000","2024-05-31 00:04:00.000","false"',
  '"a","2024-05-31T00:00:00Z","a","12.0","2024-05-31 01:05:00.000","2024-05-31 01:04:00.000","false"',
  '"a","2024-05-31T01:00:00Z","a","11.0","2024-05-31 01:05:00.000","2024-05-31 01:04:00.000","false"',
  // b: 00:00 deleted afterwards (the deletion marker has no value)
  '"b","2024-05-31T00:00:00Z","b","5.0","2024-05-31 00:05:00.000","2024-05-31 00:04:00.000","false"',
  '"b","2024-05-31T00:00:00Z","b","","2024-05-31 02:05:00.000","2024-05-31 02:04:00.000","true"',
  '"b","2024-05-31T01:00:00Z","b","","2024-05-31 01:05:00.000","2024-05-31 01:04:00.000","false"',
  '',
].join('\n');

function options(overrides: Partial<FeatureStoreReadOptions> = {}): FeatureStoreReadOptions {
  let now = 0;
  return {
    featureGroupName: 'sales',
    mapping: { timestampColumn: 'event_time', targetColumn: 'sales', itemIdColumn: 'item_id' },
    windowStartMs: END - 30 * DAY,
    windowEndMs: END,
    athenaOutputUri: 's3://project-bucket/training/exec/athena/',
    kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    workGroup: 'primary',
    deadlineMs: 60_000,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    logger: captureLogger(),
    ...overrides,
  };
}

function describeGroup(tableFormat: 'Glue' | 'Iceberg' = 'Glue'): void {
  sageMaker.on(DescribeFeatureGroupCommand).resolves({
    FeatureGroupName: 'sales',
    RecordIdentifierFeatureName: 'item_id',
    EventTimeFeatureName: 'event_time',
    FeatureDefinitions: [
      { FeatureName: 'item_id', FeatureType: 'String' },
      { FeatureName: 'event_time', FeatureType: 'String' },
      { FeatureName: 'sales', FeatureType: 'Fractional' },
    ],
    OfflineStoreConfig: {
      S3StorageConfig: { S3Uri: 's3://offline/' },
      DataCatalogConfig: {
        Catalog: 'AwsDataCatalog',
        Database: 'sagemaker_featurestore',
        TableName: 'sales-1717200000',
      },
      TableFormat: tableFormat,
    },
  });
}

beforeEach(() => {
  sageMaker.reset();
  glue.reset();
  athena.reset();
  s3.reset();
});

describe('readFeatureStoreObservations', () => {
  test('runs one bounded, partition-pruned query and returns the latest live version of each record', async () => {
    describeGroup();
    glue.on(GetTableCommand).resolves({
      Table: {
        Name: 'sales-1717200000',
        PartitionKeys: ['year', 'month', 'day', 'hour'].map((Name) => ({ Name, Type: 'string' })),
      },
    });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({
        QueryExecution: {
          Status: { State: 'SUCCEEDED' },
          ResultConfiguration: { OutputLocation: 's3://project-bucket/training/exec/athena/q-1.csv' },
          Statistics: { DataScannedInBytes: 1234 },
        },
      });
    s3.on(GetObjectCommand, { Bucket: 'project-bucket', Key: 'training/exec/athena/q-1.csv' }).resolves({
      Body: s3Body(RESULT_CSV),
    });

    const result = await readFeatureStoreObservations(CLIENTS, options());

    const start = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    expect(start.QueryExecutionContext).toEqual({ Database: 'sagemaker_featurestore' });
    expect(start.WorkGroup).toBe('primary');
    expect(start.ResultConfiguration).toEqual({
      OutputLocation: 's3://project-bucket/training/exec/athena/',
      EncryptionConfiguration: {
        EncryptionOption: 'SSE_KMS',
        KmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      },
    });
    expect(start.QueryString).toContain(`"event_time" >= '2024-05-02T00:00:00'`);
    expect(start.QueryString).toMatch(/BETWEEN 20240502 AND 20240531/);
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(3);

    expect(result.rowsRead).toBe(6);
    expect(result.duplicates).toBe(2);
    expect(result.deleted).toBe(1);
    expect(result.dataScannedBytes).toBe(1234);
    expect(result.observations).toEqual([
      { itemId: 'a', timestampMs: END - DAY, value: 12 },
      { itemId: 'a', timestampMs: END - DAY + HOUR, value: 11 },
      { itemId: 'b', timestampMs: END - DAY + HOUR, value: Number.NaN },
    ]);
  });

  test('Iceberg tables are not looked up in Glue (their partitions prune on the event time)', async () => {
    describeGroup('Iceberg');
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: { State: 'SUCCEEDED' },
        ResultConfiguration: { OutputLocation: 's3://project-bucket/q-2.csv' },
      },
    });
    s3.on(GetObjectCommand).resolves({ Body: s3Body(RESULT_CSV.split('\n')[0]) });
    const result = await readFeatureStoreObservations(CLIENTS, options());
    expect(glue.calls()).toHaveLength(0);
    expect(result.observations).toEqual([]);
  });

  test('a failed query fails the step with Athena’s reason; a query past the deadline is stopped', async () => {
    describeGroup('Iceberg');
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-3' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: sales' } },
    });
    await expect(readFeatureStoreObservations(CLIENTS, options())).rejects.toThrow(
      /Athena query q-3 FAILED: TABLE_NOT_FOUND: sales/,
    );

    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    await expect(readFeatureStoreObservations(CLIENTS, options({ deadlineMs: 5_000 }))).rejects.toThrow(
      /did not finish in time/,
    );
    expect(athena.commandCalls(StopQueryExecutionCommand)[0].args[0].input).toEqual({
      QueryExecutionId: 'q-3',
    });
  });

  test('a feature group without an offline store, or without the configured features, is a clear error', async () => {
    sageMaker
      .on(DescribeFeatureGroupCommand)
      .resolves({ FeatureGroupName: 'sales', EventTimeFeatureName: 'event_time' });
    await expect(readFeatureStoreObservations(CLIENTS, options())).rejects.toThrow(
      /"sales" has no offline store/,
    );
    describeGroup();
    await expect(
      readFeatureStoreObservations(
        CLIENTS,
        options({
          mapping: { timestampColumn: 'event_time', targetColumn: 'units', itemIdColumn: 'item_id' },
        }),
      ),
    ).rejects.toThrow(/has no feature "units"/);
  });
});

describe('observationsFromQueryRows', () => {
  test('when the observation time is not the event time, the record identifier alone identifies a record', () => {
    const rows = [
      {
        record_id: 's1',
        observation_time: '2024-05-31T00:00:00Z',
        target_value: '1',
        write_time: '2024-05-31 00:00:00.000',
        api_invocation_time: '',
        is_deleted: 'false',
      },
      {
        record_id: 's1',
        observation_time: '2024-05-31T00:00:00Z',
        target_value: '2',
        write_time: '2024-05-31 03:00:00.000',
        api_invocation_time: '',
        is_deleted: 'false',
      },
      {
        record_id: 's2',
        observation_time: '2024-05-31T01:00:00Z',
        target_value: '5',
        write_time: '2024-05-31 00:00:00.000',
        api_invocation_time: '',
        is_deleted: 'false',
      },
      {
        record_id: 's2',
        observation_time: '',
        target_value: '',
        write_time: '2024-05-31 04:00:00.000',
        api_invocation_time: '',
        is_deleted: 'true',
      },
    ];
    const result = observationsFromQueryRows(rows, false, false, 'q.csv');
    expect(result.observations).toEqual([{ itemId: 'series', timestampMs: END - DAY, value: 2 }]);
    expect(result.deleted).toBe(1);
  });

  test('a live row with an unparseable time fails with the record id', () => {
    const rows = [
      {
        record_id: 'x',
        observation_time: 'soon',
        target_value: '1',
        write_time: '',
        api_invocation_time: '',
        is_deleted: 'false',
      },
    ];
    expect(() => observationsFromQueryRows(rows, true, false, 'q.csv')).toThrow(
      /q\.csv row 1 \(record "x"\): timestamp "soon"/,
    );
  });
});
