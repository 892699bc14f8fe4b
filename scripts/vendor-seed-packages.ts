// `npx projen seed:vendor`: copies the built workspace packages each seed repository depends on
// into its `vendor/` folder (git-ignored here; part of the seeded repository's first commit), so
// that `npm ci && npm test` can be run inside a seed folder while developing it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seedCopies } from '@mlops-templates/constructs';
import {
  SEED_DIRECTORY,
  SEEDED_REPOSITORIES,
  SeededRepositoryName,
  vendoredPackagesOf,
} from '../templates/deepar-forecasting/seeded-repositories';

for (const repo of Object.keys(SEEDED_REPOSITORIES) as SeededRepositoryName[]) {
  const seedDir = path.join(SEED_DIRECTORY, repo);
  const vendorDir = path.join(seedDir, 'vendor');
  fs.rmSync(vendorDir, { recursive: true, force: true });
  const copies = seedCopies(seedDir, vendoredPackagesOf(repo)).filter((c) =>
    c.to.startsWith(`vendor${path.sep}`),
  );
  for (const c of copies) {
    fs.mkdirSync(path.dirname(path.join(seedDir, c.to)), { recursive: true });
    fs.copyFileSync(c.from, path.join(seedDir, c.to));
  }
  process.stdout.write(`${path.relative(process.cwd(), seedDir)}: vendored ${copies.length} files\n`);
}
