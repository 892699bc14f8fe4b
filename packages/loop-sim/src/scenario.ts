// The scenario file of mlops-loop-sim (`--scenario FILE`): field names as issue #14 gives them
// (name, seed, days, frequency, predictionLength, series, events, policy), plus `people` (durations
// and approvals) and a few event fields, validated with zod; every message names the field.
import { frequencyProblem } from '@mlops-templates/metrics';
import { z } from 'zod';
import { TREAT_MISSING_DATA_VALUES, type TreatMissingData } from './alarm-model';

const hours = z.number().finite().min(0);

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
  })
  .strict();

export type ScenarioEvent = z.infer<typeof eventSchema>;

const treatMissingData = z.enum(TREAT_MISSING_DATA_VALUES as [TreatMissingData, ...TreatMissingData[]]);

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
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
    s.events.forEach((e, i) => {
      const kinds = [
        e.levelShift !== undefined,
        e.collectorOutageHours !== undefined,
        e.approvalDelayHours !== undefined,
        e.prodApprovalDelayHours !== undefined,
        e.rejectNextModel === true,
        e.unbeatableDrift === true,
      ].filter(Boolean).length;
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
