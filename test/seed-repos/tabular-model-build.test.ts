// The tabular XGBoost template's model-build seeded repository works on its own: a fresh copy (the
// seed folder and the packages it vendors) passes npm ci && npm test (see test/support/seed-fresh-copy.ts).
import { seedDirectoryOf, vendoredPackagesOf } from '../../templates/tabular-xgboost/seeded-repositories';
import { describeSeedFreshCopy } from '../support/seed-fresh-copy';

describeSeedFreshCopy(
  'tabular-xgboost/model-build',
  seedDirectoryOf('model-build'),
  vendoredPackagesOf('model-build'),
);
