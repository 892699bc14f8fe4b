// The entries of the handlers every template's loop runs (ProjectLoop `handlers`): the retrain Lambda,
// teardown, repository seeding and deploy trigger. One map for every product, so each product bundles
// the same code into the same asset (test/tabular-product.test.ts compares the asset hashes).
import { LoopHandlerEntries } from '@mlops-templates/constructs';
import { PROJECT_HANDLER_ENTRIES } from '@mlops-templates/project-handlers';
import { RETRAIN_ENTRIES } from '@mlops-templates/retrain';

/** The shared handlers' entries. */
export const LOOP_HANDLERS: LoopHandlerEntries = {
  seedRepositories: PROJECT_HANDLER_ENTRIES['seed-repositories'],
  seedRepositoriesResource: PROJECT_HANDLER_ENTRIES['seed-repositories-resource'],
  startDeployPipeline: PROJECT_HANDLER_ENTRIES['start-deploy-pipeline'],
  teardownResource: PROJECT_HANDLER_ENTRIES['teardown-resource'],
  retrain: RETRAIN_ENTRIES.handler,
};
