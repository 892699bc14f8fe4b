// Test helpers: stage parameters of a fictitious project, the project's CodeBuild environment (the
// contract's example project) and a recording log. External tools (cfn-lint) come from @mlops-templates/test-harness.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  exampleStageParameters,
  loadStagesConfig,
  type Log,
  type StageParameters,
  type StagesConfig,
} from '@mlops-templates/model-deploy';
import { exampleEnvironment } from '@mlops-templates/project-contract';

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

/** The prediction length of the committed endpoint-test fixtures (their responses forecast 14 steps). */
export const FIXTURE_PREDICTION_LENGTH = '14';

/**
 * The CodeBuild environment of the contract's example project (every variable the product template
 * sets, with the contract's example values), configured with the fixtures' prediction length, with
 * `extra` on top.
 */
export function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...exampleEnvironment(), PREDICTION_LENGTH: FIXTURE_PREDICTION_LENGTH, ...extra };
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
