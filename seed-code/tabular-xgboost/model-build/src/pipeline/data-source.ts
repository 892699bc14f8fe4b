// Where PrepareData reads its data and which of its columns identify a record rather than describe
// it: the S3 prefix of DATA_SOURCE_URI with the synthetic generator's record_id/event_time columns
// (project-contract) or, for s3, the columns config/pipeline.json `s3Source` names; for a Feature
// Group (DATA_SOURCE_URI = its name), the offline store's S3 location with the record identifier and
// event time features, resolved with DescribeFeatureGroup when pipeline:upsert runs. The definition
// takes the resolved source, so it stays a pure function of its inputs.
import {
  DescribeFeatureGroupCommand,
  type DescribeFeatureGroupCommandOutput,
  type FeatureDefinition,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { SYNTHETIC_EVENT_TIME_COLUMN, SYNTHETIC_RECORD_ID_COLUMN } from '@mlops-templates/project-contract';
import type { ModelBuildEnvironment } from '../config/environment';
import type { PipelineConfig } from '../config/pipeline-config';

/** A Feature Group source as PrepareData reads it. */
export interface FeatureGroupSource {
  readonly name: string;
  readonly recordIdentifierFeatureName: string;
  readonly eventTimeFeatureName: string;
  /** `OfflineStoreConfig.S3StorageConfig.KmsKeyId`: the key the offline store's objects are encrypted with. */
  readonly offlineStoreKmsKeyId?: string;
  /** `OfflineStoreConfig.TableFormat` (`Glue`, the default, or `Iceberg`). */
  readonly tableFormat: string;
}

/**
 * Columns of the data that are no features: PrepareData drops them, and windows the data-quality
 * baseline to the newest hours by the event time (without one, the baseline is the whole training split).
 */
export interface IdentityColumns {
  /** A record identifier (unique per record: one-hot encoding it would make a column per row). */
  readonly recordIdentifier?: string;
  /** The event time (ISO-8601 date-times, or seconds since the epoch). */
  readonly eventTime?: string;
}

/** The data source of the definition. */
export interface ResolvedDataSource {
  /** Default of the InputDataUri parameter: the S3 prefix of the CSV/Parquet files. */
  readonly inputDataUri: string;
  /** The record identifier and event time columns, where the source has them. */
  readonly identityColumns: IdentityColumns;
  /** Set when DATA_SOURCE_TYPE is feature-group. */
  readonly featureGroup?: FeatureGroupSource;
}

/** A data source that cannot be used (not found, no offline store, a target that is no feature). */
export class DataSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataSourceError';
  }
}

/** The identity columns of a synthetic or s3 source: the generator's, or those config/pipeline.json names. */
function fileColumns(env: ModelBuildEnvironment, s3Source: PipelineConfig['s3Source']): IdentityColumns {
  if (env.DATA_SOURCE_TYPE === 'synthetic') {
    return { recordIdentifier: SYNTHETIC_RECORD_ID_COLUMN, eventTime: SYNTHETIC_EVENT_TIME_COLUMN };
  }
  return {
    ...(s3Source.recordIdentifierColumn === null
      ? {}
      : { recordIdentifier: s3Source.recordIdentifierColumn }),
    ...(s3Source.eventTimeColumn === null ? {} : { eventTime: s3Source.eventTimeColumn }),
  };
}

/** A target that is an identity column is an error naming both. */
function checkTarget(env: ModelBuildEnvironment, columns: IdentityColumns, where: string): void {
  const target = env.TARGET_COLUMN;
  const role =
    target === columns.recordIdentifier
      ? 'record identifier'
      : target === columns.eventTime
        ? 'event time'
        : undefined;
  if (role !== undefined) {
    throw new DataSourceError(`TARGET_COLUMN "${target}" is ${where}'s ${role}, not a value to predict`);
  }
}

/**
 * The data source without AWS: DATA_SOURCE_URI for synthetic and s3, with the identity columns of
 * the generator (synthetic) or of `s3Source` (s3). A Feature Group needs DescribeFeatureGroup, which
 * `npm run definition` does not call: an error saying so.
 */
export function localDataSource(
  env: ModelBuildEnvironment,
  s3Source: PipelineConfig['s3Source'],
): ResolvedDataSource {
  if (env.DATA_SOURCE_TYPE === 'feature-group') {
    throw new DataSourceError(
      `DATA_SOURCE_TYPE is feature-group: the definition reads Feature Group "${env.DATA_SOURCE_URI}"'s offline store, ` +
        'found with DescribeFeatureGroup, and this command makes no AWS call (pipeline:upsert resolves it; ' +
        'set DATA_SOURCE_TYPE=s3 and an S3 DATA_SOURCE_URI to print a definition here)',
    );
  }
  const identityColumns = fileColumns(env, s3Source);
  checkTarget(
    env,
    identityColumns,
    env.DATA_SOURCE_TYPE === 'synthetic' ? 'the synthetic generator' : 'config/pipeline.json s3Source',
  );
  return { inputDataUri: env.DATA_SOURCE_URI, identityColumns };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'ResourceNotFound' || e.$metadata?.httpStatusCode === 404;
}

/** The group and every feature definition (DescribeFeatureGroup pages them with NextToken). */
async function describeAll(
  sageMaker: SageMakerClient,
  name: string,
): Promise<{ group: DescribeFeatureGroupCommandOutput; features: FeatureDefinition[] }> {
  // Amazon SageMaker API Reference, DescribeFeatureGroup: ResourceNotFound when the group does not
  // exist; FeatureDefinitions come 2,500 per page and NextToken resumes.
  const describe = (nextToken?: string) =>
    sageMaker.send(new DescribeFeatureGroupCommand({ FeatureGroupName: name, NextToken: nextToken }));
  const group = await describe();
  const features = [...(group.FeatureDefinitions ?? [])];
  for (let page = group; page.NextToken;) {
    page = await describe(page.NextToken);
    features.push(...(page.FeatureDefinitions ?? []));
  }
  return { group, features };
}

/**
 * The data source of the environment: DATA_SOURCE_URI for synthetic and s3; for feature-group the
 * offline store of the group named by DATA_SOURCE_URI (its `ResolvedOutputS3Uri`, the S3 path its
 * Parquet files are written under: Developer Guide, "Amazon SageMaker Feature Store offline store data
 * format"), with its record identifier and event time features. A group that does not exist, has no
 * offline store, or lacks TARGET_COLUMN as a feature is a `DataSourceError` naming it.
 */
export async function resolveDataSource(
  env: ModelBuildEnvironment,
  sageMaker: SageMakerClient,
  s3Source: PipelineConfig['s3Source'],
): Promise<ResolvedDataSource> {
  if (env.DATA_SOURCE_TYPE !== 'feature-group') return localDataSource(env, s3Source);
  const name = env.DATA_SOURCE_URI;
  const where = `(DATA_SOURCE_URI, DATA_SOURCE_TYPE=feature-group, region ${env.AWS_REGION})`;
  let described: Awaited<ReturnType<typeof describeAll>>;
  try {
    described = await describeAll(sageMaker, name);
  } catch (error) {
    if (isNotFound(error)) throw new DataSourceError(`Feature Group "${name}" does not exist ${where}`);
    throw error;
  }
  const { group, features } = described;
  const offline = group.OfflineStoreConfig;
  const uri = offline?.S3StorageConfig?.ResolvedOutputS3Uri;
  if (offline === undefined || uri === undefined || uri === '') {
    throw new DataSourceError(
      `Feature Group "${name}" has no offline store ${where}: the model build reads the offline store's ` +
        'Parquet files (create the group with an OfflineStoreConfig)',
    );
  }
  const recordIdentifierFeatureName = group.RecordIdentifierFeatureName ?? '';
  const eventTimeFeatureName = group.EventTimeFeatureName ?? '';
  const identityColumns = { recordIdentifier: recordIdentifierFeatureName, eventTime: eventTimeFeatureName };
  checkTarget(env, identityColumns, `Feature Group "${name}"`);
  const target = env.TARGET_COLUMN;
  if (!features.some((f) => f.FeatureName === target)) {
    throw new DataSourceError(
      `TARGET_COLUMN "${target}" is not a feature of Feature Group "${name}" (features: ${features.map((f) => f.FeatureName).join(', ')})`,
    );
  }
  return {
    // A trailing "/" so that the S3Prefix input takes only this folder's keys.
    inputDataUri: `${uri.replace(/\/+$/, '')}/`,
    identityColumns,
    featureGroup: {
      name,
      recordIdentifierFeatureName,
      eventTimeFeatureName,
      offlineStoreKmsKeyId: offline.S3StorageConfig?.KmsKeyId || undefined,
      tableFormat: offline.TableFormat ?? 'Glue',
    },
  };
}

/** One line for the build log: what the pipeline will read, and which columns are no features. */
export function describeDataSource(source: ResolvedDataSource): string {
  const group = source.featureGroup;
  if (group === undefined) {
    const { recordIdentifier, eventTime } = source.identityColumns;
    return (
      `data: ${source.inputDataUri} (record identifier ${recordIdentifier ?? 'none'}, event time ` +
      `${eventTime ?? 'none: the data-quality baseline describes the whole training split'})`
    );
  }
  return (
    `data: Feature Group ${group.name} offline store ${source.inputDataUri} (${group.tableFormat} table; ` +
    `record identifier ${group.recordIdentifierFeatureName}, event time ${group.eventTimeFeatureName}; ` +
    `offline store KMS key ${group.offlineStoreKmsKeyId ?? 'none set'})`
  );
}
