// Every gate that runs in the monorepo also runs, and fails loudly, in the project's own pipelines
// (#15 point 6): every buildspec of a seeded repository that runs `npm test` sets CI and installs the
// pinned version (the test harness's pip requirement) of each external tool its tests gate on with
// describeWithTool (cfn-lint, moto_server), so a missing tool fails the build instead of skipping the
// test; and no seed carries its own copy of the harness. Negative controls: a buildspec without them,
// a wrong pin, a seed with a copied describeWithTool.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CFN_LINT, MOTO_SERVER } from '@mlops-templates/test-harness';
import YAML from 'yaml';
import { SEED_DIRECTORY, SEEDED_REPOSITORIES } from '../templates/deepar-forecasting/seeded-repositories';

interface Buildspec {
  env?: { variables?: Record<string, string> };
  phases?: Record<string, { commands?: string[] } | undefined>;
}

/** Every TypeScript file under `dir` (relative paths). */
function tsFiles(dir: string, rel = ''): string[] {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = path.join(rel, e.name);
    if (e.isDirectory()) {
      return ['node_modules', 'vendor', 'cdk.out', 'dist'].includes(e.name) ? [] : tsFiles(dir, child);
    }
    return e.name.endsWith('.ts') ? [child] : [];
  });
}

/** Files of a seed that define their own describeWithTool (the harness is vendored, never copied). */
function harnessCopies(seedDir: string): string[] {
  return tsFiles(seedDir).filter((f) =>
    /function describeWithTool|function startMotoServer/.test(fs.readFileSync(path.join(seedDir, f), 'utf8')),
  );
}

/** The buildspecs of a seed that run its tests. */
function testingBuildspecs(seedDir: string): Array<[string, Buildspec]> {
  return fs
    .readdirSync(seedDir)
    .filter((f) => /^buildspec.*\.yml$/.test(f))
    .map((f): [string, Buildspec] => [
      f,
      YAML.parse(fs.readFileSync(path.join(seedDir, f), 'utf8')) as Buildspec,
    ])
    .filter(([, spec]) =>
      Object.values(spec.phases ?? {}).some((p) =>
        (p?.commands ?? []).some((c) => /^npm (run )?test(\s|$)/.test(c)),
      ),
    );
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
  const problems: string[] = [];
  if (spec.env?.variables?.CI !== 'true') problems.push('env.variables.CI is not "true"');
  const install = (spec.phases?.install?.commands ?? []).join('\n');
  const pinned = (requirement: string) =>
    install.includes(`pip3 install --quiet`) && install.includes(`"${requirement}"`);
  if (tools.has('cfn-lint') && !pinned(CFN_LINT.pipRequirement)) {
    problems.push(`the install phase does not install ${CFN_LINT.pipRequirement}`);
  }
  if (tools.has('moto') && !pinned(MOTO_SERVER.pipRequirement)) {
    problems.push(`the install phase does not install ${MOTO_SERVER.pipRequirement}`);
  }
  return problems;
}

describe.each(Object.keys(SEEDED_REPOSITORIES))('seeded repository %s', (repo) => {
  const dir = path.join(SEED_DIRECTORY, repo);

  test('every buildspec running its tests installs the pinned tools they use and makes their gates mandatory', () => {
    const specs = testingBuildspecs(dir);
    expect(specs.map(([f]) => f)).toContain('buildspec.yml');
    const tools = toolsUsedByTests(dir);
    expect(Object.fromEntries(specs.map(([f, spec]) => [f, buildspecProblems(spec, tools)]))).toEqual(
      Object.fromEntries(specs.map(([f]) => [f, []])),
    );
  });

  test('its npm test type-checks, lints (ESLint and prettier) and runs jest', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.test.split(' && ')).toEqual([
      'npm run --silent typecheck',
      'npm run --silent lint',
      'jest',
    ]);
    expect(pkg.scripts.lint).toMatch(/^eslint --max-warnings 0 \. && prettier --check /);
  });

  test('its tests use the vendored test harness, no copy of it', () => {
    expect(harnessCopies(dir)).toEqual([]);
  });
});

test('negative control: a buildspec that neither installs the tools nor sets CI is reported', () => {
  const spec: Buildspec = { phases: { install: { commands: ['npm ci'] } } };
  expect(buildspecProblems(spec, new Set(['cfn-lint', 'moto']))).toEqual([
    'env.variables.CI is not "true"',
    `the install phase does not install ${CFN_LINT.pipRequirement}`,
    `the install phase does not install ${MOTO_SERVER.pipRequirement}`,
  ]);
  // A pin other than the harness's is reported too.
  const wrongPin: Buildspec = {
    env: { variables: { CI: 'true' } },
    phases: { install: { commands: ['pip3 install --quiet "cfn-lint==1.0.0"', 'npm ci'] } },
  };
  expect(buildspecProblems(wrongPin, new Set(['cfn-lint']))).toEqual([
    `the install phase does not install ${CFN_LINT.pipRequirement}`,
  ]);
  expect(toolsUsedByTests(path.join(SEED_DIRECTORY, 'monitoring'))).toEqual(new Set(['cfn-lint', 'moto']));
  expect(toolsUsedByTests(path.join(SEED_DIRECTORY, 'model-deploy'))).toEqual(new Set(['cfn-lint']));
});

test('negative control: a seed with its own describeWithTool is reported', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-harness-copy-'));
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(path.join(dir, 'test', 'helpers.ts'), 'export function describeWithTool() {}\n');
  expect(harnessCopies(dir)).toEqual([path.join('test', 'helpers.ts')]);
  fs.rmSync(dir, { recursive: true, force: true });
});
