// Test helpers: stage parameters of a fictitious project, the project's CodeBuild environment and a
// recording log. External tools (cfn-lint) come from @mlops-templates/test-harness.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  exampleStageParameters,
  loadStagesConfig,
  type Log,
  type StageParameters,
  type StagesConfig,
} from '@mlops-templates/model-deploy';

export const ROOT = path.join(__dirname, '..');
export const FIXTURES = path.join(__dirname, 'fixtures');

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function committedStages(): StagesConfig {
  return loadStagesConfig(path.join(ROOT, 'config', 'stages.json'));
}

/** The committed example parameters for account 111122223333 in eu-west-1. */
export function exampleParameters(overrides: Partial<StageParameters> = {}): StageParameters {
  return {
    ...exampleStageParameters(
      '111122223333',
      'eu-west-1',
      committedStages(),
      path.join(ROOT, 'config', 'example-environment.json'),
    ),
    ...overrides,
  };
}

/** The CodeBuild environment of a project "demand" with id p-abc123def456 (as the product template sets it). */
export function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const id = 'p-abc123def456';
  const long = `sagemaker-demand-${id}`;
  return {
    SAGEMAKER_PROJECT_NAME: 'demand',
    SAGEMAKER_PROJECT_ID: id,
    PROJECT_BUCKET: `sagemaker-${id}-111122223333`,
    MODEL_PACKAGE_GROUP_NAME: long,
    DATA_CAPTURE_PREFIX: 'data-capture/',
    SAGEMAKER_EXECUTION_ROLE_ARN: `arn:aws:iam::111122223333:role/sagemaker-${id}-sagemaker-execution`,
    PROJECT_KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    STAGING_ENDPOINT_NAME: `sagemaker-${id}-staging`,
    PROD_ENDPOINT_NAME: `sagemaker-${id}-prod`,
    STAGING_DEPLOY_STACK_NAME: `${long}-deploy-staging`,
    PROD_DEPLOY_STACK_NAME: `${long}-deploy-prod`,
    ALARM_NAME_PREFIX: `${long}-accuracy-`,
    CONFIG_PARAMETER_NAME: `/sagemaker/demand-${id}/config`,
    STAGING_ALARM_THRESHOLD_PARAMETER_NAME: `/sagemaker/demand-${id}/staging/alarm-threshold`,
    PROD_ALARM_THRESHOLD_PARAMETER_NAME: `/sagemaker/demand-${id}/prod/alarm-threshold`,
    PREDICTION_LENGTH: '14',
    FREQUENCY: '1H',
    ...extra,
  };
}

/** A log that keeps its lines. */
export function recordingLog(): Log & { lines: string[]; text(): string } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    text: () => lines.join('\n'),
  };
}
