// Runs the Python cfn-lint over CloudFormation templates (the repository's .cfnlintrc.yaml
// applies) and returns its findings; zero findings means no errors and no warnings.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Result of a cfn-lint run. */
export interface CfnLintResult {
  /** Exit status (0 = clean). */
  readonly status: number | null;
  /** Findings as printed by cfn-lint (parseable format), one per line. */
  readonly findings: string[];
}

/** Lints the given template files in one cfn-lint process. */
export function cfnLint(files: string[]): CfnLintResult {
  const r = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const findings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim().length > 0);
  return { status: r.status, findings };
}
