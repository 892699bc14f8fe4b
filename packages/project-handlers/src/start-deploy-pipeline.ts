// Lambda entry: starts the model-deploy CodePipeline (V2) when a model package of the project's group
// is Approved (EventBridge `SageMaker Model Package State Change`). Env: PIPELINE_NAME, MODEL_PACKAGE_GROUP_NAME.
import { Logger } from '@aws-lambda-powertools/logger';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import type { Context } from 'aws-lambda';
import {
  type DeployTriggerOutcome,
  handleModelPackageStateChange,
  loadDeployTriggerConfig,
} from './deploy-trigger/decide';

const powertools = new Logger({ serviceName: 'start-deploy-pipeline' });
const config = loadDeployTriggerConfig(process.env);
const codePipeline = new CodePipelineClient({});
const logger = powertoolsLogPort(powertools);

export async function handler(event: unknown, context?: Context): Promise<DeployTriggerOutcome> {
  if (context !== undefined) powertools.addContext(context);
  return handleModelPackageStateChange(event, { codePipeline, config, logger });
}
