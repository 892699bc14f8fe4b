// Frequencies, DeepAR start strings, UTC partition paths and timestamp parsing, as the monitoring
// collector uses them (moved with the cores from the monitoring seed, #15).

describe('parseFrequency', () => {
  test.each([
    ['1H', 3_600_000],
    ['H', 3_600_000],
    ['2H', 7_200_000],
    ['5min', 300_000],
    ['1D', 86_400_000],
    ['2D', 172_800_000],
  ])('%s', (text, stepMs) => expect(parseFrequency(text).stepMs).toBe(stepMs));

  // The shared grammar (issue #14): weekly and 3-day steps (the alarms cannot evaluate them) and
  // lower-case units (the product parameter never accepted them) are rejected here as everywhere.
  test.each(['0H', '1M', 'hourly', '', '1.5H', '2h', '1W', '3D'])('rejects %j', (text) => {
    expect(() => parseFrequency(text)).toThrow(/unsupported frequency/);
  });
});

describe('formats', () => {
  const t = Date.UTC(2024, 5, 1, 13, 0, 0);
  test('DeepAR start is YYYY-MM-DD HH:MM:SS', () => expect(deepArStart(t)).toBe('2024-06-01 13:00:00'));
  test('compact timestamps round-trip', () => {
    expect(compactTimestamp(t)).toBe('20240601T130000Z');
    expect(parseCompactTimestamp(compactTimestamp(t))).toBe(t);
    expect(parseCompactTimestamp('2024-06-01')).toBeUndefined();
  });
  // The shared parser is strict (the collector's former copy rolled these over into the next day/month).
  test.each(['20240230T000000Z', '20240601T240000Z', '20240631T120000Z', '20240601T126000Z'])(
    'a compact timestamp that is not a real instant is rejected: %s',
    (text) => expect(parseCompactTimestamp(text)).toBeUndefined(),
  );
  test('hour partition', () => expect(hourPath(t)).toBe('2024/06/01/13'));
});

describe('daysBetween', () => {
  test('every UTC day the range touches, and only those', () => {
    const days = daysBetween(Date.UTC(2024, 0, 30, 22), Date.UTC(2024, 1, 2, 1));
    expect(days.map((d) => new Date(d).toISOString().slice(0, 10))).toEqual([
      '2024-01-30',
      '2024-01-31',
      '2024-02-01',
      '2024-02-02',
    ]);
    expect(daysBetween(10, 5)).toEqual([]);
  });
});

describe('parseIsoTimestamp', () => {
  test.each([
    ['2024-06-01T12:00:00Z', Date.UTC(2024, 5, 1, 12)],
    ['2024-06-01 12:00:00', Date.UTC(2024, 5, 1, 12)],
    ['2024-06-01T14:00:00+02:00', Date.UTC(2024, 5, 1, 12)],
    ['2024-06-01T14:00:00+0200', Date.UTC(2024, 5, 1, 12)],
    ['2024-06-01T12:00Z', Date.UTC(2024, 5, 1, 12)],
  ])('%s', (text, ms) => expect(parseIsoTimestamp(text)).toBe(ms));
  test.each(['2024-06-01', 'yesterday', '2024-13-01T00:00:00Z', ''])('rejects %j', (text) => {
    expect(parseIsoTimestamp(text)).toBeUndefined();
  });
});
import {
  compactTimestamp,
  daysBetween,
  deepArStart,
  hourPath,
  parseCompactTimestamp,
  parseFrequency,
  parseIsoTimestamp,
} from '../../src';
