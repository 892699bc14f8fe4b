// The tabular synthetic traffic sender's configuration: the environment contract's variables
// (@mlops-templates/project-contract, picked, never re-declared), read with its `readEnvironment`
// (messages name the variable), plus the checks across variables.
import {
  type DeploymentStage,
  pickEnvironment,
  readEnvironment,
  SYNTHETIC_RECORD_ID_COLUMN as RECORD_ID_COLUMN,
} from '@mlops-templates/project-contract';

/** The contract variables the traffic sender reads. */
export const TABULAR_TRAFFIC_VARIABLES = [
  'PROJECT_BUCKET',
  'DATA_PREFIX',
  'LABELS_PREFIX',
  'TARGET_COLUMN',
  'STAGING_ENDPOINT_NAME',
  'PROD_ENDPOINT_NAME',
  'SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN',
] as const;

/** The schema of the traffic sender's environment (the contract's pick). */
export const tabularTrafficEnvironmentSchema = pickEnvironment(TABULAR_TRAFFIC_VARIABLES);

/** A stage the sender sends to: its name (the labels folder) and its endpoint. */
export interface TrafficStage {
  readonly stage: DeploymentStage;
  readonly endpointName: string;
}

export interface TabularTrafficConfig {
  readonly bucket: string;
  /** Ends with `/`: where the generator's data objects are. */
  readonly dataPrefix: string;
  /** Ends with `/`: the labels go to `<labelsPrefix><stage>/…`. */
  readonly labelsPrefix: string;
  readonly targetColumn: string;
  readonly recordIdColumn: string;
  /** Staging first, then prod. */
  readonly stages: readonly TrafficStage[];
  /** Most records a run reads (and sends to each endpoint). */
  readonly maxRowsPerRun: number;
}

/** Invalid environment; the message names every offending variable. */
export class TabularTrafficConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`Invalid tabular synthetic-traffic configuration: ${problems.join('; ')}`);
    this.name = 'TabularTrafficConfigError';
  }
}

/** Reads and validates the configuration (every problem, each naming its variable). */
export function loadTabularTrafficConfig(env: Record<string, string | undefined>): TabularTrafficConfig {
  const reading = readEnvironment(tabularTrafficEnvironmentSchema, env);
  if (!reading.success) throw new TabularTrafficConfigError(reading.problems);
  const e = reading.data;
  const problems: string[] = [];
  // The labels must not land among the data the generator and model-build read.
  if (e.LABELS_PREFIX.startsWith(e.DATA_PREFIX) || e.DATA_PREFIX.startsWith(e.LABELS_PREFIX)) {
    problems.push(`LABELS_PREFIX: must not contain or be inside DATA_PREFIX (${e.DATA_PREFIX})`);
  }
  if (e.STAGING_ENDPOINT_NAME === e.PROD_ENDPOINT_NAME) {
    problems.push('PROD_ENDPOINT_NAME: must differ from STAGING_ENDPOINT_NAME');
  }
  if (e.TARGET_COLUMN === RECORD_ID_COLUMN) {
    problems.push(`TARGET_COLUMN: must differ from the record id column (${RECORD_ID_COLUMN})`);
  }
  if (problems.length > 0) throw new TabularTrafficConfigError(problems);
  return {
    bucket: e.PROJECT_BUCKET,
    dataPrefix: e.DATA_PREFIX,
    labelsPrefix: e.LABELS_PREFIX,
    targetColumn: e.TARGET_COLUMN,
    recordIdColumn: RECORD_ID_COLUMN,
    stages: [
      { stage: 'staging', endpointName: e.STAGING_ENDPOINT_NAME },
      { stage: 'prod', endpointName: e.PROD_ENDPOINT_NAME },
    ],
    maxRowsPerRun: e.SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN,
  };
}
