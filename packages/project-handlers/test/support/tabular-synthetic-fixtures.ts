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
