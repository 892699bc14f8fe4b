// The tabular XGBoost template's model-build seeded repository works on its own: a fresh copy (the
// seed folder and the packages its package.json vendors) passes npm ci && npm test (see
// test/support/seed-fresh-copy.ts).
import { seedFolder, vendoredPackagesFromManifest } from '../../scripts/seed-manifest';
import { describeFreshCopy } from '../support/seed-fresh-copy';

const seedDirectory = seedFolder('tabular-xgboost', 'model-build');

describeFreshCopy('tabular-xgboost/model-build', {
  seedDirectory,
  vendoredPackages: vendoredPackagesFromManifest(seedDirectory),
});
