// The tabular synthetic-data Lambda's configuration: the variables are the environment contract's
// (@mlops-templates/project-contract, picked, never re-declared), read with its `readEnvironment`
// (messages name the variable), plus the checks across variables (drift time and feature).
import {
  pickEnvironment,
  readEnvironment,
  SYNTHETIC_EVENT_TIME_COLUMN,
  SYNTHETIC_RECORD_ID_COLUMN,
} from '@mlops-templates/project-contract';
import {
  type ProblemType,
  TABULAR_FEATURE_NAMES,
  type TabularDrift,
  type TabularFeature,
} from './tabular-generator';

/** The contract variables the tabular generator reads. */
export const TABULAR_SYNTHETIC_VARIABLES = [
  'PROJECT_BUCKET',
  'DATA_PREFIX',
  'SYNTHETIC_LABELS_PREFIX',
  'PROBLEM_TYPE',
  'TARGET_COLUMN',
  'SYNTHETIC_ROWS_PER_HOUR',
  'SYNTHETIC_BACKFILL_HOURS',
  'SYNTHETIC_MAX_ROWS_PER_RUN',
  'SYNTHETIC_SEED',
  'SYNTHETIC_DRIFT',
  'SYNTHETIC_DRIFT_AT',
  'SYNTHETIC_DRIFT_FEATURE',
  'SYNTHETIC_DRIFT_MAGNITUDE',
] as const;

/** The schema of the tabular generator's environment (the contract's pick). */
export const tabularSyntheticEnvironmentSchema = pickEnvironment(TABULAR_SYNTHETIC_VARIABLES);

export interface TabularSyntheticConfig {
  readonly bucket: string;
  /** Ends with `/` (the contract's key prefix). */
  readonly dataPrefix: string;
  readonly labelsPrefix: string;
  readonly problemType: ProblemType;
  readonly targetColumn: string;
  readonly rowsPerHour: number;
  readonly backfillHours: number;
  /** Most records per run; a run writes whole hours, at least one. */
  readonly maxRowsPerRun: number;
  readonly seed: number;
  readonly drift?: TabularDrift;
}

/** Invalid environment; the message names every offending variable. */
export class TabularSyntheticConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`Invalid tabular synthetic-data configuration: ${problems.join('; ')}`);
    this.name = 'TabularSyntheticConfigError';
  }
}

/** Reads and validates the configuration (every problem, each naming its variable). */
export function loadTabularSyntheticConfig(env: Record<string, string | undefined>): TabularSyntheticConfig {
  const reading = readEnvironment(tabularSyntheticEnvironmentSchema, env);
  if (!reading.success) throw new TabularSyntheticConfigError(reading.problems);
  const e = reading.data;
  const problems: string[] = [];
  const reserved = [SYNTHETIC_RECORD_ID_COLUMN, SYNTHETIC_EVENT_TIME_COLUMN, ...TABULAR_FEATURE_NAMES];
  if (reserved.includes(e.TARGET_COLUMN)) {
    problems.push(`TARGET_COLUMN: must differ from the generator's columns (${reserved.join(', ')})`);
  }
  if (e.DATA_PREFIX === e.SYNTHETIC_LABELS_PREFIX) {
    problems.push('SYNTHETIC_LABELS_PREFIX: must differ from DATA_PREFIX');
  }
  if (e.SYNTHETIC_MAX_ROWS_PER_RUN < e.SYNTHETIC_ROWS_PER_HOUR) {
    problems.push(
      `SYNTHETIC_MAX_ROWS_PER_RUN: must be at least SYNTHETIC_ROWS_PER_HOUR (${e.SYNTHETIC_ROWS_PER_HOUR}) so that a run writes at least one hour`,
    );
  }
  let drift: TabularDrift | undefined;
  if (e.SYNTHETIC_DRIFT !== 'none') {
    if (e.SYNTHETIC_DRIFT_AT === undefined) {
      problems.push(`SYNTHETIC_DRIFT_AT is not set (required when SYNTHETIC_DRIFT is ${e.SYNTHETIC_DRIFT})`);
    }
    const at = new Date(e.SYNTHETIC_DRIFT_AT ?? 0);
    if (e.SYNTHETIC_DRIFT === 'covariate') {
      const feature = e.SYNTHETIC_DRIFT_FEATURE;
      if (feature === undefined) {
        problems.push('SYNTHETIC_DRIFT_FEATURE is not set (required when SYNTHETIC_DRIFT is covariate)');
      } else if (!(TABULAR_FEATURE_NAMES as readonly string[]).includes(feature)) {
        problems.push(
          `SYNTHETIC_DRIFT_FEATURE: must be one of ${TABULAR_FEATURE_NAMES.join(', ')}, got "${feature}"`,
        );
      } else {
        drift = {
          kind: 'covariate',
          at,
          feature: feature as TabularFeature,
          magnitude: e.SYNTHETIC_DRIFT_MAGNITUDE,
        };
      }
    } else {
      drift = { kind: 'concept', at };
    }
  }
  if (problems.length > 0) throw new TabularSyntheticConfigError(problems);
  return {
    bucket: e.PROJECT_BUCKET,
    dataPrefix: e.DATA_PREFIX,
    labelsPrefix: e.SYNTHETIC_LABELS_PREFIX,
    problemType: e.PROBLEM_TYPE,
    targetColumn: e.TARGET_COLUMN,
    rowsPerHour: e.SYNTHETIC_ROWS_PER_HOUR,
    backfillHours: e.SYNTHETIC_BACKFILL_HOURS,
    maxRowsPerRun: e.SYNTHETIC_MAX_ROWS_PER_RUN,
    seed: e.SYNTHETIC_SEED,
    ...(drift !== undefined ? { drift } : {}),
  };
}
