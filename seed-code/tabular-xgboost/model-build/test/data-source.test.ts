// The data source with SageMaker mocked: synthetic/s3 use DATA_SOURCE_URI with no call; a Feature
// Group resolves to its offline store (ResolvedOutputS3Uri, record identifier, event time, KMS key,
// every page of features) or fails naming the problem: not found, no offline store, a target that
// is no feature; other SageMaker errors pass through.
import {
  DescribeFeatureGroupCommand,
  type DescribeFeatureGroupCommandOutput,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { exampleEnv } from './helpers';
import { parseEnvironment } from '../src/config/environment';
import { loadPipelineConfig } from '../src/config/pipeline-config';
import {
  DataSourceError,
  describeDataSource,
  localDataSource,
  resolveDataSource,
} from '../src/pipeline/data-source';

const sageMaker = mockClient(SageMakerClient);
const GROUP = 'customer-churn-features';
const OFFLINE_URI =
  's3://offline-bucket/fs/123456789012/sagemaker/eu-west-1/offline-store/customer-churn-features-1700000000/data';
const KMS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/99999999-2222-3333-4444-555555555555';
const env = (overrides: Record<string, string> = {}) =>
  parseEnvironment(
    exampleEnv({
      DATA_SOURCE_TYPE: 'feature-group',
      DATA_SOURCE_URI: GROUP,
      TARGET_COLUMN: 'churned',
      ...overrides,
    }),
  );
const features = (...names: string[]) =>
  names.map((FeatureName) => ({ FeatureName, FeatureType: 'String' as const }));
const described = (overrides: Partial<DescribeFeatureGroupCommandOutput> = {}) =>
  ({
    FeatureGroupName: GROUP,
    RecordIdentifierFeatureName: 'customer_id',
    EventTimeFeatureName: 'event_time',
    FeatureDefinitions: features('customer_id', 'event_time', 'plan', 'churned'),
    OfflineStoreConfig: {
      S3StorageConfig: { S3Uri: 's3://offline-bucket/fs', ResolvedOutputS3Uri: OFFLINE_URI },
    },
    ...overrides,
  }) as DescribeFeatureGroupCommandOutput;

beforeEach(() => sageMaker.reset());

const S3_SOURCE = loadPipelineConfig().s3Source;

describe('synthetic and s3', () => {
  const fileEnv = (type: string, overrides: Record<string, string> = {}) =>
    parseEnvironment(
      exampleEnv({ DATA_SOURCE_TYPE: type, DATA_SOURCE_URI: 's3://data-bucket/tabular/', ...overrides }),
    );

  test('synthetic: DATA_SOURCE_URI and the generator’s identity columns (project-contract), no AWS call', async () => {
    expect(await resolveDataSource(fileEnv('synthetic'), new SageMakerClient({}), S3_SOURCE)).toEqual({
      inputDataUri: 's3://data-bucket/tabular/',
      identityColumns: { recordIdentifier: 'record_id', eventTime: 'event_time' },
    });
    expect(sageMaker.calls()).toHaveLength(0);
  });

  test('s3: the identity columns config/pipeline.json s3Source names (none committed), no AWS call', async () => {
    expect(await resolveDataSource(fileEnv('s3'), new SageMakerClient({}), S3_SOURCE)).toEqual({
      inputDataUri: 's3://data-bucket/tabular/',
      identityColumns: {},
    });
    const named = { recordIdentifierColumn: 'customer', eventTimeColumn: 'ts' };
    expect(localDataSource(fileEnv('s3'), named).identityColumns).toEqual({
      recordIdentifier: 'customer',
      eventTime: 'ts',
    });
    // The generator's columns are not assumed for s3 data.
    expect(describeDataSource(localDataSource(fileEnv('s3'), S3_SOURCE))).toBe(
      'data: s3://data-bucket/tabular/ (record identifier none, event time none: the data-quality baseline describes the whole training split)',
    );
    expect(sageMaker.calls()).toHaveLength(0);
  });

  test('a target that is an identity column: an error naming it', () => {
    expect(() => localDataSource(fileEnv('synthetic', { TARGET_COLUMN: 'event_time' }), S3_SOURCE)).toThrow(
      'TARGET_COLUMN "event_time" is the synthetic generator\'s event time, not a value to predict',
    );
    expect(() =>
      localDataSource(fileEnv('s3', { TARGET_COLUMN: 'customer' }), {
        recordIdentifierColumn: 'customer',
        eventTimeColumn: null,
      }),
    ).toThrow('TARGET_COLUMN "customer" is config/pipeline.json s3Source\'s record identifier');
  });
});

describe('feature-group', () => {
  test('found: the offline store prefix (trailing /), record identifier, event time, KMS key', async () => {
    sageMaker.on(DescribeFeatureGroupCommand).resolves(
      described({
        OfflineStoreConfig: {
          S3StorageConfig: {
            S3Uri: 's3://offline-bucket/fs',
            ResolvedOutputS3Uri: OFFLINE_URI,
            KmsKeyId: KMS_KEY,
          },
          TableFormat: 'Iceberg',
        },
      }),
    );
    const source = await resolveDataSource(env(), new SageMakerClient({}), S3_SOURCE);
    expect(source).toEqual({
      inputDataUri: `${OFFLINE_URI}/`,
      identityColumns: { recordIdentifier: 'customer_id', eventTime: 'event_time' },
      featureGroup: {
        name: GROUP,
        recordIdentifierFeatureName: 'customer_id',
        eventTimeFeatureName: 'event_time',
        offlineStoreKmsKeyId: KMS_KEY,
        tableFormat: 'Iceberg',
      },
    });
    expect(sageMaker.commandCalls(DescribeFeatureGroupCommand)[0].args[0].input).toEqual({
      FeatureGroupName: GROUP,
      NextToken: undefined,
    });
    expect(describeDataSource(source)).toBe(
      `data: Feature Group ${GROUP} offline store ${OFFLINE_URI}/ (Iceberg table; record identifier customer_id, event time event_time; offline store KMS key ${KMS_KEY})`,
    );
  });

  test('the table format defaults to Glue; the target may be on a later page of features', async () => {
    sageMaker
      .on(DescribeFeatureGroupCommand, { FeatureGroupName: GROUP, NextToken: undefined })
      .resolves(
        described({ FeatureDefinitions: features('customer_id', 'event_time', 'plan'), NextToken: 'p2' }),
      )
      .on(DescribeFeatureGroupCommand, { FeatureGroupName: GROUP, NextToken: 'p2' })
      .resolves(described({ FeatureDefinitions: features('churned') }));
    const source = await resolveDataSource(env(), new SageMakerClient({}), S3_SOURCE);
    expect(source.featureGroup?.tableFormat).toBe('Glue');
    expect(source.featureGroup?.offlineStoreKmsKeyId).toBeUndefined();
    expect(sageMaker.commandCalls(DescribeFeatureGroupCommand)).toHaveLength(2);
  });

  test('not found: an error naming the group and the variables', async () => {
    sageMaker
      .on(DescribeFeatureGroupCommand)
      .rejects(Object.assign(new Error('Resource Not Found'), { name: 'ResourceNotFound', $metadata: {} }));
    await expect(resolveDataSource(env(), new SageMakerClient({}), S3_SOURCE)).rejects.toThrow(
      new DataSourceError(
        `Feature Group "${GROUP}" does not exist (DATA_SOURCE_URI, DATA_SOURCE_TYPE=feature-group, region eu-west-1)`,
      ),
    );
  });

  test.each([
    ['no OfflineStoreConfig', { OfflineStoreConfig: undefined }],
    [
      'no ResolvedOutputS3Uri yet',
      { OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://offline-bucket/fs' } } },
    ],
  ])('%s: "has no offline store"', async (_, overrides) => {
    sageMaker
      .on(DescribeFeatureGroupCommand)
      .resolves(described(overrides as Partial<DescribeFeatureGroupCommandOutput>));
    await expect(resolveDataSource(env(), new SageMakerClient({}), S3_SOURCE)).rejects.toThrow(
      `Feature Group "${GROUP}" has no offline store (DATA_SOURCE_URI, DATA_SOURCE_TYPE=feature-group, region eu-west-1)`,
    );
  });

  test.each([
    [
      'price',
      'is not a feature of Feature Group "customer-churn-features" (features: customer_id, event_time, plan, churned)',
    ],
    [
      'customer_id',
      'is Feature Group "customer-churn-features"\'s record identifier, not a value to predict',
    ],
    ['event_time', 'is Feature Group "customer-churn-features"\'s event time, not a value to predict'],
  ])('TARGET_COLUMN %s: an error before anything is built', async (target, problem) => {
    sageMaker.on(DescribeFeatureGroupCommand).resolves(described());
    await expect(
      resolveDataSource(env({ TARGET_COLUMN: target }), new SageMakerClient({}), S3_SOURCE),
    ).rejects.toThrow(`TARGET_COLUMN "${target}" ${problem}`);
  });

  test('another SageMaker error is not taken for "not found"', async () => {
    sageMaker.on(DescribeFeatureGroupCommand).rejects(
      Object.assign(new Error('User is not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(resolveDataSource(env(), new SageMakerClient({}), S3_SOURCE)).rejects.toThrow(
      /^User is not authorized$/,
    );
  });

  test('npm run definition (no AWS) cannot resolve it: an error saying why', () => {
    expect(() => localDataSource(env(), S3_SOURCE)).toThrow(
      /DATA_SOURCE_TYPE is feature-group: .* this command makes no AWS call \(pipeline:upsert resolves it/,
    );
  });
});
