// The skip-or-fail policy: the pure decision for every case, then describeWithTool end to end in a
// child jest (negative controls: CI set + tool missing fails the run; a missing tool without CI is a
// skip that names the install hint; never a silent pass).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  CFN_LINT,
  CFN_LINT_VERSION,
  excludedTools,
  isCi,
  MOTO_SERVER,
  MOTO_VERSION,
  toolGate,
  toolVersion,
} from '../src';

describe('toolGate', () => {
  test('an available tool runs, whatever CI says', () => {
    expect(toolGate(CFN_LINT, 'lint', true, true)).toEqual({ action: 'run' });
    expect(toolGate(CFN_LINT, 'lint', true, false)).toEqual({ action: 'run' });
  });

  test('a missing tool without CI is a skip naming the tool and the pinned install command', () => {
    expect(toolGate(MOTO_SERVER, 'integration', false, false)).toEqual({
      action: 'skip',
      message: `moto_server is not installed: integration needs it. Install it with: pip install 'moto[server]==${MOTO_VERSION}'`,
    });
  });

  test('an excluded tool (test:fast) is a skip naming the exclusion, and a failure under CI', () => {
    expect(toolGate(MOTO_SERVER, 'integration', true, false, ['moto_server'])).toEqual({
      action: 'skip',
      message: expect.stringMatching(
        /moto_server is excluded by TEST_HARNESS_EXCLUDE: integration did not run/,
      ),
    });
    expect(toolGate(MOTO_SERVER, 'integration', true, true, ['moto_server']).action).toBe('fail');
    expect(toolGate(CFN_LINT, 'lint', true, false, ['moto_server'])).toEqual({ action: 'run' });
    expect(excludedTools({ TEST_HARNESS_EXCLUDE: ' moto_server, cfn-lint ' })).toEqual([
      'moto_server',
      'cfn-lint',
    ]);
    expect(excludedTools({})).toEqual([]);
  });

  test('negative control: a missing tool under CI is a failure', () => {
    const gate = toolGate(CFN_LINT, 'lint', false, true);
    expect(gate.action).toBe('fail');
    expect(gate).toMatchObject({ message: expect.stringMatching(/cfn-lint is not installed.*CI is set/) });
  });
});

test('isCi: set to anything but empty, false or 0', () => {
  expect(
    [undefined, '', 'false', '0', 'true', '1', 'yes'].map((CI) => isCi(CI === undefined ? {} : { CI })),
  ).toEqual([false, false, false, false, true, true, true]);
});

test('the pinned versions are the pip requirements the buildspecs install', () => {
  expect(CFN_LINT.pipRequirement).toBe(`cfn-lint==${CFN_LINT_VERSION}`);
  expect(MOTO_SERVER.pipRequirement).toBe(`moto[server]==${MOTO_VERSION}`);
});

test('toolVersion: the first line of a runnable tool, undefined for a missing one', () => {
  const node = { ...CFN_LINT, command: process.execPath };
  expect(toolVersion(node)).toBe(process.version);
  expect(toolVersion({ ...CFN_LINT, command: 'no-such-tool-on-path' })).toBeUndefined();
});

describe('describeWithTool in a child jest', () => {
  const packageDir = path.join(__dirname, '..');
  const config = JSON.stringify({
    rootDir: packageDir,
    testMatch: ['<rootDir>/test/fixtures/gated.fixture.ts'],
    transform: {
      '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    },
  });
  const runFixture = (tool: string, ci: string | undefined, extra: NodeJS.ProcessEnv = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HARNESS_FIXTURE_TOOL: tool };
    delete env.CI;
    delete env.TEST_HARNESS_EXCLUDE;
    Object.assign(env, extra);
    delete env.JEST_WORKER_ID;
    if (ci !== undefined) env.CI = ci;
    const r = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--config', config, '--ci', '--silent=false', '--reporters=default'],
      { cwd: packageDir, env, encoding: 'utf8', timeout: 120_000 },
    );
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  test('negative control: CI set and the tool missing fails the run, naming the tool', () => {
    const r = runFixture('no-such-tool-on-path', 'true');
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/requires no-such-tool-on-path/);
    expect(r.output).toMatch(/CI is set, so a missing tool is a failure/);
  });

  test('without CI a missing tool is reported as skipped with the install hint (not passed)', () => {
    const r = runFixture('no-such-tool-on-path', undefined);
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/SKIPPED: no-such-tool-on-path is not installed.*pip install fixture-tool/);
    expect(r.output).toMatch(/1 skipped/);
    expect(r.output).not.toMatch(/1 passed/);
  });

  test('an excluded tool is reported as skipped, naming the exclusion', () => {
    const r = runFixture(process.execPath, undefined, { TEST_HARNESS_EXCLUDE: process.execPath });
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/excluded by TEST_HARNESS_EXCLUDE/);
    expect(r.output).toMatch(/1 skipped/);
  });

  test('an available tool runs the block', () => {
    const r = runFixture(process.execPath, 'true');
    expect(r.status).toBe(0);
    expect(r.output).toMatch(/1 passed/);
  });
});
