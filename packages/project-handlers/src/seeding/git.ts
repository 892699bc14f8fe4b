// The git side of seeding: running the git CLI (no shell, no prompt, bounded time) and seeding one
// repository — ls-remote; an absent branch gets a one-commit work tree (with the seed marker file)
// pushed to it; an existing branch is fetched (depth 1) and classified: this template's seed
// (`already-seeded`) or foreign code (`failed`, naming what was found). Every git failure becomes a
// `failed` result carrying git's own message.
import { spawn } from 'node:child_process';
import {
  cpSync,
  type Dirent,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import {
  classifyExistingBranch,
  decideSeeding,
  gitFailureReason,
  parseLsRemote,
  pushFailureReason,
  SEED_MARKER_FILE,
  seedCommitMessage,
  seedMarkerText,
  type SeedResult,
} from './plan';

export interface GitCommandResult {
  /** Exit code; null when git was killed (timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `git <args>` in `cwd` (the process's directory when omitted). Never rejects for a git error. */
export type GitRunner = (args: readonly string[], cwd?: string) => Promise<GitCommandResult>;

/** Longest time one git command may take (a push of the seed code is small). */
export const GIT_COMMAND_TIMEOUT_MS = 5 * 60_000;

export interface GitRunnerOptions {
  /** Environment of the git processes (normally process.env: HOME holds the credential-helper config). */
  readonly env: Record<string, string | undefined>;
  readonly author: { readonly name: string; readonly email: string };
  readonly timeoutMs?: number;
  readonly gitBinary?: string;
}

/** A {@link GitRunner} spawning the git CLI with the seed author as author and committer. */
export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const env: Record<string, string | undefined> = {
    ...options.env,
    GIT_TERMINAL_PROMPT: '0', // fail instead of waiting for a username when no credential is given
    GIT_AUTHOR_NAME: options.author.name,
    GIT_AUTHOR_EMAIL: options.author.email,
    GIT_COMMITTER_NAME: options.author.name,
    GIT_COMMITTER_EMAIL: options.author.email,
  };
  return (args, cwd) =>
    new Promise((resolvePromise) => {
      const child = spawn(options.gitBinary ?? 'git', [...args], {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: options.timeoutMs ?? GIT_COMMAND_TIMEOUT_MS,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) =>
        resolvePromise({ code: null, stdout: '', stderr: `could not run git: ${error.message}` }),
      );
      child.on('close', (code, signal) =>
        resolvePromise({
          code,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr:
            Buffer.concat(stderr).toString('utf8') +
            (signal !== null ? `\ngit was stopped (${signal}) after the time limit` : ''),
        }),
      );
    });
}

export interface SeedTarget {
  readonly name: string;
  readonly repositoryId: string;
  readonly directory: string;
  readonly remoteUrl: string;
  readonly branch: string;
}

export interface SeedRepositoryOptions {
  readonly git: GitRunner;
  readonly projectName?: string;
  /** Parent folder of the temporary work trees (the OS temp folder by default). */
  readonly workRoot?: string;
}

/** Problem with a seed folder (missing, not a folder, empty), or undefined when it can be committed. */
export function seedDirectoryProblem(directory: string): string | undefined {
  try {
    if (!statSync(directory).isDirectory()) return `seed directory ${directory} is not a folder`;
  } catch {
    return `seed directory ${directory} does not exist`;
  }
  return readdirSync(directory).some((entry) => entry !== '.git')
    ? undefined
    : `seed directory ${directory} is empty`;
}

/** Relative POSIX paths of the files of a folder (none when it does not exist). */
function filesOf(directory: string): string[] {
  try {
    return (readdirSync(directory, { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((e) => e.isFile())
      .map((e) => relative(directory, join(e.parentPath, e.name)).split(sep).join('/'))
      .filter((f) => f !== '.git' && !f.startsWith('.git/'));
  } catch {
    return [];
  }
}

/** Fetches the head of an existing branch (depth 1) and classifies it (see classifyExistingBranch). */
async function inspectExistingBranch(
  target: SeedTarget,
  head: string,
  git: GitRunner,
  workRoot: string,
): Promise<SeedResult> {
  const base = { name: target.name, repositoryId: target.repositoryId };
  const inspect = join(workRoot, 'inspect');
  mkdirSync(inspect);
  const init = await git(['init', '--quiet'], inspect);
  if (init.code !== 0) {
    return { ...base, status: 'failed', reason: gitFailureReason('git init', init.stderr, init.code) };
  }
  const fetch = await git(
    ['fetch', '--quiet', '--depth=1', '--no-tags', target.remoteUrl, `refs/heads/${target.branch}`],
    inspect,
  );
  if (fetch.code !== 0) {
    return { ...base, status: 'failed', reason: gitFailureReason('git fetch', fetch.stderr, fetch.code) };
  }
  const tree = await git(['ls-tree', '-r', '-z', '--name-only', 'FETCH_HEAD'], inspect);
  if (tree.code !== 0) {
    return { ...base, status: 'failed', reason: gitFailureReason('git ls-tree', tree.stderr, tree.code) };
  }
  const files = tree.stdout.split('\0').filter((f) => f !== '');
  const marker = files.includes(SEED_MARKER_FILE)
    ? await git(['cat-file', 'blob', `FETCH_HEAD:${SEED_MARKER_FILE}`], inspect)
    : undefined;
  const outcome = classifyExistingBranch(target.name, {
    branch: target.branch,
    head,
    files,
    seedFiles: filesOf(target.directory),
    ...(marker !== undefined && marker.code === 0 && { markerText: marker.stdout }),
  });
  return outcome.status === 'already-seeded'
    ? { ...base, status: 'already-seeded', reason: outcome.reason, commit: head }
    : { ...base, status: 'failed', reason: outcome.reason };
}

/**
 * Seeds one repository: `git ls-remote`; if the branch exists → already-seeded or failed (see
 * inspectExistingBranch); else the seed folder is copied into a fresh work tree with the seed marker
 * file, committed once and pushed to `refs/heads/<branch>` (no force: a branch created meanwhile is
 * never overwritten). Files ignored by the seed folder's own `.gitignore` are not committed.
 */
export async function seedRepository(
  target: SeedTarget,
  options: SeedRepositoryOptions,
): Promise<SeedResult> {
  const base = { name: target.name, repositoryId: target.repositoryId };
  const { git } = options;

  const remote = await git(['ls-remote', '--heads', target.remoteUrl, `refs/heads/${target.branch}`]);
  if (remote.code !== 0) {
    return {
      ...base,
      status: 'failed',
      reason: gitFailureReason('git ls-remote', remote.stderr, remote.code),
    };
  }
  const decision = decideSeeding(parseLsRemote(remote.stdout), target.branch);
  const workRoot = mkdtempSync(join(options.workRoot ?? tmpdir(), `seed-${target.name}-`));
  try {
    if (decision.action === 'inspect') {
      return await inspectExistingBranch(target, decision.head, git, workRoot);
    }
    const folderProblem = seedDirectoryProblem(target.directory);
    if (folderProblem !== undefined) return { ...base, status: 'failed', reason: folderProblem };
    const workTree = join(workRoot, 'work');
    cpSync(target.directory, workTree, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => source !== join(target.directory, '.git'),
    });
    writeFileSync(join(workTree, SEED_MARKER_FILE), seedMarkerText(target.name, options.projectName));
    const steps: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['git init', ['init', '--quiet']],
      ['git add', ['add', '--all']],
      [
        'git commit',
        [
          '-c',
          'commit.gpgsign=false',
          'commit',
          '--quiet',
          '--no-verify',
          '--message',
          seedCommitMessage(options.projectName),
        ],
      ],
    ];
    for (const [step, args] of steps) {
      const result = await git(args, workTree);
      if (result.code !== 0) {
        return { ...base, status: 'failed', reason: gitFailureReason(step, result.stderr, result.code) };
      }
    }
    const head = await git(['rev-parse', 'HEAD'], workTree);
    if (head.code !== 0) {
      return { ...base, status: 'failed', reason: gitFailureReason('git rev-parse', head.stderr, head.code) };
    }
    const push = await git(
      ['push', '--quiet', '--no-verify', target.remoteUrl, `HEAD:refs/heads/${target.branch}`],
      workTree,
    );
    if (push.code !== 0) {
      return { ...base, status: 'failed', reason: pushFailureReason(push.stderr, push.code) };
    }
    return { ...base, status: 'seeded', commit: head.stdout.trim() };
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      reason: `preparing the work tree failed: ${(error as Error).message}`,
    };
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}
