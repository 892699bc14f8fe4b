// One collection run: the label objects written since the previous run (listed after the last key
// converted, so keys must sort in arrival order, e.g. `<stage>/yyyy/mm/dd/hh/<file>.jsonl`) are
// converted into ONE merge-record object under <GROUND_TRUTH_PREFIX><stage>/yyyy/mm/dd/hh/ — the hour
// the labels were collected, as the merge job expects (SageMaker Developer Guide, "Ingest Ground Truth
// labels and merge them with predictions") — and the last key is saved. S3 is behind a port.
import { groundTruthKey, type LogPort } from '@mlops-templates/metrics';
import type { CollectorEnvironment } from './environment';
import { convertLabels } from './labels';

/** The S3 operations of a run (keys inside the project bucket). */
export interface ObjectStorePort {
  /** Keys under `prefix` strictly after `startAfter`, ascending, at most `max`. */
  list(prefix: string, startAfter: string | undefined, max: number): Promise<string[]>;
  /** The object's text, `undefined` when it does not exist. */
  read(key: string): Promise<string | undefined>;
  write(key: string, body: string): Promise<void>;
}

/** What a run did (returned and logged). */
export interface CollectionSummary {
  readonly objectsRead: number;
  readonly objectsSkipped: number;
  readonly recordsWritten: number;
  readonly linesRejected: number;
  /** The merge-record object written, `null` when no label was valid. */
  readonly groundTruthKey: string | null;
  readonly lastKey: string | null;
  /** More label objects than `maxObjectsPerRun` were waiting: the next run continues. */
  readonly more: boolean;
}

/** Reports at most this many rejected lines per object (the count is always complete). */
const REPORTED_LINES = 20;

interface CollectorState {
  readonly lastKey: string;
}

function parseState(text: string | undefined, key: string): CollectorState | undefined {
  if (text === undefined) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    state = undefined;
  }
  const lastKey = (state as { lastKey?: unknown } | undefined)?.lastKey;
  if (typeof lastKey !== 'string' || lastKey === '') {
    throw new Error(
      `the collector state ${key} is not {"lastKey": "..."}: fix it, or delete it to convert every label object again`,
    );
  }
  return { lastKey };
}

/** Runs one collection. S3 errors propagate (the run fails and the state is not advanced). */
export async function collectGroundTruth(
  store: ObjectStorePort,
  env: CollectorEnvironment,
  nowMs: number,
  runId: string,
  log: LogPort,
): Promise<CollectionSummary> {
  const state = parseState(await store.read(env.stateKey), env.stateKey);
  const keys = await store.list(env.labelsPrefix, state?.lastKey, env.maxObjectsPerRun);
  const records: string[] = [];
  let objectsSkipped = 0;
  let linesRejected = 0;
  for (const key of keys) {
    if (!key.endsWith('.jsonl')) {
      objectsSkipped++;
      log.warn('label object skipped: not a .jsonl file', { key });
      continue;
    }
    const text = await store.read(key);
    if (text === undefined) {
      objectsSkipped++;
      log.warn('label object skipped: deleted since it was listed', { key });
      continue;
    }
    const converted = convertLabels(text, env.problemType);
    records.push(...converted.records);
    linesRejected += converted.rejected.length;
    if (converted.rejected.length > 0) {
      log.warn('label lines rejected', {
        key,
        rejected: converted.rejected.length,
        accepted: converted.records.length,
        first: converted.rejected.slice(0, REPORTED_LINES),
      });
    }
  }
  let written: string | null = null;
  if (records.length > 0) {
    written = groundTruthKey(env.groundTruthPrefix, env.stage, nowMs, runId);
    await store.write(written, `${records.join('\n')}\n`);
  }
  const lastKey = keys.length > 0 ? keys[keys.length - 1] : (state?.lastKey ?? null);
  if (keys.length > 0) await store.write(env.stateKey, `${JSON.stringify({ lastKey })}\n`);
  const summary: CollectionSummary = {
    objectsRead: keys.length - objectsSkipped,
    objectsSkipped,
    recordsWritten: records.length,
    linesRejected,
    groundTruthKey: written,
    lastKey,
    more: keys.length === env.maxObjectsPerRun,
  };
  log.info('ground truth collected', { ...summary });
  return summary;
}
