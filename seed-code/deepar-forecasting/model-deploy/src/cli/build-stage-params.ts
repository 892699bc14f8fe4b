// `npm run build:stage-params [-- --event FILE] [--out DIR] [--stages FILE]`: the Build action of
// the model-deploy pipeline (buildspec.yml), the shared command of @mlops-templates/model-deploy with
// this repository's stack options (src/deploy-options.ts).
import { buildStageParamsCommand } from '@mlops-templates/model-deploy';
import { DEPLOY_SEED } from '../deploy-options';

buildStageParamsCommand(DEPLOY_SEED);
