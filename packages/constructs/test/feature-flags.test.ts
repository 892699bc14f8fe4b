// The portfolio's feature flags: the flag ProjectStorage needs is among them, and ProjectStorage
// refuses an App without it (negative control) instead of failing inside aws-cdk-lib.
import { bareStack, literalNames } from './support';
import { ACCESS_LOGS_BUCKET_POLICY_FLAG, PORTFOLIO_FEATURE_FLAGS } from '../src/feature-flags';
import { ProjectStorage } from '../src/project-storage';

describe('PORTFOLIO_FEATURE_FLAGS', () => {
  test('hold the access-log bucket policy flag, enabled', () => {
    expect(PORTFOLIO_FEATURE_FLAGS[ACCESS_LOGS_BUCKET_POLICY_FLAG]).toBe(true);
  });

  test('ProjectStorage works with them and names the flag without them', () => {
    expect(
      () =>
        new ProjectStorage(bareStack({ context: PORTFOLIO_FEATURE_FLAGS }), 'S', { names: literalNames() }),
    ).not.toThrow();
    expect(() => new ProjectStorage(bareStack(), 'S', { names: literalNames() })).toThrow(
      /ProjectStorage needs the feature flag @aws-cdk\/aws-s3:serverAccessLogsUseBucketPolicy/,
    );
  });
});
