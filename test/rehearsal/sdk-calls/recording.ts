// The recording of the AWS SDK calls the runtime code makes in its own tests: its format, where jest
// writes it (per worker, merged by the global teardown), and how the rehearsal reads it. A recording
// carries the digest of the runtime sources and tests it was made from and the test files that ran,
// so the rehearsal can refuse a stale or partial one instead of evaluating calls the code no longer
// makes.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** JSON as recorded. */
export type RecordedJson = string | number | boolean | null | RecordedJson[] | { [k: string]: RecordedJson };

/** One distinct AWS SDK call made by code under test. */
export interface RecordedCall {
  /** The client's service id (`client.config.serviceId`, e.g. `SageMaker`, `S3`). */
  readonly service: string;
  /** The operation (command class name without `Command`). */
  readonly operation: string;
  /** The command input, made JSON-safe (bytes and streams replaced by a marker). */
  readonly input: RecordedJson;
  /** Repository-relative runtime module frames of the call, innermost first (empty: test code). */
  readonly frames: readonly string[];
  /** Repository-relative test file that ran it. */
  readonly testFile: string;
  /** Environment variables whose value occurs in the input, as they were at the call. */
  readonly env: Readonly<Record<string, string>>;
  /** `mock`: sent to an aws-sdk-client-mock stub; `sdk`: through the real client (e.g. to moto). */
  readonly via: 'mock' | 'sdk';
  /** How many identical calls were made. */
  readonly count: number;
}

/** One line of a worker's JSONL file. */
export type RecordingLine =
  | { readonly kind: 'call'; readonly call: RecordedCall }
  | { readonly kind: 'file'; readonly testFile: string }
  | { readonly kind: 'error'; readonly testFile: string; readonly message: string };

/** The merged recording of one jest run. */
export interface Recording {
  readonly version: 1;
  /** `runtimeDigest()` when the run started. */
  readonly digest: string;
  /** Every test file that ran (repository-relative; seeded repositories' as `seed-code/...`). */
  readonly testFiles: readonly string[];
  readonly calls: readonly RecordedCall[];
  /** Recorder problems (a call that could not be recorded): each fails the rehearsal. */
  readonly errors: readonly string[];
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** Git-ignored directory of the per-worker files and the merged recording. */
export const RECORDING_DIR = path.join(REPO_ROOT, 'test', 'rehearsal', '.recorded');
export const RECORDING_FILE = path.join(RECORDING_DIR, 'recording.json');
/** Environment variable naming the directory workers write to (inherited by seeded repos' runs). */
export const RECORD_DIR_ENV = 'REHEARSAL_RECORD_DIR';
/** The command that produces the recording. */
export const RECORDING_COMMAND = 'npx jest (the whole suite, as `npx projen test` runs it)';

/** Folders whose content decides which SDK calls are made: runtime sources and their tests. */
const RUNTIME_ROOTS = [
  'packages/retrain',
  'packages/project-handlers',
  'packages/metrics',
  'packages/pipeline-definition',
  'seed-code',
];
const SKIP = new Set(['node_modules', 'vendor', 'dist', 'cdk.out', 'lib', 'bin', 'bench']);
const SKIP_FILES = /(^|\/)(package-lock\.json|tsconfig\.tsbuildinfo)$/;

function filesUnder(dir: string, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (e.isFile() && /\.(ts|js|json)$/.test(e.name) && !SKIP_FILES.test(p)) out.push(p);
  }
}

/** Digest of the runtime sources and tests (the recording is stale once it differs). */
export function runtimeDigest(root = REPO_ROOT): string {
  const files: string[] = [];
  for (const r of RUNTIME_ROOTS) filesUnder(path.join(root, r), files);
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    hash.update(path.relative(root, f).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(f));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Test files whose SDK calls the recording must contain: every runtime package's and seed's test. */
export function expectedTestFiles(root = REPO_ROOT): string[] {
  const files: string[] = [];
  for (const r of RUNTIME_ROOTS) filesUnder(path.join(root, r), files);
  return files
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .filter((f) => /^(packages\/[^/]+|seed-code\/[^/]+\/[^/]+)\/test\/.*\.test\.ts$/.test(f))
    .sort();
}

/** Merges per-worker JSONL files into one recording (identical calls summed). */
export function mergeLines(lines: readonly RecordingLine[], digest: string): Recording {
  const calls = new Map<string, RecordedCall>();
  const testFiles = new Set<string>();
  const errors: string[] = [];
  for (const line of lines) {
    if (line.kind === 'file') {
      testFiles.add(line.testFile);
    } else if (line.kind === 'error') {
      errors.push(`${line.testFile}: ${line.message}`);
    } else {
      const key = callKey(line.call);
      const seen = calls.get(key);
      calls.set(key, seen ? { ...seen, count: seen.count + line.call.count } : line.call);
    }
  }
  return {
    version: 1,
    digest,
    testFiles: [...testFiles].sort(),
    calls: [...calls.values()].sort((a, b) => callKey(a).localeCompare(callKey(b))),
    errors: [...new Set(errors)].sort(),
  };
}

/** Identity of a call (everything but its count). */
export function callKey(c: Omit<RecordedCall, 'count'>): string {
  return JSON.stringify([c.service, c.operation, c.testFile, c.frames, c.input, c.env, c.via]);
}

/** Reads the JSONL files of `dir` (ignoring the merged file). */
export function readWorkerLines(dir = RECORDING_DIR): RecordingLine[] {
  if (!fs.existsSync(dir)) return [];
  const out: RecordingLine[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (line.trim()) out.push(JSON.parse(line) as RecordingLine);
    }
  }
  return out;
}

/** The recording of the last jest run, or `undefined` when none was written. */
export function loadRecording(file = RECORDING_FILE): Recording | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Recording;
}

/** Why a recording cannot be used for this checkout (empty: usable). */
export function recordingProblems(
  recording: Recording | undefined,
  digest = runtimeDigest(),
  expected = expectedTestFiles(),
): string[] {
  if (!recording) {
    return [
      `no recording of the runtime code's AWS SDK calls at ${path.relative(REPO_ROOT, RECORDING_FILE)}: run ${RECORDING_COMMAND} first`,
    ];
  }
  const problems: string[] = [];
  if (recording.digest !== digest) {
    problems.push(
      `the recording is stale (runtime sources or their tests changed since it was made): run ${RECORDING_COMMAND}`,
    );
  }
  const ran = new Set(recording.testFiles);
  const missing = expected.filter((f) => !ran.has(f));
  if (missing.length > 0) {
    problems.push(
      `the recording is partial: ${missing.length} runtime test file(s) did not run (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}): run ${RECORDING_COMMAND}`,
    );
  }
  for (const e of recording.errors) problems.push(`recorder: ${e}`);
  return problems;
}
