// The committed monitoring configuration (config/monitoring.json), validated with an error per field,
// the Model Monitor schedule derived from MONITORING_SCHEDULE, and the retrain alarms' M of N derived
// from the baseline window (DATA_QUALITY_BASELINE_WINDOW_HOURS of @mlops-templates/project-contract,
// which model-build's data-quality baseline is built from) and that schedule (README "Alarms": why a
// retrain alarm waits for the window).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLLECTOR_FUNCTION_FIELDS } from '@mlops-templates/metrics';
import { DATA_QUALITY_BASELINE_WINDOW_HOURS } from '@mlops-templates/project-contract';
import { z } from 'zod';
import { CONFIG_DIRECTORY } from './environment';

const mOfN = {
  datapointsToAlarm: z.number().int().min(1),
  evaluationPeriods: z.number().int().min(1).max(24),
};
/**
 * CloudWatch refuses an alarm whose Period × EvaluationPeriods exceeds 604,800 s (7 days) (CloudWatch
 * API Reference, "PutMetricAlarm", parameter Period: "An alarm's total current evaluation period can
 * be no longer than seven days").
 */
export const MAX_ALARM_EVALUATION_SECONDS = 604_800;
const HOUR_SECONDS = 3600;
const checkMOfN = (a: { datapointsToAlarm: number; evaluationPeriods: number }) =>
  a.datapointsToAlarm <= a.evaluationPeriods;
const M_OF_N_MESSAGE = { message: 'datapointsToAlarm (M) must not exceed evaluationPeriods (N)' };
/** Model Monitor offsets: `-P<n>D`, `-PT<n>H` or `-PT<n>M` (SageMaker Developer Guide, "Schedule model quality monitoring jobs"). */
const offset = z.string().regex(/^-P(\d+D|T\d+[HM])$/, 'must be an offset such as -P1D or -PT1H');

export const monitoringConfigSchema = z
  .object({
    $comment: z.string().optional(),
    /** Processing resources of both monitors. */
    monitors: z
      .object({
        instanceType: z.string().regex(/^ml\.[a-z0-9]+\.[0-9]*x?(large|medium|small)$/),
        volumeSizeInGB: z.number().int().min(1).max(16384),
        /** At most 1800 for hourly model-quality jobs (merge + analysis share it). */
        maxRuntimeInSeconds: z.number().int().min(60).max(1800),
      })
      .strict(),
    dataQuality: z
      .object({
        /** A feature's `feature_baseline_drift_<f>` above this is drift (the analyzer's default comparison threshold is 0.1). */
        driftThreshold: z.number().gt(0).max(1),
      })
      .strict(),
    modelQuality: z
      .object({
        /** The published metric the alarm watches, per problem type. */
        metric: z.object({ regression: z.string(), binary: z.string(), multiclass: z.string() }).strict(),
        /** CSV column of the prediction in the endpoint's response (regression, multiclass). */
        inferenceAttribute: z.string().min(1),
        /** CSV column of the positive-class probability (binary). */
        probabilityAttribute: z.string().min(1),
        /** Probability at and above which a binary prediction is the positive class. */
        probabilityThreshold: z.number().gt(0).lt(1),
        startTimeOffset: offset,
        endTimeOffset: offset,
      })
      .strict(),
    // Both retrain alarms' M of N come from the project contract's baseline window (no key here: a
    // `retrainAlarms` section is refused as an unknown key, so a stale local window cannot diverge
    // from the span model-build's baseline describes).
    freshnessAlarm: z.object(mOfN).strict().refine(checkMOfN, M_OF_N_MESSAGE),
    collector: z
      .object({
        scheduleExpression: z.string().regex(/^(rate|cron)\(.+\)$/, 'must be rate(...) or cron(...)'),
        ...COLLECTOR_FUNCTION_FIELDS,
        /** Label objects converted per run at most (the rest wait for the next run). */
        maxObjectsPerRun: z.number().int().min(1).max(10_000),
      })
      .strict(),
  })
  .strict();
export type MonitoringConfig = z.infer<typeof monitoringConfigSchema>;

/** Validates a configuration document; the error names every bad field. */
export function parseMonitoringConfig(document: unknown, where = 'monitoring config'): MonitoringConfig {
  const parsed = monitoringConfigSchema.safeParse(document);
  if (!parsed.success) throw new Error(`invalid ${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Reads config/monitoring.json (or another file). */
export function loadMonitoringConfig(
  file = path.join(CONFIG_DIRECTORY, 'monitoring.json'),
): MonitoringConfig {
  return parseMonitoringConfig(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}

/** A Model Monitor schedule and the period its executions publish at. */
export interface MonitorSchedule {
  readonly cron: string;
  readonly periodSeconds: number;
}

/**
 * The monitoring schedules' cron from MONITORING_SCHEDULE. Model Monitor takes hourly or daily cron
 * expressions only (SageMaker API Reference, "ScheduleConfig": `cron(0 * ? * * *)`,
 * `cron(0 [00-23] ? * * *)`), so `rate(1 hour)` and `rate(1 day)` are translated and anything else
 * is refused, naming the variable.
 */
export function monitorSchedule(expression: string): MonitorSchedule {
  const e = expression.trim();
  if (e === 'rate(1 hour)' || e === 'cron(0 * ? * * *)')
    return { cron: 'cron(0 * ? * * *)', periodSeconds: 3600 };
  if (e === 'rate(1 day)') return { cron: 'cron(0 0 ? * * *)', periodSeconds: 86_400 };
  const daily = /^cron\(0 ([01]?\d|2[0-3]) \? \* \* \*\)$/.exec(e);
  if (daily) return { cron: `cron(0 ${Number(daily[1])} ? * * *)`, periodSeconds: 86_400 };
  throw new Error(
    `MONITORING_SCHEDULE ${JSON.stringify(expression)}: Model Monitor runs hourly or daily only; use rate(1 hour), rate(1 day), cron(0 * ? * * *) or cron(0 H ? * * *)`,
  );
}

/** The M of N of a retrain alarm. */
export interface AlarmWindow {
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** The baseline window the retrain alarms wait for: the project contract's (model-build reads it too). */
export const BASELINE_WINDOW_HOURS: number = DATA_QUALITY_BASELINE_WINDOW_HOURS;
const WINDOW_NAME = 'DATA_QUALITY_BASELINE_WINDOW_HOURS';

/**
 * The retrain alarms' M of N: every monitoring period of the baseline window must breach —
 * N = M = ⌈baselineWindowHours × 3600 / period⌉ (hourly schedule, 24 h → 24 of 24; daily → 1 of 1),
 * so a retrain starts only once the window's newest data, from which a retrain's baseline is built,
 * are all shifted data. A window that is not whole hours, or whose N's evaluation range exceeds
 * {@link MAX_ALARM_EVALUATION_SECONDS}, is an error naming the contract constant (CloudWatch would
 * refuse the alarm at deploy).
 */
export function retrainAlarmWindow(
  periodSeconds: number,
  baselineWindowHours: number = BASELINE_WINDOW_HOURS,
): AlarmWindow {
  if (!Number.isInteger(baselineWindowHours) || baselineWindowHours < 1) {
    throw new Error(`${WINDOW_NAME} ${baselineWindowHours}: must be a whole number of hours, at least 1`);
  }
  const periods = Math.ceil((baselineWindowHours * HOUR_SECONDS) / periodSeconds);
  if (periods * periodSeconds > MAX_ALARM_EVALUATION_SECONDS) {
    throw new Error(
      `${WINDOW_NAME} ${baselineWindowHours}: ${periods} periods of ${periodSeconds} s exceed CloudWatch's ` +
        `${MAX_ALARM_EVALUATION_SECONDS} s evaluation limit (PutMetricAlarm: Period × EvaluationPeriods ≤ 7 days)`,
    );
  }
  return { evaluationPeriods: periods, datapointsToAlarm: periods };
}
