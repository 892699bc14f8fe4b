// What the command-line scripts share: loading configuration, an output sink that tests can capture,
// and turning errors into an exit code with a message (never a stack trace for a known problem).
import { EnvironmentError } from '../config/environment';
import { loadHyperparameters, DeepArHyperparameters } from '../config/hyperparameters';
import { loadPipelineConfig, PipelineConfig } from '../config/pipeline-config';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const PROCESS_OUTPUT: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export interface RepositoryConfig {
  readonly hyperparameters: DeepArHyperparameters;
  readonly config: PipelineConfig;
}

export function loadRepositoryConfig(): RepositoryConfig {
  return { hyperparameters: loadHyperparameters(), config: loadPipelineConfig() };
}

/** Exit codes of the scripts. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Reports an error on stderr and returns the exit code for it. */
export function reportError(error: unknown, output: Output): number {
  if (error instanceof EnvironmentError || error instanceof UsageError) {
    output.err(error.message);
    return error instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  output.err(message);
  return EXIT.failed;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs a script's main when the file is executed directly, setting the exit code. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportError(error, PROCESS_OUTPUT);
    },
  );
}
