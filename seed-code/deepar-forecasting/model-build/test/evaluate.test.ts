// The Evaluate step: DeepAR batch-transform output lines paired with the backtest windows' actual
// values, wQL per quantile / mean wQL / RMSE per window and overall (computed independently here
// from the definition), NaN targets, misaligned or malformed outputs, and the files it writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_QUANTILES, DEEPAR_REQUEST_RESPONSE_EXAMPLE } from '@mlops-templates/metrics';
import { captureLogger, MemoryStore } from './helpers';
import {
  actualsOfTestLine,
  evaluateBacktest,
  EvaluationError,
  modelQualityMetrics,
  WindowInput,
  windowWqlJson,
} from '../src/steps/evaluate/evaluate';
import { parseEvaluateArguments, runEvaluation, transformOutputUri } from '../src/steps/evaluate/handler';
import { BacktestManifest } from '../src/steps/prepare-data/prepare';

const QUANTILES = ['0.1', '0.5', '0.9'];

/** wQL[τ] straight from Amazon Forecast's definition, skipping NaN targets. */
function expectedWql(pairs: { target: number[]; q: Record<string, number[]> }[], tau: string): number {
  let loss = 0;
  let denominator = 0;
  for (const { target, q } of pairs) {
    target.forEach((y, i) => {
      if (Number.isNaN(y)) return;
      const t = Number(tau);
      const forecast = q[tau][i];
      loss += t * Math.max(y - forecast, 0) + (1 - t) * Math.max(forecast - y, 0);
      denominator += Math.abs(y);
    });
  }
  return (2 * loss) / denominator;
}

/** A DeepAR batch-transform output line: {"quantiles":{...},"mean":[...]}. */
function forecastLine(base: number[], spread: number): string {
  return JSON.stringify({
    quantiles: {
      '0.1': base.map((v) => v - spread),
      '0.5': base,
      '0.9': base.map((v) => v + spread),
    },
    mean: base.map((v) => v + 0.5),
  });
}

function testLine(history: (number | 'NaN')[], actuals: (number | 'NaN')[]): string {
  return JSON.stringify({ start: '2024-06-01 00:00:00', target: [...history, ...actuals] });
}

const WINDOW_1: WindowInput = {
  index: 1,
  forecastStart: '2024-06-10T00:00:00Z',
  testLines: [testLine([1, 2, 3], [10, 12, 'NaN']), testLine([5], [20, 18, 22])],
  forecastLines: [forecastLine([11, 11, 11], 2), forecastLine([19, 19, 19], 3)],
};
const WINDOW_2: WindowInput = {
  index: 2,
  forecastStart: '2024-06-10T03:00:00Z',
  testLines: [testLine([1, 2, 3, 10, 12, 14], [9, 9, 9]), testLine([5, 20, 18, 22], [30, 30, 30])],
  forecastLines: [`${forecastLine([10, 10, 10], 1)}\n`.trim(), forecastLine([25, 26, 27], 4)],
};

function pairsOf(window: WindowInput): { target: number[]; q: Record<string, number[]>; mean: number[] }[] {
  return window.testLines.map((line, i) => {
    const target = (JSON.parse(line).target as (number | string)[])
      .slice(-3)
      .map((v) => (v === 'NaN' ? Number.NaN : (v as number)));
    const forecast = JSON.parse(window.forecastLines[i]);
    return { target, q: forecast.quantiles, mean: forecast.mean };
  });
}

describe('evaluateBacktest', () => {
  const result = evaluateBacktest({
    windows: [WINDOW_1, WINDOW_2],
    quantiles: QUANTILES,
    predictionLength: 3,
  });

  test('wQL per quantile and mean wQL per window follow the definition; NaN targets are left out', () => {
    for (const [window, input] of [
      [result.windows[0], WINDOW_1],
      [result.windows[1], WINDOW_2],
    ] as const) {
      for (const tau of QUANTILES) expect(window.wQL[tau]).toBeCloseTo(expectedWql(pairsOf(input), tau), 12);
      const mean =
        QUANTILES.reduce((sum, tau) => sum + expectedWql(pairsOf(input), tau), 0) / QUANTILES.length;
      expect(window.mean_wQL).toBeCloseTo(mean, 12);
    }
    expect(result.windows[0].points).toBe(5); // one NaN target of 6
    expect(result.windows[1].points).toBe(6);
  });

  test('the gate metric is the average of the windows’ mean wQL; pooled figures cover every window', () => {
    expect(result.meanWql).toBeCloseTo(
      ((result.windows[0].mean_wQL as number) + (result.windows[1].mean_wQL as number)) / 2,
      12,
    );
    const all = [...pairsOf(WINDOW_1), ...pairsOf(WINDOW_2)];
    expect(result.pooled.wQL['0.5']).toBeCloseTo(expectedWql(all, '0.5'), 12);
    let squared = 0;
    let n = 0;
    for (const { target, mean } of all) {
      target.forEach((y, i) => {
        if (Number.isNaN(y)) return;
        squared += (y - mean[i]) ** 2;
        n++;
      });
    }
    expect(result.pooled.rmse).toBeCloseTo(Math.sqrt(squared / n), 12);
    expect(result.meanWqlStdDev).toBeCloseTo(
      Math.abs((result.windows[0].mean_wQL as number) - (result.windows[1].mean_wQL as number)) / Math.SQRT2,
      12,
    );
  });

  test('multi-line transform outputs are paired line by line with the test series', () => {
    const swapped = { ...WINDOW_1, forecastLines: [...WINDOW_1.forecastLines].reverse() };
    const other = evaluateBacktest({ windows: [swapped], quantiles: QUANTILES, predictionLength: 3 });
    expect(other.windows[0].mean_wQL).not.toBeCloseTo(result.windows[0].mean_wQL as number, 3);
  });

  test('a forecast count different from the series count is an error naming the window', () => {
    const short = { ...WINDOW_2, forecastLines: WINDOW_2.forecastLines.slice(0, 1) };
    expect(() =>
      evaluateBacktest({ windows: [WINDOW_1, short], quantiles: QUANTILES, predictionLength: 3 }),
    ).toThrow(new EvaluationError('window 2: the transform output has 1 forecasts for 2 series'));
  });

  test('malformed forecasts are errors naming the window and series', () => {
    const evaluate = (forecastLines: string[]): unknown =>
      evaluateBacktest({
        windows: [{ ...WINDOW_1, forecastLines }],
        quantiles: QUANTILES,
        predictionLength: 3,
      });
    expect(() => evaluate([WINDOW_1.forecastLines[0], '{not json'])).toThrow(
      /window 1, series 2 \(forecast\): not JSON/,
    );
    expect(() => evaluate([WINDOW_1.forecastLines[0], forecastLine([1, 2], 1)])).toThrow(
      /window 1, series 2: forecast length 2 differs from prediction_length 3/,
    );
    const withoutP90 = JSON.stringify({ quantiles: { '0.1': [1, 1, 1], '0.5': [1, 1, 1] }, mean: [1, 1, 1] });
    expect(() => evaluate([withoutP90, WINDOW_1.forecastLines[1]])).toThrow(/window 1, series 1: .*0\.9/);
  });

  test('the DeepAR response of the examples (mean only, no quantiles) cannot be evaluated', () => {
    const fixture = DEEPAR_REQUEST_RESPONSE_EXAMPLE;
    const line = JSON.stringify(fixture.response.predictions[0]);
    const horizon = fixture.response.predictions[0].mean.length;
    const actuals = testLine([1], Array(horizon).fill(10));
    expect(() =>
      evaluateBacktest({
        windows: [{ index: 1, forecastStart: 'x', testLines: [actuals], forecastLines: [line] }],
        quantiles: QUANTILES,
        predictionLength: horizon,
      }),
    ).toThrow(/the forecast has no quantiles \(output_types must include "quantiles"\)/);
  });

  test('a window without any observed actual value has no mean wQL; if no window has one, it is an error', () => {
    const unobserved: WindowInput = {
      ...WINDOW_1,
      index: 3,
      testLines: [testLine([1], ['NaN', 'NaN', 'NaN']), testLine([1], ['NaN', 'NaN', 'NaN'])],
    };
    const partial = evaluateBacktest({
      windows: [WINDOW_1, unobserved],
      quantiles: QUANTILES,
      predictionLength: 3,
    });
    expect(partial.windows[1].mean_wQL).toBeNull();
    expect(partial.meanWql).toBeCloseTo(result.windows[0].mean_wQL as number, 12);
    expect(windowWqlJson(partial)).toBe(
      `[${Number((result.windows[0].mean_wQL as number).toPrecision(5))},null]`,
    );
    expect(() =>
      evaluateBacktest({ windows: [unobserved], quantiles: QUANTILES, predictionLength: 3 }),
    ).toThrow(/no backtest window has a defined mean wQL/);
  });

  test('test lines: "NaN", null and Python’s bare NaN are missing; a short target is an error', () => {
    expect(Array.from(actualsOfTestLine('{"start":"x","target":[1,"NaN",null,NaN,5]}', 4, 'w'))).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
      5,
    ]);
    expect(() => actualsOfTestLine('{"start":"x","target":[1]}', 2, 'w')).toThrow(
      /fewer than prediction_length 2/,
    );
    expect(() => actualsOfTestLine('{"start":"x","target":[1,"x"]}', 2, 'w')).toThrow(
      /"x" at horizon step 2/,
    );
  });
});

describe('model-quality metrics file', () => {
  test('has the regression statistics shape of Model Monitor plus the wQL metrics', () => {
    const sample = JSON.parse(
      fs.readFileSync(path.join(__dirname, 'fixtures', 'mq-regression-statistics.json'), 'utf8'),
    );
    const result = evaluateBacktest({
      windows: [WINDOW_1, WINDOW_2],
      quantiles: QUANTILES,
      predictionLength: 3,
    });
    const metrics = modelQualityMetrics(result) as typeof sample;
    expect(Object.keys(metrics).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(metrics.dataset)).toEqual(Object.keys(sample.dataset));
    for (const name of ['mse', 'rmse']) {
      expect(Object.keys(metrics.regression_metrics[name]).sort()).toEqual(
        Object.keys(sample.regression_metrics[name]).sort(),
      );
    }
    expect(metrics.regression_metrics.rmse.value).toBe(result.pooled.rmse);
    expect(metrics.regression_metrics.mse.value).toBeCloseTo((result.pooled.rmse as number) ** 2, 12);
    expect(metrics.regression_metrics.mean_wQL).toEqual({
      value: result.meanWql,
      standard_deviation: result.meanWqlStdDev,
    });
    expect(Object.keys(metrics.regression_metrics).filter((k: string) => k.startsWith('wQL['))).toEqual([
      'wQL[0.1]',
      'wQL[0.5]',
      'wQL[0.9]',
    ]);
    expect(JSON.stringify(metrics)).not.toMatch(/NaN(?!")/);
  });
});

describe('runEvaluation', () => {
  const BACKTEST = 's3://project-bucket/training/exec-1/data/backtest';
  const PREDICTIONS = 's3://project-bucket/training/exec-1/predictions';
  const manifest: BacktestManifest = {
    version: 1,
    frequency: '1H',
    prediction_length: 3,
    context_length: 3,
    backtest_windows: 2,
    data_source: { type: 'synthetic', location: 's3://project-bucket/data/synthetic/' },
    data_window: { start: '2024-06-01T00:00:00Z', end: '2024-06-10T06:00:00Z' },
    train: { key: 'train/train.json', end: '2024-06-10T00:00:00Z', series: 2 },
    items: ['a', 'b'],
    skipped: [],
    windows: [
      {
        index: 1,
        forecast_start: WINDOW_1.forecastStart,
        input: 'input/window-01.jsonl',
        test: 'test/window-01.jsonl',
        series: 2,
      },
      {
        index: 2,
        forecast_start: WINDOW_2.forecastStart,
        input: 'input/window-02.jsonl',
        test: 'test/window-02.jsonl',
        series: 2,
      },
    ],
  };

  function store(): MemoryStore {
    const s = new MemoryStore();
    void s.writeText(`${BACKTEST}/manifest.json`, JSON.stringify(manifest), 'application/json');
    void s.writeText(
      `${BACKTEST}/test/window-01.jsonl`,
      `${WINDOW_1.testLines.join('\n')}\n`,
      'application/jsonlines',
    );
    void s.writeText(
      `${BACKTEST}/test/window-02.jsonl`,
      `${WINDOW_2.testLines.join('\n')}\n`,
      'application/jsonlines',
    );
    void s.writeText(
      `${PREDICTIONS}/window-01.jsonl.out`,
      `${WINDOW_1.forecastLines.join('\n')}\n`,
      'application/jsonlines',
    );
    void s.writeText(
      `${PREDICTIONS}/window-02.jsonl.out`,
      WINDOW_2.forecastLines.join('\n'),
      'application/jsonlines',
    );
    return s;
  }

  const event = {
    backtest_uri: `${BACKTEST}/`,
    predictions_uri: PREDICTIONS,
    quantiles: QUANTILES,
    prediction_length: 3,
    output_uri: 's3://project-bucket/training/exec-1/evaluation',
    kms_key_arn: '',
    model_artifacts: 's3://project-bucket/models/exec-1/job/output/model.tar.gz',
    trigger_reason: 'retrain-alarm:sagemaker-demo-p-1-accuracy-prod',
  };

  test('reads each window’s <input>.out, writes evaluation.json and model-quality.json, returns mean_wql', async () => {
    const s = store();
    const output = await runEvaluation(parseEvaluateArguments(event), {
      readText: s.readText,
      writeText: s.writeText,
      logger: captureLogger(),
    });
    const direct = evaluateBacktest({
      windows: [WINDOW_1, WINDOW_2],
      quantiles: QUANTILES,
      predictionLength: 3,
    });
    expect(output).toEqual({
      mean_wql: direct.meanWql,
      rmse: direct.pooled.rmse,
      window_wql: windowWqlJson(direct),
      evaluation_uri: 's3://project-bucket/training/exec-1/evaluation/evaluation.json',
      model_quality_uri: 's3://project-bucket/training/exec-1/evaluation/model-quality.json',
      points: 11,
    });
    const report = JSON.parse(s.objects.get(output.evaluation_uri)!.body);
    expect(report).toMatchObject({
      gate_metric: 'mean_wQL',
      mean_wQL: direct.meanWql,
      window_wql: direct.windows.map((w) => w.mean_wQL),
      quantiles: QUANTILES,
      backtest_windows: 2,
      trigger_reason: event.trigger_reason,
      data: { window: manifest.data_window, series: 2 },
    });
    expect(report.windows).toHaveLength(2);
    expect(JSON.parse(s.objects.get(output.model_quality_uri)!.body).regression_metrics.mean_wQL.value).toBe(
      direct.meanWql,
    );
  });

  test('the quantiles may come as a comma-separated string (as the pipeline passes DEFAULT_QUANTILES)', () => {
    expect(parseEvaluateArguments({ ...event, quantiles: DEFAULT_QUANTILES.join(',') }).quantiles).toEqual([
      ...DEFAULT_QUANTILES,
    ]);
  });

  test('a prediction length different from the data step’s is an error', async () => {
    const s = store();
    await expect(
      runEvaluation(parseEvaluateArguments({ ...event, prediction_length: 4 }), {
        readText: s.readText,
        writeText: s.writeText,
        logger: captureLogger(),
      }),
    ).rejects.toThrow(/prediction_length 3, the evaluation expects 4/);
  });

  test('transform outputs are named after the input files', () => {
    expect(transformOutputUri('s3://bkt/p/predictions/', 'input/window-03.jsonl')).toBe(
      's3://bkt/p/predictions/window-03.jsonl.out',
    );
    expect(transformOutputUri('s3://bkt/p/predictions', 'window-03.jsonl')).toBe(
      's3://bkt/p/predictions/window-03.jsonl.out',
    );
  });
});
