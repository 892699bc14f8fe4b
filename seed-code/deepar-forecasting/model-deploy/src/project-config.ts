// The project's live configuration (the JSON in the SSM parameter CONFIG_PARAMETER_NAME, written by
// the project template) as the DeepAR endpoint test reads it: data source, columns, frequency and
// horizon, on top of the instance types every deploy repository reads (@mlops-templates/model-deploy).
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  optionalConfigString,
  parseProjectConfigWith,
  PROJECT_CONFIG_BASE_SHAPE,
  readProjectConfigWith,
} from '@mlops-templates/model-deploy';
import { z } from 'zod';

const projectConfigSchema = z
  .object({
    ...PROJECT_CONFIG_BASE_SHAPE,
    dataSourceType: z
      .enum(['synthetic', 's3', 'feature-group'], 'must be "synthetic", "s3" or "feature-group"')
      .optional(),
    dataSourceLocation: optionalConfigString,
    targetColumn: optionalConfigString,
    timestampColumn: optionalConfigString,
    itemIdColumn: optionalConfigString,
    frequency: optionalConfigString,
    predictionLength: z
      .union([z.number(), z.string()])
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v === '') return undefined;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) {
          ctx.addIssue({ code: 'custom', message: `must be a positive integer, got ${JSON.stringify(v)}` });
          return z.NEVER;
        }
        return n;
      }),
  })
  .loose();

/** The fields of the project configuration this repository uses (others are ignored). */
export type ProjectConfig = z.infer<typeof projectConfigSchema>;

/** Parses the configuration parameter's value. Throws a ConfigError naming the bad fields. */
export function parseProjectConfig(text: string, source: string): ProjectConfig {
  return parseProjectConfigWith(projectConfigSchema, text, source);
}

/** Reads the project configuration; `undefined` when no parameter name is configured. */
export function readProjectConfig(
  ssm: SSMClient,
  parameterName: string | undefined,
): Promise<ProjectConfig | undefined> {
  return readProjectConfigWith(projectConfigSchema, ssm, parameterName);
}
