// evaluateDirectories / ForecastEvaluation on DeepAR data capture and ground truth in the real AWS
// record formats (test/fixtures/evaluate, described in test/fixtures/README.md): join on
// inferenceId else eventId, BASE64 records, unmatched ids on both sides, malformed lines.

import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import {
  DEFAULT_QUANTILES,
  evaluateDirectories,
  ForecastEvaluation,
  listJsonlFiles,
  MetricsInputError,
  toGroundTruthRecord,
  WqlAccumulator,
} from '../src';

const FIXTURES = path.join(__dirname, 'fixtures/evaluate');
const CAPTURE = path.join(FIXTURES, 'capture');
const GROUND_TRUTH = path.join(FIXTURES, 'ground-truth');

/** The constructed forecasts: quantile τ = mean + (τ − 0.5)·width (see the fixtures README). */
function spread(mean: number[], width: number): Record<string, number[]> {
  return Object.fromEntries(
    DEFAULT_QUANTILES.map((level) => [
      level,
      mean.map((m) => Number((m + (Number(level) - 0.5) * width).toFixed(10))),
    ]),
  );
}

// The matched forecasts of the fixtures and their ground truth (null = not observed yet).
const MATCHED: { y: (number | null)[]; mean: number[]; q: Record<string, number[]> }[] = [
  { y: [11, 15, 10, 9], mean: [10, 12, 11, 9], q: spread([10, 12, 11, 9], 10) }, // fc-0001
  { y: [4, 6, 5, 8], mean: [5, 5, 5, 5], q: spread([5, 5, 5, 5], 4) }, // b3e1…0002, instance 0
  { y: [19, 25, 21, null], mean: [20, 21, 22, 23], q: spread([20, 21, 22, 23], 6) }, // b3e1…0002, instance 1
  { y: [0, 1, 3, 2], mean: [0.5, 1, 1.5, 2], q: spread([0.5, 1, 1.5, 2], 2) }, // fc-0004 (BASE64)
];

function reference(): { wQL: Record<string, number>; rmse: number; points: number; covered: number } {
  const wQL: Record<string, number> = {};
  let points = 0;
  let absSum = 0;
  let squared = 0;
  let covered = 0;
  for (const m of MATCHED) {
    m.y.forEach((y, t) => {
      if (y === null) return;
      points++;
      absSum += Math.abs(y);
      squared += (y - m.mean[t]) ** 2;
      if (m.q['0.1'][t] <= y && y <= m.q['0.9'][t]) covered++;
    });
  }
  for (const level of DEFAULT_QUANTILES) {
    const tau = Number(level);
    let loss = 0;
    for (const m of MATCHED) {
      m.y.forEach((y, t) => {
        if (y !== null) {
          loss += 2 * (tau * Math.max(y - m.q[level][t], 0) + (1 - tau) * Math.max(m.q[level][t] - y, 0));
        }
      });
    }
    wQL[level] = loss / absSum;
  }
  return { wQL, rmse: Math.sqrt(squared / points), points, covered };
}

describe('evaluateDirectories on the fixtures', () => {
  it('joins, counts and computes the metrics over the matched points', async () => {
    const summary = await evaluateDirectories(CAPTURE, GROUND_TRUTH);
    const expected = reference();
    expect(summary.matched).toBe(3); // fc-0001, the eventId-only record, fc-0004 (BASE64)
    expect(summary.unmatchedCapture).toBe(3); // fc-0003 and the two AWS-docs CSV records
    expect(summary.unmatchedGroundTruth).toBe(2); // fc-9999 and the record keyed by fc-0001's eventId
    expect(summary.malformed).toBe(4); // truncated line, short target, mean-only output, non-numeric target
    expect(summary.accuracy.points).toBe(15);
    expect(summary.accuracy.points).toBe(expected.points);
    for (const level of DEFAULT_QUANTILES) {
      expect(summary.accuracy.wQL[level]).toBeCloseTo(expected.wQL[level], 12);
    }
    const meanWql = DEFAULT_QUANTILES.reduce((a, l) => a + expected.wQL[l], 0) / DEFAULT_QUANTILES.length;
    expect(summary.accuracy.mean_wQL).toBeCloseTo(meanWql, 12);
    expect(summary.accuracy.rmse).toBeCloseTo(expected.rmse, 12);
    expect(summary.accuracy.coverage).toEqual({
      lower: '0.1',
      upper: '0.9',
      nominal: 0.8,
      observed: expected.covered / expected.points,
    });
  });

  it('reports each malformed line with its file, line number and reason', async () => {
    const seen: string[] = [];
    const summary = await evaluateDirectories(CAPTURE, GROUND_TRUTH, {
      onMalformed: (m) => seen.push(`${path.relative(FIXTURES, m.file)}:${m.line}: ${m.reason}`),
    });
    expect(seen).toEqual([
      expect.stringMatching(
        /^ground-truth\/2024\/05\/11\/01\/groundtruth-0001\.jsonl:9: .*targets\.0: element 1 is "x"/,
      ),
      expect.stringMatching(/^capture\/.*\/2024\/05\/11\/00\/.*\.jsonl:2: not valid JSON/),
      expect.stringMatching(
        /^capture\/.*\/2024\/05\/11\/00\/.*\.jsonl:3: record "fc-0006": target array 0 has 3 values but the forecast horizon is 4$/,
      ),
      expect.stringMatching(
        /^capture\/.*\/2024\/05\/11\/00\/.*\.jsonl:4: record "fc-0007": predictions\.0 has no quantiles/,
      ),
    ]);
    expect(summary.malformedExamples.map((m) => m.line)).toEqual([9, 2, 3, 4]);
  });

  it('keeps only the first few malformed lines as examples but counts them all', async () => {
    const summary = await evaluateDirectories(CAPTURE, GROUND_TRUTH, { maxMalformedExamples: 1 });
    expect(summary.malformed).toBe(4);
    expect(summary.malformedExamples).toHaveLength(1);
  });

  it('evaluates other quantile levels when asked to', async () => {
    const summary = await evaluateDirectories(CAPTURE, GROUND_TRUTH, { quantiles: ['0.5'] });
    expect(Object.keys(summary.accuracy.wQL)).toEqual(['0.5']);
    expect(summary.accuracy.wQL['0.5']).toBeCloseTo(reference().wQL['0.5'], 12);
  });

  it('fails clearly when a folder does not exist', async () => {
    await expect(evaluateDirectories(path.join(FIXTURES, 'nope'), GROUND_TRUTH)).rejects.toThrow(
      MetricsInputError,
    );
    await expect(evaluateDirectories(CAPTURE, path.join(FIXTURES, 'nope'))).rejects.toThrow(
      /ground-truth folder .* does not exist/,
    );
  });
});

describe('ForecastEvaluation (streams)', () => {
  const captureLine = (
    id: { eventId: string; inferenceId?: string },
    body: string,
    encoding = 'JSON',
  ): string =>
    JSON.stringify({
      captureData: {
        endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: body, encoding },
      },
      eventMetadata: { ...id, inferenceTime: '2024-05-11T00:00:00Z' },
      eventVersion: '0',
    });
  const response = (mean: number[]): string =>
    JSON.stringify({ predictions: [{ quantiles: spread(mean, 2), mean }] });

  it('counts a second capture record with an already evaluated id as malformed, not twice', async () => {
    const evaluation = new ForecastEvaluation();
    await evaluation.addGroundTruthStream(
      Readable.from([`${JSON.stringify(toGroundTruthRecord('a', [[1, 2]]))}\n`]),
      'gt',
    );
    const line = captureLine({ eventId: 'e1', inferenceId: 'a' }, response([1, 2]));
    await evaluation.addCaptureStream(Readable.from([`${line}\r\n${line}\r\n`]), 'capture');
    const summary = evaluation.summary();
    expect(summary).toMatchObject({ matched: 1, malformed: 1, unmatchedCapture: 0, unmatchedGroundTruth: 0 });
    expect(summary.accuracy.points).toBe(2);
    expect(summary.malformedExamples[0]).toMatchObject({
      file: 'capture',
      line: 2,
      reason: expect.stringMatching(/duplicate capture/),
    });
  });

  it('counts a duplicate ground-truth id as malformed and keeps the first', () => {
    const evaluation = new ForecastEvaluation();
    evaluation.addGroundTruthLine(JSON.stringify(toGroundTruthRecord('a', [[1]])), 'gt', 1);
    evaluation.addGroundTruthLine(JSON.stringify(toGroundTruthRecord('a', [[100]])), 'gt', 2);
    evaluation.addCaptureLine(captureLine({ eventId: 'a' }, response([1])), 'c', 1);
    const summary = evaluation.summary();
    expect(summary).toMatchObject({ matched: 1, malformed: 1 });
    expect(summary.accuracy.absTargetSum).toBe(1);
  });

  it('rejects the whole request when one instance does not fit, and says why', () => {
    const evaluation = new ForecastEvaluation();
    evaluation.addGroundTruthLine(
      JSON.stringify(
        toGroundTruthRecord('r', [
          [1, 2],
          [3, 4],
        ]),
      ),
      'gt',
      1,
    );
    evaluation.addCaptureLine(captureLine({ eventId: 'r' }, response([1, 2])), 'c', 7);
    const summary = evaluation.summary();
    expect(summary).toMatchObject({ matched: 0, malformed: 1, unmatchedGroundTruth: 0 });
    expect(summary.malformedExamples[0].reason).toMatch(
      /the response has 1 forecasts but the ground truth has 2 target arrays/,
    );
    expect(summary.accuracy.points).toBe(0);
    expect(summary.accuracy.mean_wQL).toBeNull();
  });

  it('rejects a forecast without a default quantile level', () => {
    const evaluation = new ForecastEvaluation();
    evaluation.addGroundTruthLine(JSON.stringify(toGroundTruthRecord('r', [[1]])), 'gt', 1);
    evaluation.addCaptureLine(
      captureLine({ eventId: 'r' }, '{"predictions":[{"quantiles":{"0.5":[1]}}]}'),
      'c',
      1,
    );
    expect(evaluation.summary().malformedExamples[0].reason).toMatch(/quantile 0.1 is missing/);
  });

  it('refuses ground truth after the capture records started', () => {
    const evaluation = new ForecastEvaluation();
    evaluation.addCaptureLine(captureLine({ eventId: 'x' }, response([1])), 'c', 1);
    expect(() =>
      evaluation.addGroundTruthLine(JSON.stringify(toGroundTruthRecord('x', [[1]])), 'gt', 1),
    ).toThrow(/before the capture records/);
  });
});

describe('evaluation by time window with a shared accumulator', () => {
  it('gives the same metrics as one evaluation of all windows', async () => {
    const whole = await evaluateDirectories(CAPTURE, GROUND_TRUTH);
    const accumulator = new WqlAccumulator({ quantiles: DEFAULT_QUANTILES });
    const hours = ['2024/05/10/23', '2024/05/11/00'];
    let matched = 0;
    for (const hour of hours) {
      // Each window holds only its own capture hour; ground truth is offered to every window here.
      const evaluation = new ForecastEvaluation({ accumulator });
      for (const file of await listJsonlFiles(GROUND_TRUTH)) {
        await evaluation.addGroundTruthStream(createReadStream(file), file);
      }
      for (const file of (await listJsonlFiles(CAPTURE)).filter((f) => f.includes(hour))) {
        await evaluation.addCaptureStream(createReadStream(file), file);
      }
      matched += evaluation.summary().matched;
    }
    expect(matched).toBe(whole.matched);
    expect(accumulator.result()).toEqual(whole.accuracy);
  });

  it('refuses an accumulator together with quantiles', () => {
    expect(() => new ForecastEvaluation({ accumulator: new WqlAccumulator(), quantiles: ['0.5'] })).toThrow(
      /not both/,
    );
  });
});
