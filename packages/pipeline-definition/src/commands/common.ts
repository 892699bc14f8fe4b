// What the model-build repositories' command-line scripts share: an output sink tests can capture,
// exit codes, the errors that are reported as a plain message (a usage or environment problem: never
// a stack trace), the runner of a script's main, the environment's region and example fallback, and
// the validation of a committed configuration file with a zod-like schema.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const PROCESS_OUTPUT: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Exit codes of the scripts: 0 done, 1 failed (message on stderr), 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad command-line usage (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Missing or invalid environment variables, one problem line each (exit 1). */
export class EnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n- ${problems.join('\n- ')}`);
    this.name = 'EnvironmentError';
  }
}

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

type Environment = Readonly<Record<string, string | undefined>>;

/** AWS_REGION, or CodeBuild's AWS_DEFAULT_REGION when only that is set. */
export function withRegion(env: Environment): Record<string, string | undefined> {
  return { ...env, AWS_REGION: env.AWS_REGION || env.AWS_DEFAULT_REGION };
}

/** The environment with each unset (or empty) variable taken from the examples. */
export function environmentWithExamples(
  env: Environment,
  examples: Readonly<Record<string, string>>,
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...examples };
  for (const [key, value] of Object.entries(withRegion(env))) {
    if (value !== undefined && value !== '') merged[key] = value;
  }
  return merged;
}

/** What `parseConfigDocument` needs of a schema: zod's `safeParse`. */
export interface ConfigSchema<T> {
  safeParse(document: unknown):
    | { readonly success: true; readonly data: T }
    | {
        readonly success: false;
        readonly error: {
          readonly issues: ReadonlyArray<{ readonly path: readonly PropertyKey[]; readonly message: string }>;
        };
      };
}

/** Validates a configuration document; the error lists each offending key (`invalid <source>:\n- key: …`). */
export function parseConfigDocument<T>(schema: ConfigSchema<T>, document: unknown, source: string): T {
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`invalid ${source}:\n- ${problems.join('\n- ')}`);
  }
  return parsed.data;
}

/** Runs a command's body: exit 0 when it completes, else the error reported (exit 1, or 2 for usage). */
export async function runCommand(output: Output, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return EXIT.ok;
  } catch (error) {
    return reportError(error, output);
  }
}

/** `definition`: prints the definition `build` returns as indented JSON (exit 0), or the error (exit 1). */
export async function printDefinition(
  build: () => { toJson(indent?: number): string },
  output: Output,
): Promise<number> {
  return runCommand(output, async () => output.out(build().toJson(2)));
}

/** Reads and validates a JSON configuration file (named by its base name in errors). */
export function loadConfigFile<T>(schema: ConfigSchema<T>, file: string): T {
  return parseConfigDocument(schema, JSON.parse(fs.readFileSync(file, 'utf8')), path.basename(file));
}

/** A committed configuration file: validate a document (`source` names it in errors) or load the file. */
export interface ConfigFile<T> {
  parse(document: unknown, source?: string): T;
  load(file?: string): T;
}

/** The parse/load pair of a configuration file with its schema, default file and default source name. */
export function configFile<T>(
  schema: ConfigSchema<T>,
  defaultFile: string,
  defaultSource: string,
): ConfigFile<T> {
  return {
    parse: (document, source = defaultSource) => parseConfigDocument(schema, document, source),
    load: (file = defaultFile) => loadConfigFile(schema, file),
  };
}

/** The result of reading an environment (project-contract's `readEnvironment`). */
export type EnvironmentReading<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly problems: readonly string[] };

/**
 * The parser of a repository's environment: `read` (the contract's reading with the repository's
 * schema) on the environment with AWS_REGION filled from AWS_DEFAULT_REGION; an EnvironmentError
 * listing every problem.
 */
export function environmentParser<T>(
  read: (env: Readonly<Record<string, string | undefined>>) => EnvironmentReading<T>,
): (env: Environment) => T {
  return (env) => {
    const reading = read(withRegion(env));
    if (reading.success) return reading.data;
    throw new EnvironmentError(reading.problems);
  };
}

/** An output that keeps the lines (for tests and callers that print later). */
export function capturingOutput(): Output & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}
