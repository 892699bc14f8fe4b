// Copied from the mlops-templates repository (test/harness) so this repository runs standalone.
// Tests that need a tool installed outside npm (cfn-lint, moto_server) use this: when the tool is
// missing they are reported as skipped with the install hint, except under CI (`CI` set), where a
// missing tool fails the run. Never a silent pass.
import { spawnSync } from 'node:child_process';

/** An external command-line tool a test depends on. */
export interface ExternalTool {
  /** Executable name looked up on PATH. */
  readonly command: string;
  /** Arguments that make it print its version and exit 0. */
  readonly versionArgs: string[];
  /** What to run to install it. */
  readonly installHint: string;
}

export const CFN_LINT: ExternalTool = {
  command: 'cfn-lint',
  versionArgs: ['--version'],
  installHint: 'pip install cfn-lint',
};

export const MOTO_SERVER: ExternalTool = {
  command: 'moto_server',
  versionArgs: ['--help'],
  installHint: "pip install 'moto[server]'",
};

const cache = new Map<string, string | undefined>();

/** The tool's version line, or undefined when it cannot be run. */
export function toolVersion(tool: ExternalTool): string | undefined {
  if (!cache.has(tool.command)) {
    const r = spawnSync(tool.command, tool.versionArgs, { encoding: 'utf8' });
    cache.set(tool.command, r.status === 0 ? (r.stdout || r.stderr).split('\n')[0].trim() : undefined);
  }
  return cache.get(tool.command);
}

/** True when running under CI, where every gate is mandatory. */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * `describe` when the tool is available; otherwise a skipped block with the install hint, or,
 * under CI, a failing test that names the missing tool.
 */
export function describeWithTool(tool: ExternalTool, name: string, fn: () => void): void {
  if (toolVersion(tool) !== undefined) {
    describe(name, fn);
    return;
  }
  const message = `${tool.command} is not installed: ${name} needs it. Install it with: ${tool.installHint}`;
  if (isCi()) {
    describe(name, () => {
      test(`requires ${tool.command}`, () => {
        throw new Error(`${message} (CI is set, so a missing tool is a failure)`);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: ${message}`);
  describe.skip(`${name} [skipped: ${tool.command} missing, ${tool.installHint}]`, fn);
}
