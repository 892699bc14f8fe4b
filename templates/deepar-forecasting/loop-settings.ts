// What the DeepAR template passes the shared loop constructs of @mlops-templates/constructs (storage,
// loop parameters, job roles, build environment, pipelines): its configuration document, its data
// source, the variables its seeded repositories read beyond the shared ones, and the descriptions
// that name DeepAR. Everything else about the loop is the same for every template.
import {
  BUCKET_PREFIXES,
  ExternalDataSource,
  ProjectEnvironmentValues,
  ProjectNames,
} from '@mlops-templates/constructs';
import { Fn } from 'aws-cdk-lib';
import { DeepArParameters } from './parameters';

/** Where the synthetic series is written in the project bucket. */
export const SYNTHETIC_DATA_PREFIX = `${BUCKET_PREFIXES.data}synthetic/`;

/** Description of the model package group. */
export function deepArModelPackageGroupDescription(names: ProjectNames): string {
  return Fn.join('', ['DeepAR models of SageMaker project ', names.projectName]);
}

/** What the configuration parameter holds. */
export const DEEPAR_CONFIG_DESCRIPTION =
  'Data source, columns, frequency, horizon, schedule and instance types of the project (JSON)';

/** What the gate threshold bounds. */
export const DEEPAR_GATE_THRESHOLD_DESCRIPTION =
  'Training gate: maximum backtest mean wQL for a model to be registered ("default" = the model-build config value)';

/** Description of the model-build build project. */
export const DEEPAR_BUILD_DESCRIPTION =
  'Tests, upserts the DeepAR SageMaker pipeline and starts an execution';

/** Description of the staging endpoint test project. */
export const DEEPAR_ENDPOINT_TEST_DESCRIPTION =
  'Invokes the staging endpoint with a real DeepAR request and validates the response';

/**
 * The project configuration (SSM, JSON) from the template parameters; with synthetic data the
 * location is the generator's prefix.
 */
export function deepArLoopConfig(names: ProjectNames, params: DeepArParameters): Record<string, string> {
  return {
    dataSourceType: params.dataSourceType.valueAsString,
    dataSourceLocation: Fn.conditionIf(
      params.isSynthetic.logicalId,
      `s3://${names.projectBucket}/${SYNTHETIC_DATA_PREFIX}`,
      params.dataSourceLocation.valueAsString,
    ).toString(),
    targetColumn: params.targetColumn.valueAsString,
    timestampColumn: params.timestampColumn.valueAsString,
    itemIdColumn: params.itemIdColumn.valueAsString,
    frequency: params.frequency.valueAsString,
    predictionLength: params.predictionLength.valueAsString,
    monitoringSchedule: params.monitoringSchedule.valueAsString,
    stagingInstanceType: params.stagingInstanceType.valueAsString,
    prodInstanceType: params.prodInstanceType.valueAsString,
  };
}

/** The external data source the roles may read (DataSourceType s3 or feature-group). */
export function deepArDataSource(params: DeepArParameters): ExternalDataSource {
  return {
    location: params.dataSourceLocation.valueAsString,
    isS3Source: params.isS3Source,
    isFeatureGroupSource: params.isFeatureGroupSource,
  };
}

/** The variables the DeepAR seeded repositories read from the template parameters. */
export function deepArBuildVariables(params: DeepArParameters): ProjectEnvironmentValues {
  return {
    DATA_SOURCE_TYPE: params.dataSourceType.valueAsString,
    FREQUENCY: params.frequency.valueAsString,
    PREDICTION_LENGTH: params.predictionLength.valueAsString,
    MONITORING_SCHEDULE: params.monitoringSchedule.valueAsString,
  };
}

/** The synthetic series generator's environment (project-handlers src/synthetic/config.ts). */
export function deepArSyntheticEnvironment(
  names: ProjectNames,
  params: DeepArParameters,
): Record<string, string> {
  return {
    DATA_BUCKET: names.projectBucket,
    DATA_PREFIX: SYNTHETIC_DATA_PREFIX,
    FREQUENCY: params.frequency.valueAsString,
    // The first run's backfill covers a build's data window for this horizon (issue #14).
    PREDICTION_LENGTH: params.predictionLength.valueAsString,
    TIMESTAMP_COLUMN: params.timestampColumn.valueAsString,
    TARGET_COLUMN: params.targetColumn.valueAsString,
    ITEM_ID_COLUMN: params.itemIdColumn.valueAsString,
    LEVEL_SHIFT_AT: params.syntheticLevelShiftAt.valueAsString,
  };
}
