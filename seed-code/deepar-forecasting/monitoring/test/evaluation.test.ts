// wQL over every matured forecast of the window, with the shared metrics package, counting only the
// forecasts of the model version serving now (warm-up).
import { evaluateWindow } from '@mlops-templates/metrics';
import { HOUR, storedForecast } from './support/forecasts';
import { referenceMeanWql } from './support/series-data';

const t0 = Date.UTC(2024, 5, 1);

function matured(id: string, contextEnd: number, version: string | null, targets: (number | null)[][]) {
  return {
    forecast: storedForecast({
      inferenceId: id,
      contextEnd,
      horizon: targets[0].length,
      items: targets.map((_, i) => `i${i}`),
      modelVersion: version,
    }),
    targets,
  };
}

test('pools every matured forecast of the current version (several horizons)', () => {
  const forecasts = [
    matured('a', t0, 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/grp/4', [
      [95, 110, null],
      [120, 105, 111],
    ]),
    matured('b', t0 + HOUR, '4', [
      [101, 99, 90],
      [108, 112, 130],
    ]),
    matured('c', t0 + 2 * HOUR, '4', [
      [100, 100, 100],
      [100, 100, 100],
    ]),
  ];
  const evaluation = evaluateWindow(forecasts, 'grp/4');
  expect(evaluation.evaluatedForecasts).toBe(3);
  expect(evaluation.otherVersionForecasts).toBe(0);
  expect(evaluation.accuracy.points).toBe(17);
  const expected = referenceMeanWql(
    forecasts.flatMap((m) =>
      m.forecast.forecasts.map((f, i) => ({ target: m.targets[i], quantiles: f.quantiles })),
    ),
  );
  expect(evaluation.accuracy.mean_wQL).toBeCloseTo(expected, 12);
});

test('warm-up: forecasts of other or unknown model versions do not count', () => {
  const forecasts = [
    matured('old', t0, '3', [[10, 10, 10]]),
    matured('unknown', t0 + HOUR, null, [[10, 10, 10]]),
    matured('new', t0 + 2 * HOUR, '4', [[100, 101, 102]]),
  ];
  const evaluation = evaluateWindow(forecasts, '4');
  expect(evaluation.maturedForecasts).toBe(3);
  expect(evaluation.evaluatedForecasts).toBe(1);
  expect(evaluation.otherVersionForecasts).toBe(2);
  expect(evaluation.accuracy.points).toBe(3);
  const onlyNew = evaluateWindow([forecasts[2]], '4');
  expect(evaluation.accuracy.mean_wQL).toBe(onlyNew.accuracy.mean_wQL);
  expect(evaluateWindow(forecasts, null).accuracy.points).toBe(0);
});

test('an inconsistent forecast is skipped and reported, the others still count', () => {
  const bad = matured('bad', t0, '4', [[1, 2, 3]]);
  const broken = { ...bad, targets: [[1, 2]] };
  const good = matured('good', t0 + HOUR, '4', [[100, 100, 100]]);
  const evaluation = evaluateWindow([broken, good], '4');
  expect(evaluation.invalidForecasts).toBe(1);
  expect(evaluation.invalidExamples[0]).toMatch(/^bad: /);
  expect(evaluation.accuracy.points).toBe(3);
});

test('all-zero targets: no mean wQL, with the reason', () => {
  const evaluation = evaluateWindow([matured('z', t0, '4', [[0, 0, 0]])], '4');
  expect(evaluation.accuracy.mean_wQL).toBeNull();
  expect(evaluation.accuracy.reason).toMatch(/sum of \|target\|/);
});
