// Benchmark of `mlops-metrics evaluate`: generates synthetic DeepAR data capture and ground truth
// (BENCH_POINTS points, default 1,000,000) in a temp folder, runs the compiled CLI in a child
// process and prints points/s and the child's peak RSS; then the same for a floor that only reads
// the same files line by line and JSON.parses every line. Cleans up the temp folder.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_QUANTILES, listJsonlFiles, toGroundTruthRecord } from '../src';

const PACKAGE_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(PACKAGE_DIR, '../..');
const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const HORIZON = 24; // prediction_length
const INSTANCES_PER_REQUEST = 4;
const RECORDS_PER_FILE = 2_000;

interface ChildReport {
  elapsedMs: number;
  maxRssKiB: number;
  lines?: number;
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
          DEFAULT_QUANTILES.map((q) => [q, mean.map((m) => round(m + (Number(q) - 0.5) * 20))]),
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
          quantiles: DEFAULT_QUANTILES,
        },
      });
      captureLines.push(
        JSON.stringify({
          captureData: {
            endpointInput: {
              observedContentType: 'application/json',
              mode: 'INPUT',
              data: request,
              encoding: 'JSON',
            },
            endpointOutput: {
              observedContentType: 'application/json',
              mode: 'OUTPUT',
              data: base64 ? Buffer.from(response).toString('base64') : response,
              encoding: base64 ? 'BASE64' : 'JSON',
            },
          },
          eventMetadata: {
            eventId,
            ...(onlyEventId ? {} : { inferenceId }),
            inferenceTime: '2024-05-01T00:00:00Z',
          },
          eventVersion: '0',
        }),
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

/** Runs a script in a fresh node process (compiled code, no ts-node) and returns what it reports. */
function runChild(script: string, args: string[]): ChildReport {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['-e', script, '--', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
  const report = JSON.parse(child.stderr.trim().split('\n').pop()!) as ChildReport;
  if (child.stdout.trim() !== '') report.output = JSON.parse(child.stdout);
  process.stdout.write(`  (child wall time incl. node start: ${(wallMs / 1000).toFixed(2)} s)\n`);
  return report;
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

// The floor: read the same files line by line and JSON.parse every line, nothing else.
const FLOOR_CHILD = `
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
const files = JSON.parse(process.argv[1]);
(async () => {
  const t0 = performance.now();
  let lines = 0;
  for (const file of files) {
    const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.length > 0) { JSON.parse(line); lines++; }
    }
  }
  const elapsedMs = performance.now() - t0;
  process.stderr.write(JSON.stringify({ elapsedMs, lines, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n');
})();`;

// A second reference: the floor plus JSON.parse of every captured output payload (the numbers the
// evaluation cannot avoid parsing); BASE64 payloads are decoded first.
const FLOOR_WITH_PAYLOAD_CHILD = FLOOR_CHILD.replace(
  'JSON.parse(line);',
  `const record = JSON.parse(line);
        const output = record.captureData && record.captureData.endpointOutput;
        if (output) JSON.parse(output.encoding === 'BASE64' ? Buffer.from(output.data, 'base64').toString('utf8') : output.data);`,
);

const IDLE_CHILD = `process.stderr.write(JSON.stringify({ elapsedMs: 0, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n');`;

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

async function benchmark(): Promise<void> {
  if (!Number.isInteger(POINTS) || POINTS <= 0) {
    throw new Error(`BENCH_POINTS must be a positive integer, got ${POINTS}`);
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
        `${INSTANCES_PER_REQUEST} instances × horizon ${HORIZON}, ${DEFAULT_QUANTILES.length} quantiles + mean; ` +
        `capture ${mib(data.captureBytes / 1024)}, ground truth ${mib(data.groundTruthBytes / 1024)} ` +
        `(generated in ${((Date.now() - generationStarted) / 1000).toFixed(1)} s)\n`,
    );

    process.stdout.write('evaluate (compiled CLI main(), child process):\n');
    const evaluate = runChild(EVALUATE_CHILD, [captureDir, groundTruthDir]);
    const output = evaluate.output!;
    if (output.matched !== data.records || output.points !== data.points || output.malformed !== 0) {
      throw new Error(`unexpected evaluate output: ${JSON.stringify(output)}`);
    }
    const evaluateRate = data.points / (evaluate.elapsedMs / 1000);
    process.stdout.write(
      `  ${Math.round(evaluateRate).toLocaleString('en-US')} points/s (${(evaluate.elapsedMs / 1000).toFixed(2)} s), ` +
        `peak RSS ${mib(evaluate.maxRssKiB)}; mean_wQL ${output.mean_wQL}\n`,
    );

    process.stdout.write('floor (read the same files, JSON.parse every line):\n');
    const files = [...(await listJsonlFiles(groundTruthDir)), ...(await listJsonlFiles(captureDir))];
    const floor = runChild(FLOOR_CHILD, [JSON.stringify(files)]);
    const floorRate = data.points / (floor.elapsedMs / 1000);
    process.stdout.write(
      `  ${Math.round(floorRate).toLocaleString('en-US')} points/s (${(floor.elapsedMs / 1000).toFixed(2)} s, ` +
        `${floor.lines} lines), peak RSS ${mib(floor.maxRssKiB)}\n`,
    );

    process.stdout.write('floor + JSON.parse of every captured output payload:\n');
    const floorWithPayload = runChild(FLOOR_WITH_PAYLOAD_CHILD, [JSON.stringify(files)]);
    process.stdout.write(
      `  ${Math.round(data.points / (floorWithPayload.elapsedMs / 1000)).toLocaleString('en-US')} points/s ` +
        `(${(floorWithPayload.elapsedMs / 1000).toFixed(2)} s), peak RSS ${mib(floorWithPayload.maxRssKiB)}\n`,
    );

    const idle = runChild(IDLE_CHILD, []);
    process.stdout.write(
      `idle node process peak RSS: ${mib(idle.maxRssKiB)}; evaluate / floor time: ${(evaluate.elapsedMs / floor.elapsedMs).toFixed(2)}×\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

benchmark().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
