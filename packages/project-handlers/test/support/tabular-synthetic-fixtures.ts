// Shared tabular synthetic-data test data: the generator's environment in the tests (the rehearsal binds
// the S3 keys the tests write under these prefixes to the product's, test/rehearsal/sdk-calls/sources.ts).
export const TABULAR_SYNTHETIC_ENV = {
  PROJECT_BUCKET: 'sagemaker-project-p-abc123',
  DATA_PREFIX: 'data/',
  SYNTHETIC_LABELS_PREFIX: 'labels/',
  PROBLEM_TYPE: 'binary',
  TARGET_COLUMN: 'churned',
  SYNTHETIC_ROWS_PER_HOUR: '10',
  SYNTHETIC_BACKFILL_HOURS: '3',
} as const;

/** The traffic sender's environment in its tests (the rehearsal binds these names to the product's). */
export const TABULAR_TRAFFIC_ENV = {
  PROJECT_BUCKET: 'sagemaker-p-abc123-123456789012',
  DATA_PREFIX: 'data/',
  LABELS_PREFIX: 'labels/',
  TARGET_COLUMN: 'churned',
  STAGING_ENDPOINT_NAME: 'sagemaker-p-abc123-staging',
  PROD_ENDPOINT_NAME: 'sagemaker-p-abc123-prod',
  SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: '8',
} as const;
