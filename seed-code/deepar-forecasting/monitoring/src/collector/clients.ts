// The AWS SDK clients of a collection cycle, built in one place for the Lambda handler and the local
// runner (`npm run collect`): region and credentials from the environment (the default provider chain).
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { CollectorClients } from './collect';

/** One client per service the collector calls. */
export function createCollectorClients(): CollectorClients {
  return {
    s3: new S3Client({}),
    ssm: new SSMClient({}),
    sagemaker: new SageMakerClient({}),
    runtime: new SageMakerRuntimeClient({}),
    cloudwatch: new CloudWatchClient({}),
    athena: new AthenaClient({}),
  };
}
