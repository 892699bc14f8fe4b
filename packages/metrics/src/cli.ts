// The `mlops-metrics` command line: `wql` (weighted quantile loss of a JSON document) and
// `evaluate` (captured DeepAR forecasts against ground truth). Prints exactly one JSON object on
// stdout; diagnostics go to stderr. Exit codes: 0 done, 1 invalid input, 2 bad usage, 3 `evaluate`
// found nothing to evaluate.

import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { MetricsInputError } from './errors';
import type { MalformedLine } from './evaluate';
import { evaluateDirectories, QUANTILES_FROM_DATA } from './evaluate';
import type { AccuracyResult } from './wql-accumulator';
import { evaluateWqlDocument, parseWqlInput } from './wql-input';

/** The streams the CLI uses (the process's own by default). */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Exit codes of {@link main}. */
export const EXIT_OK = 0;
export const EXIT_INVALID_INPUT = 1;
export const EXIT_USAGE = 2;
/** `evaluate` evaluated no point (nothing matched, or every matched record was malformed). */
export const EXIT_NOTHING_EVALUATED = 3;

/** How many malformed lines `evaluate` prints on stderr (all are counted). */
const MALFORMED_LINES_SHOWN = 5;

export const USAGE = `Usage:
  mlops-metrics wql --input FILE|- [--quantiles 0.1,0.5,0.9]
      Weighted quantile loss of {"target":[...],"quantiles":{"0.1":[...],...},"mean":[...]}
      or {"series":[{...}, ...]} ("-" reads stdin). Prints {"wQL":{...},"mean_wQL":m,"points":n,...}.
  mlops-metrics evaluate --capture DIR --ground-truth DIR [--quantiles 0.1,...,0.9]
      Joins SageMaker data capture of a DeepAR endpoint with ground-truth records (every *.jsonl
      under both folders) and prints {"matched":..,"unmatchedCapture":..,"unmatchedGroundTruth":..,
      "malformed":..,"points":..,"wQL":{...},"mean_wQL":..,"rmse":..,...}. Without --quantiles,
      the levels each request asked for (configuration.quantiles), else its response's levels;
      records whose set differs from the first evaluated record's are counted as malformed.
  mlops-metrics help
Exit codes: 0 done (evaluate: at least one point evaluated), 1 invalid input, 2 bad usage,
  3 evaluate evaluated no point (nothing matched, or every matched record was malformed; the
  summary JSON is still printed).
`;

class UsageError extends Error {}

/** Runs the CLI with `argv` (without `node` and the script path) and returns the exit code. */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const streams: CliIo = {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'wql':
        return await runWql(rest, streams);
      case 'evaluate':
        return await runEvaluate(rest, streams);
      case 'help':
      case '--help':
      case '-h':
        await write(streams.stdout, USAGE);
        return EXIT_OK;
      default:
        throw new UsageError(
          command === undefined ? 'missing command' : `unknown command ${JSON.stringify(command)}`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      await write(streams.stderr, `mlops-metrics: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    const kind = error instanceof MetricsInputError ? 'invalid input' : 'error';
    await write(streams.stderr, `mlops-metrics: ${kind}: ${message}\n`);
    return EXIT_INVALID_INPUT;
  }
}

async function runWql(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { input: { type: 'string' }, quantiles: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.input === undefined) throw new UsageError('wql needs --input FILE (or --input - for stdin)');
  const quantiles = parseQuantilesFlag(values.quantiles);
  const text = values.input === '-' ? await readAll(io.stdin) : await readInputFile(values.input);
  const result = evaluateWqlDocument(parseWqlInput(text), { quantiles });
  await writeJson(io.stdout, { ...accuracyOutput(result), rmse: result.rmse, coverage: result.coverage });
  return EXIT_OK;
}

async function runEvaluate(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      capture: { type: 'string' },
      'ground-truth': { type: 'string' },
      quantiles: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const captureDir = values.capture;
  const groundTruthDir = values['ground-truth'];
  if (captureDir === undefined || groundTruthDir === undefined) {
    throw new UsageError('evaluate needs --capture DIR and --ground-truth DIR');
  }
  const summary = await evaluateDirectories(captureDir, groundTruthDir, {
    quantiles: parseQuantilesFlag(values.quantiles) ?? QUANTILES_FROM_DATA,
    maxMalformedExamples: MALFORMED_LINES_SHOWN,
  });
  const diagnostics = summary.malformedExamples.map((m: MalformedLine) => `${m.file}:${m.line}: ${m.reason}`);
  if (summary.malformed > 0) {
    const more = summary.malformed - diagnostics.length;
    const tail = more > 0 ? `\n... and ${more} more malformed lines` : '';
    await write(io.stderr, `malformed lines (${summary.malformed}):\n${diagnostics.join('\n')}${tail}\n`);
  }
  const accuracy = accuracyOutput(summary.accuracy);
  await writeJson(io.stdout, {
    matched: summary.matched,
    unmatchedCapture: summary.unmatchedCapture,
    unmatchedGroundTruth: summary.unmatchedGroundTruth,
    malformed: summary.malformed,
    points: accuracy.points,
    wQL: accuracy.wQL,
    mean_wQL: accuracy.mean_wQL,
    ...(accuracy.reason !== undefined ? { reason: accuracy.reason } : {}),
    rmse: summary.accuracy.rmse,
    coverage: summary.accuracy.coverage,
    malformedExamples: summary.malformedExamples,
  });
  return summary.accuracy.points > 0 ? EXIT_OK : EXIT_NOTHING_EVALUATED;
}

function accuracyOutput(
  result: AccuracyResult,
): Pick<AccuracyResult, 'wQL' | 'mean_wQL' | 'points' | 'reason'> {
  return {
    wQL: result.wQL,
    mean_wQL: result.mean_wQL,
    points: result.points,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
  };
}

function parseQuantilesFlag(flag: string | undefined): string[] | undefined {
  if (flag === undefined) return undefined;
  const keys = flag
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (keys.length === 0) throw new UsageError('--quantiles needs a comma-separated list such as 0.1,0.5,0.9');
  return keys;
}

async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new MetricsInputError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function writeJson(output: Writable, value: unknown): Promise<void> {
  await write(output, `${JSON.stringify(value)}\n`);
}

function write(output: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    output.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
