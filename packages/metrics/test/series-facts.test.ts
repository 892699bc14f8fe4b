// The series facts training and monitoring share: the frequency grammar (the product's AllowedPattern
// accepts exactly what the parser accepts, and only steps the alarms can evaluate), the data window
// derived from frequency × steps needed, and the S3 layout's window selection.
import {
  CLOUDWATCH_MAX_EVALUATION_RANGE_MS,
  ALARM_EVALUATION_PERIODS_BUDGET,
  DATA_WINDOW_DEFAULTS,
  dataKey,
  dataKeyRange,
  dataWindowDays,
  dataWindowSteps,
  FREQUENCY_ALLOWED_PATTERN,
  MetricsInputError,
  parseFrequency,
  requiredBuildSteps,
  resample,
  selectDataObjects,
  supportedFrequencies,
  MONITORING_SCHEDULE_ALLOWED_PATTERN,
} from '../src';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNIT_HOURS: Record<string, number> = { min: 1 / 60, H: 1, D: 24, W: 168 };

/** Every `<count><unit>` candidate, including ones that must be rejected. */
function candidates(): string[] {
  const counts = ['', '0', '00', '01', ...Array.from({ length: 120 }, (_, i) => String(i + 1))];
  const units = ['min', 'H', 'h', 'D', 'd', 'W', 'M', 'S', 'T'];
  return [...counts.flatMap((c) => units.map((u) => `${c}${u}`)), '', ' ', '1 H', 'H1', '1HH', '1.5H'];
}

/** The supported set, computed independently of the implementation. */
function expectedSupported(text: string): boolean {
  const m = /^([1-9][0-9]?)?(min|H|D|W)$/.exec(text);
  if (!m) return false;
  const hours = (m[1] === undefined ? 1 : Number(m[1])) * UNIT_HOURS[m[2]];
  return hours * ALARM_EVALUATION_PERIODS_BUDGET * HOUR <= CLOUDWATCH_MAX_EVALUATION_RANGE_MS;
}

describe('frequency grammar', () => {
  const allowed = new RegExp(FREQUENCY_ALLOWED_PATTERN);

  test('the AllowedPattern and the parser accept exactly the same values: the steps the alarms can evaluate', () => {
    let accepted = 0;
    for (const text of candidates()) {
      const parses = (() => {
        try {
          parseFrequency(text);
          return true;
        } catch (error) {
          expect(error).toBeInstanceOf(MetricsInputError);
          return false;
        }
      })();
      expect({ text, pattern: allowed.test(text), parser: parses }).toEqual({
        text,
        pattern: expectedSupported(text),
        parser: expectedSupported(text),
      });
      if (parses) accepted++;
    }
    // 99 minute counts + 56 hour counts + 2 day counts, each also without a count for 1.
    expect(accepted).toBe(99 + 56 + 2 + 3);
    expect(supportedFrequencies().sort()).toEqual(candidates().filter(expectedSupported).sort());
  });

  test('weekly and 3-day series are rejected with the reason (one period per step would exceed 7 days × 3)', () => {
    expect(() => parseFrequency('1W')).toThrow(/168 hours, longer than the 56 hours/);
    expect(() => parseFrequency('3D')).toThrow(/72 hours/);
    expect(() => parseFrequency('1h')).toThrow(/is not a count/);
    expect(parseFrequency(' 56H ')).toMatchObject({ text: '56H', count: 56, unit: 'H', stepMs: 56 * HOUR });
    expect(parseFrequency('D')).toMatchObject({ count: 1, unit: 'D', stepMs: DAY });
  });
});

describe('monitoring schedule grammar', () => {
  test('rate(...) up to 56 hours (and any cron) is accepted; longer rates, whose 3 alarm periods exceed 7 days, are not', () => {
    const allowed = new RegExp(MONITORING_SCHEDULE_ALLOWED_PATTERN);
    const unitMinutes: Record<string, number> = {
      minute: 1,
      minutes: 1,
      hour: 60,
      hours: 60,
      day: 1440,
      days: 1440,
    };
    // One expect over the whole sweep (24,000 expressions): a mismatch lists every expression it concerns.
    const mismatches: { expression: string; accepted: boolean; expected: boolean }[] = [];
    let checked = 0;
    for (const unit of Object.keys(unitMinutes)) {
      for (let n = 0; n <= 4000; n++) {
        const minutes = n * unitMinutes[unit];
        const expected =
          n >= 1 && minutes * 60_000 * ALARM_EVALUATION_PERIODS_BUDGET <= CLOUDWATCH_MAX_EVALUATION_RANGE_MS;
        const expression = `rate(${n} ${unit})`;
        const accepted = allowed.test(expression);
        checked++;
        if (accepted !== expected) mismatches.push({ expression, accepted, expected });
      }
    }
    expect(checked).toBe(6 * 4001);
    expect(mismatches).toEqual([]);
    expect(allowed.test('cron(0 * ? * * *)')).toBe(true);
    for (const bad of ['rate(01 hour)', 'rate(1 week)', 'every hour', 'rate(1hour)']) {
      expect(allowed.test(bad)).toBe(false);
    }
  });
});

describe('data window', () => {
  test('a default build needs context + horizon + 4 backtest horizons = 6 × prediction_length steps', () => {
    expect(requiredBuildSteps({ predictionLength: 24 })).toBe(144);
    expect(requiredBuildSteps({ predictionLength: 24, contextLength: 48, backtestWindows: 2 })).toBe(120);
  });

  test('1D with the default horizon: 146 days, not the 90 that could never hold 144 steps', () => {
    const daily = { frequency: parseFrequency('1D'), predictionLength: 24 };
    expect(dataWindowSteps(daily)).toBe(146);
    expect(dataWindowDays(daily)).toBe(146);
    expect(dataWindowSteps(daily)).toBeGreaterThanOrEqual(requiredBuildSteps(daily));
  });

  test('short steps keep the minimum days; every supported frequency × horizon 1–500 fits the build', () => {
    expect(dataWindowSteps({ frequency: parseFrequency('1H'), predictionLength: 24 })).toBe(90 * 24);
    expect(dataWindowDays({ frequency: parseFrequency('1H'), predictionLength: 24 })).toBe(
      DATA_WINDOW_DEFAULTS.minimumDays,
    );
    for (const text of ['1min', '99min', '1H', '56H', '1D', '2D']) {
      for (const predictionLength of [1, 24, 168, 500]) {
        const frequency = parseFrequency(text);
        const steps = dataWindowSteps({ frequency, predictionLength });
        expect(steps).toBeGreaterThanOrEqual(requiredBuildSteps({ predictionLength }) + 2);
        expect(dataWindowDays({ frequency, predictionLength }) * DAY).toBeGreaterThanOrEqual(
          steps * frequency.stepMs,
        );
      }
    }
  });

  test('bad shapes are input errors', () => {
    expect(() => requiredBuildSteps({ predictionLength: 0 })).toThrow(MetricsInputError);
    expect(() => dataWindowSteps({ frequency: { stepMs: 0 }, predictionLength: 24 })).toThrow(/step/);
  });
});

describe('S3 data layout', () => {
  const t0 = Date.UTC(2024, 5, 1, 0);

  test('keys round-trip their range; the dt folder is the first timestamp’s date', () => {
    const key = dataKey('data/synthetic/', t0, t0 + 30 * DAY);
    expect(key).toBe('data/synthetic/dt=2024-06-01/part-20240601T000000Z-20240701T000000Z.csv');
    expect(dataKeyRange(key)).toEqual({ first: t0, last: t0 + 30 * DAY });
    expect(dataKeyRange('data/dt=2024-06-01/part-20240601T000000Z-20240531T000000Z.csv')).toBeUndefined();
  });

  test('a backfill object whose dt folder lies before the window is still selected by its range', () => {
    const backfill = { key: dataKey('p/', t0, t0 + 30 * DAY) };
    const old = { key: dataKey('p/', t0 - 10 * DAY, t0 - DAY) };
    const userFile = { key: 'p/dt=2024-06-25/export.csv' };
    const outside = { key: 'p/dt=2024-05-01/export.csv' };
    const plain = { key: 'p/history.parquet' };
    const state = { key: 'p/_state.json' };
    const windowStart = t0 + 20 * DAY;
    const selection = selectDataObjects(
      [backfill, old, userFile, outside, plain, state],
      windowStart,
      t0 + 40 * DAY,
    );
    expect(selection.selected).toEqual([backfill, userFile, plain]);
    expect(selection.outsideWindow).toBe(2);
    expect(selection.notData).toBe(1);
  });
});

describe('resample', () => {
  test('combines observations of one step, marks gaps missing and drops steps not wholly inside', () => {
    const frequency = parseFrequency('1H');
    const obs = [
      { itemId: 'a', timestampMs: 0, value: 1 },
      { itemId: 'a', timestampMs: 30 * 60_000, value: 3 },
      { itemId: 'a', timestampMs: 2 * HOUR, value: 5 },
      { itemId: 'a', timestampMs: 3 * HOUR + 1, value: 9 },
    ];
    const result = resample(obs, {
      frequency,
      windowStartMs: 0,
      windowEndMs: 3 * HOUR + 2,
      aggregation: 'mean',
    });
    expect(Array.from(result.series[0].values)).toEqual([2, Number.NaN, 5]);
    expect(result.outsideWindow).toBe(1);
  });
});
