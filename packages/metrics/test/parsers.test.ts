// Parsers of the real AWS formats: DeepAR responses and batch-transform lines, endpoint
// data-capture records (JSON, CSV, BASE64 encodings; inferenceId else eventId), ground-truth merge
// records, the quantile-key normalisation and the NaN-tolerant JSON reader.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  decodePayload,
  DEFAULT_QUANTILES,
  MetricsInputError,
  normaliseQuantileKey,
  parseCaptureLine,
  parseDeepArBatchLine,
  parseDeepArResponse,
  parseGroundTruthData,
  parseGroundTruthLine,
  parseJsonAllowingNaN,
  toGroundTruthRecord,
} from '../src';

const FIXTURES = path.join(__dirname, 'fixtures');
const readLines = (file: string): string[] =>
  readFileSync(path.join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

describe('quantile keys', () => {
  it('DEFAULT_QUANTILES are the test_quantiles of DeepAR’s default configuration (training log)', () => {
    const log = JSON.parse(readFileSync(path.join(FIXTURES, 'deepar/training-log-test-scores.json'), 'utf8'));
    const configured = /'test_quantiles': '\[([^\]]+)\]'/.exec(log.default_configuration_log_line)![1];
    expect(configured.split(',').map((k: string) => normaliseQuantileKey(k.trim()))).toEqual(
      DEFAULT_QUANTILES,
    );
    const logged = Object.keys(log.test_score)
      .map((k) => /^wQuantileLoss\[(.+)\]$/.exec(k)?.[1])
      .filter((k): k is string => k !== undefined);
    expect(logged).toEqual(DEFAULT_QUANTILES);
  });

  it.each([
    ['0.5', '0.5'],
    ['0.50', '0.5'],
    ['.5', '0.5'],
    ['0.10', '0.1'],
    ['0.05', '0.05'],
    ['0.975', '0.975'],
  ])('normalises %s to %s', (key, canonical) => {
    expect(normaliseQuantileKey(key)).toBe(canonical);
  });

  it.each(['abc', '', '0', '1', '1.0', '1.5', '-0.1', 'p50', '50', '0.5 ', '1e-1', 'NaN'])(
    'rejects %j',
    (key) => {
      expect(() => normaliseQuantileKey(key)).toThrow(MetricsInputError);
    },
  );
});

describe('parseJsonAllowingNaN', () => {
  it('reads Python’s bare NaN as null, outside strings only', () => {
    expect(parseJsonAllowingNaN('{"a":[1, NaN, 2],"s":"NaN is fine here"}')).toEqual({
      a: [1, null, 2],
      s: 'NaN is fine here',
    });
    expect(parseJsonAllowingNaN('[NaN]')).toEqual([null]);
  });

  it('still rejects invalid JSON and Infinity', () => {
    expect(() => parseJsonAllowingNaN('[1, Infinity]')).toThrow(SyntaxError);
    expect(() => parseJsonAllowingNaN('[1, NaNa]')).toThrow(SyntaxError);
    expect(() => parseJsonAllowingNaN('{"a": NaN')).toThrow(SyntaxError);
  });
});

describe('DeepAR output', () => {
  it('parses the real notebook response (mean only)', () => {
    const example = JSON.parse(
      readFileSync(path.join(FIXTURES, 'deepar/request-response-example.json'), 'utf8'),
    );
    const forecasts = parseDeepArResponse(JSON.stringify(example.response));
    expect(forecasts).toHaveLength(1);
    expect(forecasts[0].mean).toEqual(example.response.predictions[0].mean);
    expect(forecasts[0].quantiles).toBeUndefined();
    expect(parseDeepArResponse(example.response)).toEqual(forecasts);
  });

  it('parses quantiles and mean and normalises quantile keys', () => {
    const body = JSON.stringify({
      predictions: [
        { quantiles: { '0.10': [1, 2], '0.9': [3, 4] }, mean: [2, 3] },
        { quantiles: { '0.1': [5, 6], '0.9': [7, 8] }, mean: [6, 7], samples: [[1, 2]] },
      ],
    });
    expect(parseDeepArResponse(body)).toEqual([
      { quantiles: { '0.1': [1, 2], '0.9': [3, 4] }, mean: [2, 3] },
      { quantiles: { '0.1': [5, 6], '0.9': [7, 8] }, mean: [6, 7] },
    ]);
  });

  it('parses a JSON Lines response and batch-transform output lines', () => {
    const lines = '{"quantiles":{"0.5":[1,2]},"mean":[1,2]}\n{"quantiles":{"0.5":[3,4]},"mean":[3,4]}\n';
    expect(parseDeepArResponse(lines)).toEqual([
      { quantiles: { '0.5': [1, 2] }, mean: [1, 2] },
      { quantiles: { '0.5': [3, 4] }, mean: [3, 4] },
    ]);
    expect(parseDeepArBatchLine('{"mean":[1.5],"quantiles":{"0.90":[2.5]}}')).toEqual({
      quantiles: { '0.9': [2.5] },
      mean: [1.5],
    });
    expect(parseDeepArResponse('{"quantiles":{"0.5":[1]}}\n')).toEqual([{ quantiles: { '0.5': [1] } }]);
  });

  it.each([
    ['not JSON', 'oops', /not JSON/],
    [
      'a classifier response',
      '{"predictions":[{"score":0.9,"predicted_label":1}]}',
      /neither "quantiles" nor "mean"/,
    ],
    ['a CSV scalar', '0.07675473392009735', /not a DeepAR response/],
    [
      'a non-numeric quantile',
      '{"predictions":[{"quantiles":{"0.5":[1,"x"]}}]}',
      /predictions\.0\.quantiles\.0\.5: element 1 is "x"/,
    ],
    [
      'an unknown quantile key',
      '{"predictions":[{"quantiles":{"abc":[1]}}]}',
      /predictions.0: unknown quantile key "abc"/,
    ],
    ['a bad batch line among good ones', '{"mean":[1]}\n{"mean":["a"]}', /line 2: not a DeepAR forecast/],
  ])('rejects %s', (_name, body, message) => {
    expect(() => parseDeepArResponse(body)).toThrow(MetricsInputError);
    expect(() => parseDeepArResponse(body)).toThrow(message);
  });
});

describe('data-capture records (real AWS samples)', () => {
  it.each([
    'capture-aws-docs-csv.jsonl',
    'capture-sm-examples-clarify-json.jsonl',
    'capture-sm-examples-jsonlines.jsonl',
    'capture-sm-examples-model-monitor-intro-csv.jsonl',
    'capture-sm-examples-model-quality-inferenceid.jsonl',
  ])('parses every record of %s', (file) => {
    for (const line of readLines(`data-capture/${file}`)) {
      const raw = JSON.parse(line);
      const record = parseCaptureLine(line);
      expect(record.eventId).toBe(raw.eventMetadata.eventId);
      expect(record.joinId).toBe(raw.eventMetadata.inferenceId ?? raw.eventMetadata.eventId);
      expect(decodePayload(record.endpointOutput!)).toBe(raw.captureData.endpointOutput.data);
    }
  });

  it('joins on inferenceId when present, otherwise on eventId', () => {
    const [withInferenceId] = readLines('data-capture/capture-sm-examples-model-quality-inferenceid.jsonl');
    expect(parseCaptureLine(withInferenceId)).toMatchObject({
      eventId: '44029db5-953e-48ec-a803-8c2d386487fa',
      inferenceId: '57',
      joinId: '57',
    });
    const [onlyEventId] = readLines('data-capture/capture-aws-docs-csv.jsonl');
    expect(parseCaptureLine(onlyEventId).joinId).toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
  });

  it('decodes BASE64 payloads', () => {
    const body = '{"predictions":[{"mean":[1]}]}';
    expect(decodePayload({ data: Buffer.from(body).toString('base64'), encoding: 'BASE64' })).toBe(body);
    expect(() => decodePayload({ data: 'not base64!', encoding: 'BASE64' })).toThrow(/not valid base64/);
    // Whitespace-wrapped and unpadded base64 still decode; one stray character anywhere does not.
    const encoded = Buffer.from(body).toString('base64');
    expect(decodePayload({ data: encoded.replace(/(.{8})/g, '$1\n'), encoding: 'BASE64' })).toBe(body);
    expect(decodePayload({ data: encoded.replace(/=+$/, ''), encoding: 'BASE64' })).toBe(body);
    expect(decodePayload({ data: Buffer.from('{"a":"é"}').toString('base64'), encoding: 'BASE64' })).toBe(
      '{"a":"é"}',
    );
    for (const bad of [
      `${encoded.slice(0, 8)}*${encoded.slice(8)}`,
      `${encoded.slice(0, 8)}=${encoded.slice(9)}`,
    ]) {
      expect(() => decodePayload({ data: bad, encoding: 'BASE64' })).toThrow(/not valid base64/);
    }
  });

  it.each([
    ['invalid JSON', '{"captureData":', /not valid JSON/],
    ['no eventMetadata', '{"captureData":{}}', /eventMetadata/],
    [
      'an unknown encoding',
      '{"captureData":{"endpointOutput":{"data":"x","encoding":"GZIP"}},"eventMetadata":{"eventId":"e"}}',
      /captureData.endpointOutput.encoding/,
    ],
    ['an empty eventId', '{"captureData":{},"eventMetadata":{"eventId":""}}', /eventMetadata.eventId/],
  ])('rejects %s', (_name, line, message) => {
    expect(() => parseCaptureLine(line)).toThrow(MetricsInputError);
    expect(() => parseCaptureLine(line)).toThrow(message);
  });
});

describe('ground-truth records', () => {
  it('parses the AWS docs and examples records (CSV data: one instance per line)', () => {
    expect(parseGroundTruthLine(readLines('ground-truth/groundtruth-aws-docs-example.jsonl')[0])).toEqual({
      eventId: 'aaaa-bbbb-cccc',
      targets: [[1]],
    });
    const records = readLines('ground-truth/groundtruth-sm-examples-model-quality-regenerated.jsonl').map(
      parseGroundTruthLine,
    );
    expect(records[2]).toEqual({ eventId: '2', targets: [[0]] });
    expect(new Set(records.map((r) => r.eventId)).size).toBe(records.length);
  });

  it('rejects classification labels (not {"targets": ...}) with the reason', () => {
    const [line] = readLines('ground-truth/groundtruth-derived-from-merged-record-json.jsonl');
    expect(() => parseGroundTruthLine(line)).toThrow(/ground-truth data is not \{"targets"/);
  });

  it('reads JSON targets with null or NaN for points not observed yet', () => {
    expect(parseGroundTruthData('{"targets":[[1,null,3],[4,NaN]]}', 'JSON')).toEqual([
      [1, null, 3],
      [4, null],
    ]);
    const base64 = Buffer.from('{"targets":[[1.5]]}').toString('base64');
    expect(parseGroundTruthData(base64, 'BASE64')).toEqual([[1.5]]);
    expect(parseGroundTruthData(Buffer.from('1,,3\n4,NaN').toString('base64'), 'BASE64')).toEqual([
      [1, null, 3],
      [4, null],
    ]);
  });

  it.each([
    ['a string target', '{"targets":[[1,"x"]]}', 'JSON', /targets\.0: element 1 is "x"/],
    ['a flat target array', '{"targets":[1,2]}', 'JSON', /targets.0/],
    ['no targets', '{}', 'JSON', /targets/],
    ['not JSON', '[1,', 'JSON', /not JSON/],
    ['a CSV word', '1,abc', 'CSV', /line 1, field 2 is not a number: "abc"/],
    ['a CSV overflow', '1e400', 'CSV', /not a number/],
  ] as const)('rejects %s', (_name, data, encoding, message) => {
    expect(() => parseGroundTruthData(data, encoding)).toThrow(MetricsInputError);
    expect(() => parseGroundTruthData(data, encoding)).toThrow(message);
  });

  it('writes merge records that read back the same (NaN as null)', () => {
    const record = toGroundTruthRecord('fc-42', [[1, NaN, 3], Float64Array.from([4])]);
    expect(record).toEqual({
      groundTruthData: { data: '{"targets":[[1,null,3],[4]]}', encoding: 'JSON' },
      eventMetadata: { eventId: 'fc-42' },
      eventVersion: '0',
    });
    expect(parseGroundTruthLine(JSON.stringify(record))).toEqual({
      eventId: 'fc-42',
      targets: [[1, null, 3], [4]],
    });
  });
});
