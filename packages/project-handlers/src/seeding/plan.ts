// Pure decisions of repository seeding: whether a remote branch may be seeded (never overwrite user
// code), how this template's seed is recognised on an existing branch (the marker file the seeding
// commits), the commit message, failure messages with hints for the known provider errors, and the
// report shared by the seeding CLI and the custom resource that waits for it.
import { z } from 'zod';

/**
 * `seeded`: the seed was pushed now; `already-seeded`: the branch already holds this template's seed
 * (its marker file names this repository); `failed`: anything else, with the reason.
 */
export const SEED_STATUSES = ['seeded', 'already-seeded', 'failed'] as const;
export type SeedStatus = (typeof SEED_STATUSES)[number];

/**
 * File the seeding commits at the root of every repository it seeds, and by which it recognises its
 * own seed on a branch that already exists (kept by later commits unless someone deletes it).
 */
export const SEED_MARKER_FILE = '.sagemaker-project-seed.json';

/** Content of the marker file. */
export interface SeedMarker {
  /** Name of the seeded repository within the template (e.g. `model-build`). */
  readonly seed: string;
  /** SageMaker project that pushed it. */
  readonly project?: string;
}

/** The marker file's text for one repository. */
export function seedMarkerText(seed: string, projectName: string | undefined): string {
  const marker: SeedMarker = { seed, ...(projectName !== undefined && { project: projectName }) };
  return `${JSON.stringify(marker, null, 2)}\n`;
}

const seedMarkerSchema = z.object({ seed: z.string().min(1), project: z.string().optional() });

/** Parses a marker file's text; undefined when it is not a marker. */
export function parseSeedMarker(text: string): SeedMarker | undefined {
  try {
    const parsed = seedMarkerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Outcome for one repository (one element of the report's `results`). */
export interface SeedResult {
  readonly name: string;
  readonly repositoryId: string;
  readonly status: SeedStatus;
  /** Why it failed, or what was found on an already-seeded branch. */
  readonly reason?: string;
  /** Id of the pushed commit (seeded), or the branch head (already-seeded). */
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
      status: z.enum(SEED_STATUSES),
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

export type SeedDecision =
  { readonly action: 'seed' } | { readonly action: 'inspect'; readonly head: string };

/**
 * Seed when the target branch does not exist on the remote (an empty repository, or one with other
 * branches only). A branch always points at a commit, so an existing branch is inspected: it is
 * this template's seed, or somebody else's code that is never overwritten.
 */
export function decideSeeding(remoteRefs: ReadonlyMap<string, string>, branch: string): SeedDecision {
  const head = remoteRefs.get(`refs/heads/${branch}`);
  return head === undefined ? { action: 'seed' } : { action: 'inspect', head };
}

/** What was found on an existing branch: its head, its files, and the marker file's text if any. */
export interface ExistingBranch {
  readonly branch: string;
  readonly head: string;
  /** Paths of the files of the head commit. */
  readonly files: readonly string[];
  /** Text of {@link SEED_MARKER_FILE} in the head commit, if the file exists. */
  readonly markerText?: string;
  /** Paths of the files of the seed folder (a seed pushed without the marker holds them all). */
  readonly seedFiles?: readonly string[];
}

/** The outcome for an existing branch: already-seeded (this seed), or failed naming what was found. */
export type ExistingBranchOutcome =
  | { readonly status: 'already-seeded'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

const MAX_LISTED_FILES = 5;

/**
 * An existing branch holds this seed when its head carries the marker naming this repository, or
 * (no marker) every file of the seed folder; otherwise it is foreign code (e.g. the README a provider creates with a new repository): the
 * seeding fails with what was found and how to proceed, and never overwrites it.
 */
export function classifyExistingBranch(seed: string, found: ExistingBranch): ExistingBranchOutcome {
  const marker = found.markerText === undefined ? undefined : parseSeedMarker(found.markerText);
  const head = found.head.slice(0, 12);
  if (marker !== undefined && marker.seed === seed) {
    const by = marker.project === undefined ? '' : ` by project ${marker.project}`;
    return {
      status: 'already-seeded',
      reason: `branch ${found.branch} (${head}) already holds the ${seed} seed (${SEED_MARKER_FILE}${by}); left untouched`,
    };
  }
  const seedFiles = found.seedFiles ?? [];
  if (marker === undefined && seedFiles.length > 0 && seedFiles.every((f) => found.files.includes(f))) {
    return {
      status: 'already-seeded',
      reason:
        `branch ${found.branch} (${head}) holds every file of the ${seed} seed (${seedFiles.length}) but no ` +
        `${SEED_MARKER_FILE} (seeded before the marker existed, or pushed by hand); left untouched`,
    };
  }
  const listed = found.files.slice(0, MAX_LISTED_FILES).join(', ');
  const more =
    found.files.length > MAX_LISTED_FILES ? `, … ${found.files.length - MAX_LISTED_FILES} more` : '';
  const what =
    found.files.length === 0
      ? 'a commit without files'
      : `${found.files.length} file${found.files.length === 1 ? '' : 's'} (${listed}${more})`;
  const markerNote =
    marker !== undefined
      ? `its ${SEED_MARKER_FILE} names the ${marker.seed} seed, not ${seed}`
      : `no ${SEED_MARKER_FILE}: not this template's seed`;
  return {
    status: 'failed',
    reason:
      `branch ${found.branch} already exists with ${what} at ${head}; ${markerNote}, and the seeding never ` +
      `overwrites a branch. To proceed: delete that branch (for a repository created with a README, ` +
      `delete the repository and create it again empty, without README or licence), or set ` +
      `RepositoryBranch to a branch that does not exist, then retry; or push the seed yourself with a ` +
      `${SEED_MARKER_FILE} file containing {"seed":"${seed}"}`,
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

/**
 * The reason of a failed push. The seeding reads the repository through the connection's git-http
 * endpoint (what CodeBuild uses to clone a connection source) and pushes through it too, which AWS
 * does not document (README, "How the seed is pushed"); a refusal after a successful ls-remote is
 * reported with the provider's own answer and the way around it.
 */
export function pushFailureReason(stderr: string, exitCode: number | null): string {
  const reason = gitFailureReason('git push', stderr, exitCode);
  if (!/\b40[13]\b|forbidden|denied|not authori[sz]ed|authentication failed/i.test(stderr)) return reason;
  return (
    `${reason}; the connection answered the read (ls-remote) but refused the push: AWS documents ` +
    'connections for reading a repository (pipeline source, CodeBuild clone), not for pushing through ' +
    'them, so a provider or connection may refuse it. Push the seed yourself (the product template ' +
    `folder seed-code/<template>/<repository>, with a ${SEED_MARKER_FILE} file containing ` +
    '{"seed":"<repository>"}), then update the project (the seeding then reports already-seeded)'
  );
}

/** Number of repositories per status. */
export type SeedSummary = Readonly<Record<SeedStatus, number>>;

export function summarizeResults(results: readonly SeedResult[]): SeedSummary {
  const count = (status: SeedStatus) => results.filter((r) => r.status === status).length;
  return { seeded: count('seeded'), 'already-seeded': count('already-seeded'), failed: count('failed') };
}

/** Exit code of the CLI: 1 when any repository failed or the seeding could not start, 0 otherwise. */
export function exitCodeFor(report: SeedReport): 0 | 1 {
  return report.error !== undefined || report.results.some((r) => r.status === 'failed') ? 1 : 0;
}
