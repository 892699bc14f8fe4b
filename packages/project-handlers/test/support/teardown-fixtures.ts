// Shared teardown test data: valid resource properties and custom resource events.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

export const PROJECT_ID = 'p-abc123';
export const MONITORING_PREFIX = `sagemaker-demo-${PROJECT_ID}-monitoring-`;
export const DEPLOY_PREFIX = `sagemaker-demo-${PROJECT_ID}-deploy-`;

export const VALID_PROPERTIES = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:provider',
  ProjectName: 'demo',
  ProjectId: PROJECT_ID,
  StackNamePrefixes: [MONITORING_PREFIX, DEPLOY_PREFIX],
  SageMakerPipelineNames: [`demo-${PROJECT_ID}-build`, `demo-${PROJECT_ID}-extra`],
  ModelPackageGroupName: `demo-${PROJECT_ID}`,
  ScheduleNamePrefix: `${PROJECT_ID}-`,
  DataBuckets: [`sagemaker-project-${PROJECT_ID}`],
  DataRetention: 'Retain',
  ResourceNameFilter: PROJECT_ID,
  CodeCommitRepositories: [
    `sagemaker-demo-${PROJECT_ID}-model-build`,
    `sagemaker-demo-${PROJECT_ID}-model-deploy`,
    `sagemaker-demo-${PROJECT_ID}-monitoring`,
  ],
  RepositoryProvider: 'CodeCommit',
  StepFunctionPrefix: `sagemaker-${PROJECT_ID}-step-`,
};

export type TeardownPropertiesInput = typeof VALID_PROPERTIES;

const COMMON = {
  ServiceToken: VALID_PROPERTIES.ServiceToken,
  ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/x',
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/SC-111122223333-pp-xyz/uuid',
  RequestId: 'req-1',
  LogicalResourceId: 'Teardown',
  ResourceType: 'Custom::ProjectTeardown',
};

export function createEvent(
  props: Record<string, unknown> = VALID_PROPERTIES,
): CloudFormationCustomResourceEvent {
  return {
    ...COMMON,
    RequestType: 'Create',
    ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...props },
  };
}

export function updateEvent(
  props: Record<string, unknown> = VALID_PROPERTIES,
): CloudFormationCustomResourceEvent {
  return {
    ...COMMON,
    RequestType: 'Update',
    PhysicalResourceId: `teardown-${PROJECT_ID}`,
    ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...props },
    OldResourceProperties: { ServiceToken: COMMON.ServiceToken, ...props },
  };
}

export function deleteEvent(
  props: Record<string, unknown> = VALID_PROPERTIES,
): CloudFormationCustomResourceEvent {
  return {
    ...COMMON,
    RequestType: 'Delete',
    PhysicalResourceId: `teardown-${PROJECT_ID}`,
    ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...props },
  };
}
