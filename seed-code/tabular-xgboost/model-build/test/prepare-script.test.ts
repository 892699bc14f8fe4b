// processing/prepare.py run for real on small files it is given in a temporary folder (its input and
// output folders are arguments of main()). Three levels, each run where its Python is present and
// otherwise reported as skipped with the reason (never a silent pass; not a CI failure either: this
// repository installs no Python packages, see README "The scripts"):
// - python3 alone (pandas and numpy stubbed): which files are read, no input, Parquet files with no
//   Parquet engine, the argument checks (the Feature Group flag needs both identity columns, the
//   baseline window);
// - python3 with pandas: CSV runs (synthetic/S3 sources: identity columns dropped, the data-quality
//   baseline of the newest hours by event time or, without one, the training split with a warning;
//   Feature Group sources: latest record versions, deleted records, Feature Store's columns dropped),
//   the sample request (the encoded features of the first test rows, no header, no label) and the
//   errors naming the problem;
// - with a Parquet engine (pyarrow or fastparquet) as well: Parquet and CSV files read together.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PREPARE, PROCESSING_DIR } from '../src/pipeline/processing';

const PYTHON = 'python3';
const probe = (code: string): boolean => spawnSync(PYTHON, ['-c', code], { encoding: 'utf8' }).status === 0;
const hasPython = probe('import sys');
const hasPandas = hasPython && probe('import numpy, pandas');
const hasParquetEngine =
  hasPandas &&
  probe(
    'import importlib.util, sys; sys.exit(0 if any(importlib.util.find_spec(e) for e in ("pyarrow", "fastparquet")) else 1)',
  );

/** `describe`, or a skipped block whose title says what is missing (and a warning line). */
function describeIf(available: boolean, missing: string, name: string, fn: () => void): void {
  if (available) {
    describe(name, fn);
    return;
  }
  console.warn(`SKIPPED: ${name}: ${missing}`);
  describe.skip(`${name} [skipped: ${missing}]`, fn);
}

// Imports prepare.py from processing/ and runs one call; stubs numpy/pandas when asked (the calls
// that stop before pandas is used); PARQUET_ENGINES can be replaced to act as if none were installed.
const DRIVER = `
import json, sys, types
sys.dont_write_bytecode = True
request = json.loads(sys.argv[1])
if request.get("stub"):
    for name in ("numpy", "pandas"):
        sys.modules[name] = types.ModuleType(name)
sys.path.insert(0, request["code"])
import prepare
if "engines" in request:
    prepare.PARQUET_ENGINES = request["engines"]
call = request["call"]
if call == "input_files":
    csv, parquet = prepare.input_files(request["input"])
    print(json.dumps({"csv": csv, "parquet": parquet}))
elif call == "read_data":
    prepare.read_data(request["input"])
elif call == "parse_args":
    print(json.dumps(vars(prepare.parse_args(request["argv"]))))
elif call == "write_parquet":
    import pandas as pd
    pd.DataFrame(request["columns"]).to_parquet(request["file"], index=False)
else:
    prepare.main(request["argv"], input_dir=request["input"], output_dir=request["output"])
`;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function python(request: Record<string, unknown>): Run {
  const result = spawnSync(PYTHON, ['-c', DRIVER, JSON.stringify({ code: PROCESSING_DIR, ...request })], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let root: string;
let input: string;
let output: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'prepare-'));
  input = path.join(root, 'input');
  output = path.join(root, 'output');
  fs.mkdirSync(input);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(relative: string, text: string): string {
  const file = path.join(input, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const ARGS = ['--target-column', 'y', '--problem-type', 'regression', '--test-fraction', '0.2'];
const argvWindow = (hours: string, ...more: string[]) => [
  ...ARGS,
  '--validation-fraction',
  '0.2',
  '--seed',
  '7',
  '--baseline-window-hours',
  hours,
  ...more,
];
const argv = (...more: string[]) => argvWindow('24', ...more);
const IDENTITY_ARGS = ['--record-identifier-column', 'id', '--event-time-column', 'event_time'];
const FEATURE_GROUP_ARGS = [...IDENTITY_ARGS, '--feature-group-offline-store'];
/** What prepare.py says when the baseline cannot be windowed (no event-time column). */
const NO_EVENT_TIME_WARNING =
  'prepare: warning: no event-time column (--event-time-column): the data-quality baseline describes the whole training split, not the newest 24 h\n';

function readOutput(relative: string): string {
  return fs.readFileSync(path.join(output, relative), 'utf8');
}
const report = (): Record<string, unknown> => JSON.parse(readOutput(`report/${PREPARE.reportFile}`));

/** n rows of a numeric feature x, a text feature colour and the target y = 2x. */
function tabular(n: number, from = 0): string {
  const rows = Array.from({ length: n }, (_, i) => `${from + i},${i % 2 ? 'red' : 'blue'},${2 * (from + i)}`);
  return ['x,colour,y', ...rows].join('\n') + '\n';
}

describeIf(hasPython, 'python3 is not installed', 'prepare.py with python3 alone (pandas stubbed)', () => {
  test('reads .csv and .parquet files at any depth, not _/. files or other extensions', () => {
    const a = write('a.csv', 'x\n');
    const b = write('year=2024/month=06/b.parquet', '');
    const c = write('deep/er/c.csv', 'x\n');
    write('_SUCCESS.csv', '');
    write('.hidden.parquet', '');
    write('notes.txt', '');
    write('d.csv.gz', '');
    const run = python({ stub: true, call: 'input_files', input });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ csv: [a, c], parquet: [b] });
  });

  test('no data file: exit 1 naming the input folder', () => {
    write('notes.txt', '');
    const run = python({ stub: true, call: 'read_data', input });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1,
      stderr: `prepare: no .csv or .parquet file under the input data prefix (${input})\n`,
    });
  });

  test('Parquet files and no Parquet engine importable: exit 1 saying so, before anything is read', () => {
    write('a.csv', 'x\n');
    const parquet = write('b.parquet', 'not read');
    const run = python({
      stub: true,
      call: 'read_data',
      input,
      engines: ['no_such_engine_a', 'no_such_engine_b'],
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `prepare: 1 .parquet files under ${input} (e.g. ${parquet}) but no Parquet engine is importable ` +
        '(no_such_engine_a or no_such_engine_b): run this step on an image with pyarrow, or convert the files to CSV with a header row\n',
    );
  });

  test('the Feature Group flag needs both identity columns; each alone is fine (argparse usage error, exit 2)', () => {
    const run = python({
      stub: true,
      call: 'parse_args',
      argv: argv('--record-identifier-column', 'id', '--feature-group-offline-store'),
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      '--feature-group-offline-store needs --record-identifier-column and --event-time-column',
    );
    const same = python({
      stub: true,
      call: 'parse_args',
      argv: argv('--record-identifier-column', 't', '--event-time-column', 't'),
    });
    expect(same.status).toBe(2);
    expect(same.stderr).toContain('--record-identifier-column and --event-time-column must differ');
    const alone = python({ stub: true, call: 'parse_args', argv: argv('--event-time-column', 'ts') });
    expect(JSON.parse(alone.stdout)).toMatchObject({
      record_identifier_column: null,
      event_time_column: 'ts',
      feature_group_offline_store: false,
      baseline_window_hours: 24,
    });
    const both = python({ stub: true, call: 'parse_args', argv: argv(...FEATURE_GROUP_ARGS) });
    expect(JSON.parse(both.stdout)).toMatchObject({
      record_identifier_column: 'id',
      event_time_column: 'event_time',
      feature_group_offline_store: true,
    });
  });

  test('the baseline window is whole hours, at least 1 (exit 2 naming the flag)', () => {
    const zero = python({ stub: true, call: 'parse_args', argv: argvWindow('0') });
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--baseline-window-hours 0: must be at least 1');
    const fraction = python({ stub: true, call: 'parse_args', argv: argvWindow('1.5') });
    expect(fraction.status).toBe(2);
    expect(fraction.stderr).toContain("argument --baseline-window-hours: invalid int value: '1.5'");
  });
});

describeIf(hasPandas, `${PYTHON} has no pandas (pip install pandas)`, 'prepare.py with pandas', () => {
  const run = (...more: string[]) => python({ call: 'main', argv: argv(...more), input, output });

  test('CSV files: the outputs and the report (label first; train without header; the sample request)', () => {
    write('part-1.csv', tabular(10));
    write('nested/part-2.csv', 'y,x,colour\n40,20,red\n42,21,blue\n'); // same columns, another order
    const result = run();
    // No event-time column: the baseline is the whole training split, and the log says so.
    expect(result.stderr).toBe(NO_EVENT_TIME_WARNING);
    expect(result.status).toBe(0);
    expect(report()).toMatchObject({
      files: 2,
      csv_files: 2,
      parquet_files: 0,
      rows: 12,
      train_rows: 8,
      validation_rows: 2,
      test_rows: 2,
      feature_columns: ['x', 'colour_blue', 'colour_red'],
      categorical_columns: ['colour'],
      num_class: 1,
      baseline_rows: 8,
      baseline_window_hours: null,
      identity_columns: [],
    });
    const train = readOutput('train/train.csv').trim().split('\n');
    expect(train).toHaveLength(8);
    for (const line of train) {
      const [label, x] = line.split(',').map(Number);
      expect(label).toBe(2 * x);
    }
    expect(readOutput('test/test.csv').split('\n')[0]).toBe('label,x,colour_blue,colour_red');
    expect(readOutput('baseline/baseline.csv').split('\n')[0]).toBe('x,colour_blue,colour_red');
    expect(readOutput('baseline/baseline.csv').trim().split('\n')).toHaveLength(1 + 8);
    // The sample request: the test rows (only 2 here) without their label and without header.
    const testFeatures = readOutput('test/test.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').slice(1).join(','));
    expect(readOutput(`sample/${PREPARE.sampleFile}`).trim().split('\n')).toEqual(testFeatures);
    expect(report().sample_rows).toBe(2);
  });

  describe('the sample request (the model package sample_payload the staging endpoint test sends)', () => {
    /** The sample's lines, and the test rows' features (label dropped), in the order written. */
    const sampleAndTest = () => ({
      sample: readOutput(`sample/${PREPARE.sampleFile}`).trim().split('\n'),
      testFeatures: readOutput('test/test.csv')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',').slice(1).join(',')),
    });

    test(`the first ${PREPARE.sampleRows} test rows' encoded features, numbers only, in feature_columns order`, () => {
      write('part.csv', tabular(40));
      expect(run().status).toBe(0);
      const { sample, testFeatures } = sampleAndTest();
      expect(report()).toMatchObject({ test_rows: 8, sample_rows: PREPARE.sampleRows });
      expect(sample).toEqual(testFeatures.slice(0, PREPARE.sampleRows));
      for (const line of sample) {
        const values = line.split(',');
        // x, colour_blue, colour_red: what the built-in XGBoost endpoint takes (no header, no target).
        expect(values).toHaveLength((report().feature_columns as string[]).length);
        expect(values.every((v) => Number.isFinite(Number(v)))).toBe(true);
        const [x, blue, red] = values.map(Number);
        expect(blue + red).toBe(1);
        expect(blue).toBe(x % 2 ? 0 : 1); // tabular(): odd x red, even x blue
      }
    });

    test('multiclass: the encoded target is not in it (negative control: test.csv has it first)', () => {
      const rows = Array.from({ length: 30 }, (_, i) => `${i},${['a', 'b', 'c'][i % 3]}`);
      write('part.csv', ['x,y', ...rows].join('\n') + '\n');
      const multiclass = ['--target-column', 'y', '--problem-type', 'multiclass', ...argv().slice(4)];
      expect(python({ call: 'main', argv: multiclass, input, output }).status).toBe(0);
      const { sample, testFeatures } = sampleAndTest();
      expect(report()).toMatchObject({ num_class: 3, feature_columns: ['x'], sample_rows: 5 });
      expect(sample).toEqual(testFeatures.slice(0, 5));
      const testRows = readOutput('test/test.csv').trim().split('\n').slice(1);
      for (const [i, line] of sample.entries()) {
        const [label, x] = testRows[i].split(',').map(Number);
        expect(line.split(',').map(Number)).toEqual([x]);
        expect(label).toBe(x % 3);
      }
    });
  });

  describe('identity columns (synthetic and S3 sources: --record-identifier-column, --event-time-column)', () => {
    /**
     * 72 hours of 5 records (record id r-<n>, event time <hour>:0<i>, x, colour, y = 2x), the last
     * 24 hours shifted: x ≥ 1000 from hour 48 on. `time` renders an event time of hour h, minute i.
     */
    function history(
      time: (hour: number, minute: number) => string,
      header = 'id,event_time,x,colour,y',
    ): string {
      const rows: string[] = [];
      for (let hour = 0; hour < 72; hour++) {
        for (let i = 0; i < 5; i++) {
          const x = hour < 48 ? hour * 10 + i : 1000 + hour * 10 + i;
          rows.push(`r-${hour * 5 + i},${time(hour, i)},${x},${i % 2 ? 'red' : 'blue'},${2 * x}`);
        }
      }
      return [header, ...rows].join('\n') + '\n';
    }
    const iso = (hour: number, minute: number) =>
      new Date(Date.UTC(2024, 5, 1, hour, minute)).toISOString().replace('.000Z', 'Z');
    const trainXs = () =>
      readOutput('train/train.csv')
        .trim()
        .split('\n')
        .map((line) => Number(line.split(',')[1]));
    const baseline = () => readOutput('baseline/baseline.csv').trim().split('\n');

    test('no features of their own; the baseline is the training rows of the newest 24 h, training uses all', () => {
      write('dt=2024-06-01/part.csv', history(iso));
      const result = run(...IDENTITY_ARGS);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      // One column per record id and per event time without them (the first build's out-of-memory).
      expect(report()).toMatchObject({
        rows: 360,
        feature_columns: ['x', 'colour_blue', 'colour_red'],
        categorical_columns: ['colour'],
        identity_columns: ['id', 'event_time'],
        baseline_window_hours: 24,
        baseline_from: '2024-06-02T23:04:00+00:00',
        baseline_to: '2024-06-03T23:04:00+00:00',
      });
      const xs = trainXs();
      const shifted = xs.filter((x) => x >= 1000);
      expect(xs.length).toBe(report().train_rows);
      expect(xs.some((x) => x < 1000)).toBe(true); // training keeps the pre-shift history
      const rows = baseline();
      expect(rows[0]).toBe('x,colour_blue,colour_red');
      expect(rows).toHaveLength(1 + shifted.length);
      expect(report().baseline_rows).toBe(shifted.length);
      expect(
        rows
          .slice(1)
          .map((line) => Number(line.split(',')[0]))
          .sort((a, b) => a - b),
      ).toEqual(shifted.sort((a, b) => a - b));
    });

    test('a wider window reaches back before the shift (negative control of the window)', () => {
      write('part.csv', history(iso));
      const result = python({
        call: 'main',
        argv: argvWindow('48', ...IDENTITY_ARGS),
        input,
        output,
      });
      expect(result.status).toBe(0);
      const before = baseline()
        .slice(1)
        .map((line) => Number(line.split(',')[0]))
        .filter((x) => x < 1000);
      expect(before.length).toBeGreaterThan(0);
      expect(Math.min(...before)).toBeGreaterThanOrEqual(240); // hour 24 on
      expect(report().baseline_window_hours).toBe(48);
    });

    test('event time as epoch seconds windows the same rows', () => {
      write(
        'part.csv',
        history((hour, minute) => String(Date.UTC(2024, 5, 1, hour, minute) / 1000)),
      );
      expect(run(...IDENTITY_ARGS).status).toBe(0);
      const shifted = trainXs().filter((x) => x >= 1000);
      expect(report()).toMatchObject({
        baseline_rows: shifted.length,
        baseline_to: '2024-06-03T23:04:00+00:00',
      });
    });

    test('a record identifier alone: dropped, the baseline unwindowed with the warning', () => {
      const rows = Array.from({ length: 10 }, (_, i) => `r-${i},${i},${i % 2 ? 'red' : 'blue'},${2 * i}`);
      write('part.csv', ['id,x,colour,y', ...rows].join('\n') + '\n');
      const result = run('--record-identifier-column', 'id');
      expect(result.stderr).toBe(NO_EVENT_TIME_WARNING);
      expect(result.status).toBe(0);
      expect(report()).toMatchObject({
        feature_columns: ['x', 'colour_blue', 'colour_red'],
        identity_columns: ['id'],
        baseline_rows: report().train_rows,
      });
    });

    test('a named column the data lack: exit 1 naming it', () => {
      write('part.csv', tabular(10));
      const result = run('--event-time-column', 'ts');
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        "prepare: no column 'ts' (event time) in the columns ['x', 'colour', 'y']\n",
      );
    });

    test('the target may not be the event time', () => {
      write('part.csv', history(iso));
      const result = python({
        call: 'main',
        argv: ['--target-column', 'event_time', ...argv(...IDENTITY_ARGS).slice(2)],
        input,
        output,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe("prepare: target column 'event_time' is the data's event time\n");
    });
  });

  test('files whose columns differ: exit 1 naming the file and the columns', () => {
    write('a.csv', tabular(10));
    const b = write('b.csv', 'x,y\n1,2\n');
    const result = run();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`prepare: ${b}: columns differ from`);
    expect(result.stderr).toContain("(missing ['colour'], extra [])");
  });

  describe('a Feature Group offline store (--record-identifier-column, --event-time-column)', () => {
    const header = 'id,event_time,x,colour,y,write_time,api_invocation_time,is_deleted';
    const version = (id: number, event: string, x: number | string, deleted = false, invoked = event) =>
      `${id},${event},${x},${deleted ? '' : 'red'},${deleted ? '' : 2 * Number(x)},${invoked},${invoked},${deleted ? 'True' : 'False'}`;

    test('the latest version of each record; deleted records dropped; no Feature Store column is a feature', () => {
      const records = Array.from({ length: 10 }, (_, i) => version(i, '2024-06-01T00:00:00Z', i));
      write('year=2024/month=06/day=01/hour=00/a.csv', [header, ...records].join('\n') + '\n');
      write(
        'year=2024/month=06/day=02/hour=00/b.csv',
        [
          header,
          version(1, '2024-06-02T00:00:00Z', 100), // record 1 updated: x 1 → 100
          version(2, '2024-05-01T00:00:00Z', 200), // an older event time: record 2 keeps x 2
          version(3, '2024-06-02T00:00:00Z', '', true), // record 3 deleted
          version(4, '2024-06-02T00:00:00Z', '', true), // record 4 deleted, then written again
          version(4, '2024-06-03T00:00:00Z', 400),
        ].join('\n') + '\n',
      );
      const result = run(...FEATURE_GROUP_ARGS);
      // The newest 24 h (after 2024-06-02T00:00) hold one record (4), not in the training split here:
      // the baseline falls back to the whole training split, and the log says so.
      expect(result.stderr).toBe(
        'prepare: warning: no training row within 24 h of the newest event time 2024-06-03T00:00:00+00:00: ' +
          'the data-quality baseline describes the whole training split\n',
      );
      expect(result.status).toBe(0);
      expect(report()).toMatchObject({
        baseline_rows: report().train_rows,
        baseline_window_hours: null,
        identity_columns: ['id', 'event_time'],
        versions_read: 15,
        older_versions: 5,
        deleted_records: 1,
        rows: 9,
        feature_columns: ['x', 'colour_red'],
      });
      const xs = ['train/train.csv', 'validation/validation.csv']
        .flatMap((f) => readOutput(f).trim().split('\n'))
        .concat(readOutput('test/test.csv').trim().split('\n').slice(1))
        .map((line) => Number(line.split(',')[1]))
        .sort((a, b) => a - b);
      expect(xs).toEqual([0, 2, 5, 6, 7, 8, 9, 100, 400]);
    });

    test('event time as epoch seconds (a Fractional feature) orders versions too', () => {
      write(
        'a.csv',
        [
          header,
          ...Array.from({ length: 8 }, (_, i) =>
            version(i, '1717200000.0', i, false, '2024-06-01T00:00:00Z'),
          ),
          version(0, '1717300000.5', 50, false, '2024-06-01T00:00:00Z'),
        ].join('\n') + '\n',
      );
      expect(run(...FEATURE_GROUP_ARGS).status).toBe(0);
      expect(report()).toMatchObject({ rows: 8, older_versions: 1 });
      expect(
        readOutput('test/test.csv') + readOutput('train/train.csv') + readOutput('validation/validation.csv'),
      ).toMatch(/(^|\n)100(\.0)?,50(\.0)?,/);
    });

    test('files without the Feature Store columns: exit 1, "not a Feature Store offline store"', () => {
      write('a.csv', 'id,event_time,x,y\n1,2024-06-01T00:00:00Z,1,2\n');
      const result = run(...FEATURE_GROUP_ARGS);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        "prepare: not a Feature Store offline store: no column ['write_time', 'api_invocation_time', 'is_deleted']",
      );
    });

    test('an event time that is no time: exit 1 naming the column', () => {
      write('a.csv', [header, version(1, 'yesterday', 1)].join('\n') + '\n');
      const result = run(...FEATURE_GROUP_ARGS);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        "prepare: column 'event_time': 1 values are neither numbers nor date-times",
      );
    });

    test('the target may not be the record identifier', () => {
      write('a.csv', [header, version(1, '2024-06-01T00:00:00Z', 1)].join('\n') + '\n');
      const result = python({
        call: 'main',
        argv: ['--target-column', 'id', ...argv(...FEATURE_GROUP_ARGS).slice(2)],
        input,
        output,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe("prepare: target column 'id' is the Feature Group's record identifier\n");
    });
  });
});

describeIf(
  hasParquetEngine,
  hasPandas
    ? `${PYTHON} has pandas without a Parquet engine (pip install pyarrow)`
    : `${PYTHON} has no pandas nor Parquet engine (pip install pandas pyarrow)`,
  'prepare.py with a Parquet engine',
  () => {
    test('Parquet and CSV files with the same columns are read together', () => {
      write('a.csv', tabular(6));
      const file = path.join(input, 'b.parquet');
      const columns = { x: [6, 7, 8, 9], colour: ['red', 'blue', 'red', 'blue'], y: [12, 14, 16, 18] };
      expect(python({ call: 'write_parquet', file, columns }).status).toBe(0);
      const result = python({ call: 'main', argv: argv(), input, output });
      expect(result.stderr).toBe('');
      expect(report()).toMatchObject({ files: 2, csv_files: 1, parquet_files: 1, rows: 10 });
    });
  },
);
