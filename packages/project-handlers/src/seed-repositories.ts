// CLI entry of the repository seeding, run by the seeding CodeBuild job (`node seed-repositories.js`
// next to the `seed/<repo>/` folders) after git has been given the connection's credential helper.
// Seeds each existing, empty third-party repository through the CodeConnections git-http endpoint,
// writes `seed-report.json` (and SEED_REPORT_S3_URI), and exits 1 when any repository failed.
// See README.md for the environment variables.
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import {
  loadSeedingConfig,
  parseS3ObjectUri,
  type SeedingConfig,
  SeedingConfigError,
} from './seeding/config';
import { createGitRunner } from './seeding/git';
import { exitCodeFor, type SeedReport } from './seeding/plan';
import { publishReport, runSeeding } from './seeding/run';

/** Name of the report file written in the working folder. */
export const REPORT_FILE_NAME = 'seed-report.json';

export interface SeedCliOptions {
  readonly env: Record<string, string | undefined>;
  /** Folder against which relative seed directories are resolved (the bundle's folder). */
  readonly baseDir: string;
  /** Path of the local report file. */
  readonly reportFile: string;
  readonly s3Client?: (region: string | undefined) => S3Client;
  readonly print?: (line: string) => void;
  readonly printError?: (line: string) => void;
  /** Parent folder of the temporary work trees. */
  readonly workRoot?: string;
}

/** Runs the CLI; resolves to its exit code (never rejects). */
export async function main(options: SeedCliOptions): Promise<0 | 1> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const printError = options.printError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const makeS3 = options.s3Client ?? ((region: string | undefined) => new S3Client({ region }));
  const buildId = options.env.CODEBUILD_BUILD_ID || undefined;

  let config: SeedingConfig;
  try {
    config = loadSeedingConfig(options.env, options.baseDir);
  } catch (error) {
    const message =
      error instanceof SeedingConfigError
        ? error.message
        : `Invalid seed-repositories configuration: ${error}`;
    printError(message);
    // Best effort: the waiting custom resource then shows the configuration problem, not just "exit 1".
    const report: SeedReport = { results: [], error: message, ...(buildId && { buildId }) };
    const target = parseS3ObjectUri(options.env.SEED_REPORT_S3_URI ?? '');
    await publishReport(report, {
      file: options.reportFile,
      ...(target && { s3: { client: makeS3(options.env.AWS_REGION), ...target } }),
    }).catch((e: Error) => printError(`could not publish the report: ${e.message}`));
    return 1;
  }

  try {
    const report = await runSeeding(config, {
      git: createGitRunner({ env: options.env, author: config.author }),
      print,
      buildId,
      workRoot: options.workRoot,
    });
    await publishReport(report, {
      file: options.reportFile,
      ...(config.reportS3 && { s3: { client: makeS3(config.region), ...config.reportS3 } }),
    });
    return exitCodeFor(report);
  } catch (error) {
    printError(`seeding aborted: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void main({
    env: process.env,
    baseDir: __dirname,
    reportFile: resolve(REPORT_FILE_NAME),
  }).then((code) => {
    process.exitCode = code;
  });
}
