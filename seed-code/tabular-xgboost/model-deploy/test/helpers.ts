// Test helpers of this repository: the contract's example project (its CodeBuild environment and the
// stage parameters of config/), a deployment record of version 4 of its group, and a log that keeps
// its lines.
import * as path from 'node:path';
import {
  type DeploymentRecordFile,
  exampleStageParameters,
  loadStagesConfig,
  type Log,
  type StageParameters,
} from '@mlops-templates/model-deploy';
import { exampleEnvironment } from '@mlops-templates/project-contract';
import { ROOT } from '../src/deploy-options';

export const CONFIG_DIR = path.join(ROOT, 'config');

/** The CodeBuild environment of the contract's example project. */
export function exampleEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...exampleEnvironment(), ...extra };
}

/** The committed stage configuration and example project, in account 111122223333 / eu-west-1. */
export function exampleParameters(): StageParameters {
  return exampleStageParameters(
    '111122223333',
    'eu-west-1',
    loadStagesConfig(path.join(CONFIG_DIR, 'stages.json')),
    path.join(CONFIG_DIR, 'example-environment.json'),
  );
}

/** A build record of version 4 with the given package metadata. */
export function recordWith(customerMetadata: Record<string, string>): DeploymentRecordFile {
  const env = exampleEnvironment();
  const group = env.MODEL_PACKAGE_GROUP_NAME;
  const stage = (s: 'staging' | 'prod') => ({
    stackName: s === 'staging' ? env.STAGING_DEPLOY_STACK_NAME : env.PROD_DEPLOY_STACK_NAME,
    endpointName: s === 'staging' ? env.STAGING_ENDPOINT_NAME : env.PROD_ENDPOINT_NAME,
    endpointConfigName: `sagemaker-p-abcdefghijkl-${s}-0123abcd`,
    modelName: `sagemaker-p-abcdefghijkl-${s}-4567ef01`,
    instanceType: 'ml.m5.large',
  });
  return {
    modelPackage: {
      arn: `arn:aws:sagemaker:${env.AWS_REGION}:${env.AWS_ACCOUNT_ID}:model-package/${group}/4`,
      groupName: group,
      version: 4,
      approvalStatus: 'Approved',
      source: 'pipeline-variable',
      customerMetadata,
    },
    trigger: 'model-approved',
    builtAt: '2026-01-05T10:00:00.000Z',
    stages: { staging: stage('staging'), prod: stage('prod') },
  };
}

/** A log that keeps its lines. */
export function linesLog(): Log & { text(): string } {
  const lines: string[] = [];
  return {
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    text: () => lines.join('\n'),
  };
}
