// Local bare git repositories standing in for GitHub/GitLab/Bitbucket in the seeding tests: created
// with the git CLI in a temp folder, under an environment isolated from the machine's git config.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface LocalGit {
  /** Temp folder holding everything (removed by `cleanUp`). */
  readonly root: string;
  /** Environment for git processes: temp HOME, no system config, fixed identity. */
  readonly env: Record<string, string | undefined>;
  /** GIT_REMOTE_URL_TEMPLATE pointing at `<root>/remotes/<repositoryId>.git`. */
  readonly urlTemplate: string;
  git(args: readonly string[], cwd?: string): string;
  /** Creates an empty bare repository for `owner/name`; returns its path. */
  createBare(repositoryId: string): string;
  /** Path of the bare repository of `owner/name` (whether it exists or not). */
  barePath(repositoryId: string): string;
  /** Pushes one commit with `files` to `branch` of a bare repository; returns the commit id. */
  commitTo(bare: string, branch: string, files: Record<string, string>): string;
  /** Makes the bare repository reject every push with `message` (pre-receive hook exiting 1). */
  rejectPushes(bare: string, message: string): void;
  /** `refname commit` lines of every ref of a repository, sorted. */
  refs(bare: string): string[];
  /** Clones `branch` of a repository into a new folder; returns the folder. */
  cloneBranch(bare: string, branch: string): string;
  cleanUp(): void;
}

export function createLocalGit(): LocalGit {
  const root = mkdtempSync(join(tmpdir(), 'seed-test-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.com',
    LANG: 'C',
    LC_ALL: 'C',
  };
  let counter = 0;
  const git = (args: readonly string[], cwd?: string): string =>
    execFileSync('git', [...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const barePath = (repositoryId: string) => join(root, 'remotes', `${repositoryId}.git`);
  const newFolder = (prefix: string) => {
    counter += 1;
    const folder = join(root, `${prefix}-${counter}`);
    mkdirSync(folder, { recursive: true });
    return folder;
  };

  return {
    root,
    env,
    urlTemplate: `file://${join(root, 'remotes')}/{repositoryId}.git`,
    git,
    barePath,
    createBare(repositoryId) {
      const bare = barePath(repositoryId);
      mkdirSync(bare, { recursive: true });
      git(['init', '--bare', '--quiet', bare]);
      return bare;
    },
    commitTo(bare, branch, files) {
      const work = newFolder('work');
      git(['init', '--quiet'], work);
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
      }
      git(['add', '--all'], work);
      git(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--message', 'user code'], work);
      git(['push', '--quiet', bare, `HEAD:refs/heads/${branch}`], work);
      return git(['rev-parse', 'HEAD'], work).trim();
    },
    rejectPushes(bare, message) {
      const hook = join(bare, 'hooks', 'pre-receive');
      writeFileSync(hook, `#!/bin/sh\necho "${message}" >&2\nexit 1\n`);
      chmodSync(hook, 0o755);
    },
    refs(bare) {
      return git(['for-each-ref', '--format=%(refname) %(objectname)'], bare)
        .split('\n')
        .filter((line) => line !== '')
        .sort();
    },
    cloneBranch(bare, branch) {
      const folder = newFolder('clone');
      git(['clone', '--quiet', '--branch', branch, bare, folder]);
      return folder;
    },
    cleanUp() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Writes a seed folder with `files` (path → content); returns its path. */
export function writeSeedFolder(parent: string, name: string, files: Record<string, string>): string {
  const folder = join(parent, 'seed', name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}
