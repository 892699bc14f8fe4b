// Everything the deploy stacks are synthesized from: the project's names and roles (from the
// CodeBuild environment the project template sets), the resolved model package and the stage
// configuration. The build step writes it to deploy/stage-parameters.json; `cdk synth` reads that
// file, or falls back to the committed placeholders in config/example-environment.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigError, describeIssues, parseStagesConfig, StagesConfig } from './stage-config';

/** `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`. */
export const MODEL_PACKAGE_ARN =
  /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/([a-zA-Z0-9-]{1,63})\/(\d+)$/;

const nonEmpty = z.string().min(1, 'must not be empty');
const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN');
const kmsKeyArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/, 'must be a KMS key ARN');
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name');
const prefix = z.string().regex(/^([a-zA-Z0-9!_.*'()-]+\/)+$/, 'must be a key prefix ending with "/"');
const resourceName = z
  .string()
  .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'must be 1-63 letters, digits or inner hyphens');

const projectSchema = z
  .object({
    projectName: nonEmpty,
    projectId: z
      .string()
      .regex(/^[a-z0-9-]{1,16}$/, 'must be a SageMaker project id such as "p-abcdef123456"'),
    projectBucket: bucketName,
    dataCapturePrefix: prefix,
    executionRoleArn: roleArn,
    kmsKeyArn,
    endpointNames: z.object({ staging: resourceName, prod: resourceName }).strict(),
    stackNames: z.object({ staging: nonEmpty, prod: nonEmpty }).strict(),
    /** Prefix of the project's accuracy alarms (the retrain rule matches it); ours must not use it. */
    accuracyAlarmNamePrefix: nonEmpty,
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

/** Environment variables the project template gives every CodeBuild project (those used here). */
export const PROJECT_ENV_VARS = {
  projectName: 'SAGEMAKER_PROJECT_NAME',
  projectId: 'SAGEMAKER_PROJECT_ID',
  projectBucket: 'PROJECT_BUCKET',
  dataCapturePrefix: 'DATA_CAPTURE_PREFIX',
  executionRoleArn: 'SAGEMAKER_EXECUTION_ROLE_ARN',
  kmsKeyArn: 'PROJECT_KMS_KEY_ARN',
  stagingEndpoint: 'STAGING_ENDPOINT_NAME',
  prodEndpoint: 'PROD_ENDPOINT_NAME',
  stagingStack: 'STAGING_DEPLOY_STACK_NAME',
  prodStack: 'PROD_DEPLOY_STACK_NAME',
  accuracyAlarmNamePrefix: 'ALARM_NAME_PREFIX',
} as const;

/** The project's names and roles from the CodeBuild environment; throws naming every missing/bad variable. */
export function projectEnvironmentFromEnv(env: NodeJS.ProcessEnv): ProjectEnvironment {
  const v = PROJECT_ENV_VARS;
  const missing = Object.values(v).filter((name) => (env[name] ?? '').trim() === '');
  if (missing.length > 0) {
    throw new ConfigError(
      `missing environment variable(s) ${missing.join(', ')} (set by the project template on its CodeBuild projects; see README "Environment")`,
    );
  }
  const get = (name: string): string => (env[name] as string).trim();
  const candidate = {
    projectName: get(v.projectName),
    projectId: get(v.projectId),
    projectBucket: get(v.projectBucket),
    dataCapturePrefix: get(v.dataCapturePrefix),
    executionRoleArn: get(v.executionRoleArn),
    kmsKeyArn: get(v.kmsKeyArn),
    endpointNames: { staging: get(v.stagingEndpoint), prod: get(v.prodEndpoint) },
    stackNames: { staging: get(v.stagingStack), prod: get(v.prodStack) },
    accuracyAlarmNamePrefix: get(v.accuracyAlarmNamePrefix),
  };
  const parsed = projectSchema.safeParse(candidate);
  if (!parsed.success) {
    const byField: Record<string, string> = {
      projectName: v.projectName,
      projectId: v.projectId,
      projectBucket: v.projectBucket,
      dataCapturePrefix: v.dataCapturePrefix,
      executionRoleArn: v.executionRoleArn,
      kmsKeyArn: v.kmsKeyArn,
      'endpointNames.staging': v.stagingEndpoint,
      'endpointNames.prod': v.prodEndpoint,
      'stackNames.staging': v.stagingStack,
      'stackNames.prod': v.prodStack,
      accuracyAlarmNamePrefix: v.accuracyAlarmNamePrefix,
    };
    const lines = parsed.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.');
      const name = byField[field] ?? field;
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid environment:\n  - ${lines.join('\n  - ')}`);
  }
  return parsed.data;
}

/** Folder of the committed configuration (config/). */
export const CONFIG_DIR = path.join(__dirname, '..', 'config');

/**
 * The committed example stage parameters (config/example-environment.json with `${ACCOUNT}` and
 * `${REGION}` replaced) plus the stage configuration: placeholders that let `cdk synth` run with no
 * project and no AWS credentials. The templates are examples, not meant to be deployed.
 */
export function exampleStageParameters(
  account: string,
  region: string,
  stages: StagesConfig,
  file = path.join(CONFIG_DIR, 'example-environment.json'),
): StageParameters {
  const text = fs
    .readFileSync(file, 'utf8')
    .replaceAll('${ACCOUNT}', account)
    .replaceAll('${REGION}', region);
  const document = JSON.parse(text) as Record<string, unknown>;
  delete document._comment;
  return parseStageParameters({ ...document, stages }, file);
}
