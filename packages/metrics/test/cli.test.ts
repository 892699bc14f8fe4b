// The mlops-metrics CLI: `wql` and `evaluate` run in-process through main(argv, io), plus the real
// bin shim spawned with node (needs lib/, built here if missing). Output contracts, exit codes and
// diagnostics on stderr.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../src/cli';
import { captureRecord } from './support/capture-record';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(__dirname, 'fixtures');
const CAPTURE = path.join(FIXTURES, 'evaluate/capture');
const GROUND_TRUTH = path.join(FIXTURES, 'evaluate/ground-truth');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], stdin = ''): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(argv, { stdin: Readable.from([stdin]), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/** The single JSON object printed on stdout. */
function parseStdout(result: CliRun): Record<string, unknown> {
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(result.stdout).not.toMatch(/NaN|Infinity/);
  return JSON.parse(lines[0]);
}

// GluonTS Evaluator case (awslabs/gluonts @ 3d05d465, test/evaluation/test_evaluator.py; see
// test/fixtures/README.md): expected mean_wQuantileLoss copied from the source.
const gluonTsCases = JSON.parse(readFileSync(path.join(FIXTURES, 'wql/gluonts-cases.json'), 'utf8'))
  .cases as {
  id: string;
  y: (number | null)[][];
  quantiles: Record<string, (number | null)[][]>;
  expected: Record<string, number | null>;
}[];
function seriesDocument(id: string): { document: unknown; expected: Record<string, number | null> } {
  const c = gluonTsCases.find((x) => x.id === id)!;
  return {
    document: {
      series: c.y.map((target, i) => ({
        target,
        quantiles: Object.fromEntries(Object.entries(c.quantiles).map(([level, rows]) => [level, rows[i]])),
      })),
    },
    expected: c.expected,
  };
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'mlops-metrics-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function inputFile(name: string, content: unknown): string {
  const file = path.join(scratch, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('mlops-metrics wql', () => {
  it.each(['gluonts-evaluator-arange-5x10', 'gluonts-evaluator-arange-5x10-with-nans'])(
    'reproduces GluonTS mean_wQuantileLoss to 1e-9 relative (%s)',
    async (id) => {
      const { document, expected } = seriesDocument(id);
      const result = await run(['wql', '--input', inputFile(`${id}.json`, document)]);
      expect(result.code).toBe(0);
      const output = parseStdout(result);
      expect(Object.keys(output)).toEqual(['wQL', 'mean_wQL', 'points', 'rmse', 'coverage']);
      const expectedMean = expected.mean_wQuantileLoss as number;
      expect(Math.abs((output.mean_wQL as number) - expectedMean)).toBeLessThanOrEqual(1e-9 * expectedMean);
      expect(output.points).toBe(id.endsWith('with-nans') ? 14 : 15);
    },
  );

  it('reads stdin with --input - and the single-series form', async () => {
    const result = await run(
      ['wql', '--input', '-'],
      '{"target":[1.0,2.0,3.0,0.0,0.0],"quantiles":{"0.1":[2,3,4,1,0],"0.5":[2,3,4,1,0],"0.9":[2,3,4,1,0]}}',
    );
    expect(result.code).toBe(0);
    const output = parseStdout(result);
    // GluonTS quantile_loss for this case: 7.2, 4.0, 0.8 (its source writes 0.7999999), Σ|y| = 6.
    expect(output.wQL).toEqual({
      '0.1': expect.closeTo(7.2 / 6, 12),
      '0.5': expect.closeTo(4 / 6, 12),
      '0.9': expect.closeTo(0.8 / 6, 12),
    });
    expect(output.points).toBe(5);
  });

  it('excludes NaN targets written by Python (bare NaN) and null', async () => {
    const result = await run(
      ['wql', '--input', '-'],
      '{"target":[NaN, 2, null],"quantiles":{"0.5":[NaN, 1, 5]},"mean":[0, 1, null]}',
    );
    const output = parseStdout(result);
    expect(output).toMatchObject({ wQL: { '0.5': 0.5 }, mean_wQL: 0.5, points: 1, rmse: 1 });
  });

  it('prints mean_wQL null with a reason for an all-zero target (exit 0)', async () => {
    const { document } = seriesDocument('gluonts-evaluator-zeros-5x10');
    const result = await run(['wql', '--input', inputFile('zeros.json', document)]);
    expect(result.code).toBe(0);
    const output = parseStdout(result);
    expect(output).toMatchObject({
      mean_wQL: null,
      points: 15,
      reason: expect.stringMatching(/sum of \|target\|.* is 0/),
    });
    expect(Object.values(output.wQL as object).every((w) => w === null)).toBe(true);
  });

  it('prints mean_wQL null with a reason for empty input', async () => {
    const output = parseStdout(await run(['wql', '--input', '-'], '{"series":[]}'));
    expect(output).toMatchObject({
      wQL: {},
      mean_wQL: null,
      points: 0,
      reason: expect.stringMatching(/no observed target points/),
    });
  });

  it('evaluates only --quantiles when given', async () => {
    const output = parseStdout(
      await run(
        ['wql', '--input', '-', '--quantiles', '0.50'],
        '{"target":[2],"quantiles":{"0.1":[0],"0.5":[1]}}',
      ),
    );
    expect(output.wQL).toEqual({ '0.5': 0.5 });
  });

  it.each([
    [
      'mismatched lengths',
      '{"target":[1,2,3],"quantiles":{"0.5":[1,2]}}',
      /quantile 0.5 has 2 values but the target has 3/,
    ],
    [
      'a non-numeric value',
      '{"target":[1,"two"],"quantiles":{"0.5":[1,2]}}',
      /target\[1\] is not a number: "two"/,
    ],
    ['a missing target', '{"quantiles":{"0.5":[1,2]}}', /target: .*expected array/],
    ['missing quantiles', '{"target":[1]}', /quantiles: .*expected record/],
    ['an unknown quantile key', '{"target":[1],"quantiles":{"abc":[1]}}', /unknown quantile key "abc"/],
    [
      'two keys for one level',
      '{"target":[1],"quantiles":{"0.5":[1],"0.50":[1]}}',
      /name the same level 0.5/,
    ],
    [
      'a bad series',
      '{"series":[{"target":[1],"quantiles":{"0.5":[1]}},{"target":[1],"quantiles":{"0.5":[]}}]}',
      /series\[1\]: quantile 0.5 has 0 values/,
    ],
    [
      'series with different levels',
      '{"series":[{"target":[1],"quantiles":{"0.5":[1]}},{"target":[1],"quantiles":{"0.9":[1]}}]}',
      /series\[1\]: quantile levels \[0.9\] differ/,
    ],
    ['invalid JSON', '{"target":[1,', /the input is not JSON/],
    ['a JSON array', '[1,2]', /the input is not/],
  ])('exits 1 with a clear message on %s', async (_name, input, message) => {
    const result = await run(['wql', '--input', '-'], input);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^mlops-metrics: invalid input: /);
    expect(result.stderr).toMatch(message);
  });

  it('exits 1 when the input file cannot be read', async () => {
    const result = await run(['wql', '--input', path.join(scratch, 'missing.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read .*missing\.json/);
  });
});

/** A data-capture line of a DeepAR request asking for `asked` and its response. */
function deepArCapture(id: string, asked: string[], quantiles: Record<string, number[]>): string {
  const request = JSON.stringify({
    instances: [{ start: '2024-05-10 00:00:00', target: [1] }],
    configuration: { quantiles: asked },
  });
  return captureRecord(request, JSON.stringify({ predictions: [{ quantiles }] }), {
    eventId: `e-${id}`,
    inferenceId: id,
  });
}

describe('mlops-metrics evaluate', () => {
  it('prints the counts and metrics as one JSON object and the malformed lines on stderr', async () => {
    const result = await run(['evaluate', '--capture', CAPTURE, '--ground-truth', GROUND_TRUTH]);
    expect(result.code).toBe(0);
    const output = parseStdout(result);
    expect(Object.keys(output)).toEqual([
      'matched',
      'unmatchedCapture',
      'unmatchedGroundTruth',
      'malformed',
      'points',
      'wQL',
      'mean_wQL',
      'rmse',
      'coverage',
      'malformedExamples',
    ]);
    expect(output).toMatchObject({
      matched: 3,
      unmatchedCapture: 3,
      unmatchedGroundTruth: 2,
      malformed: 4,
      points: 15,
    });
    expect(Object.keys(output.wQL as object)).toEqual([
      '0.1',
      '0.2',
      '0.3',
      '0.4',
      '0.5',
      '0.6',
      '0.7',
      '0.8',
      '0.9',
    ]);
    expect(typeof output.mean_wQL).toBe('number');
    expect(typeof output.rmse).toBe('number');
    expect(result.stderr).toMatch(/^malformed lines \(4\):\n/);
    expect(result.stderr).toMatch(/groundtruth-0001\.jsonl:9: /);
    expect(result.stderr).toMatch(
      /05-00-456-[\w-]+\.jsonl:3: record "fc-0006": target array 0 has 3 values but the forecast horizon is 4/,
    );
  });

  it('prints mean_wQL null with a reason and exits 3 when nothing matches', async () => {
    const empty = mkdtempSync(path.join(scratch, 'empty-'));
    const result = await run(['evaluate', '--capture', CAPTURE, '--ground-truth', empty]);
    expect(result.code).toBe(3);
    const output = parseStdout(result);
    // Every valid capture line is unmatched (8 of 9; the truncated line stays malformed).
    expect(output).toMatchObject({
      matched: 0,
      unmatchedCapture: 8,
      malformed: 1,
      points: 0,
      mean_wQL: null,
      rmse: null,
    });
    expect(output.reason).toMatch(/no observed target points/);
  });

  it('exits 3, still printing the summary, when every matched record is malformed', async () => {
    const dir = mkdtempSync(path.join(scratch, 'all-malformed-'));
    const groundTruth = path.join(dir, 'ground-truth');
    const capture = path.join(dir, 'capture');
    for (const d of [groundTruth, capture]) mkdirSync(d);
    writeFileSync(
      path.join(groundTruth, 'gt.jsonl'),
      `${JSON.stringify({ groundTruthData: { data: '{"targets":[[1,2,3]]}', encoding: 'JSON' }, eventMetadata: { eventId: 'r1' } })}\n`,
    );
    writeFileSync(
      path.join(capture, 'c.jsonl'),
      `${deepArCapture('r1', ['0.1', '0.5', '0.9'], { '0.1': [0, 1], '0.5': [1, 2], '0.9': [2, 3] })}\n`,
    );
    const result = await run(['evaluate', '--capture', capture, '--ground-truth', groundTruth]);
    expect(result.code).toBe(3);
    expect(parseStdout(result)).toMatchObject({ matched: 0, malformed: 1, points: 0, mean_wQL: null });
    expect(result.stderr).toMatch(
      /c\.jsonl:1: record "r1": target array 0 has 3 values but the forecast horizon is 2/,
    );
  });

  it("evaluates the quantiles the capture's requests asked for without --quantiles; --quantiles overrides", async () => {
    const dir = mkdtempSync(path.join(scratch, 'asked-'));
    const groundTruth = path.join(dir, 'ground-truth');
    const capture = path.join(dir, 'capture');
    for (const d of [groundTruth, capture]) mkdirSync(d);
    writeFileSync(
      path.join(groundTruth, 'gt.jsonl'),
      ['r1', 'r2', 'r3']
        .map((id) =>
          JSON.stringify({
            groundTruthData: { data: '{"targets":[[10,20]]}', encoding: 'JSON' },
            eventMetadata: { eventId: id },
          }),
        )
        .join('\n'),
    );
    const three = { '0.1': [8, 15], '0.5': [10, 20], '0.9': [12, 25] };
    writeFileSync(
      path.join(capture, 'c.jsonl'),
      [
        deepArCapture('r1', ['0.1', '0.5', '0.9'], three),
        deepArCapture('r2', ['0.1', '0.5', '0.9'], three),
        deepArCapture('r3', ['0.5'], { '0.5': [10, 20] }),
      ].join('\n'),
    );
    const result = await run(['evaluate', '--capture', capture, '--ground-truth', groundTruth]);
    expect(result.code).toBe(0);
    const output = parseStdout(result);
    expect(output).toMatchObject({ matched: 2, malformed: 1, points: 4 });
    expect(Object.keys(output.wQL as object)).toEqual(['0.1', '0.5', '0.9']);
    expect(output.wQL).toMatchObject({ '0.5': 0 });
    expect(result.stderr).toMatch(
      /c\.jsonl:3: record "r3": its request's configuration\.quantiles \[0\.5\] differ from this evaluation's quantile set \[0\.1, 0\.5, 0\.9\]/,
    );

    const overridden = await run([
      'evaluate',
      '--capture',
      capture,
      '--ground-truth',
      groundTruth,
      '--quantiles',
      '0.5',
    ]);
    expect(overridden.code).toBe(0);
    expect(parseStdout(overridden)).toMatchObject({ matched: 3, malformed: 0, points: 6, wQL: { '0.5': 0 } });
  });

  it('exits 1 when a folder does not exist', async () => {
    const result = await run([
      'evaluate',
      '--capture',
      path.join(scratch, 'nope'),
      '--ground-truth',
      GROUND_TRUTH,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the capture folder .* does not exist/);
  });
});

describe('usage', () => {
  it.each([
    [[], /missing command/],
    [['wqll'], /unknown command "wqll"/],
    [['wql'], /wql needs --input/],
    [['wql', '--input'], /argument missing/],
    [['wql', '--input', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['evaluate', '--capture', 'x'], /evaluate needs --capture DIR and --ground-truth DIR/],
    [['evaluate', 'extra'], /Unexpected argument 'extra'/],
    [['wql', '--input', '-', '--quantiles', ','], /--quantiles needs a comma-separated list/],
  ])('exits 2 with the usage on %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Usage:/);
  });

  it('prints the usage on help, with the exit codes', async () => {
    const result = await run(['help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/mlops-metrics wql --input FILE\|-/);
    expect(result.stdout).toMatch(
      /Exit codes: 0 done .*, 1 invalid input, 2 bad usage,\s+3 evaluate evaluated no point/s,
    );
  });
});

describe('the bin shim (node packages/metrics/bin/mlops-metrics.js)', () => {
  const shim = path.join(REPO_ROOT, 'packages/metrics/bin/mlops-metrics.js');
  beforeAll(() => {
    // Incremental: a no-op when lib/ is current, a rebuild when src/ changed (`npx projen test:fast`
    // does not build the packages first).
    execFileSync('npx', ['tsc', '--build', 'packages/metrics/tsconfig.json'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  });

  it('runs wql from stdin and evaluate, printing one JSON object', () => {
    const wql = spawnSync(process.execPath, [shim, 'wql', '--input', '-'], {
      cwd: REPO_ROOT,
      input: '{"target":[4],"quantiles":{"0.5":[2]}}',
      encoding: 'utf8',
    });
    expect(wql.status).toBe(0);
    expect(JSON.parse(wql.stdout)).toMatchObject({ wQL: { '0.5': 0.5 }, mean_wQL: 0.5, points: 1 });

    const evaluate = spawnSync(
      process.execPath,
      [shim, 'evaluate', '--capture', CAPTURE, '--ground-truth', GROUND_TRUTH],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    expect(evaluate.status).toBe(0);
    expect(JSON.parse(evaluate.stdout)).toMatchObject({ matched: 3, malformed: 4, points: 15 });
    expect(evaluate.stderr).toMatch(/malformed lines \(4\)/);
  });

  it('exits non-zero with the message on invalid input', () => {
    const bad = spawnSync(process.execPath, [shim, 'wql', '--input', '-'], {
      cwd: REPO_ROOT,
      input: '{"target":[1],"quantiles":{"abc":[1]}}',
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/unknown quantile key "abc"/);
  });
});
