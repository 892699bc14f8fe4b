// The synthetic-data Lambda's configuration, read from environment variables — its pick of the
// variables of @mlops-templates/project-contract (never declared here) — and validated with zod.
import { dataWindowSteps, type Frequency, frequencyProblem, parseFrequency } from '@mlops-templates/metrics';
import { pickEnvironment, type ProjectVariable, readEnvironment } from '@mlops-templates/project-contract';
import { z } from 'zod';
import { normalizePrefix } from './csv';

const NONE = 'none';

/** The contract variables the synthetic-data Lambda reads (@mlops-templates/project-contract). */
export const SYNTHETIC_DATA_VARIABLES = [
  'DATA_BUCKET',
  'DATA_PREFIX',
  'FREQUENCY',
  'PREDICTION_LENGTH',
  'TIMESTAMP_COLUMN',
  'TARGET_COLUMN',
  'ITEM_ID_COLUMN',
  'ITEM_COUNT',
  'LEVEL_SHIFT_AT',
  'LEVEL_SHIFT_FACTOR',
  'BACKFILL_POINTS',
  'MAX_POINTS_PER_RUN',
  'SEED',
] as const satisfies readonly ProjectVariable[];

const picked = pickEnvironment(SYNTHETIC_DATA_VARIABLES);

/** A whole-number variable of the contract within [min, max], `defaultValue` when unset. */
function integer(text: z.ZodString, defaultValue: number, min: number, max: number) {
  return text.optional().transform((value, ctx) => {
    if (value === undefined) return defaultValue;
    const n = Number(value);
    if (n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an integer between ${min} and ${max}, got "${value}"`,
      });
      return z.NEVER;
    }
    return n;
  });
}

const levelShiftAt = picked.shape.LEVEL_SHIFT_AT.optional().transform((text, ctx) => {
  if (text === undefined || text.toLowerCase() === NONE) return undefined;
  const isIso =
    z.iso.datetime({ offset: true }).safeParse(text).success || z.iso.date().safeParse(text).success;
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
  if (!isIso || Number.isNaN(date.getTime())) {
    ctx.addIssue({
      code: 'custom',
      message: `must be an ISO-8601 date or date-time (e.g. 2024-06-01T00:00:00Z) or "none", got "${text}"`,
    });
    return z.NEVER;
  }
  return date;
});

const levelShiftFactor = picked.shape.LEVEL_SHIFT_FACTOR.optional().transform((text, ctx) => {
  if (text === undefined) return 1.5;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    ctx.addIssue({ code: 'custom', message: `must be a positive number, got "${text}"` });
    return z.NEVER;
  }
  return value;
});

/**
 * The contract's schema of these variables: FREQUENCY in the metrics grammar, the horizon optional,
 * the counts bounded with their defaults, the level shift parsed; then the cross-variable rules.
 */
export const syntheticDataEnvironmentSchema = picked
  .extend({
    // Tolerant of slashes ("data/synthetic" and "/data/synthetic/" are data/synthetic/); unset: the bucket root.
    DATA_PREFIX: z
      .preprocess(
        (v) => (typeof v === 'string' ? normalizePrefix(v) || undefined : v),
        picked.shape.DATA_PREFIX.optional(),
      )
      .transform((v) => v ?? ''),
    FREQUENCY: picked.shape.FREQUENCY.superRefine((text, ctx) => {
      const problem = frequencyProblem(text);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
    PREDICTION_LENGTH: picked.shape.PREDICTION_LENGTH.optional(),
    ITEM_COUNT: integer(picked.shape.ITEM_COUNT, 1, 1, 999),
    LEVEL_SHIFT_AT: levelShiftAt,
    LEVEL_SHIFT_FACTOR: levelShiftFactor,
    BACKFILL_POINTS: integer(picked.shape.BACKFILL_POINTS, 0, 1, 1_000_000),
    MAX_POINTS_PER_RUN: integer(picked.shape.MAX_POINTS_PER_RUN, 5000, 1, 1_000_000),
    SEED: integer(picked.shape.SEED, 42, 0, 2 ** 31 - 1),
  } satisfies Partial<Record<(typeof SYNTHETIC_DATA_VARIABLES)[number], z.ZodType>>)
  .superRefine((env, ctx) => {
    if (env.ITEM_ID_COLUMN.toLowerCase() === NONE && env.ITEM_COUNT > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['ITEM_COUNT'],
        message: `must be 1 when ITEM_ID_COLUMN is "none" (got ${env.ITEM_COUNT})`,
      });
    }
    if (env.ITEM_COUNT > env.MAX_POINTS_PER_RUN) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAX_POINTS_PER_RUN'],
        message: `must be at least ITEM_COUNT (${env.ITEM_COUNT}) so that a run writes at least one timestamp`,
      });
    }
    const columns = [env.TIMESTAMP_COLUMN, env.TARGET_COLUMN];
    if (env.ITEM_ID_COLUMN.toLowerCase() !== NONE) columns.push(env.ITEM_ID_COLUMN);
    if (new Set(columns).size < columns.length) {
      ctx.addIssue({ code: 'custom', path: ['TARGET_COLUMN'], message: 'column names must be distinct' });
    }
  });

export interface SyntheticDataConfig {
  readonly bucket: string;
  /** Normalized: empty or ending with `/`. */
  readonly prefix: string;
  readonly frequency: Frequency;
  readonly timestampColumn: string;
  readonly targetColumn: string;
  /** undefined when ITEM_ID_COLUMN is `none` (single series). */
  readonly itemIdColumn?: string;
  readonly itemCount: number;
  readonly levelShiftAt?: Date;
  readonly levelShiftFactor: number;
  readonly backfillPoints: number;
  /** Maximum CSV rows (timestamps × items) per run. */
  readonly maxPointsPerRun: number;
  readonly seed: number;
}

/** Horizon assumed for the backfill when PREDICTION_LENGTH is not set (the product's default). */
const LEGACY_PREDICTION_LENGTH = 24;

/**
 * The first run's backfill: the data window model-build reads for a default build of this frequency and
 * horizon (`dataWindowSteps` of the shared package), so the first build — and the first live request —
 * already has a full window of history.
 */
export function defaultBackfillPoints(frequency: Frequency, predictionLength: number): number {
  return dataWindowSteps({ frequency, predictionLength });
}

/** Invalid environment; the message names every offending variable. */
export class SyntheticDataConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyntheticDataConfigError';
  }
}

/** Reads and validates the configuration from the environment. */
export function loadSyntheticDataConfig(env: Record<string, string | undefined>): SyntheticDataConfig {
  const result = readEnvironment(syntheticDataEnvironmentSchema, env);
  if (!result.success) {
    throw new SyntheticDataConfigError(`Invalid synthetic-data configuration: ${result.problems.join('; ')}`);
  }
  const e = result.data;
  const frequency = parseFrequency(e.FREQUENCY);
  return {
    bucket: e.DATA_BUCKET,
    prefix: e.DATA_PREFIX,
    frequency,
    timestampColumn: e.TIMESTAMP_COLUMN,
    targetColumn: e.TARGET_COLUMN,
    itemIdColumn: e.ITEM_ID_COLUMN.toLowerCase() === NONE ? undefined : e.ITEM_ID_COLUMN,
    itemCount: e.ITEM_COUNT,
    levelShiftAt: e.LEVEL_SHIFT_AT,
    levelShiftFactor: e.LEVEL_SHIFT_FACTOR,
    backfillPoints:
      e.BACKFILL_POINTS > 0
        ? e.BACKFILL_POINTS
        : defaultBackfillPoints(frequency, e.PREDICTION_LENGTH ?? LEGACY_PREDICTION_LENGTH),
    maxPointsPerRun: e.MAX_POINTS_PER_RUN,
    seed: e.SEED,
  };
}
