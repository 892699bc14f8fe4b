// Reading observations from the S3 sources: CSV with a header (csv-parse) and Parquet (hyparquet,
// pure JavaScript; SNAPPY, GZIP, BROTLI and — where the runtime has it — ZSTD pages). Bad values
// fail with the file and line/row, never a silently wrong series.
import * as zlib from 'node:zlib';
import type { SeriesObservation } from '@mlops-templates/metrics';
import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { PrepareDataError, SINGLE_SERIES_ID } from './series';
import { parseTimestamp } from '../common/time';

/** Which columns hold the timestamp, the target and (optionally) the item id. */
export interface ColumnMapping {
  readonly timestampColumn: string;
  readonly targetColumn: string;
  /** `null` = a single series. */
  readonly itemIdColumn: string | null;
}

const MISSING_TOKENS = new Set(['', 'nan', 'null', 'na', 'none']);

/** A target cell as a number; missing markers (empty, NaN, null, NA) are NaN; anything else throws. */
export function parseTargetValue(raw: unknown, where: string): number {
  if (raw === null || raw === undefined) return Number.NaN;
  if (typeof raw === 'number') {
    if (Number.isNaN(raw)) return Number.NaN;
    if (!Number.isFinite(raw)) throw new PrepareDataError(`${where}: target ${raw} is not a finite number`);
    return raw;
  }
  if (typeof raw === 'bigint') return Number(raw);
  const text = String(raw).trim();
  if (MISSING_TOKENS.has(text.toLowerCase())) return Number.NaN;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new PrepareDataError(`${where}: target ${JSON.stringify(text)} is not a number`);
  }
  return value;
}

/** A timestamp cell (ISO-8601 text, epoch seconds, a Date) as epoch ms; anything else throws. */
export function parseTimestampValue(raw: unknown, where: string): number {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) throw new PrepareDataError(`${where}: invalid timestamp`);
    return raw.getTime();
  }
  const value =
    typeof raw === 'string' || typeof raw === 'number'
      ? parseTimestamp(raw)
      : typeof raw === 'bigint'
        ? parseTimestamp(Number(raw))
        : undefined;
  if (value === undefined) {
    throw new PrepareDataError(`${where}: timestamp ${JSON.stringify(String(raw))} is not ISO-8601`);
  }
  return value;
}

function missingColumns(mapping: ColumnMapping, available: readonly string[]): string[] {
  const wanted = [
    mapping.timestampColumn,
    mapping.targetColumn,
    ...(mapping.itemIdColumn ? [mapping.itemIdColumn] : []),
  ];
  return wanted.filter((column) => !available.includes(column));
}

/** Parses CSV text with a header row into observations. */
export function parseObservationsCsv(
  text: string,
  mapping: ColumnMapping,
  source: string,
): SeriesObservation[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new PrepareDataError(`${source}: not valid CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) return [];
  const header = records[0];
  const missing = missingColumns(mapping, header);
  if (missing.length > 0) {
    throw new PrepareDataError(
      `${source}: column(s) ${missing.map((c) => JSON.stringify(c)).join(', ')} not in the header (${header.join(', ')})`,
    );
  }
  const timestampIndex = header.indexOf(mapping.timestampColumn);
  const targetIndex = header.indexOf(mapping.targetColumn);
  const itemIndex = mapping.itemIdColumn ? header.indexOf(mapping.itemIdColumn) : -1;
  const observations: SeriesObservation[] = [];
  for (let i = 1; i < records.length; i++) {
    const record = records[i];
    const where = `${source} line ${i + 1}`;
    const itemId = itemIndex >= 0 ? record[itemIndex] : SINGLE_SERIES_ID;
    if (itemId === '') {
      throw new PrepareDataError(`${where}: empty item id in column "${mapping.itemIdColumn}"`);
    }
    observations.push({
      itemId,
      timestampMs: parseTimestampValue(record[timestampIndex], where),
      value: parseTargetValue(record[targetIndex], where),
    });
  }
  return observations;
}

type Decompressor = (input: Uint8Array, outputLength: number) => Uint8Array;

/** Page decompressors beyond hyparquet's built-in SNAPPY, from Node's zlib. */
function zlibCompressors(): Record<string, Decompressor> {
  const compressors: Record<string, Decompressor> = {
    GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
    BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
  };
  const zstd = (zlib as unknown as { zstdDecompressSync?: (input: Uint8Array) => Buffer }).zstdDecompressSync;
  if (typeof zstd === 'function') compressors.ZSTD = (input) => new Uint8Array(zstd(input));
  return compressors;
}

/** Reads the mapped columns of a Parquet file into observations. */
export async function parseObservationsParquet(
  bytes: Uint8Array,
  mapping: ColumnMapping,
  source: string,
): Promise<SeriesObservation[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let available: string[];
  try {
    available = parquetMetadata(file)
      .schema.slice(1)
      .map((element) => element.name);
  } catch (error) {
    throw new PrepareDataError(`${source}: not a readable Parquet file: ${(error as Error).message}`);
  }
  const missing = missingColumns(mapping, available);
  if (missing.length > 0) {
    throw new PrepareDataError(
      `${source}: column(s) ${missing.map((c) => JSON.stringify(c)).join(', ')} not in the file (${available.join(', ')})`,
    );
  }
  const columns = [
    mapping.timestampColumn,
    mapping.targetColumn,
    ...(mapping.itemIdColumn ? [mapping.itemIdColumn] : []),
  ];
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file, columns, compressors: zlibCompressors() });
  } catch (error) {
    throw new PrepareDataError(
      `${source}: cannot read Parquet data (${(error as Error).message}); supported page codecs: ` +
        `UNCOMPRESSED, SNAPPY, GZIP, BROTLI${zlibCompressors().ZSTD ? ', ZSTD' : ''}`,
    );
  }
  return rows.map((row, index) => {
    const where = `${source} row ${index + 1}`;
    const itemId = mapping.itemIdColumn ? String(row[mapping.itemIdColumn] ?? '') : SINGLE_SERIES_ID;
    if (itemId === '') {
      throw new PrepareDataError(`${where}: empty item id in column "${mapping.itemIdColumn}"`);
    }
    return {
      itemId,
      timestampMs: parseTimestampValue(row[mapping.timestampColumn], where),
      value: parseTargetValue(row[mapping.targetColumn], where),
    };
  });
}
