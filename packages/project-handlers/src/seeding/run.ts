// Orchestration of the seeding CLI: seeds the configured repositories in order (one JSON line each),
// builds the report, and publishes it to a local file and optionally to S3.
import { writeFileSync } from 'node:fs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { remoteUrlFor, type SeedingConfig } from './config';
import { type GitRunner, seedRepository } from './git';
import { type SeedReport, summarizeResults } from './plan';
import { withContext } from '../common/aws-errors';

export interface RunSeedingDeps {
  readonly git: GitRunner;
  /** Receives one line of output (a JSON object) per repository and for the summary. */
  readonly print: (line: string) => void;
  readonly buildId?: string;
  readonly workRoot?: string;
}

/** Seeds every configured repository, in order; one repository's failure does not stop the others. */
export async function runSeeding(config: SeedingConfig, deps: RunSeedingDeps): Promise<SeedReport> {
  const results = [];
  for (const repository of config.repositories) {
    const result = await seedRepository(
      {
        ...repository,
        remoteUrl: remoteUrlFor(repository.repositoryId, config.connection, config.remoteUrlTemplate),
        branch: config.branch,
      },
      { git: deps.git, projectName: config.projectName, workRoot: deps.workRoot },
    );
    deps.print(JSON.stringify(result));
    results.push(result);
  }
  const summary = summarizeResults(results);
  deps.print(
    JSON.stringify({
      summary,
      branch: config.branch,
      failed: results.filter((r) => r.status === 'failed').map((r) => r.name),
    }),
  );
  return { results, ...(deps.buildId !== undefined && { buildId: deps.buildId }) };
}

export interface PublishReportDeps {
  /** Local file written in every case (CodeBuild keeps it only if declared as an artifact). */
  readonly file: string;
  readonly s3?: { readonly client: S3Client; readonly bucket: string; readonly key: string };
}

/** Writes the report to the local file, then uploads it to S3 when configured (errors propagate). */
export async function publishReport(report: SeedReport, deps: PublishReportDeps): Promise<void> {
  const body = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(deps.file, body);
  const s3 = deps.s3;
  if (s3 !== undefined) {
    await withContext('PutObject', `s3://${s3.bucket}/${s3.key}`, () =>
      s3.client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: s3.key, Body: body, ContentType: 'application/json' }),
      ),
    );
  }
}
