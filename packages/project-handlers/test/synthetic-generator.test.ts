// The synthetic series as pure functions: frequency grid, seasonality, level shift, determinism,
// magnitudes, run planning (backfill and MAX_POINTS_PER_RUN bounds), CSV and key layout.
import { alignDown, nextGridPoint, parseFrequency } from '@mlops-templates/metrics';
import {
  compactTimestamp,
  dataKey,
  isoTimestamp,
  normalizePrefix,
  parseCompactTimestamp,
  parseDataKey,
  renderCsv,
  stateKey,
} from '../src/synthetic/csv';
import {
  generatePoints,
  hashUniform,
  itemName,
  itemProfile,
  planRunTimestamps,
  seriesValue,
  type SeriesParameters,
} from '../src/synthetic/generator';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NO_SHIFT: SeriesParameters = { seed: 42, levelShiftFactor: 1.5 };

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe('frequency', () => {
  it.each([
    ['1min', 60_000, '2024-03-05T10:17:42.123Z', '2024-03-05T10:17:00Z'],
    ['5min', 300_000, '2024-03-05T10:17:42Z', '2024-03-05T10:15:00Z'],
    ['15min', 900_000, '2024-03-05T10:59:59Z', '2024-03-05T10:45:00Z'],
    ['1H', HOUR, '2024-03-05T10:17:42Z', '2024-03-05T10:00:00Z'],
    ['H', HOUR, '2024-03-05T10:17:42Z', '2024-03-05T10:00:00Z'],
    ['6H', 6 * HOUR, '2024-03-05T10:17:42Z', '2024-03-05T06:00:00Z'],
    ['1D', DAY, '2024-03-05T10:17:42Z', '2024-03-05T00:00:00Z'],
    ['2D', 2 * DAY, '2024-03-05T10:17:42Z', '2024-03-04T00:00:00Z'], // 2-day grid from the epoch,
  ])('%s has a step of %d ms and aligns %s down to %s', (text, step, at, aligned) => {
    const frequency = parseFrequency(text);
    expect(frequency.stepMs).toBe(step);
    expect(isoTimestamp(alignDown(Date.parse(at), frequency))).toBe(aligned);
    expect(alignDown(Date.parse(aligned), frequency)).toBe(Date.parse(aligned));
    expect(nextGridPoint(Date.parse(aligned), frequency)).toBe(Date.parse(aligned) + step);
  });

  // The product grammar (issue #14): weekly, 3-day and lower-case units are not accepted anywhere.
  it.each(['1M', '0min', 'min5', '1S', '1.5H', '', 'D1', '1W', '3D', '6h'])('rejects %p', (text) => {
    expect(() => parseFrequency(text)).toThrow(/unsupported frequency/);
  });
});

describe('seriesValue', () => {
  it('is a deterministic function of seed, item and time', () => {
    const t = Date.parse('2024-05-01T07:00:00Z');
    expect(seriesValue(NO_SHIFT, 0, t)).toBe(seriesValue({ ...NO_SHIFT }, 0, t));
    expect(seriesValue(NO_SHIFT, 0, t)).not.toBe(seriesValue({ ...NO_SHIFT, seed: 7 }, 0, t));
    expect(seriesValue(NO_SHIFT, 0, t)).not.toBe(seriesValue(NO_SHIFT, 1, t));
    // Independent of how runs batch the timestamps.
    const hourly = Array.from({ length: 48 }, (_, i) => t + i * HOUR);
    const together = generatePoints(NO_SHIFT, hourly, { count: 2, named: true });
    const split = [
      ...generatePoints(NO_SHIFT, hourly.slice(0, 17), { count: 2, named: true }),
      ...generatePoints(NO_SHIFT, hourly.slice(17), { count: 2, named: true }),
    ];
    expect(split).toEqual(together);
  });

  it('has realistic positive magnitudes (level 80-120, daily amplitude 20 % of it) and a linear trend', () => {
    const start = Date.parse('2024-01-07T00:00:00Z');
    const weeks = 12;
    const values = Array.from({ length: 24 * 7 * weeks }, (_, i) =>
      seriesValue(NO_SHIFT, 0, start + i * HOUR),
    );
    const profile = itemProfile(42, 0);
    expect(profile.level).toBeGreaterThanOrEqual(80);
    expect(profile.level).toBeLessThanOrEqual(120);
    expect(profile.dailyAmplitude).toBeCloseTo(0.2 * profile.level);
    expect(Math.min(...values)).toBeGreaterThan(0.5 * profile.level);
    // Over whole weeks the seasonal terms cancel: the mean is the level plus the trend at mid-window.
    const midWindowDays = (start + (weeks * 7 * DAY) / 2 - Date.parse('2020-01-01T00:00:00Z')) / DAY;
    const expectedMean = profile.level + profile.trendPerDay * midWindowDays;
    expect(Math.abs(mean(values) - expectedMean)).toBeLessThan(0.01 * profile.level);
    const firstWeek = mean(values.slice(0, 24 * 7));
    const lastWeek = mean(values.slice(-24 * 7));
    expect(lastWeek - firstWeek).toBeCloseTo(profile.trendPerDay * 7 * (weeks - 1), 0);
  });

  it('shows the daily cycle: peak around 12:00 UTC, trough around 00:00 UTC', () => {
    const start = Date.parse('2024-02-04T00:00:00Z');
    const byHour: number[][] = Array.from({ length: 24 }, () => []);
    for (let i = 0; i < 24 * 7 * 8; i++) byHour[i % 24].push(seriesValue(NO_SHIFT, 0, start + i * HOUR));
    const profile = byHour.map(mean);
    expect(profile.indexOf(Math.max(...profile))).toBeGreaterThanOrEqual(11);
    expect(profile.indexOf(Math.max(...profile))).toBeLessThanOrEqual(13);
    expect([23, 0, 1]).toContain(profile.indexOf(Math.min(...profile)));
    const amplitude = (Math.max(...profile) - Math.min(...profile)) / 2;
    const level = itemProfile(42, 0).level;
    expect(amplitude).toBeGreaterThan(0.15 * level);
    expect(amplitude).toBeLessThan(0.25 * level);
  });

  it('shows the weekly cycle with a period of 7 days', () => {
    const start = Date.parse('2024-01-07T12:00:00Z'); // a Sunday, noon
    const daily = Array.from({ length: 7 * 20 }, (_, i) => seriesValue(NO_SHIFT, 0, start + i * DAY));
    const byWeekday: number[][] = Array.from({ length: 7 }, () => []);
    daily.forEach((v, i) => byWeekday[i % 7].push(v));
    const profile = byWeekday.map(mean);
    const weeklyRange = Math.max(...profile) - Math.min(...profile);
    expect(weeklyRange).toBeGreaterThan(0.12 * itemProfile(42, 0).level);
    // Lag-7 differences are much smaller than lag-3 differences (the cycle repeats weekly).
    const lagDiff = (lag: number) => mean(daily.slice(lag).map((v, i) => Math.abs(v - daily[i])));
    expect(lagDiff(7)).toBeLessThan(lagDiff(3) * 0.6);
  });

  it('applies the level shift only from LEVEL_SHIFT_AT on', () => {
    const shiftAt = new Date('2024-05-10T00:00:00Z');
    const shifted: SeriesParameters = { seed: 42, levelShiftAt: shiftAt, levelShiftFactor: 1.5 };
    for (let i = -48; i < 48; i++) {
      const t = shiftAt.getTime() + i * HOUR;
      const base = seriesValue(NO_SHIFT, 0, t);
      const value = seriesValue(shifted, 0, t);
      if (t < shiftAt.getTime()) expect(value).toBe(base);
      else expect(value).toBeCloseTo(base * 1.5, 2);
    }
  });

  it('hashUniform stays inside (0, 1) and spreads evenly', () => {
    const samples = Array.from({ length: 4000 }, (_, i) => hashUniform(1, i));
    expect(Math.min(...samples)).toBeGreaterThan(0);
    expect(Math.max(...samples)).toBeLessThan(1);
    expect(mean(samples)).toBeCloseTo(0.5, 1);
  });
});

describe('planRunTimestamps', () => {
  const hourly = parseFrequency('1H');
  const now = new Date('2024-06-01T12:34:56Z');
  const alignedNow = Date.parse('2024-06-01T12:00:00Z');

  it('backfills BACKFILL_POINTS timestamps ending at now (aligned) on the first run', () => {
    const ts = planRunTimestamps({ frequency: hourly, now, backfillPoints: 720, maxTimestampsPerRun: 5000 });
    expect(ts).toHaveLength(720);
    expect(ts[ts.length - 1]).toBe(alignedNow);
    expect(ts[0]).toBe(alignedNow - 719 * HOUR);
    expect(ts.every((t, i) => i === 0 || t - ts[i - 1] === HOUR)).toBe(true);
  });

  it('bounds a run by maxTimestampsPerRun, oldest first, and the next run continues without gap', () => {
    const first = planRunTimestamps({
      frequency: hourly,
      now,
      backfillPoints: 720,
      maxTimestampsPerRun: 500,
    });
    expect(first).toHaveLength(500);
    expect(first[0]).toBe(alignedNow - 719 * HOUR);
    const second = planRunTimestamps({
      frequency: hourly,
      now,
      lastWritten: new Date(first[first.length - 1]),
      backfillPoints: 720,
      maxTimestampsPerRun: 500,
    });
    expect(second).toHaveLength(220);
    expect(second[0]).toBe(first[first.length - 1] + HOUR);
    expect(second[second.length - 1]).toBe(alignedNow);
  });

  it('continues after the last written timestamp (exclusive) and writes nothing when up to date', () => {
    const base = { frequency: hourly, now, backfillPoints: 720, maxTimestampsPerRun: 5000 };
    const next = planRunTimestamps({ ...base, lastWritten: new Date(alignedNow - 3 * HOUR) });
    expect(next.map(isoTimestamp)).toEqual([
      '2024-06-01T10:00:00Z',
      '2024-06-01T11:00:00Z',
      '2024-06-01T12:00:00Z',
    ]);
    expect(planRunTimestamps({ ...base, lastWritten: new Date(alignedNow) })).toEqual([]);
    expect(planRunTimestamps({ ...base, lastWritten: new Date(alignedNow + HOUR) })).toEqual([]);
  });

  it('realigns to the grid after an off-grid last timestamp (frequency changed)', () => {
    const ts = planRunTimestamps({
      frequency: hourly,
      now,
      lastWritten: new Date('2024-06-01T10:05:00Z'),
      backfillPoints: 720,
      maxTimestampsPerRun: 5000,
    });
    expect(ts.map(isoTimestamp)).toEqual(['2024-06-01T11:00:00Z', '2024-06-01T12:00:00Z']);
  });
});

describe('CSV and keys', () => {
  const t0 = Date.parse('2024-06-01T00:00:00Z');

  it('renders a header with the configured names and one row per timestamp and item', () => {
    const points = generatePoints(NO_SHIFT, [t0, t0 + HOUR], { count: 2, named: true });
    const csv = renderCsv({ timestamp: 'ts', itemId: 'store', target: 'sales' }, points);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('ts,store,sales');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      '2024-06-01T00:00:00Z,item_001',
      '2024-06-01T00:00:00Z,item_002',
      '2024-06-01T01:00:00Z,item_001',
      '2024-06-01T01:00:00Z,item_002',
    ]);
    expect(Number(lines[1].split(',')[2])).toBe(points[0].value);
  });

  it('renders a single series without item column', () => {
    const csv = renderCsv(
      { timestamp: 'timestamp', target: 'target' },
      generatePoints(NO_SHIFT, [t0], { count: 1, named: false }),
    );
    expect(csv).toMatch(/^timestamp,target\n2024-06-01T00:00:00Z,\d+(\.\d+)?\n$/);
  });

  it('names items item_001...', () => {
    expect([0, 9, 99].map(itemName)).toEqual(['item_001', 'item_010', 'item_100']);
  });

  it('lays out keys as <prefix>dt=YYYY-MM-DD/part-<first>-<last>.csv and parses them back', () => {
    const key = dataKey('data/synthetic/', t0, t0 + 30 * HOUR);
    expect(key).toBe('data/synthetic/dt=2024-06-01/part-20240601T000000Z-20240602T060000Z.csv');
    expect(parseDataKey(key)).toEqual({ first: t0, last: t0 + 30 * HOUR });
    expect(parseDataKey('data/synthetic/_state.json')).toBeUndefined();
    expect(parseDataKey('part-20240602T000000Z-20240601T000000Z.csv')).toBeUndefined();
    expect(stateKey('data/synthetic')).toBe('data/synthetic/_state.json');
    expect(normalizePrefix('/a/b/')).toBe('a/b/');
    expect(normalizePrefix('')).toBe('');
    expect(parseCompactTimestamp(compactTimestamp(t0))).toBe(t0);
    expect(parseCompactTimestamp('20241399T000000Z')).toBeUndefined();
  });
});
