// The project's live configuration (the JSON in the SSM parameter CONFIG_PARAMETER_NAME, written by
// the project template) as the endpoint test reads it: the problem type and number of classes, the
// fallback when the model package does not record them; plus the instance types every deploy
// repository reads (@mlops-templates/model-deploy).
import type { SSMClient } from '@aws-sdk/client-ssm';
import { PROJECT_CONFIG_BASE_SHAPE, readProjectConfigWith } from '@mlops-templates/model-deploy';
import { TABULAR_PROBLEM_TYPES } from '@mlops-templates/project-contract';
import { z } from 'zod';

const projectConfigSchema = z
  .object({
    ...PROJECT_CONFIG_BASE_SHAPE,
    problemType: z
      .enum(TABULAR_PROBLEM_TYPES, `must be one of ${TABULAR_PROBLEM_TYPES.join(', ')}`)
      .optional(),
    numClasses: z.union([z.number(), z.string()]).optional(),
  })
  .loose();

/** The fields of the project configuration this repository uses (others are ignored). */
export type ProjectConfig = z.infer<typeof projectConfigSchema>;

/** Reads the project configuration; `undefined` when no parameter name is configured. */
export function readProjectConfig(
  ssm: SSMClient,
  parameterName: string | undefined,
): Promise<ProjectConfig | undefined> {
  return readProjectConfigWith(projectConfigSchema, ssm, parameterName);
}
