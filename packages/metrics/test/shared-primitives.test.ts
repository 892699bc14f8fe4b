// The primitives every consumer imports instead of keeping a copy (#15): the frequency pattern generated
// from the grammar, the DeepAR request and start format, S3 URIs, the log port and its Powertools
// adapter, the compact timestamps of the data layout, and the one DeepAR fixture.
import {
  buildDeepArRequest,
  compactTimestamp,
  countRangePattern,
  DEEPAR_REQUEST_RESPONSE_EXAMPLE,
  deepArStart,
  DEFAULT_QUANTILES,
  formatS3Uri,
  FREQUENCY_ALLOWED_PATTERN,
  frequencyCountLimits,
  MetricsInputError,
  nextGridPoint,
  parseCompactTimestamp,
  parseDeepArResponse,
  parseFrequency,
  parseS3FolderUri,
  parseS3Uri,
  powertoolsLogPort,
  type PowertoolsLoggerLike,
  S3_URI_PATTERN,
  s3FolderPrefix,
  SILENT_LOG_PORT,
  toDeepArInstance,
  tryParseS3Uri,
} from '../src';

describe('frequency pattern generated from the grammar', () => {
  test.each([1, 2, 5, 9, 10, 11, 19, 20, 29, 55, 56, 60, 90, 98, 99])(
    'countRangePattern(%d) matches exactly 1..max without leading zeros',
    (max) => {
      const pattern = new RegExp(`^(${countRangePattern(max)})$`);
      for (let n = 0; n <= 120; n++) expect([n, pattern.test(String(n))]).toEqual([n, n >= 1 && n <= max]);
      expect(pattern.test(`0${max}`)).toBe(false);
    },
  );

  test.each([0, 100, 1.5])('countRangePattern(%p) is refused', (max) => {
    expect(() => countRangePattern(max)).toThrow(MetricsInputError);
  });

  test('the limits follow the 56-hour step: 99 min, 56 H, 2 D, no W', () => {
    expect(frequencyCountLimits()).toEqual([
      { unit: 'min', maxCount: 99 },
      { unit: 'H', maxCount: 56 },
      { unit: 'D', maxCount: 2 },
    ]);
    // The pattern the product template carries (unchanged by generating it).
    expect(FREQUENCY_ALLOWED_PATTERN).toBe('^(([1-9][0-9]?)?min|([1-9]|[1-4][0-9]|5[0-6])?H|[12]?D)$');
  });

  test('nextGridPoint is the first grid point strictly after', () => {
    const hourly = parseFrequency('1H');
    expect(nextGridPoint(Date.UTC(2024, 0, 1, 5), hourly)).toBe(Date.UTC(2024, 0, 1, 6));
    expect(nextGridPoint(Date.UTC(2024, 0, 1, 5, 30), hourly)).toBe(Date.UTC(2024, 0, 1, 6));
  });
});

describe('compact timestamps of the data layout', () => {
  test('round-trip', () => {
    const t = Date.UTC(2024, 5, 1, 13, 5, 9);
    expect(compactTimestamp(t)).toBe('20240601T130509Z');
    expect(parseCompactTimestamp('20240601T130509Z')).toBe(t);
  });
  // The monitoring seed's former copy accepted these (Date.UTC rolls them over): the shared one does not.
  test.each(['20240230T000000Z', '20230229T000000Z', '20240601T240000Z', '20240601T126000Z', '2024-06-01'])(
    'rejects %s (not a real instant or not compact)',
    (text) => expect(parseCompactTimestamp(text)).toBeUndefined(),
  );
  test('a real leap day is accepted', () => {
    expect(parseCompactTimestamp('20240229T000000Z')).toBe(Date.UTC(2024, 1, 29));
  });
});

describe('DeepAR request', () => {
  test('start format and missing values: null and non-finite numbers are "NaN"', () => {
    expect(deepArStart(Date.UTC(2024, 5, 1, 13))).toBe('2024-06-01 13:00:00');
    expect(
      toDeepArInstance({ startMs: Date.UTC(2024, 5, 1), target: Float64Array.from([1, NaN, 2]) }),
    ).toEqual({
      start: '2024-06-01 00:00:00',
      target: [1, 'NaN', 2],
    });
    expect(toDeepArInstance({ startMs: 0, target: [null, 3, Infinity] }).target).toEqual(['NaN', 3, 'NaN']);
  });

  test('the request asks for the mean and the quantiles (the project set by default)', () => {
    const request = buildDeepArRequest([{ startMs: Date.UTC(2024, 5, 1), target: [1, null] }], {
      numSamples: 50,
    });
    expect(request).toEqual({
      instances: [{ start: '2024-06-01 00:00:00', target: [1, 'NaN'] }],
      configuration: {
        num_samples: 50,
        output_types: ['mean', 'quantiles'],
        quantiles: [...DEFAULT_QUANTILES],
      },
    });
    expect(buildDeepArRequest([], { numSamples: 1, quantiles: ['0.5'] }).configuration.quantiles).toEqual([
      '0.5',
    ]);
  });

  test("the AWS example's start has the same format, and its response parses (mean only)", () => {
    const start = DEEPAR_REQUEST_RESPONSE_EXAMPLE.request.instances[0].start;
    expect(deepArStart(Date.parse(`${start.replace(' ', 'T')}Z`))).toBe(start);
    const [forecast] = parseDeepArResponse(JSON.stringify(DEEPAR_REQUEST_RESPONSE_EXAMPLE.response));
    expect(forecast.quantiles).toBeUndefined();
    expect(forecast.mean).toHaveLength(DEEPAR_REQUEST_RESPONSE_EXAMPLE.response.predictions[0].mean.length);
  });
});

describe('S3 URIs', () => {
  test('one shape: bucket and key', () => {
    expect(parseS3Uri('s3://my-bucket/a/b.json')).toEqual({ bucket: 'my-bucket', key: 'a/b.json' });
    expect(parseS3Uri(' s3://my-bucket ')).toEqual({ bucket: 'my-bucket', key: '' });
    expect(parseS3Uri('s3://my-bucket/')).toEqual({ bucket: 'my-bucket', key: '' });
    expect(formatS3Uri({ bucket: 'b12', key: 'x/y' })).toBe('s3://b12/x/y');
    expect(parseS3Uri(formatS3Uri({ bucket: 'b12', key: 'x/y' }))).toEqual({ bucket: 'b12', key: 'x/y' });
  });

  test.each(['https://b/x', 's3://Bucket/x', 's3://ab/x', 's3://-bucket/x', 's3://bucket_1/x', ''])(
    'rejects %p',
    (uri) => {
      expect(tryParseS3Uri(uri)).toBeUndefined();
      expect(() => parseS3Uri(uri)).toThrow(/is not an s3:\/\/bucket\/key URI/);
      expect(S3_URI_PATTERN.test(uri)).toBe(false);
    },
  );

  test('folder prefixes', () => {
    expect(s3FolderPrefix('data/synthetic')).toBe('data/synthetic/');
    expect(s3FolderPrefix('/data/')).toBe('data/');
    expect(s3FolderPrefix('')).toBe('');
    expect(parseS3FolderUri('s3://bkt/data')).toEqual({ bucket: 'bkt', key: 'data/' });
  });
});

describe('log port', () => {
  test('the Powertools adapter passes attributes only when there are some', () => {
    const calls: unknown[][] = [];
    const powertools: PowertoolsLoggerLike = {
      info: (...args) => void calls.push(['info', ...args]),
      warn: (...args) => void calls.push(['warn', ...args]),
      error: (...args) => void calls.push(['error', ...args]),
    };
    const log = powertoolsLogPort(powertools);
    log.info('a');
    log.warn('b', { n: 1 });
    log.error('c', { reason: 'x' });
    expect(calls).toEqual([
      ['info', 'a'],
      ['warn', 'b', { n: 1 }],
      ['error', 'c', { reason: 'x' }],
    ]);
  });

  test('the silent port drops everything', () => {
    expect(() => SILENT_LOG_PORT.error('nothing', { a: 1 })).not.toThrow();
  });
});
