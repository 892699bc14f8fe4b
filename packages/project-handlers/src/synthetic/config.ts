// The synthetic-data Lambda's configuration, read from environment variables and validated with zod
// (names are a contract with the product stack).
import { dataWindowSteps, type Frequency, frequencyProblem, parseFrequency } from '@mlops-templates/metrics';
import { z } from 'zod';
import { normalizePrefix } from './csv';

/** A CSV column name: no separator, quote or line break. */
const columnName = z
  .string()
  .trim()
  .min(1, 'must be a non-empty column name')
  .regex(/^[^,"\r\n]+$/, 'must not contain a comma, a double quote or a line break');

const NONE = 'none';

function integer(defaultValue: number, min: number, max: number) {
  return z
    .string()
    .trim()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return defaultValue;
      const value = Number(text);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be an integer between ${min} and ${max}, got "${text}"`,
        });
        return z.NEVER;
      }
      return value;
    });
}

const levelShiftAt = z
  .string()
  .trim()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text === '' || text.toLowerCase() === NONE) return undefined;
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

const levelShiftFactor = z
  .string()
  .trim()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text === '') return 1.5;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
      ctx.addIssue({ code: 'custom', message: `must be a positive number, got "${text}"` });
      return z.NEVER;
    }
    return value;
  });

export const syntheticDataEnvironmentSchema = z
  .object({
    DATA_BUCKET: z.string().trim().min(3, 'must be a bucket name'),
    DATA_PREFIX: z.string().default(''),
    FREQUENCY: z
      .string()
      .trim()
      .superRefine((text, ctx) => {
        const problem = frequencyProblem(text);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
    PREDICTION_LENGTH: z
      .string()
      .trim()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined || text === '') return undefined;
        const value = Number(text);
        if (!Number.isInteger(value) || value < 1 || value > 500) {
          ctx.addIssue({ code: 'custom', message: `must be an integer between 1 and 500, got "${text}"` });
          return z.NEVER;
        }
        return value;
      }),
    TIMESTAMP_COLUMN: columnName,
    TARGET_COLUMN: columnName,
    ITEM_ID_COLUMN: columnName,
    ITEM_COUNT: integer(1, 1, 999),
    LEVEL_SHIFT_AT: levelShiftAt,
    LEVEL_SHIFT_FACTOR: levelShiftFactor,
    BACKFILL_POINTS: integer(0, 1, 1_000_000),
    MAX_POINTS_PER_RUN: integer(5000, 1, 1_000_000),
    SEED: integer(42, 0, 2 ** 31 - 1),
  })
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
  const result = syntheticDataEnvironmentSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.map(String).join('.')}: ${issue.message}`,
    );
    throw new SyntheticDataConfigError(`Invalid synthetic-data configuration: ${problems.join('; ')}`);
  }
  const e = result.data;
  const frequency = parseFrequency(e.FREQUENCY);
  return {
    bucket: e.DATA_BUCKET,
    prefix: normalizePrefix(e.DATA_PREFIX),
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
