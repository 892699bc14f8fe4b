// The parameters every product declares alike: each default passes its own constraint, and the
// constraints refuse what the products rely on being refused (a quote in DataSourceLocation would break
// the project's JSON config parameter).
import {
  COLUMN_NAME_PATTERN,
  DATA_RETENTION_PARAMETER,
  DATA_SOURCE_LOCATION_PARAMETER,
  INSTANCE_TYPE_PATTERN,
  NOTIFICATION_EMAIL_PARAMETER,
} from '../src/shared-parameters';

const matches = (pattern: string | undefined, value: string) => new RegExp(pattern ?? '').test(value);

describe('shared parameters', () => {
  test('each default passes its own pattern or allowed values', () => {
    for (const p of [DATA_SOURCE_LOCATION_PARAMETER, NOTIFICATION_EMAIL_PARAMETER]) {
      expect(matches(p.allowedPattern, p.default)).toBe(true);
    }
    expect(DATA_RETENTION_PARAMETER.allowedValues).toContain(DATA_RETENTION_PARAMETER.default);
  });

  test.each(['s3://acme-data/sales/', 'sales-daily', 'none'])('DataSourceLocation accepts %p', (v) => {
    expect(matches(DATA_SOURCE_LOCATION_PARAMETER.allowedPattern, v)).toBe(true);
  });

  test.each(['s3://acme-data/sa"les/', 's3://acme-data/sa\\les/', 's3://A/', ''])(
    'DataSourceLocation refuses %p',
    (v) => expect(matches(DATA_SOURCE_LOCATION_PARAMETER.allowedPattern, v)).toBe(false),
  );

  test('instance types and column names', () => {
    expect(matches(INSTANCE_TYPE_PATTERN, 'ml.m5.xlarge')).toBe(true);
    expect(matches(INSTANCE_TYPE_PATTERN, 'm5.xlarge')).toBe(false);
    expect(matches(COLUMN_NAME_PATTERN, 'income_k')).toBe(true);
    expect(matches(COLUMN_NAME_PATTERN, '1st')).toBe(false);
    expect(matches(NOTIFICATION_EMAIL_PARAMETER.allowedPattern, 'oncall@example.com')).toBe(true);
    expect(matches(NOTIFICATION_EMAIL_PARAMETER.allowedPattern, 'oncall')).toBe(false);
  });
});
