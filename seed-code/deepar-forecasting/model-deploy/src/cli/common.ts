// Shared plumbing of the command-line entry points: a plain-text log for CodeBuild, usage errors,
// and one place that turns an error into a readable message and an exit code.
import { Log } from '../model-package';

/** Bad command-line usage (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Log lines on stdout, warnings on stderr (both end up in the CodeBuild log). */
export const consoleLog: Log = {
  info: (message) => process.stdout.write(`${message}\n`),
  warn: (message) => process.stderr.write(`WARNING: ${message}\n`),
};

/**
 * Runs a command: exit 0 when it resolves, 2 on a {@link UsageError} (with the usage text), 1 on
 * any other error, with its message (expected failures are errors whose message says what to do).
 */
export function runCommand(name: string, usage: string, main: () => Promise<void>): void {
  main().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      if (e instanceof UsageError) {
        process.stderr.write(`${name}: ${e.message}\n\n${usage}\n`);
        process.exitCode = 2;
        return;
      }
      const known = ['ConfigError', 'ModelPackageError', 'EndpointTestError', 'ThresholdError'].includes(
        e.name,
      );
      process.stderr.write(`ERROR (${name}): ${e.message}\n`);
      if (!known && e.stack) process.stderr.write(`${e.stack}\n`);
      process.exitCode = 1;
    },
  );
}
