// The project's live configuration: the JSON in the SSM parameter CONFIG_PARAMETER_NAME, written by
// the project template. The deploy step reads only the per-stage instance types from it; a seed
// extends {@link PROJECT_CONFIG_BASE_SHAPE} with the fields its own steps read (data source,
// columns, ...). Unknown fields are kept: the template writes more than any one repository reads.
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { ConfigError, checkInstanceType, Stage } from './stage-config';

/** A string field of the configuration: blank means unset (the template writes "" for defaults). */
export const optionalConfigString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** The fields every model-deploy repository reads: the instance types that override config/stages.json. */
export const PROJECT_CONFIG_BASE_SHAPE = {
  stagingInstanceType: optionalConfigString,
  prodInstanceType: optionalConfigString,
};

/** The base schema (instance types only; other fields kept). */
export const projectConfigBaseSchema = z.object(PROJECT_CONFIG_BASE_SHAPE).loose();

/** What {@link instanceTypeOverrides} reads. */
export type InstanceTypeConfig = z.infer<typeof projectConfigBaseSchema>;

/** Parses the configuration parameter's value with a schema. Throws {@link ConfigError} naming the bad fields. */
export function parseProjectConfigWith<S extends z.ZodType>(
  schema: S,
  text: string,
  source: string,
): z.infer<S> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${source} is invalid: ${lines.join('; ')}`);
  }
  return parsed.data;
}

/** Reads the project configuration with a schema; `undefined` when no parameter name is configured. */
export async function readProjectConfigWith<S extends z.ZodType>(
  schema: S,
  ssm: SSMClient,
  parameterName: string | undefined,
): Promise<z.infer<S> | undefined> {
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
  return parseProjectConfigWith(schema, value, `SSM parameter ${parameterName}`);
}

/** The instance types the project configuration sets per stage (validated). */
export function instanceTypeOverrides(
  config: InstanceTypeConfig | undefined,
  source: string,
): Partial<Record<Stage, string>> {
  const out: Partial<Record<Stage, string>> = {};
  if (config?.stagingInstanceType) {
    out.staging = checkInstanceType(config.stagingInstanceType, `${source} stagingInstanceType`);
  }
  if (config?.prodInstanceType) {
    out.prod = checkInstanceType(config.prodInstanceType, `${source} prodInstanceType`);
  }
  return out;
}
