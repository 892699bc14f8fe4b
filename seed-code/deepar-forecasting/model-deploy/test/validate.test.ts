// The response validator against DeepAR formats: a full response passes; the AWS example response
// (mean only), a missing quantile, malformed bodies, a wrong horizon, crossing quantiles fail.
import { DEEPAR_REQUEST_RESPONSE_EXAMPLE, DEFAULT_QUANTILES } from '@mlops-templates/metrics';
import { readFixture } from './helpers';
import { EndpointTestError } from '@mlops-templates/model-deploy';
import { validateDeepArResponse } from '../src/endpoint-test/validate';

type Prediction = { quantiles: Record<string, number[]>; mean: number[] };
const derived = (): { predictions: Prediction[] } =>
  JSON.parse(readFixture('deepar-response-quantiles.derived.json')).response;
const awsExample = DEEPAR_REQUEST_RESPONSE_EXAMPLE.response;
const expectation = { instances: 1, predictionLength: 14, quantiles: DEFAULT_QUANTILES, mean: true };

function failure(body: string, expected = expectation): string {
  try {
    validateDeepArResponse(body, expected);
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointTestError);
    return (error as Error).message;
  }
  throw new Error('expected the response to be rejected');
}

test('a response with every quantile, the mean and the horizon passes', () => {
  const forecasts = validateDeepArResponse(JSON.stringify(derived()), expectation);
  expect(forecasts).toHaveLength(1);
  expect(Object.keys(forecasts[0].quantiles ?? {})).toEqual([...DEFAULT_QUANTILES]);
});

test('quantile keys are compared by level ("0.50" is "0.5")', () => {
  const response = derived();
  const q = response.predictions[0].quantiles;
  q['0.50'] = q['0.5'];
  delete q['0.5'];
  expect(() => validateDeepArResponse(JSON.stringify(response), expectation)).not.toThrow();
});

test('the AWS example response (requested without quantiles) is rejected', () => {
  expect(failure(JSON.stringify(awsExample))).toContain(
    `predictions[0] has no "quantiles" (expected ${DEFAULT_QUANTILES.join(', ')})`,
  );
});

test('a response missing a quantile is rejected, naming it', () => {
  const response = derived();
  delete response.predictions[0].quantiles['0.7'];
  expect(failure(JSON.stringify(response))).toMatch(/predictions\[0\] misses quantile\(s\) 0\.7$/m);
});

test.each([
  [
    'not JSON',
    '<html>502 Bad Gateway</html>',
    /the response is not a DeepAR forecast: the response is not JSON/,
  ],
  ['no predictions array', '{"predictions": {"mean": [1]}}', /not a DeepAR response/],
  [
    'a non-numeric value',
    '{"predictions":[{"quantiles":{"0.5":[1,"x"]}}]}',
    /element 1 is "x", expected finite numbers/,
  ],
  [
    'a NaN value',
    '{"predictions":[{"quantiles":{"0.5":[1, NaN]}}]}',
    /element 1 is null, expected finite numbers/,
  ],
  ['an unknown quantile key', '{"predictions":[{"quantiles":{"p50":[1]}}]}', /unknown quantile key "p50"/],
  ['an empty body', '', /the response is not a DeepAR forecast/],
])('a malformed response (%s) is rejected', (_name, body, message) => {
  expect(failure(body)).toMatch(message);
});

test('a wrong horizon, a missing mean and crossing quantiles are all listed', () => {
  const response = derived();
  const p = response.predictions[0];
  p.quantiles['0.9'] = p.quantiles['0.9'].slice(0, 13);
  p.quantiles['0.3'][4] = p.quantiles['0.4'][4] + 1;
  delete (p as Partial<Prediction>).mean;
  const message = failure(JSON.stringify(response));
  expect(message).toMatch(/fails 3 check\(s\)/);
  expect(message).toContain('predictions[0].quantiles["0.9"] has 13 values, expected 14 (PREDICTION_LENGTH)');
  expect(message).toMatch(/predictions\[0\]: quantile 0\.3 \(.+\) is above quantile 0\.4 \(.+\) at step 4/);
  expect(message).toContain('predictions[0] has no "mean"');
});

test('one forecast per request instance', () => {
  const response = derived();
  expect(failure(JSON.stringify(response), { ...expectation, instances: 2 })).toContain(
    '1 forecast(s) for 2 request instance(s)',
  );
  response.predictions.push(response.predictions[0]);
  expect(() =>
    validateDeepArResponse(JSON.stringify(response), { ...expectation, instances: 2 }),
  ).not.toThrow();
});
