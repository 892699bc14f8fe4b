// mlops-loop-sim: `--scenario FILE [--out DIR]`. Prints one JSON summary line on stdout; with
// `--out DIR` also writes DIR/<scenario name>.svg (the timeline) and names it in the summary.
// Exit status: 0 the run completed, 2 usage or scenario error, 1 anything else.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseScenario, ScenarioError } from './scenario';
import { simulate } from './simulator';
import { summarize, type LoopSummary } from './summary';
import { renderTimeline } from './timeline-svg';

export const USAGE = `usage: mlops-loop-sim --scenario FILE [--out DIR]

Runs the DeepAR MLOps loop (real retrain decision, threshold policy and collector cores) on a
simulated clock and prints one JSON summary line. --out DIR also writes DIR/<name>.svg.
Exit status: 0 done, 2 usage or scenario error, 1 other error.`;

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs one scenario file; returns the summary (and writes the picture into `outDir`, if given). */
export async function runScenarioFile(file: string, outDir?: string): Promise<LoopSummary> {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`cannot read scenario ${file}: ${(error as Error).message}`);
  }
  const scenario = parseScenario(document);
  const result = await simulate(scenario);
  if (outDir === undefined) return summarize(result, null);
  mkdirSync(outDir, { recursive: true });
  const path = resolve(join(outDir, `${scenario.name.replace(/[^A-Za-z0-9._-]+/g, '-')}.svg`));
  const summary = summarize(result, path);
  writeFileSync(path, renderTimeline(result, summary));
  return summary;
}

export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let scenario: string | undefined;
  let outDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      io.out(USAGE);
      return 0;
    }
    if (
      (arg === '--scenario' || arg === '--out') &&
      (argv[i + 1] === undefined || argv[i + 1].startsWith('--'))
    ) {
      io.err(`${arg} needs a value\n${USAGE}`);
      return 2;
    }
    if (arg === '--scenario') {
      scenario = argv[++i];
    } else if (arg === '--out') {
      outDir = argv[++i];
    } else {
      io.err(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    }
  }
  if (scenario === undefined) {
    io.err(`--scenario is required\n${USAGE}`);
    return 2;
  }
  try {
    io.out(JSON.stringify(await runScenarioFile(scenario, outDir)));
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    return error instanceof ScenarioError ? 2 : 1;
  }
}
