// The XGBoost CSV codec: the request body, and the response checks per problem type — each one able
// to fail (wrong count, non-numbers, probabilities out of range, softprob rows not summing to 1).
import { EndpointTestError } from '@mlops-templates/model-deploy';
import { type CsvRequest, parsePredictions, XGBOOST_CSV_CODEC } from '../src/endpoint-test/csv-codec';

const rows = ['1.5,0,3.25', '2.0,1,0.5', '0.1,,7'];
const regression: CsvRequest = { rows, problemType: 'regression' };
const binary: CsvRequest = { rows, problemType: 'binary' };
const multiclass: CsvRequest = { rows, problemType: 'multiclass', numClasses: 3 };

test('the request is text/csv, one feature row per line, accepting text/csv', () => {
  expect(XGBOOST_CSV_CODEC.contentType).toBe('text/csv');
  expect(XGBOOST_CSV_CODEC.accept).toBe('text/csv');
  expect(XGBOOST_CSV_CODEC.encode(regression)).toBe('1.5,0,3.25\n2.0,1,0.5\n0.1,,7\n');
});

describe('regression', () => {
  test('one number per line passes, as does the one-line comma-separated form', () => {
    expect(XGBOOST_CSV_CODEC.check('12.5\n-3\n0.25\n', regression)).toBe(
      'predicted 3 row(s) (regression: one finite number each)',
    );
    expect(parsePredictions('12.5,-3,0.25', regression)).toEqual([[12.5], [-3], [0.25]]);
  });

  test('a missing prediction and a non-number are both listed', () => {
    expect(() => XGBOOST_CSV_CODEC.check('12.5\nabc\n', regression)).toThrow(
      /fails 2 check\(s\):\n {2}- 2 prediction\(s\) for 3 request row\(s\)\n {2}- prediction 2 is not numeric/,
    );
  });

  test('an empty body is an EndpointTestError', () => {
    expect(() => XGBOOST_CSV_CODEC.check('  \n', regression)).toThrow(EndpointTestError);
  });
});

describe('binary', () => {
  test('probabilities pass; a value outside [0, 1] fails', () => {
    expect(XGBOOST_CSV_CODEC.check('0.1\n0.9\n0.5', binary)).toMatch(/binary: one probability/);
    expect(() => XGBOOST_CSV_CODEC.check('0.1\n1.7\n0.5', binary)).toThrow(
      /prediction 2 is 1.7, not a probability in \[0, 1\]/,
    );
  });
});

describe('multiclass (softprob)', () => {
  test('a list of class probabilities per row passes, with or without brackets', () => {
    const body = '[0.2, 0.3, 0.5]\n0.7,0.2,0.1\n[0.0, 0.0, 1.0]\n';
    expect(XGBOOST_CSV_CODEC.check(body, multiclass)).toMatch(/multiclass: class probabilities summing to 1/);
    expect(parsePredictions(body, multiclass)[0]).toEqual([0.2, 0.3, 0.5]);
  });

  test('a wrong class count, a row not summing to 1 and a single value are all reported', () => {
    const body = '0.5,0.5\n0.7,0.2,0.3\n1\n';
    expect(() => XGBOOST_CSV_CODEC.check(body, multiclass)).toThrow(EndpointTestError);
    let message = '';
    try {
      XGBOOST_CSV_CODEC.check(body, multiclass);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('prediction 1 has 2 class probabilities, expected 3');
    expect(message).toMatch(/prediction 2's class probabilities sum to 1\.2\d*, not 1/);
    expect(message).toContain('prediction 3 has 1 class probability, expected a list of at least 2');
  });

  test('without a known class count, any list of ≥ 2 summing to 1 passes', () => {
    expect(() =>
      XGBOOST_CSV_CODEC.check('0.5,0.5\n0.25,0.75\n1,0', { rows, problemType: 'multiclass' }),
    ).not.toThrow();
  });
});
