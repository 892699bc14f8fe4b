// Configuration of the retrain decision, read from environment variables — its pick of the variables
// of @mlops-templates/project-contract (never declared here) — and validated with zod once, at cold
// start, with messages that name the variable.
import { pickEnvironment, type ProjectVariable, readEnvironment } from '@mlops-templates/project-contract';
import { z } from 'zod';

/** Validated settings of the retrain Lambda and CLI. */
export interface RetrainConfig {
  /** Only alarms whose name starts with this are acted on (`ALARM_NAME_PREFIX`). */
  readonly alarmNamePrefix: string;
  /** The model-build SageMaker pipeline to start (`MODEL_BUILD_PIPELINE_NAME`). */
  readonly pipelineName: string;
  /** No new retrain within this many minutes of the last pipeline execution (`RETRAIN_COOLDOWN_MINUTES`). */
  readonly cooldownMinutes: number;
  /**
   * Retrains without a new approved model allowed per attempt window before the loop stops and asks
   * for a person (`RETRAIN_MAX_ATTEMPTS`).
   */
  readonly maxAttempts: number;
  /**
   * Length of an attempt window (`RETRAIN_ATTEMPT_WINDOW_MINUTES`): attempts are counted from the first
   * retrain after the newest approved model for this long, whatever the alarm did in between.
   */
  readonly attemptWindowMinutes: number;
  /** SNS topic told about started retrains and escalations (`NOTIFICATION_TOPIC_ARN`, optional). */
  readonly notificationTopicArn?: string;
  /** Model package group the pipeline registers into (`MODEL_PACKAGE_GROUP_NAME`, optional). */
  readonly modelPackageGroupName?: string;
  /** CloudWatch namespace of `retrain_triggered` / `retrain_skipped` (`METRIC_NAMESPACE`). */
  readonly metricNamespace: string;
  /** Period of the scheduled re-check, used by the notify-once rule (`RECHECK_INTERVAL_MINUTES`). */
  readonly recheckIntervalMinutes: number;
  /**
   * SSM parameter holding the model-build gate threshold (`default` or a positive number), read right
   * before each start and passed as the `GateThreshold` pipeline parameter
   * (`GATE_THRESHOLD_PARAMETER_NAME`, optional: unset = the pipeline definition's default).
   */
  readonly gateThresholdParameterName?: string;
}

/**
 * Defaults of the optional numeric settings: the one place for them (the product's RetrainLoop
 * construct uses them too).
 */
export const CONFIG_DEFAULTS = {
  cooldownMinutes: 360,
  maxAttempts: 3,
  attemptWindowMinutes: 7 * 24 * 60,
  metricNamespace: 'MlopsRetrain',
  recheckIntervalMinutes: 60,
} as const;

/**
 * Bounds of the numeric settings (whole numbers, inclusive): the one place for them (the product's
 * RetrainLoop construct checks its properties against them, so a launch never gives the Lambda a
 * value it refuses at cold start).
 */
export const CONFIG_LIMITS = {
  cooldownMinutes: { min: 0, max: 7 * 24 * 60 },
  maxAttempts: { min: 1, max: 100 },
  attemptWindowMinutes: { min: 60, max: 90 * 24 * 60 },
  recheckIntervalMinutes: { min: 1, max: 7 * 24 * 60 },
} as const;

/** Thrown when the environment does not hold a valid configuration; the message names each variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The contract variables the retrain Lambda and CLI read (@mlops-templates/project-contract). */
export const RETRAIN_VARIABLES = [
  'ALARM_NAME_PREFIX',
  'MODEL_BUILD_PIPELINE_NAME',
  'RETRAIN_COOLDOWN_MINUTES',
  'RETRAIN_MAX_ATTEMPTS',
  'RETRAIN_ATTEMPT_WINDOW_MINUTES',
  'NOTIFICATION_TOPIC_ARN',
  'MODEL_PACKAGE_GROUP_NAME',
  'METRIC_NAMESPACE',
  'RECHECK_INTERVAL_MINUTES',
  'GATE_THRESHOLD_PARAMETER_NAME',
] as const satisfies readonly ProjectVariable[];

const picked = pickEnvironment(RETRAIN_VARIABLES);

/** A whole-number variable of the contract, within bounds, with its default when unset. */
const bounded = (
  text: z.ZodString,
  { min, max }: { readonly min: number; readonly max: number },
  fallback: number,
) =>
  text
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    )
    .default(fallback);

/**
 * The contract's schema of these variables: the numbers bounded by CONFIG_LIMITS with CONFIG_DEFAULTS
 * when unset; the topic, the package group and the gate parameter optional; a default namespace.
 */
export const retrainEnvironmentSchema = picked
  .partial({
    NOTIFICATION_TOPIC_ARN: true,
    MODEL_PACKAGE_GROUP_NAME: true,
    GATE_THRESHOLD_PARAMETER_NAME: true,
  })
  .extend({
    RETRAIN_COOLDOWN_MINUTES: bounded(
      picked.shape.RETRAIN_COOLDOWN_MINUTES,
      CONFIG_LIMITS.cooldownMinutes,
      CONFIG_DEFAULTS.cooldownMinutes,
    ),
    RETRAIN_MAX_ATTEMPTS: bounded(
      picked.shape.RETRAIN_MAX_ATTEMPTS,
      CONFIG_LIMITS.maxAttempts,
      CONFIG_DEFAULTS.maxAttempts,
    ),
    RETRAIN_ATTEMPT_WINDOW_MINUTES: bounded(
      picked.shape.RETRAIN_ATTEMPT_WINDOW_MINUTES,
      CONFIG_LIMITS.attemptWindowMinutes,
      CONFIG_DEFAULTS.attemptWindowMinutes,
    ),
    RECHECK_INTERVAL_MINUTES: bounded(
      picked.shape.RECHECK_INTERVAL_MINUTES,
      CONFIG_LIMITS.recheckIntervalMinutes,
      CONFIG_DEFAULTS.recheckIntervalMinutes,
    ),
    METRIC_NAMESPACE: picked.shape.METRIC_NAMESPACE.default(CONFIG_DEFAULTS.metricNamespace),
  } satisfies Partial<Record<(typeof RETRAIN_VARIABLES)[number], z.ZodType>>);

/**
 * Reads and validates the configuration. Throws a ConfigError listing every bad variable, e.g.
 * `MODEL_BUILD_PIPELINE_NAME is not set`.
 */
export function loadConfig(environment: Record<string, string | undefined> = process.env): RetrainConfig {
  const reading = readEnvironment(retrainEnvironmentSchema, environment);
  if (!reading.success) {
    throw new ConfigError(`invalid retrain configuration: ${reading.problems.join('; ')}`);
  }
  const env = reading.data;
  return {
    alarmNamePrefix: env.ALARM_NAME_PREFIX,
    pipelineName: env.MODEL_BUILD_PIPELINE_NAME,
    cooldownMinutes: env.RETRAIN_COOLDOWN_MINUTES,
    maxAttempts: env.RETRAIN_MAX_ATTEMPTS,
    attemptWindowMinutes: env.RETRAIN_ATTEMPT_WINDOW_MINUTES,
    notificationTopicArn: env.NOTIFICATION_TOPIC_ARN,
    modelPackageGroupName: env.MODEL_PACKAGE_GROUP_NAME,
    metricNamespace: env.METRIC_NAMESPACE,
    recheckIntervalMinutes: env.RECHECK_INTERVAL_MINUTES,
    gateThresholdParameterName: env.GATE_THRESHOLD_PARAMETER_NAME,
  };
}
