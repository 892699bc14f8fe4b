// The DeepAR request (instances, num_samples, mean + the project's quantiles) and the response check.
import {
  buildDeepArRequest,
  DEEPAR_REQUEST_RESPONSE_EXAMPLE,
  DEFAULT_QUANTILES,
  parseForecastResponse,
} from '@mlops-templates/metrics';
import { fakeDeepArResponse } from './support/series-data';

const t0 = Date.UTC(2024, 5, 1, 0);

test('request: one instance per series, missing values as "NaN", every default quantile', () => {
  const request = buildDeepArRequest(
    [
      { startMs: t0, target: [1, null, 3] },
      { startMs: t0 + 3_600_000, target: [5, 6] },
    ],
    { numSamples: 100 },
  );
  expect(request).toEqual({
    instances: [
      { start: '2024-06-01 00:00:00', target: [1, 'NaN', 3] },
      { start: '2024-06-01 01:00:00', target: [5, 6] },
    ],
    configuration: {
      num_samples: 100,
      output_types: ['mean', 'quantiles'],
      quantiles: [...DEFAULT_QUANTILES],
    },
  });
});

describe('parseForecastResponse', () => {
  const request = JSON.stringify({ instances: [{ target: [1, 2, 3] }, { target: [4, 5] }] });

  test('accepts a response with every quantile over the horizon', () => {
    const forecasts = parseForecastResponse(fakeDeepArResponse(request, 4), 2, 4);
    expect(forecasts).toHaveLength(2);
    expect(Object.keys(forecasts[0].quantiles)).toEqual([...DEFAULT_QUANTILES]);
    expect(forecasts[1].mean).toHaveLength(4);
  });

  test('rejects the AWS example response: it has the mean only', () => {
    const example = DEEPAR_REQUEST_RESPONSE_EXAMPLE;
    expect(() => parseForecastResponse(JSON.stringify(example.response), 1, 14)).toThrow(
      /forecast 0 has no quantile 0.1/,
    );
  });

  test.each([
    [1, 4, /2 forecasts for 1 instances/],
    [2, 5, /has 4 values, the horizon is 5/],
  ])('rejects a mismatch (%s instances, horizon %s)', (instances, horizon, message) => {
    expect(() => parseForecastResponse(fakeDeepArResponse(request, 4), instances, horizon)).toThrow(message);
  });

  test('rejects a body that is not a DeepAR response', () => {
    expect(() => parseForecastResponse('<html>', 1, 4)).toThrow();
  });
});
