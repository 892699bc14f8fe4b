// The project's live configuration: the JSON in the SSM parameter CONFIG_PARAMETER_NAME (data
// source, columns, frequency, horizon, schedule, instance types), written by the project template.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { ConfigError, checkInstanceType, Stage } from './stage-config';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const projectConfigSchema = z
  .object({
    dataSourceType: z
      .enum(['synthetic', 's3', 'feature-group'], 'must be "synthetic", "s3" or "feature-group"')
      .optional(),
    dataSourceLocation: optionalString,
    targetColumn: optionalString,
    timestampColumn: optionalString,
    itemIdColumn: optionalString,
    frequency: optionalString,
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
    stagingInstanceType: optionalString,
    prodInstanceType: optionalString,
  })
  .loose();

/** The fields of the project configuration this repository uses (others are ignored). */
export type ProjectConfig = z.infer<typeof projectConfigSchema>;

/** Parses the configuration parameter's value. Throws {@link ConfigError} naming the bad fields. */
export function parseProjectConfig(text: string, source: string): ProjectConfig {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = projectConfigSchema.safeParse(document);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${source} is invalid: ${lines.join('; ')}`);
  }
  return parsed.data;
}

/** Reads the project configuration; `undefined` when no parameter name is configured. */
export async function readProjectConfig(
  ssm: SSMClient,
  parameterName: string | undefined,
): Promise<ProjectConfig | undefined> {
  if (parameterName === undefined || parameterName.trim() === '') return undefined;
  let value: string | undefined;
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
    value = out.Parameter?.Value;
  } catch (error) {
    const e = error as Error;
    throw new ConfigError(`cannot read the project configuration ${parameterName}: ${e.name}: ${e.message}`);
  }
  if (value === undefined) throw new ConfigError(`the project configuration ${parameterName} has no value`);
  return parseProjectConfig(value, `SSM parameter ${parameterName}`);
}

/** The instance types the project configuration sets per stage (validated). */
export function instanceTypeOverrides(
  config: ProjectConfig | undefined,
  source: string,
): Partial<Record<Stage, string>> {
  const out: Partial<Record<Stage, string>> = {};
  if (config?.stagingInstanceType)
    out.staging = checkInstanceType(config.stagingInstanceType, `${source} stagingInstanceType`);
  if (config?.prodInstanceType)
    out.prod = checkInstanceType(config.prodInstanceType, `${source} prodInstanceType`);
  return out;
}
