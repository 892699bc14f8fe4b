// The per-stage endpoint configuration (config/stages.json): instance type and count, data-capture
// sampling, optional autoscaling, variant name and the blue/green rollout with its rollback alarms.
// Validated with zod; every problem is reported with the field it concerns, all at once.
import * as fs from 'node:fs';
import { z } from 'zod';

/** Deployment stages, in promotion order. */
export const STAGES = ['staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** A configuration file or value that cannot be used; the message names every bad field. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;

/**
 * Instance families with local NVMe instance storage: CreateEndpointConfig rejects a volume
 * KmsKeyId for them (their local storage is encrypted by the instance itself). The "d" families
 * (m5d, c5d, r5d, g4dn, p4d, c6id, ...) and ml.g5, which the SageMaker API reference names. Not
 * exhaustive: another local-storage type fails at deploy time and CloudFormation rolls back.
 */
export function hasLocalInstanceStorage(instanceType: string): boolean {
  const family = instanceType.split('.')[1] ?? '';
  return /^[a-z]+\d+[a-z]*d[a-z]*$/.test(family) || family === 'g5';
}

const instanceType = z
  .string()
  .regex(INSTANCE_TYPE, 'must be a SageMaker instance type such as "ml.m5.large"')
  .refine((t) => !hasLocalInstanceStorage(t), {
    message:
      'has local instance storage, which cannot take the volume KMS key this project requires; choose an EBS-backed type (e.g. ml.m5.large, ml.c5.xlarge)',
  });

const positiveInt = (max: number) =>
  z.number().int('must be an integer').min(1, 'must be ≥ 1').max(max, `must be ≤ ${max}`);

const autoscalingSchema = z
  .object({
    minCapacity: positiveInt(100),
    maxCapacity: positiveInt(100),
    targetInvocationsPerInstance: z.number().positive('must be > 0'),
    scaleInCooldownSeconds: z
      .number()
      .int('must be an integer')
      .min(0, 'must be ≥ 0')
      .max(3600, 'must be ≤ 3600')
      .default(300),
    scaleOutCooldownSeconds: z
      .number()
      .int('must be an integer')
      .min(0, 'must be ≥ 0')
      .max(3600, 'must be ≤ 3600')
      .default(60),
  })
  .strict();

const rollbackAlarmsSchema = z
  .object({
    /** Alarm when the variant's Invocation5XXErrors per minute exceed this (Sum). */
    max5xxErrorsPerMinute: z.number().min(0, 'must be ≥ 0'),
    /** Alarm when the variant's p99 ModelLatency per minute exceeds this, in milliseconds. */
    maxModelLatencyP99Milliseconds: z.number().positive('must be > 0'),
    /** Consecutive breaching minutes before an alarm fires. */
    evaluationPeriods: positiveInt(10),
  })
  .strict();

const rolloutSchema = z
  .object({
    trafficRouting: z.enum(
      ['ALL_AT_ONCE', 'CANARY', 'LINEAR'],
      'must be "ALL_AT_ONCE", "CANARY" or "LINEAR"',
    ),
    /** CANARY: the canary's share of the new fleet; LINEAR: each step's share (percent). */
    stepPercent: z
      .number()
      .int('must be an integer')
      .min(1, 'must be ≥ 1')
      .max(50, 'must be ≤ 50')
      .optional(),
    /** Baking period after each traffic shift, watched by the rollback alarms. */
    waitIntervalSeconds: z
      .number()
      .int('must be an integer')
      .min(0, 'must be ≥ 0')
      .max(3600, 'must be ≤ 3600'),
    /** Time the old (blue) fleet is kept after the shift completes. */
    terminationWaitSeconds: z
      .number()
      .int('must be an integer')
      .min(0, 'must be ≥ 0')
      .max(3600, 'must be ≤ 3600'),
    maximumExecutionTimeoutSeconds: z
      .number()
      .int('must be an integer')
      .min(600, 'must be ≥ 600')
      .max(28800, 'must be ≤ 28800'),
    rollbackAlarms: rollbackAlarmsSchema,
  })
  .strict()
  .superRefine((rollout, ctx) => {
    if (rollout.trafficRouting !== 'ALL_AT_ONCE' && rollout.stepPercent === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stepPercent'],
        message: `is required with trafficRouting ${rollout.trafficRouting}`,
      });
    }
    if (
      rollout.trafficRouting === 'LINEAR' &&
      rollout.stepPercent !== undefined &&
      rollout.stepPercent < 10
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['stepPercent'],
        message: 'must be ≥ 10 with trafficRouting LINEAR',
      });
    }
    if (rollout.trafficRouting === 'ALL_AT_ONCE' && rollout.stepPercent !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stepPercent'], message: 'is only used with CANARY or LINEAR' });
    }
    if (
      rollout.maximumExecutionTimeoutSeconds <=
      rollout.waitIntervalSeconds + rollout.terminationWaitSeconds
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['maximumExecutionTimeoutSeconds'],
        message: `must be larger than waitIntervalSeconds + terminationWaitSeconds (${rollout.waitIntervalSeconds + rollout.terminationWaitSeconds})`,
      });
    }
  });

const stageSchema = z
  .object({
    variantName: z
      .string()
      .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'must be 1-63 letters, digits or inner hyphens'),
    instanceType,
    instanceCount: positiveInt(100),
    dataCaptureSamplingPercentage: z
      .number()
      .int('must be an integer')
      .min(0, 'must be ≥ 0')
      .max(100, 'must be ≤ 100'),
    autoscaling: autoscalingSchema.optional(),
    rollout: rolloutSchema,
  })
  .strict()
  .superRefine((stage, ctx) => {
    const scaling = stage.autoscaling;
    if (scaling === undefined) return;
    if (scaling.minCapacity > scaling.maxCapacity) {
      ctx.addIssue({
        code: 'custom',
        path: ['autoscaling', 'maxCapacity'],
        message: `must be ≥ minCapacity (${scaling.maxCapacity} < ${scaling.minCapacity})`,
      });
    } else if (stage.instanceCount < scaling.minCapacity || stage.instanceCount > scaling.maxCapacity) {
      ctx.addIssue({
        code: 'custom',
        path: ['instanceCount'],
        message: `must be within autoscaling minCapacity..maxCapacity (${scaling.minCapacity}..${scaling.maxCapacity}), got ${stage.instanceCount}`,
      });
    }
  });

const stagesSchema = z.object({ staging: stageSchema, prod: stageSchema }).strict();

export type StageConfig = z.infer<typeof stageSchema>;
export type AutoscalingConfig = z.infer<typeof autoscalingSchema>;
export type RolloutConfig = z.infer<typeof rolloutSchema>;
export type StagesConfig = z.infer<typeof stagesSchema>;

/** One line per zod issue: `<path>: <message>`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    } else if (issue.code === 'invalid_type') {
      const received = /received (\w+)/.exec(issue.message)?.[1];
      message =
        received === 'undefined'
          ? 'is required'
          : `must be a ${issue.expected}, got ${received ?? 'another type'}`;
    }
    return `${where}: ${message}`;
  });
}

/** Validates a parsed stage configuration; throws {@link ConfigError} naming each bad field. */
export function parseStagesConfig(document: unknown, source = 'config/stages.json'): StagesConfig {
  const parsed = stagesSchema.safeParse(document);
  if (!parsed.success) {
    const lines = describeIssues(parsed.error);
    throw new ConfigError(`${source} is invalid (${lines.length} problem(s)):\n  - ${lines.join('\n  - ')}`);
  }
  return parsed.data;
}

/** Reads and validates a stage configuration file. */
export function loadStagesConfig(file: string): StagesConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the stage configuration ${file}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseStagesConfig(document, file);
}

/** Validates an instance type coming from elsewhere (the project's SSM configuration). */
export function checkInstanceType(value: string, source: string): string {
  const parsed = instanceType.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(
      `${source}: ${JSON.stringify(value)} ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
    );
  }
  return parsed.data;
}

/** The stage configuration with instance types replaced (e.g. by the project's SSM configuration). */
export function withInstanceTypes(
  config: StagesConfig,
  overrides: Partial<Record<Stage, string>>,
): StagesConfig {
  return {
    staging: overrides.staging ? { ...config.staging, instanceType: overrides.staging } : config.staging,
    prod: overrides.prod ? { ...config.prod, instanceType: overrides.prod } : config.prod,
  };
}
