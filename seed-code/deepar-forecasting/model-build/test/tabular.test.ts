// Reading observations from the S3 source formats: CSV with a header (the synthetic data's format)
// and Parquet (written here with hyparquet-writer, SNAPPY and GZIP pages, as pandas/Spark write them).
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { parseTimestamp } from '../src/steps/common/time';
import { PrepareDataError, SINGLE_SERIES_ID } from '../src/steps/prepare-data/series';
import { parseObservationsCsv, parseObservationsParquet } from '../src/steps/prepare-data/tabular';

const multiItem = { timestampColumn: 'timestamp', targetColumn: 'target', itemIdColumn: 'item_id' };
const singleItem = { timestampColumn: 'ts', targetColumn: 'value', itemIdColumn: null };

describe('CSV', () => {
  test('reads the synthetic data format (timestamp, item id, target) in any column order', () => {
    const csv =
      'item_id,target,timestamp\nitem_001,101.5,2024-06-01T00:00:00Z\nitem_002,99,2024-06-01T01:00:00Z\n';
    expect(parseObservationsCsv(csv, multiItem, 'f.csv')).toEqual([
      { itemId: 'item_001', timestampMs: Date.UTC(2024, 5, 1, 0), value: 101.5 },
      { itemId: 'item_002', timestampMs: Date.UTC(2024, 5, 1, 1), value: 99 },
    ]);
  });

  test('a single series has no item column; empty, NaN and null targets are missing values', () => {
    const csv =
      'ts,value\n2024-06-01 00:00:00,1\n2024-06-01T01:00:00+02:00,\n2024-06-01T02:00:00Z,NaN\n2024-06-01T03:00:00Z,null\n';
    const rows = parseObservationsCsv(csv, singleItem, 'f.csv');
    expect(rows.map((r) => r.itemId)).toEqual(Array(4).fill(SINGLE_SERIES_ID));
    expect(rows[1].timestampMs).toBe(Date.UTC(2024, 4, 31, 23));
    expect(rows.map((r) => Number.isNaN(r.value))).toEqual([false, true, true, true]);
  });

  test('quoted fields and a BOM are handled', () => {
    const csv = '\uFEFF"timestamp","item_id","target"\n"2024-06-01T00:00:00Z","a,b","3"\n';
    expect(parseObservationsCsv(csv, multiItem, 'f.csv')).toEqual([
      { itemId: 'a,b', timestampMs: Date.UTC(2024, 5, 1), value: 3 },
    ]);
  });

  test('a missing column is an error naming it and the header', () => {
    expect(() => parseObservationsCsv('timestamp,value\n', multiItem, 's3://b/k.csv')).toThrow(
      /s3:\/\/b\/k\.csv: column\(s\) "target", "item_id" not in the header \(timestamp, value\)/,
    );
  });

  test('a bad timestamp or target fails with the file and line', () => {
    expect(() =>
      parseObservationsCsv('ts,value\n2024-06-01T00:00:00Z,1\nyesterday,2\n', singleItem, 'f.csv'),
    ).toThrow(new PrepareDataError('f.csv line 3: timestamp "yesterday" is not ISO-8601'));
    expect(() => parseObservationsCsv('ts,value\n2024-06-01T00:00:00Z,abc\n', singleItem, 'f.csv')).toThrow(
      /f\.csv line 2: target "abc" is not a number/,
    );
    expect(() => parseObservationsCsv('ts,value\n2024-02-30T00:00:00Z,1\n', singleItem, 'f.csv')).toThrow(
      /line 2: timestamp/,
    );
  });

  test('a ragged row is invalid CSV', () => {
    expect(() => parseObservationsCsv('ts,value\n2024-06-01T00:00:00Z,1,9\n', singleItem, 'f.csv')).toThrow(
      /f\.csv: not valid CSV/,
    );
  });

  test('timestamps: ISO-8601 variants, Athena timestamps and epoch seconds', () => {
    expect(parseTimestamp('2024-06-01T12:30:00.250Z')).toBe(Date.UTC(2024, 5, 1, 12, 30, 0, 250));
    expect(parseTimestamp('2024-06-01 12:30:00.000')).toBe(Date.UTC(2024, 5, 1, 12, 30));
    expect(parseTimestamp('2024-06-01T12:30:00-0130')).toBe(Date.UTC(2024, 5, 1, 14, 0));
    expect(parseTimestamp('1717245000')).toBe(Date.UTC(2024, 5, 1, 12, 30));
    expect(parseTimestamp(1.7172450005e9)).toBe(Date.UTC(2024, 5, 1, 12, 30, 0, 500));
    expect(parseTimestamp('2024-06-01')).toBe(Date.UTC(2024, 5, 1));
    expect(parseTimestamp('06/01/2024')).toBeUndefined();
  });
});

describe('Parquet', () => {
  const timestamps = [Date.UTC(2024, 5, 1, 0), Date.UTC(2024, 5, 1, 1), Date.UTC(2024, 5, 1, 2)];
  const columns = (): Parameters<typeof parquetWriteBuffer>[0]['columnData'] => [
    { name: 'timestamp', data: timestamps.map((t) => new Date(t)), type: 'TIMESTAMP' },
    { name: 'item_id', data: ['a', 'a', 'b'], type: 'STRING' },
    { name: 'target', data: [1.5, null, 3], type: 'DOUBLE', nullable: true },
    { name: 'other', data: [0, 0, 0], type: 'INT32' },
  ];

  test('reads SNAPPY pages (pandas/Spark default), Date timestamps and nulls as missing', async () => {
    const file = new Uint8Array(parquetWriteBuffer({ columnData: columns() }));
    const rows = await parseObservationsParquet(file, multiItem, 'f.parquet');
    expect(rows.map((r) => [r.itemId, r.timestampMs])).toEqual([
      ['a', timestamps[0]],
      ['a', timestamps[1]],
      ['b', timestamps[2]],
    ]);
    expect(rows.map((r) => r.value)).toEqual([1.5, Number.NaN, 3]);
  });

  test('reads GZIP pages through Node zlib', async () => {
    const file = new Uint8Array(
      parquetWriteBuffer({
        columnData: columns(),
        codec: 'GZIP',
        compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
      }),
    );
    const rows = await parseObservationsParquet(file, multiItem, 'f.parquet');
    expect(rows.map((r) => r.value)).toEqual([1.5, Number.NaN, 3]);
  });

  test('ISO-8601 string timestamps work too', async () => {
    const file = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'ts', data: ['2024-06-01T00:00:00Z', '2024-06-01T01:00:00Z'], type: 'STRING' },
          { name: 'value', data: [1, 2], type: 'DOUBLE' },
        ],
      }),
    );
    expect(await parseObservationsParquet(file, singleItem, 'f.parquet')).toEqual([
      { itemId: SINGLE_SERIES_ID, timestampMs: timestamps[0], value: 1 },
      { itemId: SINGLE_SERIES_ID, timestampMs: timestamps[1], value: 2 },
    ]);
  });

  test('a missing column, a file that is not Parquet and an unsupported codec are clear errors', async () => {
    const file = new Uint8Array(parquetWriteBuffer({ columnData: columns() }));
    await expect(
      parseObservationsParquet(file, { ...multiItem, targetColumn: 'sales' }, 'f.parquet'),
    ).rejects.toThrow(
      /f\.parquet: column\(s\) "sales" not in the file \(timestamp, item_id, target, other\)/,
    );
    await expect(
      parseObservationsParquet(new TextEncoder().encode('a,b\n1,2\n'), multiItem, 'g.parquet'),
    ).rejects.toThrow(/g\.parquet: not a readable Parquet file/);
    const lz4 = new Uint8Array(
      parquetWriteBuffer({
        columnData: columns(),
        codec: 'LZ4_RAW',
        compressors: { LZ4_RAW: (input: Uint8Array) => input },
      }),
    );
    await expect(parseObservationsParquet(lz4, multiItem, 'h.parquet')).rejects.toThrow(
      /h\.parquet: cannot read Parquet data \(.*LZ4_RAW.*\); supported page codecs: UNCOMPRESSED, SNAPPY, GZIP, BROTLI/,
    );
  });
});
