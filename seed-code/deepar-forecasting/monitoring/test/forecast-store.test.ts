// The collector's forecast store: keys partitioned by the hour the forecast matures, a listing that
// only reads the day folders of the window, and the ground-truth markers paired with their forecasts.
import { S3Client } from '@aws-sdk/client-s3';
import { forecastKey, markerKeyOf, parseStoredForecast } from '@mlops-templates/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { HOUR, storedForecast } from './support/forecasts';
import { MemoryS3 } from './support/memory-s3';
import { listForecasts } from '../src/collector/forecast-store';

const t0 = Date.UTC(2024, 5, 10, 0);
const s3Mock = mockClient(S3Client);
afterAll(() => s3Mock.restore());

test('keys are partitioned by the due hour', () => {
  const key = forecastKey('monitoring/', 'staging', t0 + 5 * HOUR + 10, 'staging-x');
  expect(key).toBe('monitoring/staging/forecasts/2024/06/10/05/staging-x.json');
  expect(markerKeyOf(key)).toBe('monitoring/staging/forecasts/2024/06/10/05/staging-x.ground-truth.json');
});

test('listForecasts reads only the window days, filters by hour and pairs markers', async () => {
  s3Mock.reset();
  const s3 = new MemoryS3(s3Mock, 2);
  for (const [id, due] of [
    ['old', t0 - 5 * 24 * HOUR],
    ['early', t0 + 1 * HOUR],
    ['in1', t0 + 6 * HOUR],
    ['in2', t0 + 30 * HOUR],
    ['future', t0 + 80 * HOUR],
  ] as const) {
    s3.put('bkt', forecastKey('monitoring/', 'staging', due, id), '{}');
  }
  s3.put('bkt', markerKeyOf(forecastKey('monitoring/', 'staging', t0 + 6 * HOUR, 'in1')), '{}');
  s3.put('bkt', forecastKey('monitoring/', 'prod', t0 + 6 * HOUR, 'other-stage'), '{}');
  const entries = await listForecasts(
    new S3Client({ region: 'us-east-1' }),
    'bkt',
    'monitoring/',
    'staging',
    t0 + 5 * HOUR + 1,
    t0 + 48 * HOUR,
  );
  expect(entries.map((e) => e.inferenceId)).toEqual(['in1', 'in2']);
  expect(entries[0].markerKey).toBe(markerKeyOf(entries[0].forecastKey));
  expect(entries[1].markerKey).toBeUndefined();
  expect(s3.listedPrefixes).toEqual([
    'monitoring/staging/forecasts/2024/06/10/',
    'monitoring/staging/forecasts/2024/06/11/',
    'monitoring/staging/forecasts/2024/06/12/',
  ]);
});

test('a stored forecast is validated', () => {
  const good = storedForecast({
    inferenceId: 'f',
    contextEnd: t0,
    horizon: 2,
    items: [null],
    modelVersion: '1',
  });
  expect(parseStoredForecast(JSON.parse(JSON.stringify(good)), 'f.json')).toEqual(good);
  expect(() => parseStoredForecast({ ...good, dueAt: 'soon' }, 's3://bkt/f.json')).toThrow(
    /s3:\/\/bkt\/f\.json is not a stored forecast: dueAt/,
  );
});
