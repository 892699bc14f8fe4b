// The pure core of the tabular synthetic traffic sender (README "Tabular synthetic traffic"): its
// progress state, which synthetic records a run sends (the newest at first, then every record once, in
// order, at most a bound per run), the model's feature encoding read from model-build's prepare report
// (`feature_columns`: the numeric columns by name, a text column one-hot as `<column>_<value>`, as
// pandas' get_dummies names them in prepare.py), the request of one record, and the labels file the
// monitoring seed's ground-truth collector reads (JSON Lines `{"inferenceId", "label"}`).
import { compactTimestamp, type TabularCsv } from '@mlops-templates/metrics';
import { z } from 'zod';

// ------------------------------------------------------------------ state

/** Where the sender stands: the data object it read last and how many of its rows are consumed. */
export interface TrafficState {
  readonly version: 1;
  /** Key of the data object read last. */
  readonly key: string;
  /** Rows of `key` sent (or passed over on the first run / as malformed), from its first row. */
  readonly consumedRows: number;
  /** Rows `key` holds (`consumedRows < objectRows`: the next run continues inside it). */
  readonly objectRows: number;
  /** Id of the last record sent. */
  readonly lastRecordId?: string;
  readonly updatedAt: string;
}

const trafficStateSchema = z.object({
  version: z.literal(1),
  key: z.string().min(1),
  consumedRows: z.number().int().min(0),
  objectRows: z.number().int().min(0),
  lastRecordId: z.string().optional(),
  updatedAt: z.string(),
});

/** The state object's key: `<DATA_PREFIX>_traffic-state.json` (`_`: no reader of the data takes it). */
export function trafficStateKey(dataPrefix: string): string {
  return `${dataPrefix}_traffic-state.json`;
}

/** Reads a state document; an error names the key (a corrupt state is never guessed). */
export function parseTrafficState(text: string, key: string): TrafficState {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(
      `${key}: the traffic state is not JSON (delete it to start again from the newest records)`,
    );
  }
  const parsed = trafficStateSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${key}: invalid traffic state (${problems.join('; ')})`);
  }
  if (parsed.data.consumedRows > parsed.data.objectRows) {
    throw new Error(`${key}: invalid traffic state (consumedRows is above objectRows)`);
  }
  return parsed.data;
}

// ------------------------------------------------------------------ what a run reads

/** A data object the run reads and the rows of it to send. */
export interface PlannedObject {
  readonly key: string;
  /** Rows to pass over at its start (sent by an earlier run). */
  readonly skipRows: number;
  /** The first run's object: only its last rows (the run's bound) are sent, the older ones passed over. */
  readonly newestRowsOnly: boolean;
}

/**
 * Where a run starts: the state's object when rows of it are left, then the objects after it (`later`,
 * the data keys after the state's key, in key order = time order); without a state, the newest data
 * object only (`later` = every data key), whose last rows are the first traffic (the older records are
 * the history the first model was trained on, not traffic).
 */
export function planTrafficObjects(
  state: TrafficState | undefined,
  later: readonly string[],
): { readonly objects: PlannedObject[]; readonly firstRun: boolean } {
  if (state === undefined) {
    const newest = later[later.length - 1];
    const objects = newest === undefined ? [] : [{ key: newest, skipRows: 0, newestRowsOnly: true }];
    return { objects, firstRun: true };
  }
  const objects: PlannedObject[] = [];
  if (state.consumedRows < state.objectRows) {
    objects.push({ key: state.key, skipRows: state.consumedRows, newestRowsOnly: false });
  }
  for (const key of later) if (key > state.key) objects.push({ key, skipRows: 0, newestRowsOnly: false });
  return { objects, firstRun: false };
}

// ------------------------------------------------------------------ records

/** One synthetic record to send: its id, where it comes from, its raw fields by column. */
export interface TrafficRecord {
  readonly recordId: string;
  readonly key: string;
  /** 1-based line of the record in its object (1 = the header). */
  readonly line: number;
  readonly fields: Readonly<Record<string, string>>;
  /** The target as written by the generator. */
  readonly target: string;
}

/**
 * InvokeEndpoint's InferenceId: 1-64 characters, the first not blank, all printable (SageMaker Runtime
 * API Reference, "InvokeEndpoint", InferenceId pattern `\A\S[\p{Print}]*\z`, length 1-64) — the
 * pattern of the monitoring seed's collector, which refuses a label line whose id does not fit.
 */
export const INFERENCE_ID_PATTERN = /^\S[\p{L}\p{N}\p{P}\p{S} ]{0,63}$/u;

/** A data object that cannot be read as synthetic records; the message says why. */
export class MalformedDataObjectError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`${key}: ${reason}`);
    this.name = 'MalformedDataObjectError';
  }
}

/**
 * The records of a parsed data object: the header must hold the record id and target columns, every
 * record id must fit an InferenceId and be unique in the object.
 */
export function trafficRecords(
  key: string,
  csv: TabularCsv,
  columns: { readonly recordId: string; readonly target: string },
): TrafficRecord[] {
  const idIndex = csv.header.indexOf(columns.recordId);
  const targetIndex = csv.header.indexOf(columns.target);
  for (const [name, index] of [
    [columns.recordId, idIndex],
    [columns.target, targetIndex],
  ] as const) {
    if (index < 0) throw new MalformedDataObjectError(key, `no column ${JSON.stringify(name)} in the header`);
  }
  const seen = new Set<string>();
  return csv.rows.map((row, i) => {
    const recordId = row[idIndex];
    const line = i + 2;
    if (!INFERENCE_ID_PATTERN.test(recordId)) {
      throw new MalformedDataObjectError(
        key,
        `line ${line}: record id ${JSON.stringify(recordId)} is not a 1-64 character InferenceId`,
      );
    }
    if (seen.has(recordId)) {
      throw new MalformedDataObjectError(key, `line ${line}: record id ${recordId} repeated`);
    }
    seen.add(recordId);
    const fields: Record<string, string> = {};
    csv.header.forEach((name, c) => {
      fields[name] = row[c];
    });
    return { recordId, key, line, fields, target: row[targetIndex] };
  });
}

// ------------------------------------------------------------------ the model's encoding

/** What model-build's prepare report says about the model's input and target. */
export interface PrepareReport {
  /** The encoded feature columns the model expects, in order (label excluded). */
  readonly featureColumns: readonly string[];
  /** Classification: the target's sorted distinct values, class index = position; regression: empty. */
  readonly classes: readonly string[];
  readonly problemType: 'regression' | 'binary' | 'multiclass';
}

const prepareReportSchema = z.object({
  feature_columns: z.array(z.string().min(1)).min(1),
  classes: z.array(z.union([z.string(), z.number()])).default([]),
  problem_type: z.enum(['regression', 'binary', 'multiclass']),
});

/** Reads model-build's `prepare.json`; an error names the URI and the field. */
export function parsePrepareReport(text: string, uri: string): PrepareReport {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`${uri} is not JSON`);
  }
  const parsed = prepareReportSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${uri}: not a prepare report (${problems.join('; ')})`);
  }
  return {
    featureColumns: parsed.data.feature_columns,
    classes: parsed.data.classes.map(String),
    problemType: parsed.data.problem_type,
  };
}

/** How one encoded column is computed from a record's raw fields. */
type ColumnSource =
  | { readonly kind: 'numeric'; readonly column: string }
  | { readonly kind: 'one-hot'; readonly column: string; readonly value: string };

/** The encoding of a model: one source per feature column, in the model's order. */
export interface FeatureEncoder {
  readonly columns: readonly string[];
  readonly sources: readonly ColumnSource[];
}

/**
 * The encoder of the model's `featureColumns` for data with `header` (prepare.py's encoding: the label
 * column dropped, a numeric column kept by name, a text column replaced by one 0/1 column per value,
 * named `<column>_<value>`). A feature column that is a data column is numeric; otherwise the data
 * column it is a one-hot column of is the longest `<column>_` prefix of it. A feature column that is
 * neither cannot be sent: the error names it (the model was not trained on this data).
 */
export function featureEncoder(
  featureColumns: readonly string[],
  header: readonly string[],
  targetColumn: string,
): FeatureEncoder {
  const inputs = header.filter((name) => name !== targetColumn);
  const sources = featureColumns.map((column): ColumnSource => {
    if (inputs.includes(column)) return { kind: 'numeric', column };
    const owner = inputs
      .filter((name) => column.startsWith(`${name}_`))
      .sort((a, b) => b.length - a.length)[0];
    if (owner === undefined) {
      throw new Error(
        `feature column ${JSON.stringify(column)} of the model is neither a column of the data nor a one-hot column of one (data columns: ${inputs.join(', ')})`,
      );
    }
    return { kind: 'one-hot', column: owner, value: column.slice(owner.length + 1) };
  });
  return { columns: featureColumns, sources };
}

/**
 * The CSV line of a record (no header, no target, the model's column order): numbers as written, a
 * one-hot column 1 for the record's value and 0 otherwise (a value unseen in training has no column:
 * all of its columns are 0, as model-build's README says). An error names the column and value.
 */
export function encodeRecord(encoder: FeatureEncoder, record: TrafficRecord): string {
  return encoder.sources
    .map((source) => {
      const value = record.fields[source.column] ?? '';
      if (source.kind === 'one-hot') return value === source.value ? '1' : '0';
      const text = value.trim();
      if (text === '' || !Number.isFinite(Number(text))) {
        throw new Error(`column ${source.column}: ${JSON.stringify(value)} is not a number`);
      }
      return text;
    })
    .join(',');
}

// ------------------------------------------------------------------ requests

/**
 * Most bytes of one InvokeEndpoint request body: the real-time endpoint payload limit, 6 MB (Amazon
 * SageMaker AI Developer Guide / AWS General Reference, "Amazon SageMaker AI endpoints and quotas":
 * maximum payload size for InvokeEndpoint; SageMaker Runtime API Reference, "InvokeEndpoint").
 */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** One InvokeEndpoint request: a single record, its id as the InferenceId. */
export interface TrafficRequest {
  readonly inferenceId: string;
  readonly body: string;
  readonly record: TrafficRecord;
}

/**
 * The requests of the records for one model: ONE record per request. InvokeEndpoint takes one
 * InferenceId per request, data capture stores it with the whole request, and Model Monitor's
 * model-quality job merges one ground-truth record per captured inferenceId (SageMaker Developer Guide,
 * "Ingest Ground Truth labels and merge them with predictions": "a unique identifier for each record");
 * several rows per request would share one id and could not each get their label. A record the model
 * cannot take (encoding error, body above {@link MAX_REQUEST_BYTES}) is returned in `refused` with why.
 */
export function trafficRequests(
  encoder: FeatureEncoder,
  records: readonly TrafficRecord[],
): { readonly requests: TrafficRequest[]; readonly refused: { record: TrafficRecord; reason: string }[] } {
  const requests: TrafficRequest[] = [];
  const refused: { record: TrafficRecord; reason: string }[] = [];
  for (const record of records) {
    try {
      const body = `${encodeRecord(encoder, record)}\n`;
      if (Buffer.byteLength(body, 'utf8') > MAX_REQUEST_BYTES) {
        throw new Error(`the request is above the ${MAX_REQUEST_BYTES}-byte InvokeEndpoint payload limit`);
      }
      requests.push({ inferenceId: record.recordId, body, record });
    } catch (error) {
      refused.push({ record, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { requests, refused };
}

// ------------------------------------------------------------------ labels

/**
 * The label the collector takes for a record's target: regression the number; classification the
 * class index of the target in the model's classes (prepare.py's encoding), or undefined when the
 * model has no such class (its line is left out and counted).
 */
export function labelOf(report: PrepareReport, target: string): number | undefined {
  if (report.problemType === 'regression') {
    const value = Number(target.trim());
    return target.trim() !== '' && Number.isFinite(value) ? value : undefined;
  }
  const index = report.classes.indexOf(target.trim());
  return index < 0 ? undefined : index;
}

/** The labels file: one `{"inferenceId","label"}` JSON line per record, `\n` after each. */
export function renderLabels(labels: readonly { inferenceId: string; label: number }[]): string {
  return labels.map((l) => `${JSON.stringify({ inferenceId: l.inferenceId, label: l.label })}\n`).join('');
}

/**
 * The labels object of a run: `<LABELS_PREFIX><stage>/yyyy/mm/dd/hh/traffic-<run time>.jsonl` (the hour
 * of the run, UTC; keys sort in arrival order, which the collector's listing relies on).
 */
export function trafficLabelsKey(labelsPrefix: string, stage: string, now: Date): string {
  const iso = now.toISOString();
  const hourPath = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
  return `${labelsPrefix}${stage}/${hourPath}/traffic-${compactTimestamp(now.getTime())}.jsonl`;
}
