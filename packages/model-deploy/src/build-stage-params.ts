// The pipeline's Build action (`npm run build:stage-params`): resolves the model package to deploy,
// applies the project's instance types, synthesizes both stage stacks and writes the files the
// CloudFormation deploy actions and the later steps read (the StageParameters artifact).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DeployStackOptions, stageTags, synthesizeStages } from './deploy-stack';
import type { DeploymentRecordFile } from './deployment-record';
import type { Log } from './log';
import { resolveModelPackage } from './model-package';
import { instanceTypeOverrides, projectConfigBaseSchema, readProjectConfigWith } from './project-config';
import { ConfigError, loadStagesConfig, STAGES, withInstanceTypes } from './stage-config';
import { projectEnvironmentFromEnv, StageParameters } from './stage-parameters';

export interface BuildStageParamsOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly outDir: string;
  readonly stagesFile: string;
  /** What the seed's stacks differ in (the captured content types of its payload codec). */
  readonly deployStack: DeployStackOptions;
  /** A `SageMaker Model Package State Change` event (local replay); overrides MODEL_PACKAGE_ARN. */
  readonly event?: unknown;
  readonly sagemaker: SageMakerClient;
  readonly ssm: SSMClient;
  readonly log: Log;
  readonly now?: () => Date;
}

/** The files written, relative to the output folder's parent (the artifact root). */
export interface BuildResult {
  readonly files: string[];
  readonly record: DeploymentRecordFile;
}

export async function buildStageParams(options: BuildStageParamsOptions): Promise<BuildResult> {
  const { env, log } = options;
  const project = projectEnvironmentFromEnv(env);
  const groupName = (env.MODEL_PACKAGE_GROUP_NAME ?? '').trim();
  if (groupName === '') throw new ConfigError('missing environment variable MODEL_PACKAGE_GROUP_NAME');
  const stages = loadStagesConfig(options.stagesFile);

  const projectConfig = await readProjectConfigWith(
    projectConfigBaseSchema,
    options.ssm,
    env.CONFIG_PARAMETER_NAME,
  );
  if (projectConfig === undefined) {
    log.warn('CONFIG_PARAMETER_NAME is not set: instance types from the stage configuration only');
  }
  const overrides = instanceTypeOverrides(projectConfig, `SSM parameter ${env.CONFIG_PARAMETER_NAME}`);
  for (const stage of STAGES) {
    const override = overrides[stage];
    if (override !== undefined && override !== stages[stage].instanceType) {
      log.info(
        `${stage}: instance type ${override} from the project configuration (stage config says ${stages[stage].instanceType})`,
      );
    }
  }

  const trigger = (env.TRIGGER ?? '').trim() || 'unset';
  const modelPackage = await resolveModelPackage(
    options.sagemaker,
    { modelPackageArn: env.MODEL_PACKAGE_ARN, trigger, event: options.event, groupName },
    log,
  );

  const parameters: StageParameters = {
    project,
    modelPackage: { arn: modelPackage.arn, groupName: modelPackage.groupName, version: modelPackage.version },
    stages: withInstanceTypes(stages, overrides),
  };
  const synthesized = synthesizeStages(parameters, options.deployStack);

  fs.mkdirSync(options.outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, content: unknown): void => {
    const file = path.join(options.outDir, name);
    fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
    written.push(file);
  };
  const record: DeploymentRecordFile = {
    modelPackage,
    trigger,
    builtAt: (options.now ?? (() => new Date()))().toISOString(),
    stages: Object.fromEntries(
      STAGES.map((stage) => [
        stage,
        {
          stackName: synthesized[stage].names.stackName,
          endpointName: synthesized[stage].names.endpoint,
          endpointConfigName: synthesized[stage].names.endpointConfig,
          modelName: synthesized[stage].names.model,
          instanceType: parameters.stages[stage].instanceType,
        },
      ]),
    ) as DeploymentRecordFile['stages'],
  };
  for (const stage of STAGES) {
    write(`${stage}.template.json`, synthesized[stage].template);
    write(`${stage}.config.json`, {
      Parameters: { ModelPackageArn: modelPackage.arn },
      Tags: stageTags(project, parameters.modelPackage, stage),
    });
    log.info(
      `${stage}: stack ${record.stages[stage].stackName}, endpoint ${record.stages[stage].endpointName} → ` +
        `config ${record.stages[stage].endpointConfigName} (${parameters.stages[stage].instanceType} × ${parameters.stages[stage].instanceCount})`,
    );
  }
  write('model-package.json', record);
  write('stage-parameters.json', parameters);
  return { files: written, record };
}
