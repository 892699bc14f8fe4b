// The shared validators on their own: names (length, characters, forbidden suffix), integer ranges,
// non-empty lists and durations in whole minutes, each error naming the property; unresolved tokens
// pass every check.
import { Aws, Duration, Lazy, Token } from 'aws-cdk-lib';
import {
  CODECOMMIT_REPOSITORY_NAME,
  IAM_MANAGED_POLICY_NAME,
  IAM_ROLE_NAME,
  LAMBDA_FUNCTION_NAME,
  validateIntegerRange,
  validateMinutes,
  validateName,
  validateNotEmpty,
} from '../src/validation';

describe('validateName', () => {
  test('the length bounds of each rule, inclusive', () => {
    for (const [rule, max] of [
      [LAMBDA_FUNCTION_NAME, 64],
      [IAM_ROLE_NAME, 64],
      [IAM_MANAGED_POLICY_NAME, 128],
      [CODECOMMIT_REPOSITORY_NAME, 100],
    ] as const) {
      expect(() => validateName('p', 'a'.repeat(max), rule)).not.toThrow();
      expect(() => validateName('p', 'a'.repeat(max + 1), rule)).toThrow(
        new RegExp(`^p: ${rule.what} has 1–${max} characters, got ${max + 1}`),
      );
      expect(() => validateName('p', '', rule)).toThrow(/got 0/);
    }
  });

  test('the characters of each rule', () => {
    expect(() => validateName('fn', 'my_fn-1', LAMBDA_FUNCTION_NAME)).not.toThrow();
    expect(() => validateName('fn', 'my.fn', LAMBDA_FUNCTION_NAME)).toThrow(
      /fn: 'my\.fn' is not a Lambda function name/,
    );
    expect(() => validateName('role', 'a+b=c,d.e@f_g-h', IAM_ROLE_NAME)).not.toThrow();
    expect(() => validateName('role', 'a/b', IAM_ROLE_NAME)).toThrow(/role: 'a\/b' is not an IAM role name/);
    expect(() => validateName('repo', 'my.repo_1-x', CODECOMMIT_REPOSITORY_NAME)).not.toThrow();
    expect(() => validateName('repo', 'my repo', CODECOMMIT_REPOSITORY_NAME)).toThrow(
      /repo: 'my repo' is not/,
    );
    expect(() => validateName('repo', 'my-repo.GIT', CODECOMMIT_REPOSITORY_NAME)).toThrow(/must not match/);
  });

  test('unresolved tokens pass', () => {
    const token = Lazy.string({ produce: () => 'x'.repeat(500) });
    expect(Token.isUnresolved(token)).toBe(true);
    expect(() => validateName('p', token, LAMBDA_FUNCTION_NAME)).not.toThrow();
    expect(() => validateName('p', `sagemaker-${Aws.STACK_NAME} bad`, LAMBDA_FUNCTION_NAME)).not.toThrow();
  });
});

describe('validateIntegerRange', () => {
  test('whole numbers in the closed range pass; others are refused, naming the property', () => {
    expect(() => validateIntegerRange('n', 1, 1, 3)).not.toThrow();
    expect(() => validateIntegerRange('n', 3, 1, 3)).not.toThrow();
    expect(() => validateIntegerRange('n', undefined, 1, 3)).not.toThrow();
    for (const bad of [0, 4, 1.5, Number.NaN]) {
      expect(() => validateIntegerRange('n', bad, 1, 3)).toThrow(
        /^n: must be a whole number from 1 to 3, got/,
      );
    }
  });
});

describe('validateNotEmpty', () => {
  test('an empty list is refused, naming the property; absent and non-empty lists pass', () => {
    expect(() => validateNotEmpty('names', [], 'name')).toThrow(/^names: at least one name is required$/);
    expect(() => validateNotEmpty('names', ['a'], 'name')).not.toThrow();
    expect(() => validateNotEmpty('names', undefined, 'name')).not.toThrow();
  });
});

describe('validateMinutes', () => {
  test('whole minutes in the closed range pass; zero, fractions and larger values are refused', () => {
    expect(() => validateMinutes('d', Duration.minutes(1), 1, 60)).not.toThrow();
    expect(() => validateMinutes('d', Duration.hours(1), 1, 60)).not.toThrow();
    expect(() => validateMinutes('d', undefined, 1, 60)).not.toThrow();
    for (const bad of [Duration.minutes(0), Duration.seconds(90), Duration.minutes(61)]) {
      expect(() => validateMinutes('d', bad, 1, 60)).toThrow(
        /^d: must be a whole number of minutes from 1 to 60, got/,
      );
    }
  });

  test('a token duration passes', () => {
    const token = Duration.minutes(Lazy.number({ produce: () => 0 }));
    expect(() => validateMinutes('d', token, 1, 60)).not.toThrow();
  });
});
