// Parser of SageMaker endpoint data-capture records (one JSON object per line of the captured
// *.jsonl files): the captured payloads with their encoding (JSON, CSV, BASE64) and the id the
// Model Quality merge joins ground truth on (eventMetadata.inferenceId, else eventId).

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
  const compact = payload.data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new MetricsInputError('the BASE64 data is not valid base64');
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}
