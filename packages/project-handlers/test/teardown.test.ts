// The teardown onEvent/isComplete flows against mocked AWS clients (aws-sdk-client-mock): pagination,
// phases, DELETE_FAILED, retention, bucket emptying, idempotent retries and error context.
import {
  CloudFormationClient,
  DeleteStackCommand,
  ListStacksCommand,
  type StackSummary,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CodeCommitClient, DeleteRepositoryCommand } from '@aws-sdk/client-codecommit';
import { DeleteFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DeleteModelPackageCommand,
  DeletePipelineCommand,
  ListEndpointConfigsCommand,
  ListModelPackagesCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { DeleteScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { awsError, RecordingLogger } from './support/recording-logger';
import {
  createEvent,
  DEPLOY_PREFIX,
  deleteEvent,
  MONITORING_PREFIX,
  PROJECT_ID,
  updateEvent,
  VALID_PROPERTIES,
} from './support/teardown-fixtures';
import {
  createTeardownIsComplete,
  createTeardownOnEvent,
  type IsCompleteEvent,
} from '../src/teardown/handlers';
import { EXISTING_STACK_STATUSES } from '../src/teardown/run';

const REGION = { region: 'eu-west-1' };
const cloudFormation = new CloudFormationClient(REGION);
const sageMaker = new SageMakerClient(REGION);
const scheduler = new SchedulerClient(REGION);
const s3 = new S3Client(REGION);
const cfnMock = mockClient(cloudFormation);
const smMock = mockClient(sageMaker);
const schedulerMock = mockClient(scheduler);
const s3Mock = mockClient(s3);
const codeCommit = new CodeCommitClient(REGION);
const lambda = new LambdaClient(REGION);
const logs = new CloudWatchLogsClient(REGION);
const codeCommitMock = mockClient(codeCommit);
const lambdaMock = mockClient(lambda);
const logsMock = mockClient(logs);
const clients = { cloudFormation, sageMaker, scheduler, s3, codeCommit, lambda, logs };

let logger: RecordingLogger;
let now: number;
const clock = (): Date => new Date(now);

function summary(name: string, status: string, extra: Partial<StackSummary> = {}): StackSummary {
  return {
    StackId: `arn:aws:cloudformation:eu-west-1:111122223333:stack/${name}/id-${name}`,
    StackName: name,
    StackStatus: status as StackSummary['StackStatus'],
    CreationTime: new Date('2024-01-01T00:00:00Z'),
    ...extra,
  };
}

function onEvent() {
  return createTeardownOnEvent({ clients, logger, clock });
}

function isComplete(safetyMarginMillis = 0) {
  return createTeardownIsComplete({ clients, logger, clock, safetyMarginMillis });
}

function pollEvent(props: Record<string, unknown> = VALID_PROPERTIES): IsCompleteEvent {
  return { ...deleteEvent(props), PhysicalResourceId: `teardown-${PROJECT_ID}` } as IsCompleteEvent;
}

/** No stacks, no packages, no models: the state after everything was deleted. */
function emptyAccount(): void {
  cfnMock.on(ListStacksCommand).resolves({ StackSummaries: [] });
  schedulerMock.on(ListSchedulesCommand).resolves({ Schedules: [] });
  smMock.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
  smMock.on(ListModelsCommand).resolves({ Models: [] });
  smMock.on(ListEndpointConfigsCommand).resolves({ EndpointConfigs: [] });
  smMock.on(DeletePipelineCommand).rejects(awsError('ResourceNotFound', 'Pipeline does not exist'));
  lambdaMock.on(ListFunctionsCommand).resolves({ Functions: [] });
  codeCommitMock.on(DeleteRepositoryCommand).resolves({});
}

beforeEach(() => {
  cfnMock.reset();
  smMock.reset();
  schedulerMock.reset();
  s3Mock.reset();
  codeCommitMock.reset();
  lambdaMock.reset();
  logsMock.reset();
  logger = new RecordingLogger();
  now = Date.parse('2024-06-01T12:00:00Z');
});

describe('onEvent Create / Update', () => {
  it.each([
    ['Create', createEvent()],
    ['Update', updateEvent()],
  ])('%s has no side effect and a stable physical id', async (_type, event) => {
    await expect(onEvent()(event)).resolves.toEqual({ PhysicalResourceId: `teardown-${PROJECT_ID}` });
    expect(cfnMock.calls()).toHaveLength(0);
    expect(smMock.calls()).toHaveLength(0);
    expect(schedulerMock.calls()).toHaveLength(0);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('fails Create with a message naming the invalid property', async () => {
    await expect(onEvent()(createEvent({ ...VALID_PROPERTIES, DataRetention: 'Sometimes' }))).rejects.toThrow(
      /DataRetention: must be "Retain" or "Delete"/,
    );
  });

  it('isComplete is immediately complete for Create and Update', async () => {
    await expect(
      isComplete()({ ...createEvent(), PhysicalResourceId: 'teardown-p-abc123' }),
    ).resolves.toEqual({
      IsComplete: true,
    });
    await expect(isComplete()(updateEvent())).resolves.toEqual({ IsComplete: true });
    expect(cfnMock.calls()).toHaveLength(0);
  });
});

describe('onEvent Delete', () => {
  it('deletes schedules and pipelines, then the first phase of stacks (paginated ListStacks)', async () => {
    schedulerMock
      .on(ListSchedulesCommand)
      .resolvesOnce({ Schedules: [{ Name: `${PROJECT_ID}-synthetic-data` }], NextToken: 's2' })
      .resolvesOnce({ Schedules: [{ Name: `${PROJECT_ID}-recheck` }] });
    schedulerMock
      .on(DeleteScheduleCommand, { Name: `${PROJECT_ID}-recheck` })
      .rejects(awsError('ResourceNotFoundException'));
    smMock
      .on(DeletePipelineCommand, { PipelineName: `demo-${PROJECT_ID}-extra` })
      .rejects(awsError('ResourceNotFound', 'Pipeline not found'));
    cfnMock
      .on(ListStacksCommand)
      .resolvesOnce({
        StackSummaries: [
          summary(`${DEPLOY_PREFIX}staging`, 'UPDATE_COMPLETE'),
          summary(`${MONITORING_PREFIX}staging`, 'CREATE_COMPLETE'),
          summary('sagemaker-demo-p-zzz999-deploy-staging', 'CREATE_COMPLETE'),
        ],
        NextToken: 'page2',
      })
      .resolvesOnce({
        StackSummaries: [
          summary(`${MONITORING_PREFIX}prod`, 'DELETE_IN_PROGRESS'),
          summary(`${MONITORING_PREFIX}staging-Nested-1`, 'CREATE_COMPLETE', { ParentId: 'arn:parent' }),
          summary(`${DEPLOY_PREFIX}prod`, 'DELETE_FAILED', { StackStatusReason: 'old failure' }),
        ],
      });

    const response = await onEvent()(deleteEvent());

    expect(response.PhysicalResourceId).toBe(`teardown-${PROJECT_ID}`);
    expect(response.Data).toEqual({
      SchedulesDeleted: '1',
      PipelinesDeleted: '1',
      StacksDeleting: `${MONITORING_PREFIX}staging,${DEPLOY_PREFIX}prod`,
    });
    expect(schedulerMock).toHaveReceivedCommandWith(ListSchedulesCommand, {
      GroupName: 'default',
      NamePrefix: `${PROJECT_ID}-`,
    });
    expect(schedulerMock).toHaveReceivedNthCommandWith(3, DeleteScheduleCommand, {
      Name: `${PROJECT_ID}-synthetic-data`,
      GroupName: 'default',
    });
    expect(smMock).toHaveReceivedCommandTimes(DeletePipelineCommand, 2);
    expect(cfnMock).toHaveReceivedNthCommandWith(1, ListStacksCommand, {
      StackStatusFilter: EXISTING_STACK_STATUSES,
    });
    expect(cfnMock).toHaveReceivedNthCommandWith(2, ListStacksCommand, { NextToken: 'page2' });
    const deleted = cfnMock.commandCalls(DeleteStackCommand).map((c) => c.args[0].input.StackName);
    expect(deleted).toEqual([
      `arn:aws:cloudformation:eu-west-1:111122223333:stack/${MONITORING_PREFIX}staging/id-${MONITORING_PREFIX}staging`,
      `arn:aws:cloudformation:eu-west-1:111122223333:stack/${DEPLOY_PREFIX}prod/id-${DEPLOY_PREFIX}prod`,
    ]);
    expect(EXISTING_STACK_STATUSES).not.toContain('DELETE_COMPLETE');
    expect(EXISTING_STACK_STATUSES).toContain('DELETE_FAILED');
    // Nothing after the stacks yet: packages, models and buckets wait until the stacks are gone.
    expect(smMock).not.toHaveReceivedCommand(ListModelPackagesCommand);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('propagates other AWS errors with the operation and target', async () => {
    schedulerMock.on(ListSchedulesCommand).resolves({ Schedules: [] });
    smMock.on(DeletePipelineCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    await expect(onEvent()(deleteEvent())).rejects.toThrow(
      `DeletePipeline demo-${PROJECT_ID}-build failed: AccessDeniedException: not authorized`,
    );
    expect(cfnMock).not.toHaveReceivedCommand(DeleteStackCommand);
  });

  it('succeeds when retried after everything was already deleted', async () => {
    emptyAccount();
    await expect(onEvent()(deleteEvent())).resolves.toMatchObject({
      Data: { SchedulesDeleted: '0', PipelinesDeleted: '0', StacksDeleting: '' },
    });
    expect(cfnMock).not.toHaveReceivedCommand(DeleteStackCommand);
  });
});

describe('isComplete Delete', () => {
  it('is not complete while stacks are being deleted, and touches nothing else', async () => {
    cfnMock.on(ListStacksCommand).resolves({
      StackSummaries: [
        summary(`${MONITORING_PREFIX}staging`, 'DELETE_IN_PROGRESS'),
        summary(`${DEPLOY_PREFIX}staging`, 'CREATE_COMPLETE'),
      ],
    });
    await expect(isComplete()(pollEvent())).resolves.toEqual({ IsComplete: false });
    expect(cfnMock).not.toHaveReceivedCommand(DeleteStackCommand);
    expect(smMock.calls()).toHaveLength(0);
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it('starts the next phase once the previous phase is gone', async () => {
    cfnMock.on(ListStacksCommand).resolves({
      StackSummaries: [
        summary(`${DEPLOY_PREFIX}staging`, 'UPDATE_COMPLETE'),
        summary(`${DEPLOY_PREFIX}prod`, 'DELETE_IN_PROGRESS'),
      ],
    });
    await expect(isComplete()(pollEvent())).resolves.toEqual({ IsComplete: false });
    expect(cfnMock).toHaveReceivedCommandTimes(DeleteStackCommand, 1);
    expect(cfnMock).toHaveReceivedCommandWith(DeleteStackCommand, {
      StackName: `arn:aws:cloudformation:eu-west-1:111122223333:stack/${DEPLOY_PREFIX}staging/id-${DEPLOY_PREFIX}staging`,
    });
  });

  it('throws with the stack name and status reason when a stack is DELETE_FAILED', async () => {
    cfnMock.on(ListStacksCommand).resolves({
      StackSummaries: [
        summary(`${DEPLOY_PREFIX}prod`, 'DELETE_FAILED', {
          StackStatusReason: 'The following resource(s) failed to delete: [Endpoint].',
        }),
      ],
    });
    await expect(isComplete()(pollEvent())).rejects.toThrow(
      `stack deletion failed for ${DEPLOY_PREFIX}prod (The following resource(s) failed to delete: [Endpoint].)`,
    );
    expect(logger.messages('error')).toContain('Stack deletion failed');
    expect(smMock.calls()).toHaveLength(0);
  });

  it('once stacks are gone: deletes model packages (paginated) and tagged models/endpoint configs, retains buckets', async () => {
    emptyAccount();
    const group = VALID_PROPERTIES.ModelPackageGroupName;
    smMock
      .on(ListModelPackagesCommand)
      .resolvesOnce({
        ModelPackageSummaryList: [
          {
            ModelPackageArn: `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${group}/1`,
            ModelPackageGroupName: group,
          } as never,
        ],
        NextToken: 'mp2',
      })
      .resolvesOnce({
        ModelPackageSummaryList: [
          {
            ModelPackageArn: `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${group}/2`,
            ModelPackageGroupName: group,
          } as never,
        ],
      });
    smMock
      .on(DeleteModelPackageCommand, {
        ModelPackageName: `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${group}/2`,
      })
      .rejects(awsError('ResourceNotFound'));
    smMock.on(ListModelsCommand).resolves({
      Models: [
        {
          ModelName: `${PROJECT_ID}-model-a`,
          ModelArn: `arn:aws:sagemaker:eu-west-1:111122223333:model/${PROJECT_ID}-model-a`,
          CreationTime: new Date(),
        },
        {
          ModelName: `${PROJECT_ID}-model-b`,
          ModelArn: `arn:aws:sagemaker:eu-west-1:111122223333:model/${PROJECT_ID}-model-b`,
          CreationTime: new Date(),
        },
      ],
    });
    smMock.on(ListEndpointConfigsCommand).resolves({
      EndpointConfigs: [
        {
          EndpointConfigName: `${PROJECT_ID}-config`,
          EndpointConfigArn: `arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/${PROJECT_ID}-config`,
          CreationTime: new Date(),
        },
      ],
    });
    smMock
      .on(ListTagsCommand, {
        ResourceArn: `arn:aws:sagemaker:eu-west-1:111122223333:model/${PROJECT_ID}-model-a`,
      })
      .resolves({ Tags: [{ Key: 'sagemaker:project-id', Value: PROJECT_ID }] });
    smMock
      .on(ListTagsCommand, {
        ResourceArn: `arn:aws:sagemaker:eu-west-1:111122223333:model/${PROJECT_ID}-model-b`,
      })
      .resolves({ Tags: [{ Key: 'sagemaker:project-id', Value: 'p-other' }] });
    smMock
      .on(ListTagsCommand, {
        ResourceArn: `arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/${PROJECT_ID}-config`,
      })
      .resolvesOnce({ Tags: [{ Key: 'owner', Value: 'x' }], NextToken: 't2' })
      .resolvesOnce({ Tags: [{ Key: 'sagemaker:project-id', Value: PROJECT_ID }] });

    await expect(isComplete()(pollEvent())).resolves.toEqual({
      IsComplete: true,
      Data: {
        RetainedBuckets: `sagemaker-project-${PROJECT_ID}`,
        RetainedRepositories: VALID_PROPERTIES.CodeCommitRepositories.join(','),
      },
    });

    expect(smMock).toHaveReceivedCommandWith(ListModelPackagesCommand, {
      ModelPackageGroupName: group,
      ModelPackageType: 'Versioned',
    });
    expect(smMock).toHaveReceivedCommandWith(ListModelPackagesCommand, { NextToken: 'mp2' });
    expect(smMock).toHaveReceivedCommandTimes(DeleteModelPackageCommand, 2);
    expect(smMock).toHaveReceivedCommandWith(ListModelsCommand, { NameContains: PROJECT_ID });
    expect(smMock.commandCalls(DeleteModelCommand).map((c) => c.args[0].input.ModelName)).toEqual([
      `${PROJECT_ID}-model-a`,
    ]);
    expect(smMock).toHaveReceivedCommandWith(DeleteEndpointConfigCommand, {
      EndpointConfigName: `${PROJECT_ID}-config`,
    });
    expect(s3Mock.calls()).toHaveLength(0);
    const retained = logger.entries.find((e) => e.message.startsWith('Data buckets retained'));
    expect(retained?.attributes).toEqual({ buckets: [`sagemaker-project-${PROJECT_ID}`] });
  });

  describe('DataRetention Delete', () => {
    const deleteProps = {
      ...VALID_PROPERTIES,
      DataRetention: 'Delete',
      DataBuckets: ['bucket-a', 'bucket-b'],
    };

    it('deletes all versions and delete markers in batches of 1000, then the bucket', async () => {
      emptyAccount();
      const versions = Array.from({ length: 1500 }, (_, i) => ({ Key: `k${i}`, VersionId: `v${i}` }));
      s3Mock
        .on(ListObjectVersionsCommand, { Bucket: 'bucket-a' })
        .resolvesOnce({
          Versions: versions.slice(0, 900),
          DeleteMarkers: versions.slice(900, 1500),
          IsTruncated: true,
          NextKeyMarker: 'k1499',
          NextVersionIdMarker: 'v1499',
        })
        .resolvesOnce({ Versions: [{ Key: 'last', VersionId: 'null' }], IsTruncated: false });
      s3Mock.on(ListObjectVersionsCommand, { Bucket: 'bucket-b' }).rejects(awsError('NoSuchBucket'));
      s3Mock.on(DeleteObjectsCommand).resolves({});
      s3Mock.on(DeleteBucketCommand).resolves({});

      await expect(isComplete()(pollEvent(deleteProps))).resolves.toEqual({
        IsComplete: true,
        Data: { RetainedBuckets: '', RetainedRepositories: '' },
      });

      const batches = s3Mock
        .commandCalls(DeleteObjectsCommand)
        .map((c) => c.args[0].input.Delete?.Objects ?? []);
      expect(batches.map((b) => b.length)).toEqual([1000, 500, 1]);
      expect(batches.flat().map((o) => o.Key)).toEqual([...versions.map((v) => v.Key), 'last']);
      expect(s3Mock.commandCalls(ListObjectVersionsCommand)[1].args[0].input).toEqual({
        Bucket: 'bucket-a',
        KeyMarker: 'k1499',
        VersionIdMarker: 'v1499',
      });
      expect(s3Mock).toHaveReceivedCommandTimes(DeleteBucketCommand, 1);
      expect(s3Mock).toHaveReceivedCommandWith(DeleteBucketCommand, { Bucket: 'bucket-a' });
    });

    it('fails with the object errors reported by DeleteObjects', async () => {
      emptyAccount();
      s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'a', VersionId: '1' }] });
      s3Mock
        .on(DeleteObjectsCommand)
        .resolves({ Errors: [{ Key: 'a', VersionId: '1', Code: 'AccessDenied', Message: 'Access Denied' }] });
      await expect(isComplete()(pollEvent(deleteProps))).rejects.toThrow(
        'DeleteObjects s3://bucket-a failed for 1 object(s): a@1: AccessDenied Access Denied',
      );
      expect(s3Mock).not.toHaveReceivedCommand(DeleteBucketCommand);
    });

    it('stops at the deadline and continues at the next poll', async () => {
      emptyAccount();
      const versions = (from: number) =>
        Array.from({ length: 1000 }, (_, i) => ({ Key: `k${from + i}`, VersionId: '1' }));
      s3Mock.on(ListObjectVersionsCommand).callsFake(async (input: { KeyMarker?: string }) => {
        now += 20_000; // each page takes 20 s
        return input.KeyMarker === undefined
          ? { Versions: versions(0), IsTruncated: true, NextKeyMarker: 'k999', NextVersionIdMarker: '1' }
          : { Versions: versions(1000), IsTruncated: false };
      });
      s3Mock.on(DeleteObjectsCommand).resolves({});
      s3Mock.on(DeleteBucketCommand).resolves({});

      const context = { getRemainingTimeInMillis: () => 10_000 };
      await expect(isComplete(0)(pollEvent(deleteProps), context)).resolves.toEqual({ IsComplete: false });
      expect(s3Mock).not.toHaveReceivedCommand(DeleteBucketCommand);
      expect(s3Mock.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input.Bucket)).toEqual([
        'bucket-a',
      ]);

      const later = { getRemainingTimeInMillis: () => 600_000 };
      await expect(isComplete(0)(pollEvent(deleteProps), later)).resolves.toMatchObject({ IsComplete: true });
      expect(s3Mock).toHaveReceivedCommandWith(DeleteBucketCommand, { Bucket: 'bucket-a' });
      expect(s3Mock).toHaveReceivedCommandWith(DeleteBucketCommand, { Bucket: 'bucket-b' });
    });

    it('is not complete when the bucket received new objects meanwhile (BucketNotEmpty)', async () => {
      emptyAccount();
      s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: [] });
      s3Mock.on(DeleteBucketCommand, { Bucket: 'bucket-a' }).rejects(awsError('BucketNotEmpty'));
      s3Mock.on(DeleteBucketCommand, { Bucket: 'bucket-b' }).resolves({});
      await expect(isComplete()(pollEvent(deleteProps))).resolves.toEqual({ IsComplete: false });
      expect(logger.messages('warn')).toContain(
        'Bucket received new objects while being emptied, retrying at the next poll',
      );
    });

    it('propagates an access error on DeleteBucket with context', async () => {
      emptyAccount();
      s3Mock.on(ListObjectVersionsCommand).resolves({});
      s3Mock.on(DeleteBucketCommand).rejects(awsError('AccessDenied', 'Access Denied'));
      await expect(isComplete()(pollEvent(deleteProps))).rejects.toThrow(
        'DeleteBucket s3://bucket-a failed: AccessDenied: Access Denied',
      );
    });
  });
});

describe('repositories follow DataRetention (#19), step functions are removed (#14 finding 10)', () => {
  const stepFunctions = (): void => {
    lambdaMock
      .on(ListFunctionsCommand)
      .resolvesOnce({
        Functions: [
          { FunctionName: `sagemaker-${PROJECT_ID}-step-prepare-data` },
          { FunctionName: 'sagemaker-p-other-step-prepare-data' },
        ],
        NextMarker: 'm2',
      })
      .resolvesOnce({ Functions: [{ FunctionName: `sagemaker-${PROJECT_ID}-step-evaluate` }] });
    lambdaMock
      .on(DeleteFunctionCommand, { FunctionName: `sagemaker-${PROJECT_ID}-step-evaluate` })
      .rejects(awsError('ResourceNotFoundException'));
    logsMock.on(DeleteLogGroupCommand).rejects(awsError('ResourceNotFoundException'));
    logsMock
      .on(DeleteLogGroupCommand, { logGroupName: `/aws/lambda/sagemaker-${PROJECT_ID}-step-prepare-data` })
      .resolves({});
  };

  it('DataRetention Retain: the repositories are left and reported; DeleteRepository is never called', async () => {
    emptyAccount();
    stepFunctions();

    const done = await isComplete()(pollEvent());

    expect(done.Data?.RetainedRepositories).toBe(VALID_PROPERTIES.CodeCommitRepositories.join(','));
    expect(codeCommitMock).not.toHaveReceivedCommand(DeleteRepositoryCommand);
  });

  it('DataRetention Delete: each CodeCommit repository is deleted once no stack remains', async () => {
    emptyAccount();
    stepFunctions();
    s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: [], IsTruncated: false });
    s3Mock.on(DeleteBucketCommand).resolves({});
    codeCommitMock.on(DeleteRepositoryCommand).resolves({ repositoryId: 'r-1' });

    const done = await isComplete()(pollEvent({ ...VALID_PROPERTIES, DataRetention: 'Delete' }));

    expect(done).toEqual({ IsComplete: true, Data: { RetainedBuckets: '', RetainedRepositories: '' } });
    expect(codeCommitMock.commandCalls(DeleteRepositoryCommand).map((c) => c.args[0].input)).toEqual(
      VALID_PROPERTIES.CodeCommitRepositories.map((repositoryName) => ({ repositoryName })),
    );
  });

  it('DataRetention Delete: no repository is touched while stacks remain', async () => {
    emptyAccount();
    cfnMock
      .on(ListStacksCommand)
      .resolves({ StackSummaries: [summary(`${DEPLOY_PREFIX}staging`, 'DELETE_IN_PROGRESS')] });

    await expect(isComplete()(pollEvent({ ...VALID_PROPERTIES, DataRetention: 'Delete' }))).resolves.toEqual({
      IsComplete: false,
    });
    expect(codeCommitMock.calls()).toHaveLength(0);
  });

  it('a third-party provider has no CodeCommit repository to delete', async () => {
    emptyAccount();
    s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: [], IsTruncated: false });
    s3Mock.on(DeleteBucketCommand).resolves({});
    await isComplete()(
      pollEvent({
        ...VALID_PROPERTIES,
        DataRetention: 'Delete',
        RepositoryProvider: 'CodeConnection',
        CodeCommitRepositories: [],
      }),
    );
    expect(codeCommitMock.calls()).toHaveLength(0);
  });

  it("deletes this project's step functions (paginated) and their log groups, not another project's", async () => {
    emptyAccount();
    stepFunctions();

    await isComplete()(pollEvent());

    expect(lambdaMock.commandCalls(DeleteFunctionCommand).map((c) => c.args[0].input.FunctionName)).toEqual([
      `sagemaker-${PROJECT_ID}-step-prepare-data`,
      `sagemaker-${PROJECT_ID}-step-evaluate`,
    ]);
    expect(logsMock.commandCalls(DeleteLogGroupCommand).map((c) => c.args[0].input.logGroupName)).toEqual([
      `/aws/lambda/sagemaker-${PROJECT_ID}-step-prepare-data`,
      `/aws/lambda/sagemaker-${PROJECT_ID}-step-evaluate`,
    ]);
  });

  it('an Update that switches RepositoryProvider is refused with the way forward', async () => {
    const event = {
      ...updateEvent({
        ...VALID_PROPERTIES,
        RepositoryProvider: 'CodeConnection',
        CodeCommitRepositories: [],
      }),
      OldResourceProperties: { ...VALID_PROPERTIES },
    } as CloudFormationCustomResourceEvent;

    await expect(onEvent()(event)).rejects.toThrow(
      /^RepositoryProvider cannot change after the project is created \(CodeCommit → CodeConnection\): .*not migrated.*git clone --mirror/,
    );
    expect(codeCommitMock.calls()).toHaveLength(0);
  });

  it('an Update with the same provider (or from a template that did not record it) is accepted', async () => {
    await expect(onEvent()(updateEvent())).resolves.toEqual({ PhysicalResourceId: `teardown-${PROJECT_ID}` });
    const { RepositoryProvider: _dropped, ...legacy } = VALID_PROPERTIES;
    const fromLegacy = {
      ...updateEvent({ ...VALID_PROPERTIES, RepositoryProvider: 'CodeConnection' }),
      OldResourceProperties: { ...legacy },
    } as CloudFormationCustomResourceEvent;
    await expect(onEvent()(fromLegacy)).resolves.toEqual({ PhysicalResourceId: `teardown-${PROJECT_ID}` });
  });

  it('a step function prefix or repository without the ProjectId is refused', async () => {
    await expect(
      onEvent()(
        createEvent({ ...VALID_PROPERTIES, StepFunctionPrefix: 'sagemaker-', CodeCommitRepositories: ['x'] }),
      ),
    ).rejects.toThrow(
      /StepFunctionPrefix: .*must contain the ProjectId.*CodeCommitRepositories\.0: "x" must contain/,
    );
  });
});
