// The collector function's environment (set by the monitoring stack): its pick of the variables of
// @mlops-templates/project-contract, validated at cold start: a bad value fails the init with a
// message naming every bad variable.
import { BUCKET_PREFIXES, pickEnvironment, type ProjectVariable } from '@mlops-templates/project-contract';
import type { CollectorEnvironment } from './collect';
import { collectorSettingsSchema, describeZodError } from './settings';

/** The contract variables the collector reads (set by the monitoring stack on its function). */
export const COLLECTOR_VARIABLES = [
  'STAGE',
  'ENDPOINT_NAME',
  'PROJECT_BUCKET',
  'METRIC_NAMESPACE',
  'CONFIG_PARAMETER_NAME',
  'THRESHOLD_PARAMETER_NAME',
  'MONITORING_PREFIX',
  'GROUND_TRUTH_PREFIX',
  'DATA_CAPTURE_PREFIX',
  'COLLECTOR_SETTINGS',
] as const satisfies readonly ProjectVariable[];

const picked = pickEnvironment(COLLECTOR_VARIABLES);

/** The contract's schema of these variables; an unset prefix is the project's (BUCKET_PREFIXES). */
export const collectorEnvironmentSchema = picked.extend({
  MONITORING_PREFIX: picked.shape.MONITORING_PREFIX.default(BUCKET_PREFIXES.monitoring),
  GROUND_TRUTH_PREFIX: picked.shape.GROUND_TRUTH_PREFIX.default(BUCKET_PREFIXES.groundTruth),
  DATA_CAPTURE_PREFIX: picked.shape.DATA_CAPTURE_PREFIX.default(BUCKET_PREFIXES.dataCapture),
});

/** Reads the collector environment. Throws an Error naming every bad variable. */
export function loadCollectorEnvironment(env: NodeJS.ProcessEnv = process.env): CollectorEnvironment {
  const blankAsUnset = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = collectorEnvironmentSchema.safeParse(blankAsUnset);
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
