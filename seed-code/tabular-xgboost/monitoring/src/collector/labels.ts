// The ground-truth collector's pure core: label files written by the application → Model Monitor merge
// records. A label file is JSON Lines, one `{"inferenceId": "<the InferenceId sent with the prediction>",
// "label": <number or numeric string>}` per line; each valid line becomes
// `{"groundTruthData":{"data":"<label>","encoding":"CSV"},"eventMetadata":{"eventId":"<inferenceId>"},"eventVersion":"0"}`
// (SageMaker Developer Guide, "Ingest Ground Truth labels and merge them with predictions"). Bad lines
// are counted and reported with their reason, never guessed and never fatal.
import { toLabelGroundTruthRecord } from '@mlops-templates/metrics';
import { labelProblem, type ProblemType } from '../problem-type';

/**
 * InvokeEndpoint's InferenceId: 1-64 characters, the first not blank, all printable (SageMaker Runtime
 * API Reference, "InvokeEndpoint", InferenceId pattern `\A\S[\p{Print}]*\z`).
 */
const INFERENCE_ID = /^\S[\p{L}\p{N}\p{P}\p{S} ]{0,63}$/u;

/** A rejected line: where and why. */
export interface RejectedLine {
  readonly line: number;
  readonly reason: string;
}

/** The outcome of converting one label file. */
export interface ConvertedLabels {
  /** Merge records as JSON lines (no trailing newline), in input order. */
  readonly records: string[];
  /** The inference ids of {@link records}. */
  readonly inferenceIds: string[];
  readonly rejected: RejectedLine[];
}

/** Reads one line; a record or the reason it is refused. */
export function parseLabelLine(
  text: string,
  problemType: ProblemType,
): { inferenceId: string; label: string } | { reason: string } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { reason: 'not JSON' };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { reason: 'not a JSON object' };
  }
  const { inferenceId, label } = document as Record<string, unknown>;
  if (typeof inferenceId !== 'string' || !INFERENCE_ID.test(inferenceId)) {
    return { reason: 'inferenceId is not a 1-64 character InferenceId' };
  }
  if (typeof label !== 'number' && typeof label !== 'string') {
    return { reason: 'label is not a number or a numeric string' };
  }
  const written = typeof label === 'number' ? String(label) : label.trim();
  const problem = labelProblem(problemType, written);
  return problem === undefined ? { inferenceId, label: written } : { reason: problem };
}

/**
 * Converts a label file. Blank lines are skipped; a repeated inference id keeps its LAST label (a
 * correction written later), the earlier line is reported as rejected.
 */
export function convertLabels(text: string, problemType: ProblemType): ConvertedLabels {
  const byId = new Map<string, { label: string; line: number }>();
  const rejected: RejectedLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const parsed = parseLabelLine(raw, problemType);
    if ('reason' in parsed) {
      rejected.push({ line: index + 1, reason: parsed.reason });
      return;
    }
    const earlier = byId.get(parsed.inferenceId);
    if (earlier) {
      rejected.push({
        line: earlier.line,
        reason: `inferenceId repeated on line ${index + 1} (kept the later label)`,
      });
      byId.delete(parsed.inferenceId);
    }
    byId.set(parsed.inferenceId, { label: parsed.label, line: index + 1 });
  });
  const kept = [...byId.entries()].sort((a, b) => a[1].line - b[1].line);
  return {
    records: kept.map(([id, { label }]) => JSON.stringify(toLabelGroundTruthRecord(id, label))),
    inferenceIds: kept.map(([id]) => id),
    rejected: rejected.sort((a, b) => a.line - b.line),
  };
}
