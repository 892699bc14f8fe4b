#!/usr/bin/env node
// CDK entry point (`npx cdk synth`): the staging and prod deploy stacks (CSV data capture), from the
// stage parameters the build step wrote (-c stageParameters=deploy/stage-parameters.json) or the
// example placeholders of config/example-environment.json.
import { synthDeployApp } from '@mlops-templates/model-deploy';
import { DEPLOY_SEED } from '../src/deploy-options';

synthDeployApp(DEPLOY_SEED);
