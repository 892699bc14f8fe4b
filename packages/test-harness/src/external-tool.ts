// The skip-or-fail policy for tests that need a tool installed outside npm (cfn-lint, moto_server):
// when the tool is missing, the tests are reported as skipped with the install hint, except under CI
// (`CI` set), where a missing tool fails the run. Never a silent pass.
import { spawnSync } from 'node:child_process';
import { type ExternalTool } from './tools';

const cache = new Map<string, string | undefined>();

/** The tool's version line, or undefined when it cannot be run. */
export function toolVersion(tool: ExternalTool): string | undefined {
  const key = `${tool.command}\0${tool.versionArgs.join('\0')}`;
  if (!cache.has(key)) {
    const r = spawnSync(tool.command, tool.versionArgs, { encoding: 'utf8' });
    cache.set(key, r.status === 0 ? (r.stdout || r.stderr).split('\n')[0].trim() : undefined);
  }
  return cache.get(key);
}

/** True when `env` says we run under CI (`CI` set to anything but empty, `false` or `0`). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** What to do with a block of tests that needs a tool. */
export type ToolGate =
  | { readonly action: 'run' }
  | { readonly action: 'skip'; readonly message: string }
  | { readonly action: 'fail'; readonly message: string };

/**
 * Commands excluded by `TEST_HARNESS_EXCLUDE` (comma-separated; `npx projen test:fast` excludes
 * moto_server): their blocks are reported as skipped, or fail under CI, like a missing tool.
 */
export function excludedTools(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.TEST_HARNESS_EXCLUDE ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/**
 * The policy: run when the tool is available (and not excluded); otherwise fail under CI, else skip
 * with the install hint (or the exclusion).
 */
export function toolGate(
  tool: ExternalTool,
  name: string,
  available: boolean,
  ci: boolean,
  excluded: readonly string[] = [],
): ToolGate {
  if (excluded.includes(tool.command)) {
    const message = `${tool.command} is excluded by TEST_HARNESS_EXCLUDE: ${name} did not run (npx projen test runs it)`;
    return ci
      ? { action: 'fail', message: `${message}; CI is set, so every gate must run` }
      : { action: 'skip', message };
  }
  if (available) return { action: 'run' };
  const message = `${tool.command} is not installed: ${name} needs it. Install it with: ${tool.installHint}`;
  return ci
    ? { action: 'fail', message: `${message} (CI is set, so a missing tool is a failure)` }
    : { action: 'skip', message };
}

/**
 * `describe` when the tool is available; otherwise a skipped block with the install hint, or,
 * under CI, a failing test that names the missing tool.
 */
export function describeWithTool(tool: ExternalTool, name: string, fn: () => void): void {
  const gate = toolGate(tool, name, toolVersion(tool) !== undefined, isCi(), excludedTools());
  switch (gate.action) {
    case 'run':
      describe(name, fn);
      return;
    case 'fail':
      describe(name, () => {
        test(`requires ${tool.command}`, () => {
          throw new Error(gate.message);
        });
      });
      return;
    case 'skip':
      // eslint-disable-next-line no-console
      console.warn(`SKIPPED: ${gate.message}`);
      describe.skip(`${name} [skipped: ${gate.message}]`, fn);
      return;
  }
}
