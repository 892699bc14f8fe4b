// `npx projen seed:vendor`: copies the built workspace packages each seed repository depends on
// into its `vendor/` folder (git-ignored here; part of the seeded repository's first commit), so
// that `npm ci && npm test` can be run inside a seed folder while developing it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seedCopies } from '@mlops-templates/constructs';
import type { VendoredPackage } from '@mlops-templates/constructs';
import * as deepar from '../templates/deepar-forecasting/seeded-repositories';
import * as tabular from '../templates/tabular-xgboost/seeded-repositories';

/** Every template's seed folders and the packages each vendors. */
const SEEDS: Array<{ seedDir: string; packages: VendoredPackage[] }> = [
  ...deepar.SEEDED_REPOSITORY_NAMES.map((repo) => ({
    seedDir: path.join(deepar.SEED_DIRECTORY, repo),
    packages: deepar.vendoredPackagesOf(repo),
  })),
  ...(Object.keys(tabular.SEEDED_REPOSITORIES) as tabular.SeededRepositoryName[]).map((repo) => ({
    seedDir: tabular.seedDirectoryOf(repo),
    packages: tabular.vendoredPackagesOf(repo),
  })),
];

for (const { seedDir, packages } of SEEDS) {
  const vendorDir = path.join(seedDir, 'vendor');
  fs.rmSync(vendorDir, { recursive: true, force: true });
  const copies = seedCopies(seedDir, packages).filter((c) => c.to.startsWith(`vendor${path.sep}`));
  for (const c of copies) {
    fs.mkdirSync(path.dirname(path.join(seedDir, c.to)), { recursive: true });
    fs.copyFileSync(c.from, path.join(seedDir, c.to));
  }
  process.stdout.write(`${path.relative(process.cwd(), seedDir)}: vendored ${copies.length} files\n`);
}
