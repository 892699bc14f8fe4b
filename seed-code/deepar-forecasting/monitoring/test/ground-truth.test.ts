// Ground truth of earlier forecasts: the targets are the observations AFTER the forecast start (never
// the oldest history), written in the Model Quality merge format under ground-truth/<stage>/yyyy/mm/dd/hh/,
// never under the endpoint's data-capture prefix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  parseGroundTruthLine,
  assertOutsideDataCapture,
  forecastMaturity,
  groundTruthKey,
  renderGroundTruthLines,
  buildSeriesWindow,
  type Observation,
} from '@mlops-templates/metrics';
import { HOUR, storedForecast } from './support/forecasts';

const t0 = Date.UTC(2024, 5, 1, 0);

function observations(item: string, from: number, to: number, value: (t: number) => number): Observation[] {
  const out: Observation[] = [];
  for (let t = from; t <= to; t += HOUR) out.push({ itemId: item, timestamp: t, value: value(t) });
  return out;
}

describe('forecastMaturity', () => {
  // Context ends at t0 + 10h: the forecast covers t0+11h .. t0+14h.
  const forecast = storedForecast({
    inferenceId: 'f1',
    contextEnd: t0 + 10 * HOUR,
    horizon: 4,
    items: ['a', 'b'],
    modelVersion: '3',
  });
  const value = (t: number) => (t - t0) / HOUR; // the value is the hour index: easy to see which step was used

  test('pending while the data has not reached the last step', () => {
    const window = buildSeriesWindow([
      ...observations('a', t0, t0 + 13 * HOUR, value),
      ...observations('b', t0, t0 + 14 * HOUR, value),
    ]);
    expect(forecastMaturity(forecast, window, t0 + 14 * HOUR, 2 * HOUR)).toEqual({ state: 'pending' });
  });

  test('matured: the targets are the steps after the forecast start', () => {
    const window = buildSeriesWindow([
      ...observations('a', t0, t0 + 20 * HOUR, value),
      ...observations('b', t0, t0 + 14 * HOUR, value),
    ]);
    const maturity = forecastMaturity(forecast, window, t0 + 15 * HOUR, 2 * HOUR);
    expect(maturity).toEqual({
      state: 'matured',
      targets: [
        [11, 12, 13, 14],
        [11, 12, 13, 14],
      ],
      observedPoints: 8,
    });
  });

  test('after the grace period, whatever was observed is written (gaps as null)', () => {
    const window = buildSeriesWindow(observations('a', t0, t0 + 12 * HOUR, value));
    expect(forecastMaturity(forecast, window, t0 + 15 * HOUR, 2 * HOUR)).toEqual({ state: 'pending' });
    expect(forecastMaturity(forecast, window, t0 + 16 * HOUR, 2 * HOUR)).toEqual({
      state: 'matured',
      targets: [
        [11, 12, null, null],
        [null, null, null, null],
      ],
      observedPoints: 2,
    });
  });
});

describe('merge records', () => {
  test('one JSON line per forecast, joined on the inference id, readable by the metrics package', () => {
    const body = renderGroundTruthLines([
      { inferenceId: 'staging-20240601T110000Z-aa', targets: [[1, null, 3]] },
      { inferenceId: 'staging-20240601T120000Z-bb', targets: [[4], [5]] },
    ]);
    const lines = body.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toEqual({
      groundTruthData: { data: '{"targets":[[1,null,3]]}', encoding: 'JSON' },
      eventMetadata: { eventId: 'staging-20240601T110000Z-aa' },
      eventVersion: '0',
    });
    expect(parseGroundTruthLine(lines[1])).toEqual({
      eventId: 'staging-20240601T120000Z-bb',
      targets: [[4], [5]],
    });
  });

  test('has the envelope of the AWS documentation example', () => {
    const example = fs
      .readFileSync(path.join(__dirname, 'fixtures', 'groundtruth-aws-docs-example.jsonl'), 'utf8')
      .trim();
    const ours = renderGroundTruthLines([{ inferenceId: 'x', targets: [[1]] }]).trim();
    expect(Object.keys(JSON.parse(ours)).sort()).toEqual(Object.keys(JSON.parse(example)).sort());
  });

  test('keys: ground-truth/<stage>/yyyy/mm/dd/hh/<run>.jsonl, never under data-capture/', () => {
    const key = groundTruthKey('ground-truth/', 'prod', Date.UTC(2024, 5, 1, 7, 59), 'run-1');
    expect(key).toBe('ground-truth/prod/2024/06/01/07/run-1.jsonl');
    expect(() => assertOutsideDataCapture(key, 'data-capture/')).not.toThrow();
    expect(() =>
      assertOutsideDataCapture('data-capture/sagemaker-p-1-prod/x.jsonl', 'data-capture/'),
    ).toThrow(/data-capture prefix/);
  });
});
