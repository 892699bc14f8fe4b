// A fresh copy of exactly what the product commits into a seeded repository (seed folder + vendored
// workspace packages, as `git clone` gives it) and `npm ci && npm test` in it, with nothing but the npm
// registry. `npm ci --prefer-offline` answers from npm's cache when it holds the locked versions (the
// lock file still decides every version; a cold cache goes to the registry). One test file per
// repository, so jest runs them in parallel with the other suites.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seedCopies, type VendoredPackage } from '@mlops-templates/constructs';
import { SEED_NPM_CI_ARGS, seedNpmEnv } from '../../scripts/seed-npm';
import {
  SEED_DIRECTORY,
  SeededRepositoryName,
  vendoredPackagesOf,
} from '../../templates/deepar-forecasting/seeded-repositories';

const STEP_TIMEOUT_MS = 8 * 60_000;

function run(cmd: string, args: string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: STEP_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    // The copy is a standalone project, run as its buildspec runs it.
    env: seedNpmEnv(),
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Declares the fresh-copy test of one seeded repository of the DeepAR template. */
export function describeFreshCopy(repo: SeededRepositoryName): void {
  describeSeedFreshCopy(repo, path.join(SEED_DIRECTORY, repo), vendoredPackagesOf(repo));
}

/**
 * Declares the fresh-copy test of any template's seeded repository: its seed folder and the workspace
 * packages it vendors (the template's `seeded-repositories.ts` says which).
 */
export function describeSeedFreshCopy(
  name: string,
  seedDirectory: string,
  vendored: VendoredPackage[],
): void {
  describe(`seeded repository ${name}`, () => {
    test(
      'a fresh copy passes npm ci && npm test',
      () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `seed-${name.replace(/\//g, '-')}-`));
        for (const c of seedCopies(seedDirectory, vendored)) {
          fs.mkdirSync(path.dirname(path.join(dir, c.to)), { recursive: true });
          fs.copyFileSync(c.from, path.join(dir, c.to));
        }
        expect(fs.existsSync(path.join(dir, 'package-lock.json'))).toBe(true);
        const install = run('npm', [...SEED_NPM_CI_ARGS], dir);
        expect({
          step: 'npm ci',
          status: install.status,
          tail: install.status === 0 ? '' : install.output.slice(-3000),
        }).toEqual({ step: 'npm ci', status: 0, tail: '' });
        const test = run('npm', ['test'], dir);
        expect({
          step: 'npm test',
          status: test.status,
          tail: test.status === 0 ? '' : test.output.slice(-5000),
        }).toEqual({ step: 'npm test', status: 0, tail: '' });
        fs.rmSync(dir, { recursive: true, force: true });
      },
      2 * STEP_TIMEOUT_MS,
    );
  });
}
