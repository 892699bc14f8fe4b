// The collector function's environment (set by the monitoring stack), validated at cold start: a bad
// value fails the init with a message naming every bad variable.
import { z } from 'zod';
import type { CollectorEnvironment } from './collect';
import { collectorSettingsSchema, describeZodError } from './settings';

const prefix = z
  .string()
  .regex(/^([A-Za-z0-9!_.*'()-]+\/)*$/, 'must be a key prefix ending with "/" (or empty)');

const environmentSchema = z.object({
  STAGE: z.enum(['staging', 'prod']),
  ENDPOINT_NAME: z.string().min(1),
  PROJECT_BUCKET: z.string().min(3),
  METRIC_NAMESPACE: z.string().min(1),
  CONFIG_PARAMETER_NAME: z.string().min(1),
  THRESHOLD_PARAMETER_NAME: z.string().min(1),
  MONITORING_PREFIX: prefix.default('monitoring/'),
  GROUND_TRUTH_PREFIX: prefix.default('ground-truth/'),
  DATA_CAPTURE_PREFIX: prefix.default('data-capture/'),
  COLLECTOR_SETTINGS: z.string().min(2),
});

/** Reads the collector environment. Throws an Error naming every bad variable. */
export function loadCollectorEnvironment(env: NodeJS.ProcessEnv = process.env): CollectorEnvironment {
  const blankAsUnset = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = environmentSchema.safeParse(blankAsUnset);
  if (!parsed.success) throw new Error(`invalid collector environment: ${describeZodError(parsed.error)}`);
  const e = parsed.data;
  let settingsDocument: unknown;
  try {
    settingsDocument = JSON.parse(e.COLLECTOR_SETTINGS);
  } catch (error) {
    throw new Error(
      `invalid collector environment: COLLECTOR_SETTINGS is not JSON: ${(error as Error).message}`,
    );
  }
  const settings = collectorSettingsSchema.safeParse(settingsDocument);
  if (!settings.success) {
    throw new Error(`invalid collector environment: COLLECTOR_SETTINGS: ${describeZodError(settings.error)}`);
  }
  if (
    e.GROUND_TRUTH_PREFIX.startsWith(e.DATA_CAPTURE_PREFIX) ||
    e.MONITORING_PREFIX.startsWith(e.DATA_CAPTURE_PREFIX)
  ) {
    throw new Error(
      'invalid collector environment: the ground-truth and monitoring prefixes must not be under DATA_CAPTURE_PREFIX',
    );
  }
  return {
    stage: e.STAGE,
    endpointName: e.ENDPOINT_NAME,
    bucket: e.PROJECT_BUCKET,
    metricNamespace: e.METRIC_NAMESPACE,
    configParameterName: e.CONFIG_PARAMETER_NAME,
    thresholdParameterName: e.THRESHOLD_PARAMETER_NAME,
    monitoringPrefix: e.MONITORING_PREFIX,
    groundTruthPrefix: e.GROUND_TRUTH_PREFIX,
    dataCapturePrefix: e.DATA_CAPTURE_PREFIX,
    settings: settings.data,
  };
}
