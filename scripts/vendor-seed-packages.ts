// `npx projen seed:vendor`: copies the built workspace packages each seed repository depends on
// into its `vendor/` folder (git-ignored here; part of the seeded repository's first commit), so
// that `npm ci && npm test` can be run inside a seed folder while developing it. The DeepAR seeds'
// packages are the product's list (seeded-repositories.ts); other templates' seeds vendor their
// package.json's `file:vendor/<pkg>` dependencies (scripts/seed-manifest.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seedCopies, type VendoredPackage } from '@mlops-templates/constructs';
import { otherTemplateSeedFolders, vendoredPackagesFromManifest } from './seed-manifest';
import {
  SEED_DIRECTORY,
  SEEDED_REPOSITORIES,
  SeededRepositoryName,
  vendoredPackagesOf,
} from '../templates/deepar-forecasting/seeded-repositories';

function vendor(seedDir: string, packages: VendoredPackage[]): void {
  const vendorDir = path.join(seedDir, 'vendor');
  fs.rmSync(vendorDir, { recursive: true, force: true });
  const copies = seedCopies(seedDir, packages).filter((c) => c.to.startsWith(`vendor${path.sep}`));
  for (const c of copies) {
    fs.mkdirSync(path.dirname(path.join(seedDir, c.to)), { recursive: true });
    fs.copyFileSync(c.from, path.join(seedDir, c.to));
  }
  process.stdout.write(`${path.relative(process.cwd(), seedDir)}: vendored ${copies.length} files\n`);
}

for (const repo of Object.keys(SEEDED_REPOSITORIES) as SeededRepositoryName[]) {
  vendor(path.join(SEED_DIRECTORY, repo), vendoredPackagesOf(repo));
}
for (const seedDir of otherTemplateSeedFolders([path.basename(SEED_DIRECTORY)])) {
  vendor(seedDir, vendoredPackagesFromManifest(seedDir));
}
