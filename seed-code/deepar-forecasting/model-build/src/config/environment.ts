// The environment contract with the project's CodeBuild (names set by the product stack): parsed
// and validated once, so that every script fails early naming the variable that is missing or wrong.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { frequencyProblem } from '@mlops-templates/metrics';
import { z } from 'zod';

/** Where `config/example-environment.json` lives (the example values `definition` falls back to). */
export const EXAMPLE_ENVIRONMENT_FILE = path.join(
  __dirname,
  '..',
  '..',
  'config',
  'example-environment.json',
);

const nonEmpty = z.string().trim().min(1);
const prefix = nonEmpty.regex(/^[A-Za-z0-9!\-_.*'()/]+$/, 'an S3 key prefix such as "training/"');
const arn = (service: string): z.ZodString =>
  nonEmpty.regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `an ${service} ARN`);

/** FREQUENCY: the project frequency, in the one grammar the product parameter and every seed share. */
const frequency = nonEmpty.superRefine((text, ctx) => {
  const problem = frequencyProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const environmentSchema = z.object({
  AWS_REGION: nonEmpty.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as eu-west-1'),
  AWS_ACCOUNT_ID: nonEmpty.regex(/^\d{12}$/, 'a 12-digit account id'),
  SAGEMAKER_PROJECT_NAME: nonEmpty,
  SAGEMAKER_PROJECT_ID: nonEmpty.regex(/^[a-z0-9-]{1,20}$/, 'a SageMaker project id such as p-abcdefghijkl'),
  PROJECT_BUCKET: nonEmpty.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
  MODEL_PACKAGE_GROUP_NAME: nonEmpty,
  MODEL_BUILD_PIPELINE_NAME: nonEmpty.regex(
    /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/,
    'a SageMaker pipeline name',
  ),
  TRAINING_PREFIX: prefix,
  MODELS_PREFIX: prefix,
  SAGEMAKER_EXECUTION_ROLE_ARN: arn('iam'),
  PIPELINE_STEPS_ROLE_ARN: arn('iam'),
  PROJECT_KMS_KEY_ARN: z.union([arn('kms'), z.literal('')]).optional(),
  CONFIG_PARAMETER_NAME: nonEmpty,
  GATE_THRESHOLD_PARAMETER_NAME: nonEmpty,
  DATA_SOURCE_TYPE: z.enum(['synthetic', 's3', 'feature-group']),
  FREQUENCY: frequency,
  PREDICTION_LENGTH: z.coerce.number().int().min(1).max(500),
});

/** The validated environment this repository's scripts use (other contract variables are ignored). */
export type ModelBuildEnvironment = z.infer<typeof environmentSchema>;

/** Names of the variables the scripts read (documented in the README). */
export const REQUIRED_VARIABLES = Object.keys(environmentSchema.shape) as (keyof ModelBuildEnvironment)[];

export class EnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n- ${problems.join('\n- ')}`);
    this.name = 'EnvironmentError';
  }
}

/** AWS_REGION, or CodeBuild's AWS_DEFAULT_REGION when only that is set. */
function withRegion(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return { ...env, AWS_REGION: env.AWS_REGION || env.AWS_DEFAULT_REGION };
}

/** Parses the environment; throws `EnvironmentError` listing every missing or invalid variable. */
export function parseEnvironment(env: Readonly<Record<string, string | undefined>>): ModelBuildEnvironment {
  const parsed = environmentSchema.safeParse(withRegion(env));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const value = (withRegion(env) as Record<string, string | undefined>)[name];
    return value === undefined || value === '' ? `${name} is not set` : `${name}: ${issue.message}`;
  });
  throw new EnvironmentError(problems);
}

/** The example values from `config/example-environment.json` (keys starting with `$` dropped). */
export function exampleEnvironment(file: string = EXAMPLE_ENVIRONMENT_FILE): Record<string, string> {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([key, value]) => !key.startsWith('$') && typeof value === 'string')
      .map(([key, value]) => [key, value as string]),
  );
}

/** The environment with each unset (or empty) variable taken from the example file. */
export function environmentWithExamples(
  env: Readonly<Record<string, string | undefined>>,
  examples: Readonly<Record<string, string>> = exampleEnvironment(),
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...examples };
  for (const [key, value] of Object.entries(withRegion(env))) {
    if (value !== undefined && value !== '') merged[key] = value;
  }
  return merged;
}
