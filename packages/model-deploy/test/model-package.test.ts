// Choosing the model package: the one of the triggering event / pipeline variable (checked Approved
// and in the project's group), or for a push the latest Approved one (said in the log).
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { readFixture, recordingLog } from './helpers';
import { ModelPackageError, modelPackageFromEvent, resolveModelPackage } from '../src/model-package';

const sagemakerMock = mockClient(SageMakerClient);
const sagemaker = new SageMakerClient({ region: 'us-east-2' });

// The real AWS documentation sample event (raw: the "source" key appears twice).
const rawEvent = JSON.parse(readFixture('sagemaker-model-package-state-change.json')) as {
  detail: Record<string, unknown>;
};
const normalizedEvent = JSON.parse(readFixture('sagemaker-model-package-state-change.normalized.json'));
const EVENT_ARN = 'arn:aws:sagemaker:us-east-2:123456789012:model-package/versionedmp-p-idy6c3e1fiqj/2';
const EVENT_GROUP = 'versionedmp-p-idy6c3e1fiqj';

function describedAs(arn: string, status: string, extra: Record<string, unknown> = {}) {
  const [, group, version] = /model-package\/([^/]+)\/(\d+)$/.exec(arn) as RegExpExecArray;
  return {
    ModelPackageArn: arn,
    ModelPackageName: group,
    ModelPackageGroupName: group,
    ModelPackageVersion: Number(version),
    ModelApprovalStatus: status,
    ModelPackageStatus: 'Completed',
    CreationTime: new Date('2021-02-24T17:00:14Z'),
    ...extra,
  } as never;
}

beforeEach(() => sagemakerMock.reset());

describe('from the SageMaker Model Package State Change event', () => {
  test('the event gives the package ARN and group (raw sample with the repeated "source" key too)', () => {
    expect(modelPackageFromEvent(rawEvent)).toEqual({
      arn: EVENT_ARN,
      groupName: EVENT_GROUP,
      approvalStatus: 'Rejected',
    });
    expect(modelPackageFromEvent(normalizedEvent)).toEqual(modelPackageFromEvent(rawEvent));
  });

  test('deploys exactly the event package when it is Approved now, with its evaluation report', async () => {
    sagemakerMock.on(DescribeModelPackageCommand, { ModelPackageName: EVENT_ARN }).resolves(
      describedAs(EVENT_ARN, 'Approved', {
        ModelMetrics: (rawEvent.detail as { ModelMetrics: unknown }).ModelMetrics,
        CustomerMetadataProperties: {
          evaluation_report: 's3://bucket/evaluation/evaluation.json',
          trigger_reason: 'push',
        },
      }),
    );
    const log = recordingLog();
    const resolved = await resolveModelPackage(
      sagemaker,
      { event: rawEvent, modelPackageArn: 'latest', trigger: 'push', groupName: EVENT_GROUP },
      log,
    );
    expect(resolved).toMatchObject({
      arn: EVENT_ARN,
      groupName: EVENT_GROUP,
      version: 2,
      approvalStatus: 'Approved',
      source: 'event',
      evaluationReportUri: 's3://bucket/evaluation/evaluation.json',
      modelQualityStatisticsUri:
        's3://sagemaker-project-p-idy6c3e1fiqj/versionedmp-p-idy6c3e1fiqj/script-2021-02-24-10-55-15-413/output/evaluation/evaluation.json',
    });
    // The event wins over MODEL_PACKAGE_ARN=latest: nothing is listed.
    expect(sagemakerMock.commandCalls(ListModelPackagesCommand)).toHaveLength(0);
    expect(log.text()).toContain(`Event: model package ${EVENT_ARN}`);
  });

  test('the sample event package itself is Rejected: refused with the reason', async () => {
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedAs(EVENT_ARN, 'Rejected'));
    await expect(
      resolveModelPackage(sagemaker, { event: normalizedEvent, groupName: EVENT_GROUP }, recordingLog()),
    ).rejects.toThrow(`model package ${EVENT_ARN} is Rejected, not Approved: refusing to deploy it`);
  });

  test("another project's event is refused without any call", async () => {
    await expect(
      resolveModelPackage(
        sagemaker,
        { event: normalizedEvent, groupName: 'sagemaker-demand-p-abc123def456' },
        recordingLog(),
      ),
    ).rejects.toThrow(
      /the event is about model package group versionedmp-p-idy6c3e1fiqj, not this project's group/,
    );
    expect(sagemakerMock.calls()).toHaveLength(0);
  });

  test('a malformed event is a readable error', () => {
    expect(() =>
      modelPackageFromEvent({ 'detail-type': 'SageMaker Endpoint State Change', detail: {} }),
    ).toThrow(ModelPackageError);
    expect(() =>
      modelPackageFromEvent({ 'detail-type': 'SageMaker Model Package State Change', detail: {} }),
    ).toThrow(/detail\.ModelPackageArn/);
  });
});

describe('from the pipeline variables', () => {
  const GROUP = 'sagemaker-demand-p-abc123def456';
  const ARN = `arn:aws:sagemaker:eu-west-1:111122223333:model-package/${GROUP}/7`;

  test('MODEL_PACKAGE_ARN (approval-started execution): exactly that package', async () => {
    sagemakerMock
      .on(DescribeModelPackageCommand, { ModelPackageName: ARN })
      .resolves(describedAs(ARN, 'Approved'));
    const resolved = await resolveModelPackage(
      sagemaker,
      { modelPackageArn: ARN, trigger: 'model-approved', groupName: GROUP },
      recordingLog(),
    );
    expect(resolved).toMatchObject({ arn: ARN, version: 7, source: 'pipeline-variable' });
    expect(sagemakerMock.commandCalls(ListModelPackagesCommand)).toHaveLength(0);
  });

  test('a package of another group, a pending package, a bad ARN: refused', async () => {
    const other = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/other-group/3';
    await expect(
      resolveModelPackage(sagemaker, { modelPackageArn: other, groupName: GROUP }, recordingLog()),
    ).rejects.toThrow(`model package ${other} is in group other-group, not this project's group ${GROUP}`);
    sagemakerMock.on(DescribeModelPackageCommand).resolves(describedAs(ARN, 'PendingManualApproval'));
    await expect(
      resolveModelPackage(sagemaker, { modelPackageArn: ARN, groupName: GROUP }, recordingLog()),
    ).rejects.toThrow(/is PendingManualApproval, not Approved/);
    await expect(
      resolveModelPackage(sagemaker, { modelPackageArn: 'my-model', groupName: GROUP }, recordingLog()),
    ).rejects.toThrow(/"my-model" is not a versioned model package ARN/);
  });

  test('DescribeModelPackage failing (e.g. deleted package) is a readable error', async () => {
    sagemakerMock
      .on(DescribeModelPackageCommand)
      .rejects(Object.assign(new Error('Model package not found'), { name: 'ValidationException' }));
    await expect(
      resolveModelPackage(sagemaker, { modelPackageArn: ARN, groupName: GROUP }, recordingLog()),
    ).rejects.toThrow(`cannot describe model package ${ARN}: ValidationException: Model package not found`);
  });

  test('push-started execution ("latest"): the latest Approved package, and the log says so', async () => {
    sagemakerMock.on(ListModelPackagesCommand).resolves({
      ModelPackageSummaryList: [
        {
          ModelPackageArn: ARN,
          ModelPackageGroupName: GROUP,
          ModelPackageVersion: 7,
          ModelPackageStatus: 'Completed',
          ModelApprovalStatus: 'Approved',
          CreationTime: new Date('2024-06-01T10:00:00Z'),
        },
      ],
    });
    sagemakerMock
      .on(DescribeModelPackageCommand, { ModelPackageName: ARN })
      .resolves(describedAs(ARN, 'Approved'));
    const log = recordingLog();
    const resolved = await resolveModelPackage(
      sagemaker,
      { modelPackageArn: 'latest', trigger: 'push', groupName: GROUP },
      log,
    );
    expect(resolved).toMatchObject({ arn: ARN, source: 'latest-approved' });
    expect(sagemakerMock.commandCalls(ListModelPackagesCommand)[0].args[0].input).toEqual({
      ModelPackageGroupName: GROUP,
      ModelApprovalStatus: 'Approved',
      ModelPackageType: 'Versioned',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
      MaxResults: 1,
    });
    expect(log.text()).toMatch(
      /started by a push .*deploying the LATEST Approved package of sagemaker-demand-p-abc123def456: .*\/7 \(created 2024-06-01T10:00:00.000Z\)/,
    );
  });

  test('push with no Approved package: fails clearly', async () => {
    sagemakerMock.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    await expect(
      resolveModelPackage(
        sagemaker,
        { modelPackageArn: '', trigger: 'push', groupName: GROUP },
        recordingLog(),
      ),
    ).rejects.toThrow(
      `no Approved model package in group ${GROUP}: approve one in the model registry (or run model-build) before deploying`,
    );
  });

  test('an approval trigger without its ARN is not silently replaced by "latest"', async () => {
    await expect(
      resolveModelPackage(
        sagemaker,
        { modelPackageArn: 'latest', trigger: 'model-approved', groupName: GROUP },
        recordingLog(),
      ),
    ).rejects.toThrow(/TRIGGER=model-approved but MODEL_PACKAGE_ARN is "latest"/);
    expect(sagemakerMock.calls()).toHaveLength(0);
  });
});
