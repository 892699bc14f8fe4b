// The seeding custom resource (see ../seed-repositories-resource.ts): on Create — and on an Update that
// changes the connection, a repository id or the branch, so the pipelines never switch to repositories
// that were not seeded — it starts the seeding CodeBuild project with the event's own values, waits for
// it within the invocation (bounded), reads the seeding report from S3 and answers CloudFormation
// SUCCESS or FAILED with each failed repository's message (the pipelines depend on this resource, so a
// failure stops the creation or update before them). Delete never touches the repositories. The
// outcome rules are pure functions, tested on their own.
import {
  BatchGetBuildsCommand,
  type Build,
  type CodeBuildClient,
  StartBuildCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type LogPort, SILENT_LOG_PORT } from '@mlops-templates/metrics';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { z } from 'zod';
import { parseSeedReport, type SeedReport, summarizeResults } from './plan';
import { AwsCallError, isNotFoundError, withContext } from '../common/aws-errors';
import { type CustomResourceAnswer, customResourceResponseBody } from '../common/cfn-response';

/** Longest wait for the seeding build, from the start of the invocation (the function has 15 minutes). */
export const SEEDING_WAIT_LIMIT_MS = 13 * 60_000;
/** Pause between two build status checks. */
export const SEEDING_POLL_INTERVAL_MS = 15_000;
/** Invocation time kept to read the report and answer. */
export const SEEDING_SAFETY_MARGIN_MS = 30_000;

export const seedResourcePropertiesSchema = z.object({
  ProjectName: z.string().trim().min(1, 'must be the name of the seeding CodeBuild project'),
  ReportBucket: z.string().trim().min(3, 'must be a bucket name'),
  ReportKey: z.string().trim().min(1, 'must be an object key'),
  /** The build's CONNECTION_ARN, REPOSITORY_BRANCH and SEED_REPOSITORIES (validated by the build). */
  ConnectionArn: z.string().trim().min(1, 'must be the connection ARN'),
  RepositoryBranch: z.string().trim().min(1, 'must be the branch'),
  SeedRepositories: z.string().trim().min(2, 'must be the JSON list of repositories'),
});

/** The properties whose change on Update means other repositories (or branch): seed them again. */
export const SEEDING_TARGET_PROPERTIES = ['ConnectionArn', 'RepositoryBranch', 'SeedRepositories'] as const;

/** The target properties an Update changes (compared as given; absent before = changed). */
export function changedSeedingTargets(
  oldProperties: Record<string, unknown> | undefined,
  newProperties: Record<string, unknown>,
): string[] {
  return SEEDING_TARGET_PROPERTIES.filter((key) => oldProperties?.[key] !== newProperties[key]);
}

export type SeedResourceProperties = z.infer<typeof seedResourcePropertiesSchema>;

/** Validates the resource properties; throws naming every invalid property. */
export function parseSeedResourceProperties(properties: unknown): SeedResourceProperties {
  const parsed = seedResourcePropertiesSchema.safeParse(properties);
  if (!parsed.success) {
    throw new Error(
      `Invalid seed-repositories resource properties: ${parsed.error.issues
        .map((i) => `${i.path.map(String).join('.') || '(properties)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

/** True once the build has ended (whatever its status). */
export function buildHasEnded(build: Build): boolean {
  return (
    build.buildComplete === true || (build.buildStatus !== undefined && build.buildStatus !== 'IN_PROGRESS')
  );
}

/** The messages of the build phases that did not succeed (`PHASE: code: message`). */
export function failedPhaseMessages(build: Build): string[] {
  return (build.phases ?? [])
    .filter((p) => p.phaseStatus !== undefined && p.phaseStatus !== 'SUCCEEDED')
    .flatMap((p) =>
      (p.contexts ?? [])
        .filter((c) => (c.message ?? '') !== '' || (c.statusCode ?? '') !== '')
        .map((c) => `${p.phaseType ?? 'PHASE'}: ${[c.statusCode, c.message].filter(Boolean).join(': ')}`),
    );
}

/** The report read from S3, or why there is none. */
export type ReportLookup = { readonly report: SeedReport } | { readonly problem: string };

export interface SeedOutcome {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly reason: string;
  readonly data?: Record<string, string>;
}

function buildReference(build: Build): string {
  const logs = build.logs?.deepLink;
  return logs === undefined ? `build ${build.id}` : `build ${build.id}, logs: ${logs}`;
}

/** Pure decision of the resource's answer from the ended build and its report. */
export function decideSeedOutcome(build: Build, lookup: ReportLookup, reportUri: string): SeedOutcome {
  const status = build.buildStatus ?? 'UNKNOWN';
  const phases = failedPhaseMessages(build);
  const phaseText = phases.length > 0 ? `: ${phases.join('; ')}` : '';

  if ('problem' in lookup) {
    return {
      status: 'FAILED',
      reason:
        `Seeding build ended ${status} without a usable report at ${reportUri} (${lookup.problem})${phaseText} ` +
        `(${buildReference(build)})`,
    };
  }
  const { report } = lookup;
  if (report.error !== undefined) {
    return {
      status: 'FAILED',
      reason: `Seeding could not start: ${report.error} (${buildReference(build)})`,
    };
  }
  const failed = report.results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    const details = failed.map((r) => `${r.name} (${r.repositoryId}): ${r.reason ?? 'no message'}`);
    return {
      status: 'FAILED',
      reason:
        `Seeding failed for ${failed.length} of ${report.results.length} repositories: ${details.join('; ')} ` +
        `(${buildReference(build)})`,
    };
  }
  if (status !== 'SUCCEEDED') {
    return {
      status: 'FAILED',
      reason: `Seeding build ended ${status} although no repository failed${phaseText} (${buildReference(build)})`,
    };
  }
  const summary = summarizeResults(report.results);
  const data: Record<string, string> = {
    Summary: `seeded ${summary.seeded}, already-seeded ${summary['already-seeded']}`,
  };
  for (const r of report.results) data[r.name] = r.status;
  return {
    status: 'SUCCESS',
    reason: report.results.map((r) => `${r.name}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`).join('; '),
    data,
  };
}

export interface SeedResourceDeps {
  readonly codeBuild: CodeBuildClient;
  readonly s3: S3Client;
  /** Uploads the response body to the pre-signed ResponseURL. */
  readonly respond: (url: string, body: string) => Promise<void>;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Time left in this invocation (Lambda context). */
  readonly remainingTimeMs: () => number;
  readonly logger?: LogPort;
}

async function readReport(s3: S3Client, bucket: string, key: string, buildId: string): Promise<ReportLookup> {
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await object.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (isNotFoundError(error)) return { problem: 'the build wrote no report' };
    return { problem: new AwsCallError('GetObject', `s3://${bucket}/${key}`, error).message };
  }
  let report: SeedReport;
  try {
    report = parseSeedReport(text);
  } catch (error) {
    return { problem: `not a seed report: ${(error as Error).message}` };
  }
  if (report.buildId !== undefined && report.buildId !== buildId) {
    return { problem: `the report is from another build (${report.buildId})` };
  }
  return { report };
}

/**
 * Runs the seeding build with the event's values and waits for it. On Create the build id becomes the
 * physical id; on Update the physical id stays (a new one would make CloudFormation replace it).
 */
async function seedingAnswer(
  event: CloudFormationCustomResourceEvent & { RequestType: 'Create' | 'Update' },
  deps: SeedResourceDeps,
  logger: LogPort,
): Promise<CustomResourceAnswer> {
  const startedAt = deps.now();
  const keepId = event.RequestType === 'Update' ? event.PhysicalResourceId : undefined;
  let physicalResourceId = keepId ?? `seed-repositories-${event.RequestId}`;
  try {
    const props = parseSeedResourceProperties(event.ResourceProperties);
    const reportUri = `s3://${props.ReportBucket}/${props.ReportKey}`;
    const variable = (name: string, value: string) => ({ name, value, type: 'PLAINTEXT' as const });
    const started = await withContext('StartBuild', props.ProjectName, () =>
      deps.codeBuild.send(
        new StartBuildCommand({
          projectName: props.ProjectName,
          // The event's values, not the project's: the build seeds exactly what this request names,
          // whether or not CloudFormation has updated the CodeBuild project yet.
          environmentVariablesOverride: [
            variable('SEED_REPORT_S3_URI', reportUri),
            variable('CONNECTION_ARN', props.ConnectionArn),
            variable('REPOSITORY_BRANCH', props.RepositoryBranch),
            variable('SEED_REPOSITORIES', props.SeedRepositories),
          ],
        }),
      ),
    );
    const buildId = started.build?.id;
    if (buildId === undefined) throw new Error(`StartBuild ${props.ProjectName} returned no build id`);
    physicalResourceId = keepId ?? buildId;
    logger.info('seeding build started', { buildId, reportUri });

    const deadline = startedAt + SEEDING_WAIT_LIMIT_MS;
    for (;;) {
      const builds = await withContext('BatchGetBuilds', buildId, () =>
        deps.codeBuild.send(new BatchGetBuildsCommand({ ids: [buildId] })),
      );
      const build = builds.builds?.find((b) => b.id === buildId);
      if (build === undefined) throw new Error(`BatchGetBuilds ${buildId} did not return the build`);
      if (buildHasEnded(build)) {
        logger.info('seeding build ended', { buildId, status: build.buildStatus });
        const lookup = await readReport(deps.s3, props.ReportBucket, props.ReportKey, buildId);
        const outcome = decideSeedOutcome(build, lookup, reportUri);
        return { ...outcome, physicalResourceId };
      }
      const outOfTime =
        deps.now() + SEEDING_POLL_INTERVAL_MS > deadline ||
        deps.remainingTimeMs() < SEEDING_SAFETY_MARGIN_MS + SEEDING_POLL_INTERVAL_MS;
      if (outOfTime) {
        const minutes = Math.round((deps.now() - startedAt) / 60_000);
        let stopped = 'it was stopped';
        try {
          await deps.codeBuild.send(new StopBuildCommand({ id: buildId }));
        } catch (error) {
          stopped = `stopping it failed: ${(error as Error).message}`;
          logger.warn('could not stop the seeding build', { buildId, error: (error as Error).message });
        }
        return {
          status: 'FAILED',
          physicalResourceId,
          reason:
            `Seeding did not finish in time: build ${buildId} still ${build.currentPhase ?? 'IN_PROGRESS'} ` +
            `after ${minutes} minutes (${stopped}; ${buildReference(build)})`,
        };
      }
      await deps.sleep(SEEDING_POLL_INTERVAL_MS);
    }
  } catch (error) {
    return { status: 'FAILED', physicalResourceId, reason: (error as Error).message };
  }
}

/** The answer to one custom-resource event (never throws). */
export async function seedRepositoriesAnswer(
  event: CloudFormationCustomResourceEvent,
  deps: SeedResourceDeps,
): Promise<CustomResourceAnswer> {
  const logger = deps.logger ?? SILENT_LOG_PORT;
  switch (event.RequestType) {
    case 'Create':
      return seedingAnswer(event, deps, logger);
    case 'Update': {
      const changed = changedSeedingTargets(event.OldResourceProperties, event.ResourceProperties);
      if (changed.length > 0) {
        logger.info('seeding targets changed: seeding before the pipelines switch', { changed });
        return seedingAnswer(event, deps, logger);
      }
      return {
        status: 'SUCCESS',
        physicalResourceId: event.PhysicalResourceId,
        reason: 'Same connection, repositories and branch: nothing to seed',
      };
    }
    case 'Delete':
      return {
        status: 'SUCCESS',
        physicalResourceId: event.PhysicalResourceId,
        reason: 'Repositories are left as they are',
      };
    default:
      return {
        status: 'FAILED',
        physicalResourceId: `seed-repositories-${(event as { RequestId?: string }).RequestId ?? 'unknown'}`,
        reason: `Unknown RequestType ${(event as { RequestType?: unknown }).RequestType}`,
      };
  }
}

/** Runs one invocation: decides the answer and PUTs it to the ResponseURL. Never throws. */
export async function handleSeedRepositoriesEvent(
  event: CloudFormationCustomResourceEvent,
  deps: SeedResourceDeps,
): Promise<CustomResourceAnswer> {
  const logger = deps.logger ?? SILENT_LOG_PORT;
  let answer: CustomResourceAnswer;
  try {
    answer = await seedRepositoriesAnswer(event, deps);
  } catch (error) {
    // Defensive: seedRepositoriesAnswer catches its own errors.
    answer = {
      status: 'FAILED',
      physicalResourceId: `seed-repositories-${event.RequestId}`,
      reason: (error as Error).message,
    };
  }
  try {
    await deps.respond(event.ResponseURL, customResourceResponseBody(event, answer));
  } catch (error) {
    logger.error('could not answer CloudFormation', { error: (error as Error).message });
  }
  logger[answer.status === 'SUCCESS' ? 'info' : 'error'](`answered ${answer.status}`, {
    requestType: event.RequestType,
    physicalResourceId: answer.physicalResourceId,
    reason: answer.reason,
  });
  return answer;
}
