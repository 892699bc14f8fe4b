// The contract between the definition and the processing scripts, checked from here (no pandas,
// scikit-learn or xgboost in this repository): the arguments each script's argparse accepts are the
// ones the definition passes, the container paths and output names agree, the property files the
// pipeline reads are the files the scripts write with the keys it reads, and the predictions header
// is the analyzer's attributes, and the sample request registered as the model package's sample_payload
// is the file prepare.py writes. With python3 on the machine the scripts must also compile.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderedDefinition } from './helpers';
import { STEP_NAMES } from '../src/pipeline/definition';
import { EVALUATE, PREPARE, PROCESSING_DIR, scriptObjects } from '../src/pipeline/processing';
import { PROBLEM_SETTINGS, PROBLEM_TYPES } from '../src/pipeline/problem';
import { TABULAR_MODEL_PACKAGE_METADATA as METADATA } from '@mlops-templates/project-contract';

const source = (file: string): string => fs.readFileSync(path.join(PROCESSING_DIR, file), 'utf8');
const prepare = source(PREPARE.script);
const evaluate = source(EVALUATE.script);

/** The `--flags` an argparse script declares. */
function argparseFlags(script: string): string[] {
  return [...script.matchAll(/add_argument\(\s*"(--[a-z-]+)"/g)].map((m) => m[1]);
}

/** The value of a module-level string constant of a script. */
function constant(script: string, name: string): string {
  const match = new RegExp(`^${name} = "([^"]+)"$`, 'm').exec(script);
  if (match === null) throw new Error(`no constant ${name}`);
  return match[1];
}

type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered JSON

/** A resolved Feature Group source (data-source.ts), as pipeline:upsert gives it. */
const FEATURE_GROUP_SOURCE = {
  inputDataUri:
    's3://offline-bucket/fs/123456789012/sagemaker/eu-west-1/offline-store/churn-1700000000/data/',
  identityColumns: { recordIdentifier: 'customer_id', eventTime: 'event_time' },
  featureGroup: {
    name: 'churn',
    recordIdentifierFeatureName: 'customer_id',
    eventTimeFeatureName: 'event_time',
    tableFormat: 'Glue',
  },
};

const flags = (args: Args) =>
  (args.AppSpecification.ContainerArguments as string[]).filter((a) => a.startsWith('--'));

describe.each(PROBLEM_TYPES)('%s', (problemType) => {
  const metric = PROBLEM_SETTINGS[problemType].metrics[0];
  const { step } = renderedDefinition({ PROBLEM_TYPE: problemType, GATE_METRIC: metric });
  const prepareArgs = step(STEP_NAMES.prepare).Arguments as Args;
  const evaluateArgs = step(STEP_NAMES.evaluate).Arguments as Args;

  test('the definition passes exactly the flags the scripts declare (identity columns; the Feature Group flag for a group)', () => {
    expect(argparseFlags(prepare)).toEqual([
      ...PREPARE.flags,
      ...PREPARE.identityFlags,
      PREPARE.featureGroupFlag,
    ]);
    expect(argparseFlags(evaluate)).toEqual([...EVALUATE.flags]);
    // The example source is synthetic: the generator's identity columns, no Feature Group flag.
    expect(flags(prepareArgs)).toEqual([...PREPARE.flags, ...PREPARE.identityFlags]);
    expect(flags(evaluateArgs)).toEqual(argparseFlags(evaluate));
    const fromGroup = renderedDefinition(
      { PROBLEM_TYPE: problemType, GATE_METRIC: metric },
      FEATURE_GROUP_SOURCE,
    ).step(STEP_NAMES.prepare).Arguments as Args;
    expect(flags(fromGroup)).toEqual(argparseFlags(prepare));
    expect(fromGroup.AppSpecification.ContainerArguments.slice(-5)).toEqual([
      '--record-identifier-column',
      'customer_id',
      '--event-time-column',
      'event_time',
      '--feature-group-offline-store',
    ]);
  });

  test('the problem type passed is one the scripts accept', () => {
    for (const script of [prepare, evaluate]) {
      expect(script).toContain('choices=["regression", "binary", "multiclass"]');
    }
    expect(prepareArgs.AppSpecification.ContainerArguments).toContain(problemType);
  });

  test('inputs and outputs are where the scripts read and write', () => {
    const localPaths = (items: Args[], key: 'S3Input' | 'S3Output') =>
      Object.fromEntries(items.map((i) => [i.InputName ?? i.OutputName, i[key].LocalPath]));
    expect(localPaths(prepareArgs.ProcessingInputs, 'S3Input').data).toBe(constant(prepare, 'INPUT_DIR'));
    const prepareOutputs = localPaths(prepareArgs.ProcessingOutputConfig.Outputs, 'S3Output');
    for (const [name, dir] of Object.entries(prepareOutputs)) {
      expect(dir).toBe(`${constant(prepare, 'OUTPUT_DIR')}/${name}`);
      expect(prepare).toContain(`"${name}/`);
    }
    const evaluateInputs = localPaths(evaluateArgs.ProcessingInputs, 'S3Input');
    expect(evaluateInputs.model).toBe(constant(evaluate, 'MODEL_DIR'));
    expect(evaluateInputs.test).toBe(constant(evaluate, 'TEST_DIR'));
    // prepare writes test/test.csv, which evaluate reads from its test input.
    expect(prepare).toContain('"test/test.csv"');
    expect(evaluate).toContain('"test.csv"');
    const evaluateOutputs = localPaths(evaluateArgs.ProcessingOutputConfig.Outputs, 'S3Output');
    expect(constant(evaluate, 'EVALUATION_FILE')).toBe(
      `${evaluateOutputs.evaluation}/${EVALUATE.evaluationFile}`,
    );
    expect(constant(evaluate, 'PREDICTIONS_FILE')).toBe(
      `${evaluateOutputs.predictions}/${EVALUATE.predictionsFile}`,
    );
  });

  test('the property files are the reports the scripts write, with the keys the pipeline reads', () => {
    const prepareStep = step(STEP_NAMES.prepare);
    expect(prepareStep.PropertyFiles).toEqual([
      { PropertyFileName: 'PrepareReport', OutputName: 'report', FilePath: 'prepare.json' },
    ]);
    expect(constant(prepare, 'REPORT_FILE')).toBe(`report/${PREPARE.reportFile}`);
    for (const key of PREPARE.reportKeys) expect(prepare).toContain(`"${key}":`);
    expect(step(STEP_NAMES.evaluate).PropertyFiles).toEqual([
      { PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' },
    ]);
    expect(evaluate).toContain('"metrics": {name: {"value": value}');
    for (const name of PROBLEM_SETTINGS[problemType].metrics)
      expect(evaluate).toContain(`"${name}": metric("${name}"`);
  });

  test('the sample payload registered is the file prepare.py writes below its sample output', () => {
    const outputs = prepareArgs.ProcessingOutputConfig.Outputs as Args[];
    const sample = outputs.find((o) => o.OutputName === 'sample');
    expect(sample?.S3Output.LocalPath).toBe(`${constant(prepare, 'OUTPUT_DIR')}/sample`);
    expect(constant(prepare, 'SAMPLE_FILE')).toBe(`sample/${PREPARE.sampleFile}`);
    expect(prepare).toMatch(new RegExp(`^SAMPLE_ROWS = ${PREPARE.sampleRows}$`, 'm'));
    // Features only, without header: the rows of the encoded features, not of the labelled frame.
    expect(prepare).toContain('write_csv(features.iloc[sample], output_dir, SAMPLE_FILE, header=False)');
    const payload = (step(STEP_NAMES.register).Arguments as Args).CustomerMetadataProperties[
      METADATA.samplePayload
    ];
    const [prefix, executionId, ...rest] = payload['Std:Join'].Values;
    expect({ on: payload['Std:Join'].On, prefix, executionId, rest }).toEqual({
      on: '/',
      prefix: sample?.S3Output.S3Uri['Std:Join'].Values[0],
      executionId: { Get: 'Execution.PipelineExecutionId' },
      rest: ['sample', PREPARE.sampleFile],
    });
  });

  test('the predictions header is the model-quality analyzer attributes', () => {
    const environment = step(STEP_NAMES.modelQuality).Arguments.Environment as Record<string, string>;
    const columns = PROBLEM_SETTINGS[problemType].predictionColumns;
    // evaluate.py builds one predictions frame per problem type, in PROBLEM_TYPES order.
    const frames = [...evaluate.matchAll(/pd\.DataFrame\(\{([^}]*)\}\)/g)].map((m) =>
      [...m[1].matchAll(/"([a-z_]+)":/g)].map((k) => k[1]),
    );
    expect(frames[PROBLEM_TYPES.indexOf(problemType)]).toEqual([...columns]);
    expect(environment.inference_attribute).toBe(columns[0]);
    expect(environment.ground_truth_attribute).toBe(columns[columns.length - 1]);
    expect(environment.probability_attribute).toBe(
      columns.includes('probability') ? 'probability' : undefined,
    );
  });
});

describe('the scripts as S3 objects', () => {
  test('content-addressed: the key changes with the bytes, not otherwise', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scripts-'));
    for (const file of [PREPARE.script, EVALUATE.script])
      fs.copyFileSync(path.join(PROCESSING_DIR, file), path.join(dir, file));
    const before = scriptObjects('training/', dir);
    expect(scriptObjects('training/', dir)).toEqual(before);
    fs.appendFileSync(path.join(dir, EVALUATE.script), '\n# edited\n');
    const after = scriptObjects('training/', dir);
    expect(after[0].key).toBe(before[0].key);
    expect(after[1].key).not.toBe(before[1].key);
    expect(after[1].key).toMatch(/^training\/code\/[0-9a-f]{64}\/evaluate\.py$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
(python.status === 0 ? test : test.skip)(
  'the scripts compile (python3 -m py_compile, standard library only)',
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyc-'));
    const result = spawnSync(
      'python3',
      [
        '-c',
        'import py_compile, sys; [py_compile.compile(f, cfile=sys.argv[1] + "/x.pyc", doraise=True) for f in sys.argv[2:]]',
        dir,
        ...[PREPARE.script, EVALUATE.script].map((f) => path.join(PROCESSING_DIR, f)),
      ],
      { encoding: 'utf8' },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  },
);
