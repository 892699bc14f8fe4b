// Runs the Python cfn-lint over CloudFormation templates and returns its findings; zero findings
// means no errors and no warnings. Combine with `describeWithTool(CFN_LINT, ...)` so a missing
// cfn-lint skips (or fails under CI).
import { spawnSync } from 'node:child_process';
import { CFN_LINT } from './tools';

/** Result of a cfn-lint run. */
export interface CfnLintResult {
  /** Exit status (0 = clean). */
  readonly status: number | null;
  /** Findings as printed by cfn-lint (parseable format), one per line. */
  readonly findings: string[];
}

/** Options of {@link cfnLint}. */
export interface CfnLintOptions {
  /**
   * Working directory (a `.cfnlintrc.yaml` there applies).
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * Executable to run.
   * @default 'cfn-lint' on PATH
   */
  readonly command?: string;
}

/** Lints the given template files in one cfn-lint process. */
export function cfnLint(files: string[], options: CfnLintOptions = {}): CfnLintResult {
  if (files.length === 0) throw new Error('cfnLint: files is empty (nothing to lint is never a pass)');
  const r = spawnSync(options.command ?? CFN_LINT.command, ['--format', 'parseable', '--', ...files], {
    cwd: options.cwd ?? process.cwd(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) {
    throw new Error(`cfnLint: could not run ${options.command ?? CFN_LINT.command}: ${r.error.message}`);
  }
  const findings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim().length > 0);
  return { status: r.status, findings };
}
