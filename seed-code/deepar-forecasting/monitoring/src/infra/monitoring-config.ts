// The committed monitoring configuration (config/monitoring.json): collector settings, function size,
// alarm M-of-N and period, and the optional built-in Model Quality monitor. Validated with a clear
// error per field.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLLECTOR_FUNCTION_FIELDS } from '@mlops-templates/metrics';
import { z } from 'zod';
import { collectorSettingsSchema, describeZodError } from '../collector/settings';

/** Retention periods CloudWatch Logs accepts (days): @mlops-templates/metrics. */
export { LOG_RETENTION_DAYS } from '@mlops-templates/metrics';

const mOfN = z
  .object({
    /** M: breaching datapoints needed. */
    datapointsToAlarm: z.number().int().min(1),
    /** N: periods evaluated. */
    evaluationPeriods: z.number().int().min(1).max(1440),
  })
  .strict()
  .refine((a) => a.datapointsToAlarm <= a.evaluationPeriods, {
    message: 'datapointsToAlarm (M) must not exceed evaluationPeriods (N)',
  });

export const monitoringConfigSchema = z
  .object({
    $comment: z.string().optional(),
    collector: collectorSettingsSchema,
    collectorFunction: z.object(COLLECTOR_FUNCTION_FIELDS).strict(),
    /** `"schedule"`: the period of a rate(...) MONITORING_SCHEDULE (cron: 3600); or seconds. */
    alarmPeriodSeconds: z.union([z.literal('schedule'), z.number().int().min(60).multipleOf(60)]),
    accuracyAlarm: mOfN,
    freshnessAlarm: mOfN,
    modelQualityMonitor: z
      .object({
        enabled: z.boolean(),
        scheduleExpression: z
          .string()
          .regex(/^cron\(.+\)$/, 'must be a cron(...) expression (Model Monitor schedules)'),
        instanceType: z.string().regex(/^ml\.[a-z0-9]+\.[0-9]*x?(large|medium|small)$/),
        volumeSizeInGB: z.number().int().min(1).max(16384),
        maxRuntimeInSeconds: z.number().int().min(60).max(3600),
        /** Path of the prediction in the captured DeepAR response. */
        inferenceAttribute: z.string().min(1),
        /** Captured data evaluated per job, in horizons, ending one horizon (+ grace) before the job. */
        lookbackHorizons: z.number().int().min(1).max(20),
      })
      .strict(),
  })
  .strict();
export type MonitoringConfig = z.infer<typeof monitoringConfigSchema>;

/** Folder of the committed configuration files. */
export const CONFIG_DIRECTORY = path.resolve(__dirname, '..', '..', 'config');

/** Validates a monitoring configuration document. Throws an Error naming every bad field. */
export function parseMonitoringConfig(document: unknown, where = 'monitoring config'): MonitoringConfig {
  const parsed = monitoringConfigSchema.safeParse(document);
  if (!parsed.success) throw new Error(`invalid ${where}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** Reads config/monitoring.json (or another file). */
export function loadMonitoringConfig(
  file = path.join(CONFIG_DIRECTORY, 'monitoring.json'),
): MonitoringConfig {
  return parseMonitoringConfig(JSON.parse(fs.readFileSync(file, 'utf8')), file);
}
