#!/usr/bin/env node
// CDK entry point (`npx cdk synth`): the staging and prod deploy stacks, from the stage parameters
// the build step wrote (-c stageParameters=deploy/stage-parameters.json) or the example placeholders.
import { App } from 'aws-cdk-lib';
import { resolveSynthInput } from '../src/app-input';
import { addDeployStacks } from '../src/deploy-stack';
import { ConfigError } from '../src/stage-config';

try {
  const app = new App({ analyticsReporting: false });
  const contextFile = app.node.tryGetContext('stageParameters') as string | undefined;
  const input = resolveSynthInput(process.env, contextFile, (message) =>
    process.stderr.write(`${message}\n`),
  );
  addDeployStacks(app, input.parameters);
  app.synth();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`ERROR: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
