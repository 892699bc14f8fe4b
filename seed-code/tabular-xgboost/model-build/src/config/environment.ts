// The environment contract with the project's CodeBuild: this repository's pick of the variables of
// @mlops-templates/project-contract (never declared here), parsed and validated once, so that every
// script fails early naming the variable that is missing or wrong.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EnvironmentError,
  environmentParser,
  environmentWithExamples as withExamples,
} from '@mlops-templates/pipeline-definition';
import {
  dataSourceUriProblem,
  parseExampleEnvironment,
  pickEnvironment,
  type ProjectVariable,
  readEnvironment,
} from '@mlops-templates/project-contract';
import { z } from 'zod';
import { gateMetricProblem } from '../pipeline/problem';

export { EnvironmentError };

/** Where `config/example-environment.json` lives (the example values `definition` falls back to). */
export const EXAMPLE_ENVIRONMENT_FILE = path.join(
  __dirname,
  '..',
  '..',
  'config',
  'example-environment.json',
);

/** The contract variables the model-build scripts read, in the order problems are listed. */
export const MODEL_BUILD_VARIABLES = [
  'AWS_REGION',
  'SAGEMAKER_PROJECT_NAME',
  'SAGEMAKER_PROJECT_ID',
  'PROJECT_BUCKET',
  'MODEL_PACKAGE_GROUP_NAME',
  'MODEL_BUILD_PIPELINE_NAME',
  'TRAINING_PREFIX',
  'MODELS_PREFIX',
  'SAGEMAKER_EXECUTION_ROLE_ARN',
  'PROJECT_KMS_KEY_ARN',
  'GATE_THRESHOLD_PARAMETER_NAME',
  'DATA_SOURCE_TYPE',
  'DATA_SOURCE_URI',
  'TARGET_COLUMN',
  'PROBLEM_TYPE',
  'GATE_METRIC',
  'TRAINING_INSTANCE_TYPE',
  'PROCESSING_INSTANCE_TYPE',
] as const satisfies readonly ProjectVariable[];

/**
 * The contract's schema of these variables; the KMS key and the instance types are optional (the
 * bucket's default encryption, config/pipeline.json), the gate metric must suit the problem type and
 * DATA_SOURCE_URI must suit DATA_SOURCE_TYPE (an S3 prefix, or a Feature Group name for feature-group).
 */
const environmentSchema = pickEnvironment(MODEL_BUILD_VARIABLES)
  .partial({ PROJECT_KMS_KEY_ARN: true, TRAINING_INSTANCE_TYPE: true, PROCESSING_INSTANCE_TYPE: true })
  .superRefine((env, ctx) => {
    const problem = gateMetricProblem(env.PROBLEM_TYPE, env.GATE_METRIC);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['GATE_METRIC'], message: problem });
    const source = dataSourceUriProblem(env.DATA_SOURCE_TYPE, env.DATA_SOURCE_URI);
    if (source !== undefined) ctx.addIssue({ code: 'custom', path: ['DATA_SOURCE_URI'], message: source });
  });

/** The variables of config/example-environment.json (generated from the contract; test/environment.test.ts). */
export const EXAMPLE_ENVIRONMENT_VARIABLES: readonly ProjectVariable[] = [
  ...MODEL_BUILD_VARIABLES,
  // Optional (pipeline:run records "manual" without it); the build action sets it.
  'TRIGGER_REASON',
];

/** The schema each npm script that reads the environment parses it with (the product's check, #15). */
export const ENVIRONMENT_BY_SCRIPT = {
  'pipeline:upsert': environmentSchema,
  'pipeline:run': environmentSchema,
} as const;

/** The validated environment this repository's scripts use (other contract variables are ignored). */
export type ModelBuildEnvironment = z.infer<typeof environmentSchema>;

/** Parses the environment; throws `EnvironmentError` listing every missing or invalid variable. */
export const parseEnvironment: (env: Readonly<Record<string, string | undefined>>) => ModelBuildEnvironment =
  environmentParser((env) => readEnvironment(environmentSchema, env));

/** The example values from `config/example-environment.json` (generated from the contract; `$` keys dropped). */
export function exampleEnvironment(file: string = EXAMPLE_ENVIRONMENT_FILE): Record<string, string> {
  return parseExampleEnvironment(fs.readFileSync(file, 'utf8'));
}

/** The environment with each unset (or empty) variable taken from the example file. */
export function environmentWithExamples(
  env: Readonly<Record<string, string | undefined>>,
  examples: Readonly<Record<string, string>> = exampleEnvironment(),
): Record<string, string | undefined> {
  return withExamples(env, examples);
}
