// One collection run over an in-memory store: labels since the last run → one merge-record object in
// the collection hour's partition, the state advanced only after a successful run.
import { SILENT_LOG_PORT, type LogPort } from '@mlops-templates/metrics';
import { collectGroundTruth } from '../src/collector/collect';
import { readCollectorEnvironment } from '../src/collector/environment';
import { memoryStore } from './support';

const ENV = {
  STAGE: 'staging',
  PROJECT_BUCKET: 'sagemaker-p-abcdefghijkl-123456789012',
  LABELS_PREFIX: 'labels/',
  GROUND_TRUTH_PREFIX: 'ground-truth/',
  MONITORING_PREFIX: 'monitoring/',
  PROBLEM_TYPE: 'regression',
  COLLECTOR_SETTINGS: '{"maxObjectsPerRun":2}',
};
const env = readCollectorEnvironment(ENV);
const NOW = Date.parse('2026-03-04T05:17:00Z');
const recorder = (): LogPort & { warnings: string[] } => {
  const warnings: string[] = [];
  return { ...SILENT_LOG_PORT, warn: (m) => void warnings.push(m), warnings };
};

describe('readCollectorEnvironment', () => {
  test('derives the stage prefixes and the state key', () => {
    expect(env).toMatchObject({
      labelsPrefix: 'labels/staging/',
      groundTruthPrefix: 'ground-truth/',
      stateKey: 'monitoring/staging/ground-truth-collector-state.json',
      maxObjectsPerRun: 2,
    });
  });
  test.each([
    [{ PROBLEM_TYPE: 'ranking' }, /PROBLEM_TYPE/],
    [{ STAGE: undefined }, /STAGE is not set/],
    [{ COLLECTOR_SETTINGS: '{x' }, /COLLECTOR_SETTINGS is not JSON/],
    [{ COLLECTOR_SETTINGS: '{"maxObjectsPerRun":0}' }, /COLLECTOR_SETTINGS/],
    // Raw labels inside the prefix the merge job reads would be read as ground truth.
    [{ LABELS_PREFIX: 'ground-truth/staging/raw/' }, /overlap/],
  ])('%j is refused', (patch, message) => {
    expect(() => readCollectorEnvironment({ ...ENV, ...patch })).toThrow(message);
  });
});

describe('collectGroundTruth', () => {
  test('converts the new objects into one hourly merge object and advances the state', async () => {
    const store = memoryStore({
      'labels/staging/2026/03/04/04/a.jsonl':
        '{"inferenceId":"i-1","label":1.5}\n{"inferenceId":"i-2","label":"x"}\n',
      'labels/staging/2026/03/04/05/b.jsonl': '{"inferenceId":"i-3","label":2}\n',
      'labels/prod/2026/03/04/05/c.jsonl': '{"inferenceId":"p-1","label":2}\n',
    });
    const log = recorder();
    const summary = await collectGroundTruth(store, env, NOW, 'run-1', log);
    expect(summary).toEqual({
      objectsRead: 2,
      objectsSkipped: 0,
      recordsWritten: 2,
      linesRejected: 1,
      groundTruthKey: 'ground-truth/staging/2026/03/04/05/run-1.jsonl',
      lastKey: 'labels/staging/2026/03/04/05/b.jsonl',
      more: true,
    });
    expect(store.objects.get('ground-truth/staging/2026/03/04/05/run-1.jsonl')!.trim().split('\n')).toEqual([
      '{"groundTruthData":{"data":"1.5","encoding":"CSV"},"eventMetadata":{"eventId":"i-1"},"eventVersion":"0"}',
      '{"groundTruthData":{"data":"2","encoding":"CSV"},"eventMetadata":{"eventId":"i-3"},"eventVersion":"0"}',
    ]);
    expect(log.warnings).toEqual(['label lines rejected']);

    // The next run converts nothing twice: nothing new, nothing written, the state unchanged.
    const again = await collectGroundTruth(store, env, NOW + 3_600_000, 'run-2', SILENT_LOG_PORT);
    expect(again).toMatchObject({ objectsRead: 0, recordsWritten: 0, groundTruthKey: null, more: false });
    expect(store.writes).toEqual([
      'ground-truth/staging/2026/03/04/05/run-1.jsonl',
      'monitoring/staging/ground-truth-collector-state.json',
    ]);
  });

  test('non-.jsonl objects and files with no valid line are skipped and logged; the state still advances', async () => {
    const store = memoryStore({
      'labels/staging/a.csv': 'i-1,1\n',
      'labels/staging/b.jsonl': 'garbage\n',
    });
    const log = recorder();
    const summary = await collectGroundTruth(store, env, NOW, 'run-1', log);
    expect(summary).toMatchObject({
      objectsRead: 1,
      objectsSkipped: 1,
      recordsWritten: 0,
      linesRejected: 1,
      groundTruthKey: null,
    });
    expect(log.warnings).toEqual(['label object skipped: not a .jsonl file', 'label lines rejected']);
    expect(JSON.parse(store.objects.get(env.stateKey)!)).toEqual({ lastKey: 'labels/staging/b.jsonl' });
  });

  test('a failed write leaves the state where it was (the next run retries the same objects)', async () => {
    const store = memoryStore({ 'labels/staging/a.jsonl': '{"inferenceId":"i-1","label":1}\n' });
    store.write = async () => {
      throw new Error('AccessDenied');
    };
    await expect(collectGroundTruth(store, env, NOW, 'run-1', SILENT_LOG_PORT)).rejects.toThrow(
      'AccessDenied',
    );
    expect(store.objects.has(env.stateKey)).toBe(false);
  });

  test('a corrupt state is a clear error naming the object', async () => {
    const store = memoryStore({ [env.stateKey]: '{"last":1}' });
    await expect(collectGroundTruth(store, env, NOW, 'run-1', SILENT_LOG_PORT)).rejects.toThrow(
      /ground-truth-collector-state.json is not \{"lastKey"/,
    );
  });
});
