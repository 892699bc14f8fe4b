// Lambda entry of the project teardown custom resource (aws-cdk-lib custom-resources Provider):
// `onEvent` and `isComplete`. Bundled by esbuild (NodejsFunction); see README.md for the properties.
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeCommitClient } from '@aws-sdk/client-codecommit';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { systemClock } from './common/clock';
import {
  createTeardownIsComplete,
  createTeardownOnEvent,
  type IsCompleteEvent,
  type IsCompleteResponse,
  type OnEventResponse,
} from './teardown/handlers';

const powertools = new Logger({ serviceName: 'project-teardown' });
const logger = powertoolsLogPort(powertools);
const clients = {
  cloudFormation: new CloudFormationClient({}),
  sageMaker: new SageMakerClient({}),
  scheduler: new SchedulerClient({}),
  s3: new S3Client({}),
  codeCommit: new CodeCommitClient({}),
  lambda: new LambdaClient({}),
  logs: new CloudWatchLogsClient({}),
};

const onEventCore = createTeardownOnEvent({ clients, logger, clock: systemClock });
const isCompleteCore = createTeardownIsComplete({ clients, logger, clock: systemClock });

export async function onEvent(
  event: CloudFormationCustomResourceEvent,
  context?: Context,
): Promise<OnEventResponse> {
  if (context !== undefined) powertools.addContext(context);
  return onEventCore(event, context);
}

export async function isComplete(event: IsCompleteEvent, context?: Context): Promise<IsCompleteResponse> {
  if (context !== undefined) powertools.addContext(context);
  return isCompleteCore(event, context);
}
