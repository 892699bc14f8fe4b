// What the tabular XGBoost template passes the shared loop constructs of @mlops-templates/constructs
// (storage, loop parameters, job roles, build environment, pipelines, synthetic data): its configuration
// document, its data source, the variables its seeded repositories read beyond the shared ones, the
// retrain policy its monitoring needs and the descriptions that name XGBoost. Everything else about the
// loop is the same for every template.
import {
  BUCKET_PREFIXES,
  ExternalDataSource,
  ProjectEnvironmentValues,
  ProjectNames,
  SAGEMAKER_JOB_KINDS,
  SageMakerJobKind,
} from '@mlops-templates/constructs';
import { Duration, Fn } from 'aws-cdk-lib';
import { TabularParameters } from './parameters';

/** Where the synthetic records are written in the project bucket (the model build's input prefix). */
export const SYNTHETIC_DATA_PREFIX = `${BUCKET_PREFIXES.data}synthetic/`;
/**
 * Where the synthetic generator writes the labels of its records: beside the data prefix, never inside
 * it (the model build reads every file under the data prefix).
 */
export const SYNTHETIC_LABELS_PREFIX = `${BUCKET_PREFIXES.data}synthetic-labels/`;

/**
 * Retrain cooldown of the tabular loop: 12 hours. Model Monitor's metrics carry no model version, so
 * after a retrain the alarm still sees the old model until the new one is approved and deployed to the
 * stage it watches (build + approvals + both deploys: about 7 hours with the default people); the loop
 * simulator's covariate-drift scenario (packages/loop-sim/scenarios/covariate-drift.json, `policy`)
 * shows one retrain and no storm with it. A test ties the two.
 */
export const TABULAR_RETRAIN_COOLDOWN = Duration.minutes(720);
/** Retrains without an approved model per attempt window before the loop asks for a person. */
export const TABULAR_RETRAIN_MAX_ATTEMPTS = 3;

/** The SageMaker jobs the tabular pipeline runs: training and processing (prepare, evaluate, baselines). */
export const TABULAR_JOB_KINDS: readonly SageMakerJobKind[] = SAGEMAKER_JOB_KINDS.filter(
  (kind) => kind !== 'transform-job',
);

/** Description of the model package group. */
export function tabularModelPackageGroupDescription(names: ProjectNames): string {
  return Fn.join('', ['XGBoost models of SageMaker project ', names.projectName]);
}

/** What the configuration parameter holds. */
export const TABULAR_CONFIG_DESCRIPTION =
  'Data source, target, problem type, gate metric, monitoring schedule and instance types of the project (JSON)';

/** What the gate threshold bounds. */
export const TABULAR_GATE_THRESHOLD_DESCRIPTION =
  'Training gate: the GateMetric value a model must reach on the test set to be registered ("default" = the model-build config value)';

/** Description of the model-build build project. */
export const TABULAR_BUILD_DESCRIPTION =
  'Tests, upserts the XGBoost SageMaker pipeline (with its Model Monitor baselines) and starts an execution';

/** Description of the staging endpoint test project. */
export const TABULAR_ENDPOINT_TEST_DESCRIPTION =
  'Invokes the staging endpoint with the model package sample CSV payload and validates the predictions';

/** The model build's input: the generator's prefix with synthetic data, else the location given. */
export function tabularDataSourceUri(names: ProjectNames, params: TabularParameters): string {
  return Fn.conditionIf(
    params.isSynthetic.logicalId,
    `s3://${names.projectBucket}/${SYNTHETIC_DATA_PREFIX}`,
    params.dataSourceLocation.valueAsString,
  ).toString();
}

/** The project configuration (SSM, JSON) from the template parameters. */
export function tabularLoopConfig(names: ProjectNames, params: TabularParameters): Record<string, string> {
  return {
    dataSourceType: params.dataSourceType.valueAsString,
    dataSourceLocation: tabularDataSourceUri(names, params),
    targetColumn: params.targetColumn.valueAsString,
    problemType: params.problemType.valueAsString,
    gateMetric: params.gateMetric.valueAsString,
    monitoringSchedule: params.monitoringSchedule.valueAsString,
    trainingInstanceType: params.trainingInstanceType.valueAsString,
    processingInstanceType: params.processingInstanceType.valueAsString,
    stagingInstanceType: params.stagingInstanceType.valueAsString,
    prodInstanceType: params.prodInstanceType.valueAsString,
  };
}

/** The external data source the roles may read (DataSourceType s3 or feature-group). */
export function tabularDataSource(params: TabularParameters): ExternalDataSource {
  return {
    location: params.dataSourceLocation.valueAsString,
    isS3Source: params.isS3Source,
    isFeatureGroupSource: params.isFeatureGroupSource,
  };
}

/** The variables the tabular seeded repositories read from the template parameters. */
export function tabularBuildVariables(
  names: ProjectNames,
  params: TabularParameters,
): ProjectEnvironmentValues {
  return {
    DATA_SOURCE_TYPE: params.dataSourceType.valueAsString,
    DATA_SOURCE_URI: tabularDataSourceUri(names, params),
    TARGET_COLUMN: params.targetColumn.valueAsString,
    PROBLEM_TYPE: params.problemType.valueAsString,
    GATE_METRIC: params.gateMetric.valueAsString,
    TRAINING_INSTANCE_TYPE: params.trainingInstanceType.valueAsString,
    PROCESSING_INSTANCE_TYPE: params.processingInstanceType.valueAsString,
    MONITORING_SCHEDULE: params.monitoringSchedule.valueAsString,
    LABELS_PREFIX: BUCKET_PREFIXES.labels,
  };
}

/** The tabular generator's environment (project-handlers src/synthetic/tabular-config.ts). */
export function tabularSyntheticEnvironment(
  names: ProjectNames,
  params: TabularParameters,
): Record<string, string> {
  return {
    PROJECT_BUCKET: names.projectBucket,
    DATA_PREFIX: SYNTHETIC_DATA_PREFIX,
    SYNTHETIC_LABELS_PREFIX,
    PROBLEM_TYPE: params.problemType.valueAsString,
    TARGET_COLUMN: params.targetColumn.valueAsString,
    SYNTHETIC_DRIFT: params.syntheticDrift.valueAsString,
    // Unset without drift: the generator takes only an ISO-8601 time (a CloudFormation Rule keeps
    // SyntheticDriftAt none exactly when SyntheticDrift is none).
    SYNTHETIC_DRIFT_AT: Fn.conditionIf(
      params.hasSyntheticDrift.logicalId,
      params.syntheticDriftAt.valueAsString,
      Fn.ref('AWS::NoValue'),
    ).toString(),
    SYNTHETIC_DRIFT_FEATURE: params.syntheticDriftFeature.valueAsString,
  };
}
