// Test helpers: stage parameters of a fictitious project (the contract's example project, rendered
// the way `npx projen seed:examples` renders a seed's config/example-environment.json), the project's
// CodeBuild environment (the contract's example values), a recording log and the JSON-capture stack
// options.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exampleEnvironment, renderExampleEnvironment } from '@mlops-templates/project-contract';
import type { DeployStackOptions } from '../src/deploy-stack';
import { DEPLOY_EXAMPLE_ENVIRONMENT_VARIABLES } from '../src/environment';
import type { Log } from '../src/log';
import { loadStagesConfig, StagesConfig } from '../src/stage-config';
import { exampleStageParameters, StageParameters } from '../src/stage-parameters';

export const FIXTURES = path.join(__dirname, 'fixtures');

/**
 * A seed's config/ folder: the fixture stages.json (the DeepAR seed's committed one at the time of
 * the move) and the example environment generated from the contract.
 */
export const CONFIG_DIR = ((): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-deploy-config-'));
  fs.copyFileSync(path.join(FIXTURES, 'config', 'stages.json'), path.join(dir, 'stages.json'));
  fs.writeFileSync(
    path.join(dir, 'example-environment.json'),
    renderExampleEnvironment(DEPLOY_EXAMPLE_ENVIRONMENT_VARIABLES),
  );
  return dir;
})();

export const STAGES_FILE = path.join(CONFIG_DIR, 'stages.json');

/** Stacks that capture JSON (as the DeepAR seed's do). */
export const JSON_CAPTURE: DeployStackOptions = { captureContentTypes: { json: ['application/json'] } };

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function committedStages(): StagesConfig {
  return loadStagesConfig(STAGES_FILE);
}

/** The example parameters for account 111122223333 in eu-west-1. */
export function exampleParameters(overrides: Partial<StageParameters> = {}): StageParameters {
  return {
    ...exampleStageParameters(
      '111122223333',
      'eu-west-1',
      committedStages(),
      path.join(CONFIG_DIR, 'example-environment.json'),
    ),
    ...overrides,
  };
}

/**
 * The CodeBuild environment of the contract's example project (every variable the product template
 * sets, with the contract's example values), with `extra` on top.
 */
export function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...exampleEnvironment(), ...extra };
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
