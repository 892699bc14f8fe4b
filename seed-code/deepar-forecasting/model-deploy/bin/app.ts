#!/usr/bin/env node
// CDK entry point (`npx cdk synth`): the staging and prod deploy stacks, from the stage parameters
// the build step wrote (-c stageParameters=deploy/stage-parameters.json) or the example placeholders.
import { synthDeployApp } from '@mlops-templates/model-deploy';
import { DEPLOY_SEED } from '../src/deploy-options';

synthDeployApp(DEPLOY_SEED);
