// Everything the deploy stacks are synthesized from: the project's names and roles (from the
// CodeBuild environment the project template sets), the resolved model package and the stage
// configuration. The build step writes it to deploy/stage-parameters.json; `cdk synth` reads that
// file, or falls back to the seed's committed placeholders (its config/example-environment.json).
import * as fs from 'node:fs';
import { parseExampleEnvironment, readEnvironment } from '@mlops-templates/project-contract';
import { z } from 'zod';
import { environmentError, projectVariablesSchema } from './environment';
import { ConfigError, describeIssues, parseStagesConfig, StagesConfig } from './stage-config';

/** `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`. */
export const MODEL_PACKAGE_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/([a-zA-Z0-9-]{1,63})\/(\d+)$/;

const nonEmpty = z.string().min(1, 'must not be empty');
/** The contract's schema of a variable (the stage parameters file holds the same values). */
const variable = projectVariablesSchema.shape;
const projectSchema = z
  .object({
    projectName: variable.SAGEMAKER_PROJECT_NAME,
    projectId: variable.SAGEMAKER_PROJECT_ID,
    projectBucket: variable.PROJECT_BUCKET,
    dataCapturePrefix: variable.DATA_CAPTURE_PREFIX,
    executionRoleArn: variable.SAGEMAKER_EXECUTION_ROLE_ARN,
    kmsKeyArn: variable.PROJECT_KMS_KEY_ARN,
    endpointNames: z
      .object({ staging: variable.STAGING_ENDPOINT_NAME, prod: variable.PROD_ENDPOINT_NAME })
      .strict(),
    stackNames: z
      .object({ staging: variable.STAGING_DEPLOY_STACK_NAME, prod: variable.PROD_DEPLOY_STACK_NAME })
      .strict(),
    /** Prefix of the project's accuracy alarms (the retrain rule matches it); ours must not use it. */
    accuracyAlarmNamePrefix: variable.ALARM_NAME_PREFIX,
  })
  .strict();

const modelPackageSchema = z
  .object({
    arn: z
      .string()
      .regex(MODEL_PACKAGE_ARN, 'must be a versioned model package ARN (…:model-package/<group>/<version>)'),
    groupName: nonEmpty,
    version: z.number().int().min(1),
  })
  .strict()
  .superRefine((pkg, ctx) => {
    const match = MODEL_PACKAGE_ARN.exec(pkg.arn);
    if (match && (match[1] !== pkg.groupName || Number(match[2]) !== pkg.version)) {
      ctx.addIssue({
        code: 'custom',
        path: ['arn'],
        message: `does not match groupName ${pkg.groupName} / version ${pkg.version}`,
      });
    }
  });

export type ProjectEnvironment = z.infer<typeof projectSchema>;
export type ModelPackageRef = z.infer<typeof modelPackageSchema>;

/** The inputs of one synthesis of the staging and prod deploy stacks. */
export interface StageParameters {
  readonly project: ProjectEnvironment;
  readonly modelPackage: ModelPackageRef;
  readonly stages: StagesConfig;
}

const stageParametersSchema = z
  .object({ project: projectSchema, modelPackage: modelPackageSchema, stages: z.unknown() })
  .strict();

/** Validates stage parameters (e.g. deploy/stage-parameters.json); throws {@link ConfigError}. */
export function parseStageParameters(document: unknown, source: string): StageParameters {
  const parsed = stageParametersSchema.safeParse(document);
  if (!parsed.success) {
    const lines = describeIssues(parsed.error);
    throw new ConfigError(`${source} is invalid (${lines.length} problem(s)):\n  - ${lines.join('\n  - ')}`);
  }
  const stages = parseStagesConfig(parsed.data.stages, `${source} (stages)`);
  return { project: parsed.data.project, modelPackage: parsed.data.modelPackage, stages };
}

/** The versioned package's group and version, from its ARN. */
export function parseModelPackageArn(arn: string): { groupName: string; version: number } {
  const match = MODEL_PACKAGE_ARN.exec(arn);
  if (!match) {
    throw new ConfigError(
      `${JSON.stringify(arn)} is not a versioned model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)`,
    );
  }
  return { groupName: match[1], version: Number(match[2]) };
}

/** The project's names and roles from the CodeBuild environment; throws naming every missing/bad variable. */
export function projectEnvironmentFromEnv(env: NodeJS.ProcessEnv): ProjectEnvironment {
  const reading = readEnvironment(projectVariablesSchema, env);
  if (!reading.success) throw environmentError(reading.problems);
  const v = reading.data;
  const parsed = projectSchema.safeParse({
    projectName: v.SAGEMAKER_PROJECT_NAME,
    projectId: v.SAGEMAKER_PROJECT_ID,
    projectBucket: v.PROJECT_BUCKET,
    dataCapturePrefix: v.DATA_CAPTURE_PREFIX,
    executionRoleArn: v.SAGEMAKER_EXECUTION_ROLE_ARN,
    kmsKeyArn: v.PROJECT_KMS_KEY_ARN,
    endpointNames: { staging: v.STAGING_ENDPOINT_NAME, prod: v.PROD_ENDPOINT_NAME },
    stackNames: { staging: v.STAGING_DEPLOY_STACK_NAME, prod: v.PROD_DEPLOY_STACK_NAME },
    accuracyAlarmNamePrefix: v.ALARM_NAME_PREFIX,
  });
  if (!parsed.success) {
    throw new ConfigError(`invalid environment:\n  - ${describeIssues(parsed.error).join('\n  - ')}`);
  }
  return parsed.data;
}

/**
 * The example stage parameters: the project of a seed's config/example-environment.json (`file`,
 * generated from the contract's example project; its account and region replaced by the given ones), version 1 of its
 * model package group, and the stage configuration: placeholders that let `cdk synth` run with no
 * project and no AWS credentials. The templates are examples, not meant to be deployed.
 */
export function exampleStageParameters(
  account: string,
  region: string,
  stages: StagesConfig,
  file: string,
): StageParameters {
  const example = parseExampleEnvironment(fs.readFileSync(file, 'utf8'));
  const { AWS_ACCOUNT_ID: exampleAccount, AWS_REGION: exampleRegion } = example;
  const env = Object.fromEntries(
    Object.entries(example).map(([name, value]) => [
      name,
      value.replaceAll(exampleAccount, account).replaceAll(exampleRegion, region),
    ]),
  );
  const group = env.MODEL_PACKAGE_GROUP_NAME;
  return parseStageParameters(
    {
      project: projectEnvironmentFromEnv(env),
      modelPackage: {
        arn: `arn:aws:sagemaker:${region}:${account}:model-package/${group}/1`,
        groupName: group,
        version: 1,
      },
      stages,
    },
    file,
  );
}
