// Benchmark of `mlops-metrics evaluate`: generates synthetic DeepAR data capture and ground truth
// (BENCH_POINTS points, default 1,000,000) in a temp folder and times, each in its own child
// process (best of BENCH_RUNS runs, default 5, with the peak RSS of each program): the compiled
// CLI, the Node parse floor (read every file, JSON.parse every line and its payload) and a json +
// numpy Python reference (bench/reference_evaluate.py, skipped with a note without python3/numpy).
// Prints the times, evaluate / floor and Python / evaluate. Cleans up the temp folder.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_QUANTILES, listJsonlFiles, toGroundTruthRecord } from '../src';
import { captureRecord } from '../test/support/capture-record';

const PACKAGE_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(PACKAGE_DIR, '../..');
const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const HORIZON = Number(process.env.BENCH_HORIZON ?? 24); // prediction_length
const INSTANCES_PER_REQUEST = Number(process.env.BENCH_INSTANCES ?? 4);
/** The levels the requests ask for (and the responses answer). */
const QUANTILES: readonly string[] = process.env.BENCH_QUANTILES?.split(',') ?? DEFAULT_QUANTILES;
const RECORDS_PER_FILE = 2_000;

interface ChildReport {
  elapsedMs: number;
  maxRssKiB: number;
  exitCode?: number | null;
  lines?: number;
  /** The Python reference's own summary. */
  // eslint-disable-next-line @typescript-eslint/naming-convention
  mean_wQL?: number | null;
  output?: { matched: number; points: number; malformed: number; mean_wQL: number | null };
}

/** Deterministic pseudo-random numbers in [0, 1) (Park–Miller). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function generate(dir: string): {
  records: number;
  points: number;
  captureBytes: number;
  groundTruthBytes: number;
} {
  const next = random(42);
  const pointsPerRecord = HORIZON * INSTANCES_PER_REQUEST;
  const records = Math.max(1, Math.ceil(POINTS / pointsPerRecord));
  const captureDir = path.join(dir, 'capture', 'bench-endpoint', 'AllTraffic');
  const groundTruthDir = path.join(dir, 'ground-truth');
  let captureBytes = 0;
  let groundTruthBytes = 0;
  for (let first = 0, file = 0; first < records; first += RECORDS_PER_FILE, file++) {
    const hour = String(file % 24).padStart(2, '0');
    const day = String(1 + Math.floor(file / 24)).padStart(2, '0');
    const captureHourDir = path.join(captureDir, '2024', '05', day, hour);
    const groundTruthHourDir = path.join(groundTruthDir, '2024', '05', day, hour);
    mkdirSync(captureHourDir, { recursive: true });
    mkdirSync(groundTruthHourDir, { recursive: true });
    const captureLines: string[] = [];
    const groundTruthLines: string[] = [];
    for (let r = first; r < Math.min(records, first + RECORDS_PER_FILE); r++) {
      const inferenceId = `bench-${r}`;
      const eventId = `00000000-0000-4000-8000-${String(r).padStart(12, '0')}`;
      const onlyEventId = r % 5 === 0;
      const predictions: { quantiles: Record<string, number[]>; mean: number[] }[] = [];
      const targets: number[][] = [];
      for (let i = 0; i < INSTANCES_PER_REQUEST; i++) {
        const level = 50 + 100 * next();
        const mean = Array.from({ length: HORIZON }, () => round(level + 10 * (next() - 0.5)));
        const quantiles = Object.fromEntries(
          QUANTILES.map((q) => [q, mean.map((m) => round(m + (Number(q) - 0.5) * 20))]),
        );
        predictions.push({ quantiles, mean });
        targets.push(mean.map((m) => round(m + 15 * (next() - 0.5))));
      }
      const response = JSON.stringify({ predictions });
      const base64 = r % 10 === 3;
      const request = JSON.stringify({
        instances: targets.map(() => ({ start: '2024-05-01 00:00:00', target: [1, 2, 3] })),
        configuration: {
          num_samples: 100,
          output_types: ['mean', 'quantiles'],
          quantiles: QUANTILES,
        },
      });
      captureLines.push(
        captureRecord(
          request,
          response,
          {
            eventId,
            ...(onlyEventId ? {} : { inferenceId }),
            inferenceTime: '2024-05-01T00:00:00Z',
          },
          { base64 },
        ),
      );
      groundTruthLines.push(
        JSON.stringify(toGroundTruthRecord(onlyEventId ? eventId : inferenceId, targets)),
      );
    }
    const captureFile = path.join(captureHourDir, `00-00-000-bench-${file}.jsonl`);
    const groundTruthFile = path.join(groundTruthHourDir, `groundtruth-${file}.jsonl`);
    writeFileSync(captureFile, `${captureLines.join('\n')}\n`);
    writeFileSync(groundTruthFile, `${groundTruthLines.join('\n')}\n`);
    captureBytes += statSync(captureFile).size;
    groundTruthBytes += statSync(groundTruthFile).size;
  }
  return { records, points: records * pointsPerRecord, captureBytes, groundTruthBytes };
}

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Runs a program in a child process; the child prints its report as the last line of stderr (node) or stdout (python). */
function runChild(command: string, args: string[], reportOn: 'stderr' | 'stdout'): ChildReport {
  const child = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.error) throw child.error;
  const reportText = (reportOn === 'stderr' ? child.stderr : child.stdout).trim().split('\n').pop() ?? '';
  let report: ChildReport;
  try {
    report = JSON.parse(reportText) as ChildReport;
  } catch {
    throw new Error(`child ${command} failed (${child.status}): ${child.stderr}`);
  }
  if (reportOn === 'stderr' && child.stdout.trim() !== '') report.output = JSON.parse(child.stdout);
  report.exitCode = child.status;
  return report;
}

type Measured = ChildReport & { times: number[] };

/**
 * Runs the programs in RUNS rounds, one after the other within a round (so that a change of load on
 * the machine affects all of them alike), and keeps for each its best (shortest) run, the times of
 * all runs and the highest peak RSS seen.
 */
function interleaved<K extends string>(programs: Record<K, () => ChildReport>): Record<K, Measured> {
  const names = Object.keys(programs) as K[];
  const reports = new Map<K, ChildReport[]>(names.map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const name of names) reports.get(name)!.push(programs[name]());
  }
  const result = {} as Record<K, Measured>;
  for (const name of names) {
    const runs = reports.get(name)!;
    const fastest = runs.reduce((a, b) => (b.elapsedMs < a.elapsedMs ? b : a));
    result[name] = {
      ...fastest,
      maxRssKiB: Math.max(...runs.map((r) => r.maxRssKiB)),
      times: runs.map((r) => r.elapsedMs),
    };
  }
  return result;
}

/** "1.25× (best runs; per round 1.28×, 1.22×, 1.31×)". */
function ratio(numerator: Measured, denominator: Measured): string {
  const perRound = numerator.times.map((t, i) => `${(t / denominator.times[i]).toFixed(2)}×`);
  return `${(numerator.elapsedMs / denominator.elapsedMs).toFixed(2)}× (best runs; per round ${perRound.join(', ')})`;
}

// The evaluation: the compiled CLI's main(), exactly what `npx mlops-metrics evaluate` runs.
const EVALUATE_CHILD = `
const { main } = require(${JSON.stringify(path.join(PACKAGE_DIR, 'lib/cli.js'))});
const [capture, groundTruth] = process.argv.slice(1);
const t0 = performance.now();
main(['evaluate', '--capture', capture, '--ground-truth', groundTruth]).then((code) => {
  const elapsedMs = performance.now() - t0;
  process.stderr.write('\\n' + JSON.stringify({ elapsedMs, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n');
  process.exitCode = code;
});`;

// The parse floor: read every file and JSON.parse every line and its payload (the capture's
// output, BASE64 decoded, and the ground truth's data), nothing else; the files are listed before
// the clock starts. Written as fast as plain Node allows: whole files read at once, one Latin-1
// string per ASCII line (UTF-8 otherwise).
const FLOOR_CHILD = `
const { readFileSync } = require('node:fs');
const { isAscii } = require('node:buffer');
const files = JSON.parse(process.argv[1]);
const text = (bytes, start, end) => bytes.toString(isAscii(bytes.subarray(start, end)) ? 'latin1' : 'utf8', start, end);
const t0 = performance.now();
let lines = 0;
for (const file of files) {
  const bytes = readFileSync(file);
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      const record = JSON.parse(text(bytes, start, end));
      lines++;
      const payload = record.groundTruthData || (record.captureData && record.captureData.endpointOutput);
      if (payload) {
        if (payload.encoding === 'BASE64') {
          const decoded = Buffer.from(payload.data, 'base64');
          JSON.parse(text(decoded, 0, decoded.length));
        } else JSON.parse(payload.data);
      }
    }
    start = end + 1;
  }
}
const elapsedMs = performance.now() - t0;
process.stderr.write(JSON.stringify({ elapsedMs, lines, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n');`;

const PYTHON_REFERENCE = path.join(PACKAGE_DIR, 'bench/reference_evaluate.py');

/** Why the Python reference cannot run here, or undefined when python3 with numpy is present. */
function pythonUnavailable(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  if (probe.error) return 'python3 is not installed';
  if (probe.status !== 0) return 'python3 has no numpy (pip install numpy)';
  return undefined;
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function describe(report: Measured, points: number): string {
  return (
    `${seconds(report.elapsedMs)} (best of ${report.times.map(seconds).join(', ')}), ` +
    `${Math.round(points / (report.elapsedMs / 1000)).toLocaleString('en-US')} points/s, peak RSS ${mib(report.maxRssKiB)}`
  );
}

async function benchmark(): Promise<void> {
  if (!Number.isInteger(POINTS) || POINTS <= 0) {
    throw new Error(`BENCH_POINTS must be a positive integer, got ${POINTS}`);
  }
  for (const [name, value] of [
    ['BENCH_HORIZON', HORIZON],
    ['BENCH_INSTANCES', INSTANCES_PER_REQUEST],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`${name} must be a positive integer, got ${value}`);
    }
  }
  if (!Number.isInteger(RUNS) || RUNS <= 0) {
    throw new Error(`BENCH_RUNS must be a positive integer, got ${RUNS}`);
  }
  // Compile lib/ (incremental; a no-op when up to date) so the child runs the current sources.
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '--build', path.join(PACKAGE_DIR, 'tsconfig.json')],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-metrics-bench-'));
  try {
    const generationStarted = Date.now();
    const data = generate(dir);
    const captureDir = path.join(dir, 'capture');
    const groundTruthDir = path.join(dir, 'ground-truth');
    process.stdout.write(
      `data: ${data.points.toLocaleString('en-US')} points = ${data.records.toLocaleString('en-US')} capture records × ` +
        `${INSTANCES_PER_REQUEST} instances × horizon ${HORIZON}, ${QUANTILES.length} quantiles + mean; ` +
        `capture ${mib(data.captureBytes / 1024)}, ground truth ${mib(data.groundTruthBytes / 1024)} ` +
        `(generated in ${((Date.now() - generationStarted) / 1000).toFixed(1)} s)\n`,
    );

    const files = [...(await listJsonlFiles(groundTruthDir)), ...(await listJsonlFiles(captureDir))];
    const missing = pythonUnavailable();
    const programs: Record<string, () => ChildReport> = {
      evaluate: () =>
        runChild(process.execPath, ['-e', EVALUATE_CHILD, '--', captureDir, groundTruthDir], 'stderr'),
      floor: () => runChild(process.execPath, ['-e', FLOOR_CHILD, '--', JSON.stringify(files)], 'stderr'),
      ...(missing === undefined
        ? { python: () => runChild('python3', [PYTHON_REFERENCE, captureDir, groundTruthDir], 'stdout') }
        : {}),
    };
    process.stdout.write(
      `${RUNS} rounds of ${Object.keys(programs).join(', ')} (each run in its own child process)...\n`,
    );
    const measured: Record<string, Measured> = interleaved(programs);
    const { evaluate, floor } = measured;
    const python = measured.python as Measured | undefined;

    const output = evaluate.output!;
    if (
      evaluate.exitCode !== 0 ||
      output.matched !== data.records ||
      output.points !== data.points ||
      output.malformed !== 0
    ) {
      throw new Error(`unexpected evaluate output (exit ${evaluate.exitCode}): ${JSON.stringify(output)}`);
    }
    process.stdout.write(`evaluate (compiled CLI main()): ${describe(evaluate, data.points)}\n`);
    process.stdout.write(`  mean_wQL ${output.mean_wQL}\n`);
    process.stdout.write(
      `parse floor (read + JSON.parse of every line and its payload, ${floor.lines} lines): ${describe(floor, data.points)}\n`,
    );
    if (python === undefined) {
      process.stdout.write(`python json+numpy reference: skipped (${missing})\n`);
    } else {
      const agree =
        typeof python.mean_wQL === 'number' &&
        output.mean_wQL !== null &&
        Math.abs(python.mean_wQL - output.mean_wQL) <= 1e-9 * Math.abs(output.mean_wQL);
      process.stdout.write(`python json+numpy reference: ${describe(python, data.points)}\n`);
      process.stdout.write(
        `  mean_wQL ${python.mean_wQL} (${agree ? 'agrees with evaluate to 1e-9' : 'DIFFERS from evaluate'})\n`,
      );
      if (!agree) throw new Error('the Python reference and evaluate disagree');
    }
    process.stdout.write(`evaluate / parse floor: ${ratio(evaluate, floor)}; target ≤ 1.3×\n`);
    if (python !== undefined) {
      process.stdout.write(`python reference / evaluate: ${ratio(python, evaluate)}; target ≥ 2×\n`);
    }
  } finally {
    if (process.env.BENCH_KEEP) process.stdout.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

benchmark().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
