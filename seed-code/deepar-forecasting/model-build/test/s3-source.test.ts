// The S3 source: which files a window needs (synthetic part names, dt= folders), and reading CSV
// files in key order with duplicates resolved (S3 mocked).
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { captureLogger, HOUR, s3Body } from './helpers';
import {
  dataFileFormat,
  readS3Observations,
  selectObjectsForWindow,
} from '../src/steps/prepare-data/s3-source';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());

const START = Date.UTC(2024, 5, 10);
const END = Date.UTC(2024, 5, 20);
const object = (key: string): { key: string; size: number } => ({ key, size: 1 });

describe('selectObjectsForWindow', () => {
  test('uses the synthetic generator’s part-<first>-<last> names, including a file that starts before the window', () => {
    const keys = [
      'data/synthetic/_state.json',
      'data/synthetic/dt=2024-05-01/part-20240501T000000Z-20240509T230000Z.csv', // before
      'data/synthetic/dt=2024-05-01/part-20240501T000000Z-20240612T000000Z.csv', // backfill reaching into the window
      'data/synthetic/dt=2024-06-15/part-20240615T000000Z-20240615T230000Z.csv', // inside
      'data/synthetic/dt=2024-06-20/part-20240620T000000Z-20240620T010000Z.csv', // starts at the (exclusive) end
    ];
    const selection = selectObjectsForWindow(keys.map(object), START, END);
    expect(selection.selected.map((o) => o.key)).toEqual([keys[2], keys[3]]);
    expect(selection.outsideWindow).toBe(2);
    expect(selection.notData).toBe(1);
  });

  test('uses Hive dt= folders otherwise, and reads files without a time hint', () => {
    const keys = [
      'sales/dt=2024-06-09/a.parquet',
      'sales/dt=2024-06-10/b.parquet',
      'sales/dt=2024-06-19/c.csv.gz',
      'sales/dt=2024-06-20/d.csv',
      'sales/all.csv',
      'sales/README.md',
      'sales/_SUCCESS',
    ];
    const selection = selectObjectsForWindow(keys.map(object), START, END);
    expect(selection.selected.map((o) => o.key)).toEqual([
      'sales/dt=2024-06-10/b.parquet',
      'sales/dt=2024-06-19/c.csv.gz',
      'sales/all.csv',
    ]);
    expect(selection.notData).toBe(2);
  });

  test('data file formats', () => {
    expect(
      ['a.csv', 'a.CSV', 'a.csv.gz', 'a.parquet', 'a.snappy.parquet', 'x/.hidden.csv', 'a.json'].map(
        dataFileFormat,
      ),
    ).toEqual(['csv', 'csv', 'csv', 'parquet', 'parquet', undefined, undefined]);
  });
});

describe('readS3Observations', () => {
  test('lists every page, reads only the window’s files, and lets a later file win on a duplicate', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        IsTruncated: true,
        NextContinuationToken: 't',
        Contents: [{ Key: 'data/synthetic/dt=2024-06-01/part-20240601T000000Z-20240601T230000Z.csv' }],
      })
      .resolves({
        IsTruncated: false,
        Contents: [
          { Key: 'data/synthetic/dt=2024-06-12/part-20240612T000000Z-20240612T010000Z.csv' },
          { Key: 'data/synthetic/dt=2024-06-12/part-20240612T010000Z-20240612T020000Z.csv' },
        ],
      });
    s3.on(GetObjectCommand, {
      Key: 'data/synthetic/dt=2024-06-12/part-20240612T000000Z-20240612T010000Z.csv',
    }).resolves({
      Body: s3Body('timestamp,target\n2024-06-12T00:00:00Z,1\n2024-06-12T01:00:00Z,2\n'),
    });
    s3.on(GetObjectCommand, {
      Key: 'data/synthetic/dt=2024-06-12/part-20240612T010000Z-20240612T020000Z.csv',
    }).resolves({
      Body: s3Body('timestamp,target\n2024-06-12T01:00:00Z,20\n2024-06-12T02:00:00Z,3\n'),
    });
    const result = await readS3Observations(new S3Client({ region: 'eu-west-1' }), {
      locationUri: 's3://project-bucket/data/synthetic/',
      mapping: { timestampColumn: 'timestamp', targetColumn: 'target', itemIdColumn: null },
      windowStartMs: START,
      windowEndMs: END,
      logger: captureLogger(),
    });
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'project-bucket', Prefix: 'data/synthetic/', ContinuationToken: undefined },
      { Bucket: 'project-bucket', Prefix: 'data/synthetic/', ContinuationToken: 't' },
    ]);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
    expect(result.filesRead).toBe(2);
    expect(result.duplicates).toBe(1);
    const t = Date.UTC(2024, 5, 12);
    expect(result.observations).toEqual([
      { itemId: 'series', timestampMs: t, value: 1 },
      { itemId: 'series', timestampMs: t + HOUR, value: 20 },
      { itemId: 'series', timestampMs: t + 2 * HOUR, value: 3 },
    ]);
  });
});
