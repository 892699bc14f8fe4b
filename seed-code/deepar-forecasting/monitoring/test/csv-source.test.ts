// The time-window read of the S3/synthetic source: only the dt= partitions of the window's days are
// listed, objects named outside the window are not fetched, bad rows are counted, never guessed.
import { S3Client } from '@aws-sdk/client-s3';
import { parseS3FolderUri, dataKey } from '@mlops-templates/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { MemoryS3 } from './support/memory-s3';
import { HOUR, seriesObjects, seriesValue } from './support/series-data';
import {
  objectSkipReason,
  objectTimeRange,
  parseSeriesCsv,
  readCsvWindow,
} from '../src/collector/csv-source';

const columns = { timestampColumn: 'timestamp', targetColumn: 'target', itemIdColumn: 'item_id' };

describe('locations and partitions', () => {
  test('the data location is read as a folder (the shared S3 URI parser)', () => {
    expect(parseS3FolderUri('s3://my-bucket/data/synthetic')).toEqual({
      bucket: 'my-bucket',
      key: 'data/synthetic/',
    });
    expect(parseS3FolderUri('s3://my-bucket')).toEqual({ bucket: 'my-bucket', key: '' });
    expect(() => parseS3FolderUri('https://my-bucket/x')).toThrow(/is not an s3:\/\/bucket\/key URI/);
  });

  test('object names announcing a range outside the window are skipped', () => {
    const key = 'data/synthetic/dt=2024-06-01/part-20240601T000000Z-20240601T050000Z.csv';
    expect(objectTimeRange(key)).toEqual({ first: Date.UTC(2024, 5, 1, 0), last: Date.UTC(2024, 5, 1, 5) });
    expect(objectSkipReason(key, Date.UTC(2024, 5, 1, 6), Date.UTC(2024, 5, 2))).toMatch(
      /outside the window/,
    );
    expect(objectSkipReason(key, Date.UTC(2024, 5, 1, 5), Date.UTC(2024, 5, 2))).toBeUndefined();
    // Without a range in the name, the dt= folder decides (the rule model-build reads with).
    expect(
      objectSkipReason('data/dt=2024-06-01/other.csv', Date.UTC(2024, 5, 1, 5), Date.UTC(2024, 5, 2)),
    ).toBeUndefined();
    expect(objectSkipReason('data/dt=2024-06-01/other.csv', 0, 1)).toMatch(/outside the window/);
    expect(objectSkipReason('data/history.csv', 0, 1)).toBeUndefined();
    expect(objectSkipReason('data/dt=2024-06-01/x.parquet', 0, 1)).toMatch(/Parquet/);
    expect(objectSkipReason('data/dt=2024-06-01/_state.json', 0, 1)).toMatch(/not a \.csv/);
  });
});

describe('parseSeriesCsv', () => {
  const from = Date.UTC(2024, 5, 1, 0);
  const to = Date.UTC(2024, 5, 1, 23);

  test('reads items, missing values and drops rows outside the window', () => {
    const csv = [
      'timestamp,item_id,target',
      '2024-05-31T23:00:00Z,a,1',
      '2024-06-01T00:00:00Z,a,2.5',
      '2024-06-01T01:00:00Z,a,',
      '2024-06-01T01:00:00Z,b,NaN',
      '2024-06-01T02:00:00Z,b,7',
    ].join('\n');
    const parsed = parseSeriesCsv(csv, columns, from, to);
    expect(parsed.malformedRows).toBe(0);
    expect(parsed.observations).toEqual([
      { itemId: 'a', timestamp: Date.UTC(2024, 5, 1, 0), value: 2.5 },
      { itemId: 'a', timestamp: Date.UTC(2024, 5, 1, 1), value: null },
      { itemId: 'b', timestamp: Date.UTC(2024, 5, 1, 1), value: null },
      { itemId: 'b', timestamp: Date.UTC(2024, 5, 1, 2), value: 7 },
    ]);
  });

  test('counts malformed rows with their line, and keeps the good ones', () => {
    const csv = [
      'timestamp,item_id,target',
      'not-a-time,a,1',
      '2024-06-01T00:00:00Z,a,abc',
      '2024-06-01T00:00:00Z,a',
      '2024-06-01T01:00:00Z,,3',
      '2024-06-01T02:00:00Z,a,4',
    ].join('\n');
    const parsed = parseSeriesCsv(csv, columns, from, to, 'f.csv');
    expect(parsed.malformedRows).toBe(4);
    expect(parsed.malformedExamples[0]).toBe('f.csv:2: timestamp "not-a-time" is not ISO-8601');
    expect(parsed.malformedExamples[1]).toMatch(/f\.csv:3: target "abc" is not a number/);
    expect(parsed.observations).toEqual([{ itemId: 'a', timestamp: Date.UTC(2024, 5, 1, 2), value: 4 }]);
  });

  test('a header without the configured columns makes every row unusable', () => {
    const parsed = parseSeriesCsv('time,value\n2024-06-01T00:00:00Z,1\n', columns, from, to);
    expect(parsed.observations).toEqual([]);
    expect(parsed.malformedExamples[0]).toMatch(/no column timestamp, target, item_id/);
  });

  test('a single series has no item column', () => {
    const parsed = parseSeriesCsv(
      'timestamp,target\n2024-06-01T00:00:00Z,1\n',
      { ...columns, itemIdColumn: 'none' },
      from,
      to,
    );
    expect(parsed.observations).toEqual([{ itemId: null, timestamp: from, value: 1 }]);
  });
});

describe('readCsvWindow (S3)', () => {
  const s3Mock = mockClient(S3Client);
  afterAll(() => s3Mock.restore());

  test('lists the location and fetches only objects overlapping the window', async () => {
    s3Mock.reset();
    const s3 = new MemoryS3(s3Mock);
    const start = Date.UTC(2024, 5, 1, 0);
    for (const o of seriesObjects('data/synthetic/', start, start + 10 * 24 * HOUR, HOUR, 2))
      s3.put('bkt', o.key, o.body);
    s3.put('bkt', 'data/synthetic/_state.json', '{}');
    const from = start + 8 * 24 * HOUR + 12 * HOUR;
    const to = start + 10 * 24 * HOUR;
    const read = await readCsvWindow(
      new S3Client({ region: 'us-east-1' }),
      parseS3FolderUri('s3://bkt/data/synthetic/'),
      columns,
      from,
      to,
    );
    expect(s3.listedPrefixes).toEqual(['data/synthetic/']);
    expect(s3.gotKeys.every((k) => /dt=2024-06-(09|10|11)\//.test(k))).toBe(true);
    const times = read.observations.map((o) => o.timestamp);
    expect(Math.min(...times)).toBe(from);
    expect(Math.max(...times)).toBe(to);
    expect(read.observations).toHaveLength(2 * ((to - from) / HOUR + 1));
    expect(read.observations.find((o) => o.itemId === 'item_002' && o.timestamp === to)?.value).toBe(
      seriesValue(1, to),
    );
    expect(read.malformedRows).toBe(0);
  });

  test('the backfill — one object in the dt= partition of its FIRST day — is read for a later window (issue #14 finding 5)', async () => {
    // The generator writes its first-run backfill as one object named after its first timestamp; the
    // collector used to list only the dt= partitions of the window's days and never saw it.
    s3Mock.reset();
    const s3 = new MemoryS3(s3Mock);
    const created = Date.UTC(2024, 5, 30, 0);
    const backfillFrom = created - 29 * 24 * HOUR;
    const rows = ['timestamp,item_id,target'];
    for (let t = backfillFrom; t <= created; t += HOUR) {
      rows.push(`${new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')},a,${seriesValue(0, t)}`);
    }
    const backfillKey = dataKey('d/', backfillFrom, created);
    expect(backfillKey).toMatch(/^d\/dt=2024-06-01\//);
    s3.put('bkt', backfillKey, `${rows.join('\n')}\n`);
    const from = created - 7 * 24 * HOUR;
    const read = await readCsvWindow(
      new S3Client({ region: 'us-east-1' }),
      parseS3FolderUri('s3://bkt/d/'),
      columns,
      from,
      created + HOUR,
    );
    expect(s3.gotKeys).toEqual([backfillKey]);
    expect(read.observations).toHaveLength(7 * 24 + 1);
    expect(Math.min(...read.observations.map((o) => o.timestamp))).toBe(from);
  });

  test('an object whose name ends before the window is not fetched', async () => {
    s3Mock.reset();
    const s3 = new MemoryS3(s3Mock);
    const early = 'd/dt=2024-06-01/part-20240601T000000Z-20240601T050000Z.csv';
    const late = 'd/dt=2024-06-01/part-20240601T060000Z-20240601T230000Z.csv';
    s3.put('bkt', early, 'timestamp,item_id,target\n2024-06-01T05:00:00Z,a,1\n');
    s3.put('bkt', late, 'timestamp,item_id,target\n2024-06-01T12:00:00Z,a,2\n');
    const read = await readCsvWindow(
      new S3Client({ region: 'us-east-1' }),
      parseS3FolderUri('s3://bkt/d/'),
      columns,
      Date.UTC(2024, 5, 1, 12),
      Date.UTC(2024, 5, 1, 23),
    );
    expect(s3.gotKeys).toEqual([late]);
    expect(read.objectsSkipped).toBe(1);
    expect(read.observations).toEqual([{ itemId: 'a', timestamp: Date.UTC(2024, 5, 1, 12), value: 2 }]);
  });

  test('an object that is not CSV is skipped and reported, the others are read', async () => {
    s3Mock.reset();
    const s3 = new MemoryS3(s3Mock);
    s3.put('bkt', 'd/dt=2024-06-01/a.csv', 'timestamp,item_id,target\n2024-06-01T01:00:00Z,a,1\n');
    s3.put('bkt', 'd/dt=2024-06-01/b.csv', 'timestamp,item_id,target\n"2024-06-01T02:00:00Z,a,2\n');
    const read = await readCsvWindow(
      new S3Client({ region: 'us-east-1' }),
      parseS3FolderUri('s3://bkt/d/'),
      columns,
      Date.UTC(2024, 5, 1),
      Date.UTC(2024, 5, 1, 23),
    );
    expect(read.observations).toHaveLength(1);
    expect(read.objectsSkipped).toBe(1);
    expect(read.malformedExamples[0]).toMatch(/b\.csv: not readable as CSV/);
  });
});
