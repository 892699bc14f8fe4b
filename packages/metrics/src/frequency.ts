// The project's series frequency (DeepAR `time_freq`, the product parameter `Frequency`): the one
// grammar every consumer parses it with (product template, synthetic generator, model-build, the
// endpoint test, the monitoring collector and its alarms), the longest step the monitoring alarms can
// evaluate, and grid alignment. All times are UTC epoch milliseconds.
import { MetricsInputError } from './errors';

/** The fixed-length DeepAR base frequencies the project supports (DeepAR's `M`, monthly, is not fixed-length). */
export type FrequencyUnit = 'min' | 'H' | 'D' | 'W';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Length of one unit. */
export const FREQUENCY_UNIT_MS: Readonly<Record<FrequencyUnit, number>> = {
  min: MINUTE_MS,
  H: HOUR_MS,
  D: DAY_MS,
  W: 7 * DAY_MS,
};

/**
 * CloudWatch evaluates an alarm over at most 7 days: `Period × EvaluationPeriods` may not exceed
 * 604,800 s (one day for periods under an hour) — Amazon CloudWatch API Reference, `PutMetricAlarm`,
 * parameter `EvaluationPeriods`.
 */
export const CLOUDWATCH_MAX_EVALUATION_RANGE_MS = 7 * DAY_MS;

/**
 * Evaluation periods the monitoring alarms may use with the longest frequency (the committed
 * monitoring configuration uses 3 for both the accuracy and the freshness alarm).
 */
export const ALARM_EVALUATION_PERIODS_BUDGET = 3;

/**
 * The longest supported step: the monitoring alarms use one period per step (every period then holds
 * a run that saw new data), so `step × ALARM_EVALUATION_PERIODS_BUDGET` must fit CloudWatch's 7-day
 * evaluation range: 56 hours. A weekly (or 3-day) series cannot be monitored that way.
 */
export const MAX_FREQUENCY_STEP_MS = CLOUDWATCH_MAX_EVALUATION_RANGE_MS / ALARM_EVALUATION_PERIODS_BUDGET;

/** Largest count the grammar writes (two digits), before the step limit. */
const MAX_FREQUENCY_COUNT = 99;

/** `<count><unit>`: an optional count 1–99 (default 1) and a unit, as DeepAR writes `time_freq`. */
const FREQUENCY_TOKEN = new RegExp(
  `^([1-9][0-9]?)?(${(Object.keys(FREQUENCY_UNIT_MS) as FrequencyUnit[]).join('|')})$`,
);

/**
 * The largest count of each unit the grammar accepts: at most {@link MAX_FREQUENCY_COUNT}, and a step of
 * at most {@link MAX_FREQUENCY_STEP_MS}; units with no accepted count (`W`) are left out.
 */
export function frequencyCountLimits(): ReadonlyArray<{
  readonly unit: FrequencyUnit;
  readonly maxCount: number;
}> {
  return (Object.keys(FREQUENCY_UNIT_MS) as FrequencyUnit[])
    .map((unit) => ({
      unit,
      maxCount: Math.min(MAX_FREQUENCY_COUNT, Math.floor(MAX_FREQUENCY_STEP_MS / FREQUENCY_UNIT_MS[unit])),
    }))
    .filter((limit) => limit.maxCount >= 1);
}

/**
 * A regular expression (no anchors, no groups of its own) matching the decimal numbers 1..`max`
 * without leading zeros, e.g. `[1-9]|[1-4][0-9]|5[0-6]` for 56. Supports `max` 1–99.
 */
export function countRangePattern(max: number): string {
  if (!Number.isInteger(max) || max < 1 || max > 99) {
    throw new MetricsInputError(`countRangePattern: max must be a whole number 1-99, got ${max}`);
  }
  const digit = (from: number, to: number): string =>
    from === to ? String(from) : to === from + 1 ? `[${from}${to}]` : `[${from}-${to}]`;
  if (max <= 9) return digit(1, max);
  if (max === 99) return '[1-9][0-9]?';
  const tens = Math.floor(max / 10);
  const parts = ['[1-9]'];
  if (max % 10 === 9) {
    parts.push(`${digit(1, tens)}[0-9]`);
  } else {
    if (tens > 1) parts.push(`${digit(1, tens - 1)}[0-9]`);
    parts.push(`${tens}${digit(0, max % 10)}`);
  }
  return parts.join('|');
}

/**
 * The product parameter's `AllowedPattern`: exactly the values {@link parseFrequency} accepts
 * (`1`–`99min`, `1`–`56H`, `1D`, `2D`, with the count optional), generated from the grammar
 * ({@link frequencyCountLimits}); tested against the parser.
 */
export const FREQUENCY_ALLOWED_PATTERN = `^(${frequencyCountLimits()
  .map(({ unit, maxCount }) => {
    const count = countRangePattern(maxCount);
    // One digit or one character class takes the optional `?` as it is; anything longer is grouped.
    return `${/^(\d|\[[^\]]+\])$/.test(count) ? count : `(${count})`}?${unit}`;
  })
  .join('|')})$`;

/** What the parameter accepts, in words (the parameter's constraint description, error messages). */
export const FREQUENCY_DESCRIPTION =
  'a count (optional, default 1) and a unit: 1-99 min, 1-56 H or 1-2 D (a step of at most 56 hours, ' +
  "so the 3-period monitoring alarms fit CloudWatch's 7-day evaluation range), e.g. 5min, 1H, 1D";

/** A parsed frequency. */
export interface Frequency {
  /** As written, e.g. `1H`; also DeepAR's `time_freq`. */
  readonly text: string;
  readonly count: number;
  readonly unit: FrequencyUnit;
  /** Length of one time step. */
  readonly stepMs: number;
  /** A grid point: grid points are `anchorMs + n · stepMs` (the epoch for every supported unit). */
  readonly anchorMs: number;
}

/** Why `text` is not a supported frequency, or `undefined` when it is one. */
export function frequencyProblem(text: string): string | undefined {
  const match = FREQUENCY_TOKEN.exec(text);
  if (match === null) return `${JSON.stringify(text)} is not ${FREQUENCY_DESCRIPTION}`;
  const stepMs =
    (match[1] === undefined ? 1 : Number(match[1])) * FREQUENCY_UNIT_MS[match[2] as FrequencyUnit];
  if (stepMs > MAX_FREQUENCY_STEP_MS) {
    return `${JSON.stringify(text)} is a step of ${stepMs / HOUR_MS} hours, longer than the 56 hours the monitoring alarms can evaluate (${FREQUENCY_DESCRIPTION})`;
  }
  return undefined;
}

/**
 * Parses the project frequency (surrounding white space ignored). Throws a {@link MetricsInputError}
 * saying what is accepted for anything else — the same values the product parameter accepts.
 */
export function parseFrequency(text: string): Frequency {
  const trimmed = text.trim();
  const problem = frequencyProblem(trimmed);
  if (problem !== undefined) throw new MetricsInputError(`unsupported frequency: ${problem}`);
  const match = FREQUENCY_TOKEN.exec(trimmed) as RegExpExecArray;
  const count = match[1] === undefined ? 1 : Number(match[1]);
  const unit = match[2] as FrequencyUnit;
  return { text: trimmed, count, unit, stepMs: count * FREQUENCY_UNIT_MS[unit], anchorMs: 0 };
}

/** The grid point at or before `ms`. */
export function alignDown(ms: number, frequency: Pick<Frequency, 'stepMs' | 'anchorMs'>): number {
  const offset = ms - frequency.anchorMs;
  return frequency.anchorMs + Math.floor(offset / frequency.stepMs) * frequency.stepMs;
}

/** The grid point at or after `ms`. */
export function alignUp(ms: number, frequency: Pick<Frequency, 'stepMs' | 'anchorMs'>): number {
  const down = alignDown(ms, frequency);
  return down === ms ? ms : down + frequency.stepMs;
}

/** The first grid point strictly after `ms` (also right for an `ms` off the grid). */
export function nextGridPoint(ms: number, frequency: Pick<Frequency, 'stepMs' | 'anchorMs'>): number {
  return alignDown(ms, frequency) + frequency.stepMs;
}

/**
 * Every value the grammar (and so the product parameter) accepts — 160 of them — for tests that
 * check each consumer handles each accepted value.
 */
export function supportedFrequencies(): string[] {
  const out: string[] = [];
  for (const unit of Object.keys(FREQUENCY_UNIT_MS)) {
    for (const count of ['', ...Array.from({ length: 99 }, (_, i) => String(i + 1))]) {
      if (frequencyProblem(`${count}${unit}`) === undefined) out.push(`${count}${unit}`);
    }
  }
  return out;
}

/**
 * The product parameter `MonitoringSchedule`'s `AllowedPattern`: a `cron(...)` expression, or a
 * `rate(...)` of at most 56 hours (1–3360 minutes, 1–56 hours, 1–2 days) — the monitoring alarms use one
 * period per collector run (at least one step), and 3 such periods must fit CloudWatch's 7-day range.
 */
export const MONITORING_SCHEDULE_ALLOWED_PATTERN =
  '^(rate\\((([1-9][0-9]{0,2}|[12][0-9]{3}|3[0-2][0-9]{2}|33[0-5][0-9]|3360) (minute|minutes)|' +
  '([1-9]|[1-4][0-9]|5[0-6]) (hour|hours)|[12] (day|days))\\)|cron\\([^)]+\\))$';
