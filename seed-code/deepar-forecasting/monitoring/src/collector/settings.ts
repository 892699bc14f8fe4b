// Configuration of the collector: the project's data/model configuration (the SSM parameter
// CONFIG_PARAMETER_NAME, read at every run) and the collector's own settings (committed in
// config/monitoring.json, passed to the function as the COLLECTOR_SETTINGS environment variable).
import { frequencyProblem } from '@mlops-templates/metrics';
import { z } from 'zod';

/** Column and table names the collector puts into queries: letters, digits, `_` (and `-` for tables). */
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const columnName = (what: string) =>
  z.string().regex(COLUMN, `${what} must be a column name (letters, digits, _; not starting with a digit)`);

/** The project configuration JSON held by the SSM parameter CONFIG_PARAMETER_NAME. */
export const projectConfigSchema = z.object({
  dataSourceType: z.enum(['synthetic', 's3', 'feature-group']),
  dataSourceLocation: z.string().min(1),
  targetColumn: columnName('targetColumn'),
  timestampColumn: columnName('timestampColumn'),
  /** `none` = a single series. */
  itemIdColumn: z.union([z.literal('none'), columnName('itemIdColumn')]),
  frequency: z.string().superRefine((f, ctx) => {
    const problem = frequencyProblem(f.trim());
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `frequency: ${problem}` });
  }),
  predictionLength: z.coerce.number().int().min(1).max(500),
});
export type ProjectConfig = z.infer<typeof projectConfigSchema>;

/** Settings of the collector (config/monitoring.json → `collector`). */
export const collectorSettingsSchema = z
  .object({
    /**
     * Steps per series sent to the endpoint (the newest ones; gaps are sent as "NaN"). Default: the
     * data window a build trains and backtests on (`dataWindowSteps` of @mlops-templates/metrics for
     * the project's frequency and horizon), so the live request carries the history the model saw in
     * backtest. Set it only to send less (a payload limit); the live wQL then no longer compares with
     * the backtest-derived threshold.
     */
    contextLength: z.number().int().min(1).max(1_000_000).optional(),
    /** DeepAR `num_samples` of the request. */
    numSamples: z.number().int().min(1).max(1000),
    /** The evaluation window, in forecast horizons: forecasts due within it are evaluated together. */
    evaluationHorizons: z.number().int().min(1).max(50),
    /** Fewer evaluated points than this: `points_evaluated = 0` and no `mean_wQL` (also the warm-up). */
    minPointsEvaluated: z.number().int().min(1),
    /** Periods after a forecast's last step during which late observations are still awaited. */
    groundTruthGracePeriods: z.number().int().min(0).max(1000),
    /** Athena work group for the Feature Group source. */
    athenaWorkGroup: z.string().min(1).default('primary'),
    /** Longest wait for an Athena query (ms). */
    athenaTimeoutMs: z.number().int().min(1000).default(120_000),
  })
  .strict();
export type CollectorSettings = z.infer<typeof collectorSettingsSchema>;

/** Turns a zod error into one line naming every bad field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Parses the SSM project configuration. Throws an Error naming every bad field. */
export function parseProjectConfig(json: string): ProjectConfig {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new Error(`the project configuration is not JSON: ${(error as Error).message}`);
  }
  const parsed = projectConfigSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(`invalid project configuration: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
