// Parser of SageMaker endpoint data-capture records (one JSON object per line of the captured
// *.jsonl files): the captured payloads with their encoding (JSON, CSV, BASE64) and the id the
// Model Quality merge joins ground truth on (eventMetadata.inferenceId, else eventId).

import { isAscii } from 'node:buffer';
import { z } from 'zod';
import { MetricsInputError } from './errors';
import { describeZodError } from './validation';

/** How SageMaker stored a captured payload. */
export type CaptureEncoding = 'JSON' | 'CSV' | 'BASE64';

/** A captured request or response body. */
export interface CapturedPayload {
  readonly observedContentType?: string;
  readonly mode?: string;
  readonly data: string;
  readonly encoding: CaptureEncoding;
}

/** One data-capture record (the fields this package uses). */
export interface CaptureRecord {
  readonly endpointInput?: CapturedPayload;
  readonly endpointOutput?: CapturedPayload;
  readonly eventId: string;
  readonly inferenceId?: string;
  readonly inferenceTime?: string;
  /** The id ground truth joins on: `inferenceId` when present, otherwise `eventId`. */
  readonly joinId: string;
}

const ENCODINGS = ['JSON', 'CSV', 'BASE64'] as const;

const payloadSchema = z.object({
  observedContentType: z.string().optional(),
  mode: z.string().optional(),
  data: z.string(),
  encoding: z.enum(ENCODINGS),
});

const captureRecordSchema = z.object({
  captureData: z.object({
    endpointInput: payloadSchema.optional(),
    endpointOutput: payloadSchema.optional(),
  }),
  eventMetadata: z.object({
    eventId: z.string().min(1),
    inferenceId: z.string().min(1).optional(),
    inferenceTime: z.string().optional(),
  }),
  eventVersion: z.string().optional(),
});

/**
 * Validates a parsed data-capture record. Throws {@link MetricsInputError} naming the offending
 * field when it is not one.
 */
export function parseCaptureRecord(document: unknown): CaptureRecord {
  const parsed = captureRecordSchema.safeParse(document);
  if (!parsed.success) {
    throw new MetricsInputError(`not a data-capture record: ${describeZodError(parsed.error)}`);
  }
  const { captureData, eventMetadata } = parsed.data;
  return {
    ...(captureData.endpointInput ? { endpointInput: captureData.endpointInput } : {}),
    ...(captureData.endpointOutput ? { endpointOutput: captureData.endpointOutput } : {}),
    eventId: eventMetadata.eventId,
    ...(eventMetadata.inferenceId !== undefined ? { inferenceId: eventMetadata.inferenceId } : {}),
    ...(eventMetadata.inferenceTime !== undefined ? { inferenceTime: eventMetadata.inferenceTime } : {}),
    joinId: eventMetadata.inferenceId ?? eventMetadata.eventId,
  };
}

/** Parses one line of a data-capture file. Throws {@link MetricsInputError} when it is not a record. */
export function parseCaptureLine(line: string): CaptureRecord {
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch (error) {
    throw new MetricsInputError(`not valid JSON: ${(error as Error).message}`);
  }
  return parseCaptureRecord(document);
}

/**
 * The text of a captured payload: JSON and CSV data are stored as text, BASE64 data is decoded
 * (as UTF-8). Throws {@link MetricsInputError} when BASE64 data is not valid base64.
 */
export function decodePayload(payload: Pick<CapturedPayload, 'data' | 'encoding'>): string {
  if (payload.encoding !== 'BASE64') return payload.data;
  const data = payload.data;
  // Fast path: decode directly and check that no character was skipped (Node's decoder skips
  // invalid characters and whitespace, which makes the output shorter than the length implies).
  const length = data.length;
  if (length % 4 !== 1) {
    const padding =
      length > 0 && data.charCodeAt(length - 1) === 61 ? (data.charCodeAt(length - 2) === 61 ? 2 : 1) : 0;
    const decoded = Buffer.from(data, 'base64');
    if (decoded.length === Math.floor(((length - padding) * 3) / 4)) {
      // ASCII (the usual JSON payload) is copied as Latin-1, faster than decoding UTF-8.
      return decoded.toString(isAscii(decoded) ? 'latin1' : 'utf8');
    }
  }
  const compact = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new MetricsInputError('the BASE64 data is not valid base64');
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * The record of an already parsed capture line when it is plainly valid (every field of the right
 * type), without building a validation error; `undefined` when {@link parseCaptureRecord} must
 * look at it (it then either accepts it or says which field is wrong). Used on the hot path.
 */
export function tryCaptureRecord(document: unknown): CaptureRecord | undefined {
  if (!isObject(document)) return undefined;
  const captureData = document.captureData;
  const eventMetadata = document.eventMetadata;
  if (!isObject(captureData) || !isObject(eventMetadata)) return undefined;
  const { endpointInput, endpointOutput } = captureData;
  const { eventId, inferenceId, inferenceTime } = eventMetadata;
  if (
    !isPayloadOrAbsent(endpointInput) ||
    !isPayloadOrAbsent(endpointOutput) ||
    typeof eventId !== 'string' ||
    eventId.length === 0 ||
    !(inferenceId === undefined || (typeof inferenceId === 'string' && inferenceId.length > 0)) ||
    !(inferenceTime === undefined || typeof inferenceTime === 'string') ||
    !(document.eventVersion === undefined || typeof document.eventVersion === 'string')
  ) {
    return undefined;
  }
  // One object shape for every record (absent fields are present as undefined).
  return {
    endpointInput,
    endpointOutput,
    eventId,
    inferenceId,
    inferenceTime,
    joinId: inferenceId ?? eventId,
  };
}

function isPayloadOrAbsent(value: unknown): value is CapturedPayload | undefined {
  if (value === undefined) return true;
  if (!isObject(value)) return false;
  const { data, encoding, observedContentType, mode } = value;
  return (
    typeof data === 'string' &&
    (encoding === 'JSON' || encoding === 'CSV' || encoding === 'BASE64') &&
    (observedContentType === undefined || typeof observedContentType === 'string') &&
    (mode === undefined || typeof mode === 'string')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
