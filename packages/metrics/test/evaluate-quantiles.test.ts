// evaluate with the quantile levels taken from the data (QUANTILES_FROM_DATA: each request's
// configuration.quantiles, else its response's keys; one set per evaluation), the capture-first
// join (the smaller side held in memory) and the fast path's agreement with the full validation.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  evaluateDirectories,
  ForecastEvaluation,
  QUANTILES_FROM_DATA,
  requestedQuantiles,
  toGroundTruthRecord,
  WqlAccumulator,
} from '../src';
import { captureRecord } from './support/capture-record';

const FIXTURES = path.join(__dirname, 'fixtures/evaluate');

interface Forecast {
  quantiles: Record<string, number[]>;
  mean?: number[];
}

/** A data-capture line of a DeepAR request (asking for `asked`, if given) and its response. */
function captureLine(
  id: string,
  forecasts: Forecast[],
  options: { asked?: unknown; base64?: boolean; request?: string } = {},
): string {
  const request =
    options.request ??
    JSON.stringify({
      instances: forecasts.map(() => ({ start: '2024-05-10 00:00:00', target: [1, 2, 3] })),
      configuration: {
        num_samples: 100,
        output_types: ['mean', 'quantiles'],
        ...(options.asked !== undefined ? { quantiles: options.asked } : {}),
      },
    });
  const response = JSON.stringify({ predictions: forecasts });
  return captureRecord(
    request,
    response,
    { eventId: `event-${id}`, inferenceId: id, inferenceTime: '2024-05-10T00:00:00Z' },
    { base64: options.base64 },
  );
}

/** Quantile forecasts q_τ = mean + (τ − 0.5)·width at the given levels. */
function forecast(mean: number[], levels: readonly string[], width = 4): Forecast {
  return {
    quantiles: Object.fromEntries(levels.map((l) => [l, mean.map((m) => m + (Number(l) - 0.5) * width)])),
    mean,
  };
}

/** wQL[τ] by hand over (target, forecast) pairs. */
function expectedWql(
  pairs: { y: number[]; f: Forecast }[],
  levels: readonly string[],
): Record<string, number> {
  const absSum = pairs.reduce((a, p) => a + p.y.reduce((b, y) => b + Math.abs(y), 0), 0);
  return Object.fromEntries(
    levels.map((level) => {
      const tau = Number(level);
      let loss = 0;
      for (const { y, f } of pairs) {
        y.forEach((yt, t) => {
          const q = f.quantiles[level][t];
          loss += 2 * (tau * Math.max(yt - q, 0) + (1 - tau) * Math.max(q - yt, 0));
        });
      }
      return [level, loss / absSum];
    }),
  );
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'mlops-metrics-quantiles-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a capture folder and a ground-truth folder and returns their paths. */
function folders(
  name: string,
  capture: string[],
  groundTruth: string[],
): { capture: string; groundTruth: string } {
  const root = path.join(scratch, name);
  const captureDir = path.join(root, 'capture', 'endpoint', 'AllTraffic', '2024', '05', '10', '00');
  const groundTruthDir = path.join(root, 'ground-truth', '2024', '05', '10', '01');
  mkdirSync(captureDir, { recursive: true });
  mkdirSync(groundTruthDir, { recursive: true });
  writeFileSync(path.join(captureDir, 'capture.jsonl'), `${capture.join('\n')}\n`);
  writeFileSync(path.join(groundTruthDir, 'gt.jsonl'), `${groundTruth.join('\n')}\n`);
  return { capture: path.join(root, 'capture'), groundTruth: path.join(root, 'ground-truth') };
}

const gtLine = (id: string, targets: (number | null)[][]): string =>
  JSON.stringify(toGroundTruthRecord(id, targets));
const THREE = ['0.1', '0.5', '0.9'];

describe('quantile levels from the data (QUANTILES_FROM_DATA)', () => {
  const a = forecast([10, 12, 11], THREE);
  const b = forecast([5, 6, 7], THREE, 2);
  const c = forecast([20, 21, 22], THREE, 6);
  const ya = [11, 15, 10];
  const yb = [4, 6, 8];
  const yc = [19, 25, 21];
  const capture = [
    captureLine('r1', [a], { asked: THREE }),
    captureLine('r2', [b, c], { asked: ['0.9', '0.50', '.1'], base64: true }), // same set, other spelling
  ];
  const groundTruth = [gtLine('r1', [ya]), gtLine('r2', [yb, yc])];

  it('evaluates the 0.1/0.5/0.9 the requests asked for', async () => {
    const dirs = folders('asked-three', capture, groundTruth);
    const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
      quantiles: QUANTILES_FROM_DATA,
    });
    expect(summary).toMatchObject({ matched: 2, malformed: 0, unmatchedCapture: 0, unmatchedGroundTruth: 0 });
    expect(Object.keys(summary.accuracy.wQL)).toEqual(THREE);
    const expected = expectedWql(
      [
        { y: ya, f: a },
        { y: yb, f: b },
        { y: yc, f: c },
      ],
      THREE,
    );
    for (const level of THREE) expect(summary.accuracy.wQL[level]).toBeCloseTo(expected[level], 12);
    expect(summary.accuracy.coverage).toMatchObject({ lower: '0.1', upper: '0.9', nominal: 0.8 });
    expect(summary.accuracy.points).toBe(9);
  });

  it('is what the default levels (0.1 … 0.9) cannot do: every such record is malformed', async () => {
    const dirs = folders('asked-three-default', capture, groundTruth);
    const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth);
    expect(summary).toMatchObject({ matched: 0, malformed: 2 });
    expect(summary.malformedExamples[0].reason).toMatch(/quantile 0.2 is missing/);
  });

  it('ignores response levels the request did not ask for', async () => {
    const nine = forecast([10, 12, 11], ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9']);
    const dirs = folders(
      'asked-fewer',
      [captureLine('r1', [nine], { asked: ['0.5'] })],
      [gtLine('r1', [ya])],
    );
    const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
      quantiles: QUANTILES_FROM_DATA,
    });
    expect(summary.matched).toBe(1);
    expect(Object.keys(summary.accuracy.wQL)).toEqual(['0.5']);
    expect(summary.accuracy.wQL['0.5']).toBeCloseTo(expectedWql([{ y: ya, f: nine }], ['0.5'])['0.5'], 12);
  });

  it("falls back to the response's levels when the request asks for none", async () => {
    const dirs = folders(
      'not-asked',
      [captureLine('r1', [a]), captureLine('r2', [b], { request: '69,0,153.7\n' })],
      [gtLine('r1', [ya]), gtLine('r2', [yb])],
    );
    const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
      quantiles: QUANTILES_FROM_DATA,
    });
    expect(summary).toMatchObject({ matched: 2, malformed: 0 });
    expect(Object.keys(summary.accuracy.wQL)).toEqual(THREE);
  });

  it('counts a record whose set differs from the first evaluated one as malformed, with the reason', async () => {
    const other = forecast([5, 6, 7], ['0.2', '0.8']);
    const dirs = folders(
      'mixed',
      [
        captureLine('r1', [a], { asked: THREE }),
        captureLine('r2', [other], { asked: ['0.2', '0.8'] }),
        captureLine('r3', [other]), // no request levels: its response's [0.2, 0.8]
        captureLine('r4', [c], { asked: THREE }),
      ],
      [gtLine('r1', [ya]), gtLine('r2', [yb]), gtLine('r3', [yb]), gtLine('r4', [yc])],
    );
    const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
      quantiles: QUANTILES_FROM_DATA,
    });
    expect(summary).toMatchObject({ matched: 2, malformed: 2 });
    expect(summary.malformedExamples.map((m) => [m.line, m.reason])).toEqual([
      [
        2,
        `record "r2": its request's configuration.quantiles [0.2, 0.8] differ from this evaluation's quantile set [0.1, 0.5, 0.9] (set by the first evaluated record; --quantiles chooses the levels)`,
      ],
      [3, expect.stringMatching(/^record "r3": its response's quantile keys \[0.2, 0.8\] differ from/)],
    ]);
    const expected = expectedWql(
      [
        { y: ya, f: a },
        { y: yc, f: c },
      ],
      THREE,
    );
    expect(summary.accuracy.mean_wQL).toBeCloseTo(
      (expected['0.1'] + expected['0.5'] + expected['0.9']) / 3,
      12,
    );
  });

  it('lets only an evaluated record set the levels (a rejected first record does not)', async () => {
    const dirs = folders(
      'rejected-first',
      [
        captureLine('r1', [forecast([1, 2], ['0.2', '0.8'])], { asked: ['0.2', '0.8'] }), // horizon 2, target 3
        captureLine('r2', [a], { asked: THREE }),
      ],
      [gtLine('r1', [ya]), gtLine('r2', [ya])],
    );
    const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
      quantiles: QUANTILES_FROM_DATA,
    });
    expect(summary).toMatchObject({ matched: 1, malformed: 1 });
    expect(summary.malformedExamples[0].reason).toMatch(
      /target array 0 has 3 values but the forecast horizon is 2/,
    );
    expect(Object.keys(summary.accuracy.wQL)).toEqual(THREE);
  });

  it.each(['ground-truth', 'capture'] as const)(
    'names configuration.quantiles when it is not a list of levels (%s held)',
    async (inMemory) => {
      const dirs = folders(
        `bad-asked-${inMemory}`,
        [captureLine('r1', [a], { asked: '0.1,0.5' }), captureLine('r2', [a], { asked: ['0.1', 'p50'] })],
        [gtLine('r1', [ya]), gtLine('r2', [ya])],
      );
      const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
        quantiles: QUANTILES_FROM_DATA,
        inMemory,
      });
      expect(summary).toMatchObject({ matched: 0, malformed: 2 });
      expect(summary.malformedExamples[0].reason).toBe(
        'record "r1": endpointInput configuration.quantiles is "0.1,0.5", expected a non-empty list of quantile levels such as ["0.1", "0.5", "0.9"]',
      );
      expect(summary.malformedExamples[1].reason).toMatch(
        /^record "r2": endpointInput configuration.quantiles: unknown quantile key "p50"/,
      );
      expect(summary.accuracy).toMatchObject({ points: 0, mean_wQL: null, wQL: {} });
    },
  );

  it('requires every instance of a response to have the same levels when the request asks for none', () => {
    const evaluation = new ForecastEvaluation({ quantiles: QUANTILES_FROM_DATA });
    evaluation.addGroundTruthLine(gtLine('r1', [ya, yb]), 'gt', 1);
    evaluation.addCaptureLine(captureLine('r1', [a, forecast([5, 6, 7], ['0.1', '0.9'])]), 'c', 1);
    expect(evaluation.summary().malformedExamples[0].reason).toBe(
      'record "r1": predictions.1 has quantile levels [0.1, 0.9] but predictions.0 has [0.1, 0.5, 0.9]',
    );
  });

  it('evaluates a request with no instances (and no points) when it asked for levels', () => {
    const evaluation = new ForecastEvaluation({ quantiles: QUANTILES_FROM_DATA });
    evaluation.addGroundTruthLine(gtLine('r1', []), 'gt', 1);
    evaluation.addCaptureLine(captureLine('r1', [], { asked: THREE }), 'c', 1);
    expect(evaluation.summary()).toMatchObject({ matched: 1, malformed: 0, accuracy: { points: 0 } });
  });

  it('rejects a request with no instances when its levels would come from the (empty) response', () => {
    const evaluation = new ForecastEvaluation({ quantiles: QUANTILES_FROM_DATA });
    evaluation.addGroundTruthLine(gtLine('r1', []), 'gt', 1);
    evaluation.addCaptureLine(captureLine('r1', []), 'c', 1);
    expect(evaluation.summary().malformedExamples[0].reason).toBe(
      'record "r1": the response has no forecasts, hence no quantile levels',
    );
  });

  it.each([
    [
      'configuration last (DeepAR)',
      '{"instances":[{"target":[1,2]}],"configuration":{"quantiles":["0.9","0.1"]}}',
    ],
    ['configuration first', '{"configuration":{"quantiles":["0.1","0.9"]},"instances":[{"target":[1,2]}]}'],
    [
      'a nested "configuration" after the real one',
      '{"configuration":{"quantiles":["0.1","0.9"]},"instances":[{"configuration":{"quantiles":["0.5"]}}]}',
    ],
    [
      'a "configuration" string value after the real one',
      '{"configuration":{"quantiles":["0.1","0.9"]},"note":"configuration"}',
    ],
    [
      'a key ending in an escaped quote',
      '{"configuration":{"quantiles":["0.1","0.9"]},"a\\"configuration":{"quantiles":["0.5"]}}',
    ],
    [
      'strings with brackets and escapes',
      ' { "instances" : [ { "cat" : "]}\\"" } ] , "configuration" : { "x" : "}", "quantiles" : [ "0.1" , "0.9" ] } } ',
    ],
  ])('reads the top-level configuration.quantiles whatever else the request holds (%s)', (_, request) => {
    expect(JSON.parse(request).configuration.quantiles.sort()).toEqual(['0.1', '0.9']); // the fixture is valid
    expect(requestedQuantiles({ data: request, encoding: 'JSON' })).toEqual(['0.1', '0.9']);
    // The same text again (remembered by its configuration member) gives the same answer.
    expect(requestedQuantiles({ data: request, encoding: 'JSON' })).toEqual(['0.1', '0.9']);
  });

  it('reads each request on its own, however alike consecutive requests are', () => {
    const request = (instances: string, configuration: string) =>
      ({ data: `{"instances":${instances},"configuration":${configuration}}`, encoding: 'JSON' }) as const;
    const nine = '{"quantiles":["0.1","0.9"]}';
    expect(requestedQuantiles(request('[{"target":[1]}]', nine))).toEqual(['0.1', '0.9']);
    expect(requestedQuantiles(request('[{"target":[2,3]}]', nine))).toEqual(['0.1', '0.9']);
    expect(requestedQuantiles(request('[]', '{"quantiles":["0.5"]}'))).toEqual(['0.5']);
    expect(requestedQuantiles(request('[]', '{"num_samples":5}'))).toBeUndefined();
    // Same ending, but inside another member: not the root's configuration.
    expect(
      requestedQuantiles({
        data: `{"configuration":{"quantiles":["0.3"]},"x":{"configuration":{"num_samples":5}}}`,
        encoding: 'JSON',
      }),
    ).toEqual(['0.3']);
    expect(
      requestedQuantiles({ data: `{"a\\"configuration":{"num_samples":5}}`, encoding: 'JSON' }),
    ).toBeUndefined();
    expect(requestedQuantiles(request('[]', nine))).toEqual(['0.1', '0.9']);
  });

  it('says the request asks for none when only a nested configuration has quantiles', () => {
    const request = '{"instances":[{"configuration":{"quantiles":["0.5"]}}]}';
    expect(requestedQuantiles({ data: request, encoding: 'JSON' })).toBeUndefined();
    expect(
      requestedQuantiles({ data: `{"instances":[],"configuration":{"num_samples":10}}`, encoding: 'JSON' }),
    ).toBeUndefined();
  });

  it('reads configuration.quantiles from JSON and BASE64 requests', () => {
    const request = JSON.stringify({ instances: [], configuration: { quantiles: ['0.90', 0.1] } });
    expect(requestedQuantiles({ data: request, encoding: 'JSON' })).toEqual(['0.1', '0.9']);
    expect(requestedQuantiles({ data: Buffer.from(request).toString('base64'), encoding: 'BASE64' })).toEqual(
      ['0.1', '0.9'],
    );
    expect(requestedQuantiles({ data: '{"instances":[]}', encoding: 'JSON' })).toBeUndefined();
    expect(requestedQuantiles({ data: '1,2,3', encoding: 'CSV' })).toBeUndefined();
    expect(requestedQuantiles(undefined)).toBeUndefined();
    expect(() =>
      requestedQuantiles({ data: '{"configuration":{"quantiles":[]}}', encoding: 'JSON' }),
    ).toThrow(/configuration.quantiles is \[\], expected a non-empty list/);
  });
});

describe('holding the smaller side in memory', () => {
  it('gives the same summary whichever side is held (fixtures)', async () => {
    const capture = path.join(FIXTURES, 'capture');
    const groundTruth = path.join(FIXTURES, 'ground-truth');
    const byGroundTruth = await evaluateDirectories(capture, groundTruth, { inMemory: 'ground-truth' });
    const byCapture = await evaluateDirectories(capture, groundTruth, { inMemory: 'capture' });
    expect(byCapture.matched).toBe(3);
    expect({ ...byCapture, accuracy: undefined }).toEqual({ ...byGroundTruth, accuracy: undefined });
    expect(byCapture.accuracy.points).toBe(byGroundTruth.accuracy.points);
    for (const level of Object.keys(byGroundTruth.accuracy.wQL)) {
      expect(byCapture.accuracy.wQL[level]).toBeCloseTo(byGroundTruth.accuracy.wQL[level]!, 14);
    }
    expect(byCapture.accuracy.rmse).toBeCloseTo(byGroundTruth.accuracy.rmse!, 14);
  });

  it('counts duplicates and unmatched records the same way when the capture is held', async () => {
    const a = forecast([10, 12, 11], THREE);
    const dirs = folders(
      'duplicates',
      [
        captureLine('r1', [a], { asked: THREE }),
        captureLine('r1', [a], { asked: THREE }), // duplicate of an evaluated id
        captureLine('r9', [a], { asked: THREE }), // no ground truth
        captureLine('r9', [a], { asked: THREE }),
        '{"captureData":', // not JSON
      ],
      [gtLine('r1', [[11, 15, 10]]), gtLine('r1', [[1, 1, 1]]), gtLine('r7', [[1, 2, 3]])],
    );
    for (const inMemory of ['ground-truth', 'capture'] as const) {
      const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
        quantiles: QUANTILES_FROM_DATA,
        inMemory,
      });
      expect(summary).toMatchObject({
        matched: 1,
        malformed: 3,
        unmatchedCapture: 2,
        unmatchedGroundTruth: 1,
      });
      expect(summary.malformedExamples.map((m) => `${path.basename(m.file)}:${m.line}`)).toEqual([
        'gt.jsonl:2',
        'capture.jsonl:2',
        'capture.jsonl:5',
      ]);
      expect(summary.accuracy.absTargetSum).toBe(36); // the first ground-truth record is kept
    }
  });

  it('holds the side with fewer bytes by default', async () => {
    // One small capture record against a large ground truth: the capture is held, and the result
    // is the same as when the ground truth is held.
    const a = forecast([10, 12, 11], THREE);
    const many = Array.from({ length: 200 }, (_, i) => gtLine(`other-${i}`, [[1, 2, 3, 4, 5, 6, 7, 8]]));
    const dirs = folders(
      'smaller',
      [captureLine('r1', [a], { asked: THREE })],
      [gtLine('r1', [[11, 15, 10]]), ...many],
    );
    const bySize = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
      quantiles: QUANTILES_FROM_DATA,
    });
    const byGroundTruth = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
      quantiles: QUANTILES_FROM_DATA,
      inMemory: 'ground-truth',
    });
    expect(bySize).toEqual(byGroundTruth);
    expect(bySize).toMatchObject({ matched: 1, unmatchedGroundTruth: 200 });
  });

  it.each(['ground-truth', 'capture'] as const)(
    'joins CSV and BASE64 ground truth, and a record after a rejected one, correctly (%s held)',
    async (inMemory) => {
      const a = forecast([10, 12, 11], THREE);
      const b = forecast([5, 6, 7], THREE, 2);
      const gt = (id: string, data: string, encoding: string) =>
        JSON.stringify({
          groundTruthData: { data, encoding },
          eventMetadata: { eventId: id },
          eventVersion: '0',
        });
      const dirs = folders(
        `csv-${inMemory}`,
        [
          captureLine('r1', [a], { asked: THREE }),
          captureLine('r2', [a, b], { asked: THREE }),
          captureLine('r3', [b], { asked: THREE }),
        ],
        [
          gt('r1', '11,15,10', 'CSV'),
          gt('bad', '{"targets":[[1,2,3],[4,"x",6]]}', 'JSON'), // rejected after its first row was read
          gt('r2', Buffer.from('4,,8\n19,25,21').toString('base64'), 'BASE64'),
          gtLine('r3', [[4, 6, 8]]),
        ],
      );
      const summary = await evaluateDirectories(dirs.capture, dirs.groundTruth, {
        quantiles: QUANTILES_FROM_DATA,
        inMemory,
      });
      expect(summary).toMatchObject({ matched: 3, malformed: 1, unmatchedGroundTruth: 0 });
      expect(summary.malformedExamples[0].reason).toMatch(/targets.1: element 1 is "x"/);
      const expected = expectedWql(
        [
          { y: [11, 15, 10], f: a },
          {
            y: [4, 8],
            f: {
              quantiles: Object.fromEntries(THREE.map((l) => [l, [a.quantiles[l][0], a.quantiles[l][2]]])),
            },
          },
          { y: [19, 25, 21], f: b },
          { y: [4, 6, 8], f: b },
        ],
        THREE,
      );
      expect(summary.accuracy.points).toBe(11);
      for (const level of THREE) expect(summary.accuracy.wQL[level]).toBeCloseTo(expected[level], 12);
    },
  );

  it('refuses to mix the two orders in one evaluation, or to hold capture once the join started', () => {
    const evaluation = new ForecastEvaluation({ quantiles: THREE });
    evaluation.holdCaptureLine(captureLine('r1', [forecast([1], THREE)]), 'c', 1);
    expect(() => evaluation.addGroundTruthLine(gtLine('r1', [[1]]), 'gt', 1)).toThrow(/reads capture first/);
    evaluation.joinGroundTruthLine(gtLine('r1', [[1]]), 'gt', 1);
    expect(evaluation.summary().matched).toBe(1);
    expect(() => evaluation.holdCaptureLine(captureLine('r2', [forecast([1], THREE)]), 'c', 2)).toThrow(
      /must be held before the ground truth is joined/,
    );
  });
});

describe('the fast path agrees with the full validation', () => {
  const evaluateOne = (
    response: string,
    targets: (number | null)[][],
  ): ReturnType<ForecastEvaluation['summary']> => {
    const evaluation = new ForecastEvaluation({ quantiles: THREE });
    evaluation.addGroundTruthLine(gtLine('r', targets), 'gt', 1);
    evaluation.addCaptureLine(
      JSON.stringify({
        captureData: { endpointOutput: { data: response, encoding: 'JSON' } },
        eventMetadata: { eventId: 'r' },
      }),
      'c',
      1,
    );
    return evaluation.summary();
  };

  it.each([
    [
      'a bare NaN forecast value',
      '{"predictions":[{"quantiles":{"0.1":[NaN],"0.5":[1],"0.9":[2]}}]}',
      /element 0 is null/,
    ],
    [
      'a string value',
      '{"predictions":[{"quantiles":{"0.1":["0"],"0.5":[1],"0.9":[2]}}]}',
      /element 0 is "0"/,
    ],
    [
      'a non-canonical key',
      '{"predictions":[{"quantiles":{"0.10":[0],"0.5":[1],"0.9":["x"]}}]}',
      /element 0 is "x"/,
    ],
    [
      'an invalid key',
      '{"predictions":[{"quantiles":{"abc":[0],"0.5":[1],"0.9":[2]}}]}',
      /unknown quantile key "abc"/,
    ],
    [
      'a short mean',
      '{"predictions":[{"quantiles":{"0.1":[0],"0.5":[1],"0.9":[2]},"mean":[1,2]}]}',
      /mean has 2 values/,
    ],
    ['a missing level', '{"predictions":[{"quantiles":{"0.1":[0],"0.9":[2]}}]}', /quantile 0.5 is missing/],
    [
      'a bad value at a level not evaluated',
      '{"predictions":[{"quantiles":{"0.1":[0],"0.2":[null],"0.5":[1],"0.9":[2]}}]}',
      /predictions.0.quantiles.0.2: element 0 is null/,
    ],
  ])('rejects %s with the full validation message and adds nothing', (_, response, reason) => {
    const summary = evaluateOne(response, [[1]]);
    expect(summary).toMatchObject({ matched: 0, malformed: 1 });
    expect(summary.malformedExamples[0].reason).toMatch(reason);
    expect(summary.accuracy.points).toBe(0);
  });

  it('evaluates non-canonical keys ("0.10") through the full path', () => {
    const summary = evaluateOne('{"predictions":[{"quantiles":{"0.10":[0],"0.50":[1],"0.9":[2]}}]}', [[1]]);
    expect(summary).toMatchObject({ matched: 1, malformed: 0 });
    expect(summary.accuracy.wQL['0.1']).toBeCloseTo(0.2, 12);
  });

  it('adds nothing of a request whose second instance is bad', () => {
    const summary = evaluateOne(
      '{"predictions":[{"quantiles":{"0.1":[0],"0.5":[1],"0.9":[2]}},{"quantiles":{"0.1":[0],"0.5":[true],"0.9":[2]}}]}',
      [[1], [1]],
    );
    expect(summary).toMatchObject({ matched: 0, malformed: 1 });
    expect(summary.accuracy).toMatchObject({ points: 0, absTargetSum: 0 });
  });

  it('gives exactly the sums of WqlAccumulator.addMany', () => {
    const levels = ['0.1', '0.5', '0.9'];
    const rows = [
      { target: [3.5, null, 7.25, 1e-3], mean: [3, 4, 7, 0] },
      { target: [100, 0, -2, 5], mean: [90, 1, -1, 6] },
    ];
    const forecasts = rows.map((r, i) => ({
      quantiles: Object.fromEntries(levels.map((l, j) => [l, r.mean.map((m) => m + (j - 1) * (i + 1.3))])),
      mean: r.mean,
    }));
    const summary = evaluateOne(
      JSON.stringify({ predictions: forecasts }),
      rows.map((r) => r.target),
    );
    const reference = new WqlAccumulator({ quantiles: levels });
    reference.addMany(
      rows.map((r, i) => ({ target: r.target, quantiles: forecasts[i].quantiles, mean: r.mean })),
    );
    expect(summary.accuracy).toEqual(reference.result());
  });
});
