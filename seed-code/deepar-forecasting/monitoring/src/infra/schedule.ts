// Alarm periods: one period per collector run, derived from the rate(...) schedule, and the
// CloudWatch limits on an alarm's evaluation range.

const RATE = /^rate\(([1-9][0-9]*) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 };

/** The period (s) of a `rate(...)` expression; `undefined` for `cron(...)`. Throws on anything else. */
export function schedulePeriodSeconds(expression: string): number | undefined {
  const trimmed = expression.trim();
  if (/^cron\(.+\)$/.test(trimmed)) return undefined;
  const m = RATE.exec(trimmed);
  if (!m)
    throw new Error(
      `invalid schedule expression ${JSON.stringify(expression)}: expected rate(...) or cron(...)`,
    );
  return Number(m[1]) * UNIT_SECONDS[m[2].replace(/s$/, '')];
}

/**
 * The alarm period: `configured` seconds, or (`"schedule"`) the longer of the schedule's rate period
 * (3600 for a cron schedule) and the data frequency (`minimumSeconds`), so every period normally
 * holds a run that saw new data. Throws when the period is not a multiple of 60 or the alarm's
 * evaluation range exceeds CloudWatch's limits (period × N ≤ 1 day below hourly periods, ≤ 7 days
 * otherwise).
 */
export function alarmPeriodSeconds(
  configured: number | 'schedule',
  scheduleExpression: string,
  evaluationPeriods: number[],
  minimumSeconds = 60,
): number {
  const period =
    configured === 'schedule'
      ? Math.max(schedulePeriodSeconds(scheduleExpression) ?? 3600, Math.ceil(minimumSeconds / 60) * 60)
      : configured;
  if (period % 60 !== 0 || period < 60) throw new Error(`alarm period ${period}s is not a multiple of 60 s`);
  for (const n of evaluationPeriods) {
    const limit = period < 3600 ? 86_400 : 604_800;
    if (period * n > limit) {
      throw new Error(
        `alarm period ${period}s × ${n} evaluation periods = ${period * n}s exceeds CloudWatch's ${limit}s evaluation range`,
      );
    }
  }
  return period;
}

/** An ISO-8601 duration offset back in time, in whole hours (Model Monitor offsets), e.g. `-PT30H`. */
export function negativeHoursOffset(ms: number): string {
  return `-PT${Math.max(1, Math.ceil(ms / 3_600_000))}H`;
}
