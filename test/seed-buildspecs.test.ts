// Every gate that runs in the monorepo also runs, and fails loudly, in the project's own pipelines
// (#15 point 6): a seeded repository whose tests use an external tool (cfn-lint, moto_server, through
// its describeWithTool harness) has a buildspec that installs that tool and sets CI, so a missing tool
// fails the build instead of skipping the test. Negative control: the check on a buildspec without them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { SEED_DIRECTORY, SEEDED_REPOSITORIES } from '../templates/deepar-forecasting/seeded-repositories';

interface Buildspec {
  env?: { variables?: Record<string, string> };
  phases?: { install?: { commands?: string[] } };
}

/** The tools a seed's tests use, from the harness descriptors they import. */
function toolsUsedByTests(seedDir: string): Set<'cfn-lint' | 'moto'> {
  const used = new Set<'cfn-lint' | 'moto'>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(f);
      } else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(f, 'utf8');
        if (/describeWithTool\(\s*CFN_LINT/.test(text)) used.add('cfn-lint');
        if (/describeWithTool\(\s*MOTO_SERVER/.test(text)) used.add('moto');
      }
    }
  };
  const testDir = path.join(seedDir, 'test');
  if (fs.existsSync(testDir)) walk(testDir);
  return used;
}

/** What is wrong with `spec` for a seed whose tests use `tools`. */
function buildspecProblems(spec: Buildspec, tools: Set<'cfn-lint' | 'moto'>): string[] {
  if (tools.size === 0) return [];
  const problems: string[] = [];
  if (spec.env?.variables?.CI !== 'true') problems.push('env.variables.CI is not "true"');
  const install = (spec.phases?.install?.commands ?? []).join('\n');
  if (tools.has('cfn-lint') && !/pip3? install[^\n]*cfn-lint==/.test(install)) {
    problems.push('the install phase does not install a pinned cfn-lint');
  }
  if (tools.has('moto') && !/pip3? install[^\n]*moto\[server\]==/.test(install)) {
    problems.push('the install phase does not install a pinned moto[server]');
  }
  return problems;
}

describe.each(Object.keys(SEEDED_REPOSITORIES))('seeded repository %s', (repo) => {
  test('its buildspec installs every external tool its tests use and makes their gates mandatory', () => {
    const dir = path.join(SEED_DIRECTORY, repo);
    const spec = YAML.parse(fs.readFileSync(path.join(dir, 'buildspec.yml'), 'utf8')) as Buildspec;
    expect(buildspecProblems(spec, toolsUsedByTests(dir))).toEqual([]);
  });
});

test('negative control: a buildspec that neither installs the tools nor sets CI is reported', () => {
  const spec: Buildspec = { phases: { install: { commands: ['npm ci'] } } };
  expect(buildspecProblems(spec, new Set(['cfn-lint', 'moto']))).toEqual([
    'env.variables.CI is not "true"',
    'the install phase does not install a pinned cfn-lint',
    'the install phase does not install a pinned moto[server]',
  ]);
  expect(toolsUsedByTests(path.join(SEED_DIRECTORY, 'monitoring'))).toEqual(new Set(['cfn-lint', 'moto']));
});
