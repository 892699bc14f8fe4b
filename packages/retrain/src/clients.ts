// Builds the AWS SDK v3 clients of the retrain decision with the SDK's own configuration chain:
// region, credentials, `AWS_ENDPOINT_URL` (e.g. moto_server) and the standard retry strategy
// (`AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`) are read from the environment, never overridden here.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { RetrainClients } from './decision';

export interface RetrainClientOptions {
  /** Attempts per call including the first (SDK standard retry); default: `AWS_MAX_ATTEMPTS` or 3. */
  readonly maxAttempts?: number;
}

export function createRetrainClients(options: RetrainClientOptions = {}): RetrainClients {
  const config = options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {};
  return {
    sagemaker: new SageMakerClient(config),
    cloudwatch: new CloudWatchClient(config),
    sns: new SNSClient(config),
    ssm: new SSMClient(config),
  };
}
