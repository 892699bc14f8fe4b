// The collector core: label lines → merge records, per problem type, and every malformed input refused
// with its reason (never guessed, never fatal).
import { parseGroundTruthLine } from '@mlops-templates/metrics';
import { convertLabels, parseLabelLine } from '../src/collector/labels';

describe('parseLabelLine', () => {
  test.each([
    ['regression', '{"inferenceId":"a-1","label":3.25}', '3.25'],
    ['regression', '{"inferenceId":"a-1","label":" -1e3 "}', '-1e3'],
    ['binary', '{"inferenceId":"a-1","label":1}', '1'],
    ['binary', '{"inferenceId":"a-1","label":"0"}', '0'],
    ['multiclass', '{"inferenceId":"a-1","label":4}', '4'],
  ] as const)('%s %s → label %s', (problemType, line, label) => {
    expect(parseLabelLine(line, problemType)).toEqual({ inferenceId: 'a-1', label });
  });

  test.each([
    ['regression', 'not json', /not JSON/],
    ['regression', '[1,2]', /not a JSON object/],
    ['regression', 'null', /not a JSON object/],
    ['regression', '{"label":1}', /inferenceId/],
    ['regression', '{"inferenceId":"","label":1}', /inferenceId/],
    ['regression', '{"inferenceId":" lead","label":1}', /inferenceId/],
    ['regression', `{"inferenceId":"${'x'.repeat(65)}","label":1}`, /inferenceId/],
    ['regression', '{"inferenceId":"tab\\there","label":1}', /inferenceId/],
    ['regression', '{"inferenceId":"a","label":null}', /not a number or a numeric string/],
    ['regression', '{"inferenceId":"a","label":"NaN"}', /not a number/],
    ['regression', '{"inferenceId":"a","label":"1,5"}', /not a number/],
    ['regression', '{"inferenceId":"a","label":"Infinity"}', /not a number/],
    ['regression', '{"inferenceId":"a","label":"1e999"}', /not a number/],
    ['binary', '{"inferenceId":"a","label":2}', /not 0 or 1/],
    ['binary', '{"inferenceId":"a","label":0.5}', /not 0 or 1/],
    ['multiclass', '{"inferenceId":"a","label":-1}', /class index/],
    ['multiclass', '{"inferenceId":"a","label":1.5}', /class index/],
  ] as const)('%s %s is refused', (problemType, line, reason) => {
    const parsed = parseLabelLine(line, problemType);
    expect('reason' in parsed && parsed.reason).toMatch(reason);
  });
});

describe('convertLabels', () => {
  test('valid lines become merge records the Model Quality parser reads; bad lines are reported by number', () => {
    const text = [
      '{"inferenceId":"staging-1","label":1}',
      '',
      'garbage',
      '{"inferenceId":"staging-2","label":0}',
      '{"inferenceId":"staging-3","label":7}',
    ].join('\n');
    const out = convertLabels(text, 'binary');
    expect(out.records).toEqual([
      '{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"staging-1"},"eventVersion":"0"}',
      '{"groundTruthData":{"data":"0","encoding":"CSV"},"eventMetadata":{"eventId":"staging-2"},"eventVersion":"0"}',
    ]);
    expect(out.records.map((r) => parseGroundTruthLine(r))).toEqual([
      { eventId: 'staging-1', targets: [[1]] },
      { eventId: 'staging-2', targets: [[0]] },
    ]);
    expect(out.rejected).toEqual([
      { line: 3, reason: 'not JSON' },
      { line: 5, reason: 'label 7 is not 0 or 1 (binary)' },
    ]);
  });

  test('a repeated inference id keeps the later label and reports the earlier line', () => {
    const out = convertLabels(
      '{"inferenceId":"x","label":1.5}\r\n{"inferenceId":"y","label":2}\r\n{"inferenceId":"x","label":2.5}\r\n',
      'regression',
    );
    expect(out.inferenceIds).toEqual(['y', 'x']);
    expect(out.records[1]).toContain('"data":"2.5"');
    expect(out.rejected).toEqual([
      { line: 1, reason: 'inferenceId repeated on line 3 (kept the later label)' },
    ]);
  });

  test('an empty file gives nothing', () => {
    expect(convertLabels('\n\n', 'regression')).toEqual({ records: [], inferenceIds: [], rejected: [] });
  });
});
