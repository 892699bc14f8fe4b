// `npx projen test:seeds [<repo> ...]`: each seeded repository's own `npm test`, run in place in its seed
// folder — the edit loop for work on a seed. The install is cached by the seed's lock file: `npm ci`
// runs only when `package-lock.json` (or the Node.js version) changed since the folder's last install;
// the vendored workspace packages are symlinks into `vendor/` (`file:` dependencies), which
// `npx projen seed:vendor` (run first by the task) refreshes, so a package change needs no reinstall.
// The gate stays the fresh copy: `test/seed-repos/*.test.ts` clone each seed and run `npm ci && npm test`.
// Exit 0 when every selected seed passed, 1 when one failed, 2 for an unknown repository name (projen
// reports any failure of the task as exit 1).
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SEED_NPM_CI_ARGS, seedNpmEnv } from './seed-npm';
import * as deepar from '../templates/deepar-forecasting/seeded-repositories';
import * as tabular from '../templates/tabular-xgboost/seeded-repositories';

/** Every template's seed folders, by `<template>/<repo>`. */
const SEEDS: ReadonlyMap<string, string> = new Map([
  ...deepar.SEEDED_REPOSITORY_NAMES.map(
    (r) => [`deepar-forecasting/${r}`, deepar.seedDirectoryOf(r)] as const,
  ),
  ...(Object.keys(tabular.SEEDED_REPOSITORIES) as tabular.SeededRepositoryName[]).map(
    (r) => [`tabular-xgboost/${r}`, tabular.seedDirectoryOf(r)] as const,
  ),
]);

/** Marker in a seed's node_modules/: the install key of the lock file it was installed from. */
const INSTALL_KEY_FILE = '.mlops-install-key';

/** What decides an install: the lock file and the Node.js version that ran `npm ci`. */
export function installKeyOf(seedDir: string): string {
  return crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(seedDir, 'package-lock.json')))
    .update(`\0${process.version}`)
    .digest('hex');
}

function run(command: string, args: string[], cwd: string): { status: number; seconds: number } {
  const started = Date.now();
  const r = spawnSync(command, args, {
    cwd,
    stdio: 'inherit',
    env: seedNpmEnv(),
  });
  return { status: r.status ?? 1, seconds: (Date.now() - started) / 1000 };
}

function main(selected: string[]): number {
  // A selection is a `<template>/<repo>` or a prefix of it (`tabular-xgboost`, `deepar-forecasting/monitoring`).
  const known = [...SEEDS.keys()];
  const unknown = selected.filter((s) => !known.some((k) => k === s || k.startsWith(`${s}/`)));
  if (unknown.length > 0) {
    process.stderr.write(`unknown seeded repository ${unknown.join(', ')} (known: ${known.join(', ')})\n`);
    return 2;
  }
  const repos =
    selected.length > 0 ? known.filter((k) => selected.some((s) => k === s || k.startsWith(`${s}/`))) : known;
  const summary: string[] = [];
  let failed = 0;
  for (const repo of repos) {
    const dir = SEEDS.get(repo) as string;
    const key = installKeyOf(dir);
    const marker = path.join(dir, 'node_modules', INSTALL_KEY_FILE);
    let install = 'cached (lock file unchanged)';
    if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== key) {
      process.stdout.write(`\n===== ${repo}: npm ci (lock file changed or no install yet) =====\n`);
      const r = run('npm', [...SEED_NPM_CI_ARGS], dir);
      if (r.status !== 0) {
        summary.push(`${repo}: npm ci FAILED (exit ${r.status})`);
        failed++;
        continue;
      }
      fs.writeFileSync(marker, key);
      install = `npm ci ${r.seconds.toFixed(0)} s`;
    }
    process.stdout.write(`\n===== ${repo}: npm test (install ${install}) =====\n`);
    const t = run('npm', ['test'], dir);
    if (t.status !== 0) failed++;
    summary.push(
      `${repo}: npm test ${t.status === 0 ? 'passed' : `FAILED (exit ${t.status})`} in ${t.seconds.toFixed(0)} s; install ${install}`,
    );
  }
  process.stdout.write(`\n${summary.join('\n')}\n`);
  return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
