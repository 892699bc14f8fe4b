// Ground-truth records in the SageMaker Model Quality merge format
// ({"groundTruthData":{"data":"...","encoding":"JSON"},"eventMetadata":{"eventId":"..."},"eventVersion":"0"})
// whose data holds the observed values of a forecast request: {"targets":[[y...], ...]}, one array
// per request instance, null where a point is not observed yet. Parser and writer.

import { z } from 'zod';
import type { CaptureEncoding } from './data-capture';
import { decodePayload } from './data-capture';
import { MetricsInputError } from './errors';
import { parseJsonAllowingNaN } from './json';
import { describeZodError, nullableNumberArray } from './validation';

/** Observed values of one forecast request, aligned with the response's `predictions`. */
export interface GroundTruthRecord {
  /** The id the record joins on: the capture's `inferenceId`, else its `eventId`. */
  readonly eventId: string;
  /** One array per request instance; `null` = not observed (yet). */
  readonly targets: (number | null)[][];
}

/** A ground-truth record as the Model Quality merge job reads it. */
export interface GroundTruthMergeRecord {
  readonly groundTruthData: { readonly data: string; readonly encoding: 'JSON' };
  readonly eventMetadata: { readonly eventId: string };
  readonly eventVersion: '0';
}

const recordSchema = z.object({
  groundTruthData: z.object({
    data: z.string(),
    encoding: z.enum(['JSON', 'CSV', 'BASE64']),
  }),
  eventMetadata: z.object({ eventId: z.string().min(1) }),
  eventVersion: z.string().optional(),
});

const targetsSchema = z.object({ targets: z.array(nullableNumberArray()) });

/** Validates a parsed ground-truth record and decodes its data. Throws {@link MetricsInputError}. */
export function parseGroundTruthRecord(document: unknown): GroundTruthRecord {
  const parsed = recordSchema.safeParse(document);
  if (!parsed.success) {
    throw new MetricsInputError(`not a ground-truth record: ${describeZodError(parsed.error)}`);
  }
  const { groundTruthData, eventMetadata } = parsed.data;
  return {
    eventId: eventMetadata.eventId,
    targets: parseGroundTruthData(groundTruthData.data, groundTruthData.encoding),
  };
}

/** Parses one line of a ground-truth file. Throws {@link MetricsInputError}. */
export function parseGroundTruthLine(line: string): GroundTruthRecord {
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch (error) {
    throw new MetricsInputError(`not valid JSON: ${(error as Error).message}`);
  }
  return parseGroundTruthRecord(document);
}

/**
 * Decodes ground-truth data into one target array per request instance.
 * - JSON: `{"targets":[[y...], ...]}`; `null` (or Python's bare `NaN`) = not observed.
 * - CSV: one line per instance, comma-separated values; an empty field, `NaN` or `null` = not observed.
 * - BASE64: decoded, then read as JSON when it starts with `{`, else as CSV.
 */
export function parseGroundTruthData(data: string, encoding: CaptureEncoding): (number | null)[][] {
  const text = decodePayload({ data, encoding });
  if (encoding === 'CSV' || (encoding === 'BASE64' && !text.trimStart().startsWith('{'))) {
    return parseCsvTargets(text);
  }
  let document: unknown;
  try {
    document = parseJsonAllowingNaN(text);
  } catch (error) {
    throw new MetricsInputError(`ground-truth data is not JSON: ${(error as Error).message}`);
  }
  const parsed = targetsSchema.safeParse(document);
  if (!parsed.success) {
    throw new MetricsInputError(
      `ground-truth data is not {"targets":[[number|null, ...], ...]}: ${describeZodError(parsed.error)}`,
    );
  }
  return parsed.data.targets;
}

/** A ground-truth record with its targets as `Float64Array`s (`NaN` = not observed). */
export interface CompactGroundTruthRecord {
  readonly eventId: string;
  readonly targets: Float64Array[];
}

/**
 * The targets of an already parsed ground-truth line when it is plainly valid (JSON or BASE64 JSON
 * data, every target a finite number or null), read straight into `Float64Array`s; `undefined`
 * when {@link parseGroundTruthRecord} must look at it (it then accepts it or says what is wrong).
 * `allocate` provides the arrays (e.g. views of larger slabs). Used on the hot path.
 */
export function tryCompactGroundTruthRecord(
  document: unknown,
  allocate: (length: number) => Float64Array = (length) => new Float64Array(length),
): CompactGroundTruthRecord | undefined {
  if (!isObject(document)) return undefined;
  const { groundTruthData, eventMetadata, eventVersion } = document;
  if (!isObject(groundTruthData) || !isObject(eventMetadata)) return undefined;
  const { data, encoding } = groundTruthData;
  const eventId = eventMetadata.eventId;
  if (
    typeof data !== 'string' ||
    (encoding !== 'JSON' && encoding !== 'BASE64') ||
    typeof eventId !== 'string' ||
    eventId.length === 0 ||
    !(eventVersion === undefined || typeof eventVersion === 'string')
  ) {
    return undefined;
  }
  let parsed: unknown;
  try {
    const text = encoding === 'JSON' ? data : decodePayload({ data, encoding });
    if (encoding === 'BASE64' && !text.trimStart().startsWith('{')) return undefined;
    parsed = parseJsonAllowingNaN(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !Array.isArray(parsed.targets)) return undefined;
  const rows = parsed.targets as unknown[];
  const targets: Float64Array[] = new Array<Float64Array>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) return undefined;
    // Validated while copied: on a bad value the (partly written) array is dropped.
    const out = allocate(row.length);
    for (let t = 0; t < row.length; t++) {
      const y: unknown = row[t];
      if (typeof y === 'number' && y - y === 0) out[t] = y;
      else if (y === null) out[t] = NaN;
      else return undefined;
    }
    targets[i] = out;
  }
  return { eventId, targets };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A ground-truth record in the merge format for the observed values of one forecast request
 * (`NaN` is written as `null`). Write one per line (JSON Lines) under the ground-truth prefix.
 */
export function toGroundTruthRecord(
  eventId: string,
  targets: ReadonlyArray<ArrayLike<number | null>>,
): GroundTruthMergeRecord {
  const rows = targets.map((row) => Array.from(row, (y) => (y === null || !Number.isFinite(y) ? null : y)));
  return {
    groundTruthData: { data: JSON.stringify({ targets: rows }), encoding: 'JSON' },
    eventMetadata: { eventId },
    eventVersion: '0',
  };
}

/**
 * A ground-truth record in the merge format for ONE label of a tabular model (SageMaker Developer
 * Guide, "Ingest Ground Truth labels and merge them with predictions": `{"groundTruthData":{"data":
 * "1","encoding":"CSV"},"eventMetadata":{"eventId":"..."},"eventVersion":"0"}`), `eventId` being the
 * `InferenceId` the caller sent with the prediction. `label` is written as given (already validated).
 */
export function toLabelGroundTruthRecord(eventId: string, label: string): LabelGroundTruthMergeRecord {
  return {
    groundTruthData: { data: label, encoding: 'CSV' },
    eventMetadata: { eventId },
    eventVersion: '0',
  };
}

/** The merge record of one tabular label (CSV data: the label alone). */
export interface LabelGroundTruthMergeRecord {
  readonly groundTruthData: { readonly data: string; readonly encoding: 'CSV' };
  readonly eventMetadata: { readonly eventId: string };
  readonly eventVersion: '0';
}

const MISSING_CSV_VALUES = new Set(['', 'nan', 'null']);
const CSV_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseCsvTargets(text: string): (number | null)[][] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.map((line, i) =>
    line.split(',').map((field, j) => {
      const value = field.trim();
      if (MISSING_CSV_VALUES.has(value.toLowerCase())) return null;
      const y = Number(value);
      if (!CSV_NUMBER.test(value) || !Number.isFinite(y)) {
        throw new MetricsInputError(
          `ground-truth CSV line ${i + 1}, field ${j + 1} is not a number: ${JSON.stringify(value)}`,
        );
      }
      return y;
    }),
  );
}
