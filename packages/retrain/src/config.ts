// Configuration of the retrain decision, read from environment variables (the contract with the
// product stack) and validated with zod once, at cold start, with messages that name the variable.
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

// An empty variable counts as unset (CloudFormation cannot remove a variable, only blank it).
const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const requiredName = (pattern: RegExp, what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'is required' })
      .max(256, { error: 'is longer than 256 characters' })
      .regex(pattern, { error: `is not a valid ${what}` }),
  );

const wholeNumber = ({ min, max }: { readonly min: number; readonly max: number }, fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+$/, { error: 'must be a whole number' })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, { error: `must be at least ${min}` })
          .max(max, { error: `must be at most ${max}` }),
      )
      .default(fallback),
  );

export const retrainEnvironmentSchema = z.object({
  ALARM_NAME_PREFIX: z.preprocess(
    blankToUndefined,
    z.string({ error: 'is required' }).max(255, { error: 'is longer than 255 characters' }),
  ),
  MODEL_BUILD_PIPELINE_NAME: requiredName(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/, 'SageMaker pipeline name'),
  RETRAIN_COOLDOWN_MINUTES: wholeNumber(CONFIG_LIMITS.cooldownMinutes, CONFIG_DEFAULTS.cooldownMinutes),
  RETRAIN_MAX_ATTEMPTS: wholeNumber(CONFIG_LIMITS.maxAttempts, CONFIG_DEFAULTS.maxAttempts),
  RETRAIN_ATTEMPT_WINDOW_MINUTES: wholeNumber(
    CONFIG_LIMITS.attemptWindowMinutes,
    CONFIG_DEFAULTS.attemptWindowMinutes,
  ),
  NOTIFICATION_TOPIC_ARN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/, {
        error: 'is not an SNS topic ARN',
      })
      .optional(),
  ),
  MODEL_PACKAGE_GROUP_NAME: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, { error: 'is not a valid model package group name' })
      .optional(),
  ),
  METRIC_NAMESPACE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(255, { error: 'is longer than 255 characters' })
      .regex(/^[^:].*$/, { error: 'must not start with a colon' })
      .default(CONFIG_DEFAULTS.metricNamespace),
  ),
  RECHECK_INTERVAL_MINUTES: wholeNumber(
    CONFIG_LIMITS.recheckIntervalMinutes,
    CONFIG_DEFAULTS.recheckIntervalMinutes,
  ),
  // SSM naming rules: a-zA-Z0-9_.- with '/' between hierarchy levels (a leading '/' when there is one),
  // at most 1011 characters.
  GATE_THRESHOLD_PARAMETER_NAME: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(1011, { error: 'is longer than 1011 characters' })
      .regex(/^(?:[a-zA-Z0-9_.-]+|(?:\/[a-zA-Z0-9_.-]+)+)$/, { error: 'is not a valid SSM parameter name' })
      .optional(),
  ),
});

/**
 * Reads and validates the configuration. Throws a ConfigError listing every bad variable, e.g.
 * `MODEL_BUILD_PIPELINE_NAME is required`.
 */
export function loadConfig(environment: Record<string, string | undefined> = process.env): RetrainConfig {
  const parsed = retrainEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`invalid retrain configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
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
