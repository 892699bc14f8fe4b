// The contract between the pipeline definition and the processing scripts in processing/: the
// container paths, output names, arguments and report files each job uses, and the scripts as
// content-addressed S3 objects (`<TRAINING_PREFIX>code/<sha256>/<file>`): the same script always has
// the same key, so the definition is computed without AWS and the upload is idempotent.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TABULAR_PREPARE_REPORT_FILE } from '@mlops-templates/project-contract';

/** Folder of the processing scripts. */
export const PROCESSING_DIR = path.join(__dirname, '..', '..', 'processing');

/** Where SageMaker Processing mounts the script's input (the `code` input of each job). */
export const CODE_DIR = '/opt/ml/processing/input/code';

/** prepare.py's side of the contract. */
export const PREPARE = {
  script: 'prepare.py',
  dataDir: '/opt/ml/processing/input/data',
  /** Output name → container folder (all below prepare.py's OUTPUT_DIR). */
  outputs: {
    train: '/opt/ml/processing/output/train',
    validation: '/opt/ml/processing/output/validation',
    test: '/opt/ml/processing/output/test',
    baseline: '/opt/ml/processing/output/baseline',
    report: '/opt/ml/processing/output/report',
    sample: '/opt/ml/processing/output/sample',
  },
  /**
   * The report file below the `report` output (a property file) and the keys the pipeline reads; the
   * synthetic traffic sender reads it too (the contract's name for it).
   */
  reportFile: TABULAR_PREPARE_REPORT_FILE,
  reportKeys: ['num_class', 'rows', 'feature_columns'],
  /** The baseline dataset file below the `baseline` output. */
  baselineFile: 'baseline.csv',
  /**
   * The sample request below the `sample` output: the encoded features of the first `sampleRows`
   * test rows, no header, no label (the model package's `sample_payload`, which the staging endpoint
   * test sends).
   */
  sampleFile: 'sample.csv',
  sampleRows: 5,
  flags: [
    '--target-column',
    '--problem-type',
    '--test-fraction',
    '--validation-fraction',
    '--seed',
    '--baseline-window-hours',
  ],
  /** Passed when the source has them (synthetic and Feature Group: both; s3: config/pipeline.json). */
  identityFlags: ['--record-identifier-column', '--event-time-column'],
  /** Passed only for a Feature Group source: keep the latest version of each record. */
  featureGroupFlag: '--feature-group-offline-store',
} as const;

/** evaluate.py's side of the contract. */
export const EVALUATE = {
  script: 'evaluate.py',
  modelDir: '/opt/ml/processing/input/model',
  testDir: '/opt/ml/processing/input/test',
  outputs: {
    evaluation: '/opt/ml/processing/output/evaluation',
    predictions: '/opt/ml/processing/output/predictions',
  },
  evaluationFile: 'evaluation.json',
  predictionsFile: 'predictions.csv',
  flags: ['--problem-type'],
} as const;

export type ProcessingScript = typeof PREPARE.script | typeof EVALUATE.script;

/** A script as the pipeline uses it: its bytes, their sha256 and its S3 key. */
export interface ScriptObject {
  readonly file: ProcessingScript;
  readonly body: Buffer;
  readonly sha256: string;
  /** Key below the bucket: `<trainingPrefix>code/<sha256>/<file>`. */
  readonly key: string;
}

/** The script objects of the pipeline (read from processing/). */
export function scriptObjects(trainingPrefix: string, dir: string = PROCESSING_DIR): ScriptObject[] {
  const prefix = trainingPrefix.replace(/^\/+/, '');
  return [PREPARE.script, EVALUATE.script].map((file) => {
    const body = fs.readFileSync(path.join(dir, file));
    const sha256 = createHash('sha256').update(body).digest('hex');
    return { file, body, sha256, key: `${prefix}code/${sha256}/${file}` };
  });
}
