// Pure decisions of repository seeding: whether a remote branch may be seeded (never overwrite user
// code), the commit message, failure messages with hints for the known provider errors, and the
// report shared by the seeding CLI and the custom resource that waits for it.
import { z } from 'zod';

export type SeedStatus = 'seeded' | 'skipped' | 'failed';

/** Outcome for one repository (one element of the report's `results`). */
export interface SeedResult {
  readonly name: string;
  readonly repositoryId: string;
  readonly status: SeedStatus;
  /** Why it was skipped or failed. */
  readonly reason?: string;
  /** Id of the pushed commit (seeded only). */
  readonly commit?: string;
}

/** The report written to `seed-report.json` and to SEED_REPORT_S3_URI. */
export interface SeedReport {
  readonly results: readonly SeedResult[];
  /** CodeBuild build id (CODEBUILD_BUILD_ID) that wrote the report, when run in CodeBuild. */
  readonly buildId?: string;
  /** Set when the seeding could not start at all (invalid configuration); `results` is then empty. */
  readonly error?: string;
}

export const seedReportSchema = z.object({
  results: z.array(
    z.object({
      name: z.string(),
      repositoryId: z.string(),
      status: z.enum(['seeded', 'skipped', 'failed']),
      reason: z.string().optional(),
      commit: z.string().optional(),
    }),
  ),
  buildId: z.string().optional(),
  error: z.string().optional(),
});

/** Parses a report's JSON text; throws with the problems when it is not a seed report. */
export function parseSeedReport(text: string): SeedReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  const parsed = seedReportSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}

/** Branch refs of `git ls-remote` output (`<sha>\t<ref>` lines): ref name → commit id. */
export function parseLsRemote(output: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([0-9a-f]{40,64})\t(\S+)$/.exec(line.trim());
    if (match !== null) refs.set(match[2], match[1]);
  }
  return refs;
}

export type SeedDecision = { readonly action: 'seed' } | { readonly action: 'skip'; readonly reason: string };

/**
 * Seed only when the target branch does not exist on the remote (an empty repository, or one with other
 * branches only). A branch always points at a commit, so an existing branch has user code: skip.
 */
export function decideSeeding(remoteRefs: ReadonlyMap<string, string>, branch: string): SeedDecision {
  const head = remoteRefs.get(`refs/heads/${branch}`);
  if (head === undefined) return { action: 'seed' };
  return {
    action: 'skip',
    reason: `not empty: branch ${branch} already has commits (${head.slice(0, 12)}); left untouched`,
  };
}

/** Message of the single seed commit. */
export function seedCommitMessage(projectName: string | undefined): string {
  return projectName === undefined
    ? 'Seed code of SageMaker project'
    : `Seed code of SageMaker project ${projectName}`;
}

const GITHUB_ORG_CAVEAT =
  'a GitHub connection is tied to one organisation or user installation of the AWS Connector app: ' +
  'repositories of another owner need a connection of their own';

/** Known provider / git messages and what to do about them, most specific first. */
const KNOWN_FAILURES: ReadonlyArray<{ readonly pattern: RegExp; readonly hint: string }> = [
  {
    pattern: /no repositor(y|ies)\b.*\bassociated/i,
    hint:
      'the connection has no access to this repository: grant the provider app access to it (GitHub: ' +
      'the AWS Connector app installation\'s "Repository access"); ' +
      GITHUB_ORG_CAVEAT,
  },
  {
    pattern: /\b403\b|forbidden/i,
    hint:
      "the connection is not authorised for this repository: check the provider app's repository access " +
      '(GitHub: AWS Connector app installation, GitLab/Bitbucket: the authorising user needs write access) ' +
      'and that the connection status is AVAILABLE (a PENDING connection must be completed in the console); ' +
      'the CodeBuild role needs codeconnections:UseConnection on the connection; ' +
      GITHUB_ORG_CAVEAT,
  },
  {
    pattern: /\b401\b|authentication failed|could not read (username|password)|terminal prompts disabled/i,
    hint:
      'no credentials were accepted: the git credential helper must be configured ' +
      "(credential.helper '!aws codecommit credential-helper $@', credential.UseHttpPath true) and the " +
      'CodeBuild role needs codeconnections:UseConnection (codestar-connections:UseConnection) on the connection',
  },
  {
    pattern: /repository not found|\b404\b|does not appear to be a git repository|not found/i,
    hint:
      'check the repository id (owner/name, case included) and that the repository exists at the provider ' +
      '(create it empty, without README); ' +
      GITHUB_ORG_CAVEAT,
  },
  {
    pattern: /pre-receive hook declined|protected branch|GH006|GH013|push rules?|not allowed to push/i,
    hint: "the provider rejected the push: check the branch's protection or push rules for the connection's app",
  },
  {
    pattern: /non-fast-forward|fetch first|\[rejected\]/i,
    hint: 'the branch was created by someone else during seeding; it was not overwritten',
  },
];

/** The hint for a failure message, when it matches a known provider or git error. */
export function failureHint(message: string): string | undefined {
  return KNOWN_FAILURES.find((f) => f.pattern.test(message))?.hint;
}

/** Longest git message kept in a reason (CloudFormation reasons are limited to a few kB). */
export const MAX_GIT_MESSAGE_CHARS = 1500;

/** The reason of a failed git step: `<step> failed: <git's stderr, trimmed> (hint: …)`. */
export function gitFailureReason(step: string, stderr: string, exitCode: number | null): string {
  let message = stderr.trim();
  if (message.length > MAX_GIT_MESSAGE_CHARS) message = `…${message.slice(-MAX_GIT_MESSAGE_CHARS)}`;
  if (message === '') message = `exit code ${exitCode ?? 'none (killed)'}`;
  const hint = failureHint(message);
  return hint === undefined ? `${step} failed: ${message}` : `${step} failed: ${message} (hint: ${hint})`;
}

export interface SeedSummary {
  readonly seeded: number;
  readonly skipped: number;
  readonly failed: number;
}

export function summarizeResults(results: readonly SeedResult[]): SeedSummary {
  const count = (status: SeedStatus) => results.filter((r) => r.status === status).length;
  return { seeded: count('seeded'), skipped: count('skipped'), failed: count('failed') };
}

/** Exit code of the CLI: 1 when any repository failed or the seeding could not start, 0 otherwise. */
export function exitCodeFor(report: SeedReport): 0 | 1 {
  return report.error !== undefined || report.results.some((r) => r.status === 'failed') ? 1 : 0;
}
