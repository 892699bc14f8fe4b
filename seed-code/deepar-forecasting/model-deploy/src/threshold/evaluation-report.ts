// The backtest evaluation report registered with a model package by model-build's evaluation step
// (CustomerMetadataProperties.evaluation_report, else ModelMetrics.ModelQuality.Statistics): the
// per-window mean wQL the threshold policy derives a stage's alarm threshold from.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseS3Uri } from '@mlops-templates/metrics';
import { z } from 'zod';

/** The report cannot be read or has no usable per-window wQL; the message says why. */
export class ThresholdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThresholdError';
  }
}

const wql = z.number().min(0, 'must be ≥ 0').nullable();

const windowSchema = z
  .object({
    /** Mean wQL of the window (the `WqlAccumulator.result()` field); null = undefined window. */
    mean_wQL: wql,
  })
  .loose();

// model-build's evaluation.json: `window_wql` (one mean wQL per backtest window, the list the
// threshold policy reads) and `windows` (the full per-window results); either one is enough.
const reportSchema = z
  .object({
    window_wql: z.array(wql).min(1, 'must list at least one backtest window').optional(),
    windows: z.array(windowSchema).min(1, 'must list at least one backtest window').optional(),
  })
  .loose()
  .superRefine((report, ctx) => {
    if (report.window_wql === undefined && report.windows === undefined) {
      ctx.addIssue({ code: 'custom', message: 'has neither "window_wql" nor "windows"' });
    }
  });

/** Per-window mean wQL of a report (`null` = a window whose wQL is undefined). */
export function parseEvaluationReport(text: string, source: string): (number | null)[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ThresholdError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = reportSchema.safeParse(document);
  if (!parsed.success) {
    const lines = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ThresholdError(
      `${source} is not a backtest evaluation report ({"window_wql":[number|null,...]} or {"windows":[{"mean_wQL":number|null},...]}): ${lines.join('; ')}`,
    );
  }
  return parsed.data.window_wql ?? (parsed.data.windows ?? []).map((w) => w.mean_wQL);
}

/** Reads and parses the report at an s3:// URI. */
export async function readEvaluationReport(s3: S3Client, uri: string): Promise<(number | null)[]> {
  let bucket: string;
  let key: string;
  try {
    ({ bucket, key } = parseS3Uri(uri));
  } catch (error) {
    throw new ThresholdError(`evaluation report: ${(error as Error).message}`);
  }
  let text: string;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    const e = error as Error;
    throw new ThresholdError(`cannot read the evaluation report ${uri}: ${e.name}: ${e.message}`);
  }
  return parseEvaluationReport(text, uri);
}
