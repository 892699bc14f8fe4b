// The scenario file of mlops-loop-sim (`--scenario FILE`): field names as issue #14 gives them
// (name, seed, days, frequency, predictionLength, series, events, policy), plus `people` (durations
// and approvals), a few event fields, and `model` (#17: `deepar`, the default, or `tabular`) with the
// tabular loop's settings, validated with zod; every message names the field.
import { frequencyProblem } from '@mlops-templates/metrics';
import { NUMERIC_FEATURE_NAMES, type NumericFeature } from '@mlops-templates/project-handlers';
import { z } from 'zod';
import { TREAT_MISSING_DATA_VALUES, type TreatMissingData } from './alarm-model';

const hours = z.number().finite().min(0);

/** The models a scenario can run: the DeepAR loop (default) or the tabular XGBoost loop (#17). */
export const SIMULATED_MODELS = ['deepar', 'tabular'] as const;
export type SimulatedModel = (typeof SIMULATED_MODELS)[number];

const numericFeature = z.enum(
  NUMERIC_FEATURE_NAMES as [NumericFeature, ...NumericFeature[]],
  `must be a numeric feature of the tabular generator (${NUMERIC_FEATURE_NAMES.join(', ')})`,
);

/** The tabular loop's settings (model `tabular` only); the defaults are the ones the README gives. */
const tabularSchema = z
  .object({
    /** Records the generator writes (and the endpoint serves) per hour. */
    rowsPerHour: z.number().int().min(10).max(5000).default(400),
    /** Hours of records a build trains and tests on (time-ordered split: the newest 20 % test). */
    trainingWindowHours: z.number().int().min(24).max(2160).default(168),
    /** The newest hours of a build's window its data-quality baseline is computed over. */
    baselineWindowHours: z.number().int().min(1).max(2160).default(24),
    /** The feature whose `feature_baseline_drift_<feature>` the retrain alarm watches. */
    alarmFeature: numericFeature.default('income_k'),
    /** Alarm threshold on the drift metric (the constraints' `comparison_threshold`, default 0.1). */
    driftThreshold: z.number().positive().max(1).default(0.1),
    /** The gate: test RMSE at most this (`policy.gateThreshold` overrides it, as the SSM parameter). */
    gateRmse: z.number().positive().default(7.5),
  })
  .strict();

const TABULAR_DEFAULTS = {
  rowsPerHour: 400,
  trainingWindowHours: 168,
  baselineWindowHours: 24,
  alarmFeature: 'income_k',
  driftThreshold: 0.1,
  gateRmse: 7.5,
} as const;

const eventSchema = z
  .object({
    /** Hours after the start of the run (hour 0 = the first deploy). */
    atHour: hours,
    /** Level shift in percent of the level (40 = ×1.4, -30 = ×0.7), from `atHour` on. */
    levelShift: z.number().finite().gt(-100).optional(),
    /** The collector does not run for this many hours (no datapoint of either stage). */
    collectorOutageHours: hours.optional(),
    /** From `atHour` on, approving a model package (and the prod stage) takes this many hours. */
    approvalDelayHours: hours.optional(),
    /** From `atHour` on, approving a model for prod takes this many hours. */
    prodApprovalDelayHours: hours.optional(),
    /** The next model package registered after `atHour` is rejected by the person reviewing it. */
    rejectNextModel: z.boolean().optional(),
    /** From `atHour` on, multiplicative noise (100 % standard deviation) no model beats, until `untilHour`. */
    unbeatableDrift: z.boolean().optional(),
    /** End of an `unbeatableDrift` (exclusive). Default: the end of the run. */
    untilHour: hours.optional(),
    /**
     * Tabular model: from `atHour` on, the mean of numeric `feature` moves by this many of its standard
     * deviations (the generator's covariate shift; the relation to the target stays).
     */
    covariateShift: z.number().finite().optional(),
    /** The feature a `covariateShift` moves. */
    feature: numericFeature.optional(),
  })
  .strict();

export type ScenarioEvent = z.infer<typeof eventSchema>;

const treatMissingData = z.enum(TREAT_MISSING_DATA_VALUES as [TreatMissingData, ...TreatMissingData[]]);

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    /** The loop to simulate: `deepar` (default: every scenario of #14) or `tabular` (#17). */
    model: z
      .enum(SIMULATED_MODELS, `must be one of ${SIMULATED_MODELS.map((m) => `"${m}"`).join(', ')}`)
      .default('deepar'),
    seed: z.number().int().min(0),
    days: z.number().int().min(1).max(120),
    // The project's one frequency grammar (the product parameter's, every seed's).
    frequency: z.string().superRefine((text, ctx) => {
      const problem = frequencyProblem(text);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', message: `must be <count><unit>: ${problem}` });
      }
    }),
    predictionLength: z.number().int().min(1).max(500),
    /**
     * Options of the product's synthetic generator (packages/project-handlers): one series (no item
     * column), `backfillPoints` written before hour 0 (its BACKFILL_POINTS, default 720).
     */
    series: z
      .object({ backfillPoints: z.number().int().min(1).max(20_000).default(720) })
      .strict()
      .default({ backfillPoints: 720 }),
    events: z.array(eventSchema).default([]),
    /** The loop's settings; unset fields take the real defaults (retrain package, monitoring config). */
    policy: z
      .object({
        cooldownMinutes: z.number().int().min(0).optional(),
        maxAttempts: z.number().int().min(1).optional(),
        /** RETRAIN_ATTEMPT_WINDOW_MINUTES of the retrain Lambda (when the core supports it). */
        attemptWindowMinutes: z.number().int().min(1).optional(),
        evaluationPeriods: z.number().int().min(1).optional(),
        datapointsToAlarm: z.number().int().min(1).optional(),
        treatMissingData: treatMissingData.optional(),
        /** The model-build gate (SSM gate-threshold): `default` (the pipeline's) or a positive number. */
        gateThreshold: z.union([z.literal('default'), z.number().positive()]).optional(),
      })
      .strict()
      .default({}),
    /** The tabular loop's settings (only with `model` `tabular`). */
    tabular: tabularSchema.optional(),
    /** Durations and people (hours). */
    people: z
      .object({
        trainingHours: hours.default(2),
        modelApprovalDelayHours: hours.default(2),
        prodApprovalDelayHours: hours.default(2),
        deployHours: hours.default(0.5),
      })
      .strict()
      .default({ trainingHours: 2, modelApprovalDelayHours: 2, prodApprovalDelayHours: 2, deployHours: 0.5 }),
  })
  .strict()
  .superRefine((s, ctx) => {
    const { evaluationPeriods: n, datapointsToAlarm: m } = s.policy;
    if (n !== undefined && m !== undefined && m > n) {
      ctx.addIssue({
        code: 'custom',
        path: ['policy', 'datapointsToAlarm'],
        message: 'must not exceed evaluationPeriods',
      });
    }
    const tabular = s.model === 'tabular';
    if (s.tabular !== undefined && !tabular) {
      ctx.addIssue({ code: 'custom', path: ['tabular'], message: 'only with model "tabular"' });
    }
    if (tabular && s.frequency !== '1H') {
      ctx.addIssue({
        code: 'custom',
        path: ['frequency'],
        message: 'must be "1H" with model "tabular" (hourly records and monitoring executions)',
      });
    }
    if (tabular && s.events.filter((e) => e.covariateShift !== undefined).length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['events'],
        message: 'at most one covariateShift (the generator injects one drift)',
      });
    }
    s.events.forEach((e, i) => {
      const kinds = [
        e.levelShift !== undefined,
        e.collectorOutageHours !== undefined,
        e.approvalDelayHours !== undefined,
        e.prodApprovalDelayHours !== undefined,
        e.rejectNextModel === true,
        e.unbeatableDrift === true,
        e.covariateShift !== undefined,
      ].filter(Boolean).length;
      for (const field of ['levelShift', 'unbeatableDrift'] as const) {
        if (tabular && e[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['events', i, field],
            message: 'only with model "deepar" (the tabular loop has covariateShift)',
          });
        }
      }
      if (!tabular && e.covariateShift !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'covariateShift'],
          message: 'only with model "tabular"',
        });
      }
      if (e.covariateShift !== undefined && e.feature === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'feature'],
          message: 'is required with covariateShift',
        });
      }
      if (e.feature !== undefined && e.covariateShift === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'feature'],
          message: 'only with covariateShift',
        });
      }
      if (kinds !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i],
          message: 'must set exactly one event kind besides atHour',
        });
      }
      if (e.untilHour !== undefined && e.unbeatableDrift !== true) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'untilHour'],
          message: 'only with unbeatableDrift',
        });
      }
      if (e.atHour > s.days * 24) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'atHour'],
          message: `is after the end of the run (${s.days * 24})`,
        });
      }
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;

/** The tabular settings of a scenario, defaults applied. */
export type TabularSettings = z.infer<typeof tabularSchema>;

/** The tabular settings of a scenario (its `tabular` object, defaults applied). */
export function tabularSettingsOf(scenario: Scenario): TabularSettings {
  return scenario.tabular ?? { ...TABULAR_DEFAULTS };
}

/** Thrown for a scenario that does not validate; the message names every bad field. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Parses and validates a scenario document. */
export function parseScenario(document: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.length > 0 ? i.path.join('.') : '(scenario)'}: ${i.message}`,
    );
    throw new ScenarioError(`invalid scenario: ${problems.join('; ')}`);
  }
  return parsed.data;
}
