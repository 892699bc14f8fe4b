// The tabular XGBoost template's monitoring seeded repository works on its own: a fresh copy (seed
// folder + vendored packages) passes npm ci && npm test (see test/support/seed-fresh-copy.ts).
import { seedDirectoryOf, vendoredPackagesOf } from '../../templates/tabular-xgboost/seeded-repositories';
import { describeSeedFreshCopy } from '../support/seed-fresh-copy';

describeSeedFreshCopy(
  'tabular-xgboost/monitoring',
  seedDirectoryOf('monitoring'),
  vendoredPackagesOf('monitoring'),
);
