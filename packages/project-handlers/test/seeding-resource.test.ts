// The seeding custom resource: Create starts the CodeBuild project with the event's values, waits
// (bounded), reads the report and answers; an Update that changes the connection, a repository id or
// the branch seeds again (a failure fails the update before the pipelines switch); other Updates and
// Delete are no-ops; CloudFormation always gets exactly one answer.
import {
  BatchGetBuildsCommand,
  type Build,
  CodeBuildClient,
  StartBuildCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from './support/recording-logger';
import type { SeedReport } from '../src/seeding/plan';
import {
  buildHasEnded,
  decideSeedOutcome,
  failedPhaseMessages,
  handleSeedRepositoriesEvent,
  SEEDING_POLL_INTERVAL_MS,
  SEEDING_SAFETY_MARGIN_MS,
  SEEDING_WAIT_LIMIT_MS,
  type SeedResourceDeps,
} from '../src/seeding/resource';

const BUILD_ID = 'sagemaker-p-abc-seed:0d3c1e9a-1111-2222-3333-444455556666';
const DEEP_LINK = 'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logEvent:group=x';
const REPORT_URI = 's3://project-bucket/seeding/report.json';

const base = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-p-abc-seed',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/SC-123456789012-pp-x/guid',
  RequestId: 'req-1',
  LogicalResourceId: 'SeedRepositories',
  ResourceType: 'Custom::SeedRepositories',
  ResourceProperties: {
    ServiceToken: 'x',
    ProjectName: 'sagemaker-p-abc-seed',
    ReportBucket: 'project-bucket',
    ReportKey: 'seeding/report.json',
    ConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/abc',
    RepositoryBranch: 'main',
    SeedRepositories: '[{"name":"model-build","repositoryId":"acme/build","directory":"seed/model-build"}]',
  },
};
const OVERRIDES = [
  { name: 'SEED_REPORT_S3_URI', value: REPORT_URI, type: 'PLAINTEXT' },
  { name: 'CONNECTION_ARN', value: base.ResourceProperties.ConnectionArn, type: 'PLAINTEXT' },
  { name: 'REPOSITORY_BRANCH', value: 'main', type: 'PLAINTEXT' },
  { name: 'SEED_REPOSITORIES', value: base.ResourceProperties.SeedRepositories, type: 'PLAINTEXT' },
];
const createEvent = { ...base, RequestType: 'Create' } as CloudFormationCustomResourceEvent;

const codeBuild = mockClient(CodeBuildClient);
const s3 = mockClient(S3Client);

function build(status: Build['buildStatus'], extra: Partial<Build> = {}): Build {
  return {
    id: BUILD_ID,
    buildStatus: status,
    buildComplete: status !== 'IN_PROGRESS',
    currentPhase: status === 'IN_PROGRESS' ? 'BUILD' : 'COMPLETED',
    logs: { deepLink: DEEP_LINK },
    ...extra,
  };
}

function reportObject(report: SeedReport) {
  return { Body: { transformToString: async () => JSON.stringify(report) } } as never;
}

/** Fake time: sleeping advances the clock; the invocation has `invocationMs` in all. */
function fakeDeps(invocationMs = 15 * 60_000) {
  let now = 1_700_000_000_000;
  const start = now;
  const responses: Array<{ url: string; body: Record<string, unknown> }> = [];
  const deps: SeedResourceDeps = {
    codeBuild: new CodeBuildClient({ region: 'eu-west-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    respond: async (url, body) => {
      responses.push({ url, body: JSON.parse(body) });
    },
    sleep: async (ms) => {
      now += ms;
    },
    now: () => now,
    remainingTimeMs: () => invocationMs - (now - start),
  };
  return { deps, responses, elapsed: () => now - start };
}

beforeEach(() => {
  codeBuild.reset();
  s3.reset();
  codeBuild.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
});

afterAll(() => {
  codeBuild.restore();
  s3.restore();
});

describe('Create', () => {
  test('a build that succeeds with its report answers SUCCESS with each repository status', async () => {
    codeBuild
      .on(BatchGetBuildsCommand)
      .resolvesOnce({ builds: [build('IN_PROGRESS')] })
      .resolves({ builds: [build('SUCCEEDED')] });
    s3.on(GetObjectCommand).resolves(
      reportObject({
        buildId: BUILD_ID,
        results: [
          { name: 'model-build', repositoryId: 'acme/build', status: 'seeded', commit: 'c'.repeat(40) },
          {
            name: 'model-deploy',
            repositoryId: 'acme/deploy',
            status: 'already-seeded',
            reason: 'holds the seed',
          },
        ],
      }),
    );
    const f = fakeDeps();

    const answer = await handleSeedRepositoriesEvent(createEvent, f.deps);

    expect(f.responses).toHaveLength(1);
    expect(f.responses[0].url).toBe(base.ResponseURL);
    expect(f.responses[0].body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: BUILD_ID,
      RequestId: 'req-1',
      LogicalResourceId: 'SeedRepositories',
      Data: {
        'model-build': 'seeded',
        'model-deploy': 'already-seeded',
        Summary: 'seeded 1, already-seeded 1',
      },
    });
    expect(answer.reason).toBe('model-build: seeded; model-deploy: already-seeded (holds the seed)');
    expect(codeBuild.commandCalls(StartBuildCommand)[0].args[0].input).toEqual({
      projectName: 'sagemaker-p-abc-seed',
      environmentVariablesOverride: OVERRIDES,
    });
    expect(codeBuild.commandCalls(BatchGetBuildsCommand)).toHaveLength(2);
    expect(f.elapsed()).toBe(SEEDING_POLL_INTERVAL_MS);
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'project-bucket',
      Key: 'seeding/report.json',
    });
  });

  test('a failed build with a report names each failed repository and its provider message', async () => {
    codeBuild.on(BatchGetBuildsCommand).resolves({ builds: [build('FAILED')] });
    s3.on(GetObjectCommand).resolves(
      reportObject({
        buildId: BUILD_ID,
        results: [
          { name: 'model-build', repositoryId: 'acme/build', status: 'seeded', commit: 'c'.repeat(40) },
          {
            name: 'model-deploy',
            repositoryId: 'other-org/deploy',
            status: 'failed',
            reason: 'git ls-remote failed: The requested URL returned error: 403 (hint: ...)',
          },
        ],
      }),
    );
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(createEvent, f.deps);

    expect(f.responses).toHaveLength(1);
    expect(f.responses[0].body.Status).toBe('FAILED');
    expect(f.responses[0].body.Reason).toBe(
      'Seeding failed for 1 of 2 repositories: model-deploy (other-org/deploy): git ls-remote failed: ' +
        `The requested URL returned error: 403 (hint: ...) (build ${BUILD_ID}, logs: ${DEEP_LINK})`,
    );
  });

  test('a failed build without a report falls back to the phase context messages', async () => {
    codeBuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        build('FAILED', {
          phases: [
            { phaseType: 'INSTALL', phaseStatus: 'SUCCEEDED', contexts: [{ statusCode: '', message: '' }] },
            {
              phaseType: 'BUILD',
              phaseStatus: 'FAILED',
              contexts: [
                {
                  statusCode: 'COMMAND_EXECUTION_ERROR',
                  message: 'Error while executing command: node seed-repositories.js. Reason: exit status 1',
                },
              ],
            },
          ],
        }),
      ],
    });
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 'The specified key does not exist.'));
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(createEvent, f.deps);

    expect(f.responses[0].body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: BUILD_ID });
    expect(f.responses[0].body.Reason).toBe(
      `Seeding build ended FAILED without a usable report at ${REPORT_URI} (the build wrote no report): ` +
        'BUILD: COMMAND_EXECUTION_ERROR: Error while executing command: node seed-repositories.js. ' +
        `Reason: exit status 1 (build ${BUILD_ID}, logs: ${DEEP_LINK})`,
    );
  });

  test('a report of another build is not trusted', async () => {
    codeBuild.on(BatchGetBuildsCommand).resolves({ builds: [build('SUCCEEDED')] });
    s3.on(GetObjectCommand).resolves(reportObject({ buildId: 'old:1', results: [] }));
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(createEvent, f.deps);

    expect(f.responses[0].body.Status).toBe('FAILED');
    expect(f.responses[0].body.Reason).toMatch(/the report is from another build \(old:1\)/);
  });

  test('a configuration error reported by the CLI is the reason', async () => {
    codeBuild.on(BatchGetBuildsCommand).resolves({ builds: [build('FAILED')] });
    s3.on(GetObjectCommand).resolves(
      reportObject({
        buildId: BUILD_ID,
        results: [],
        error: 'Invalid seed-repositories configuration: AWS_REGION: x',
      }),
    );
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(createEvent, f.deps);

    expect(f.responses[0].body.Reason).toMatch(
      /^Seeding could not start: Invalid seed-repositories configuration: AWS_REGION: x \(build /,
    );
  });

  test('a build still running after the wait limit is stopped and answered FAILED in time', async () => {
    codeBuild.on(BatchGetBuildsCommand).resolves({ builds: [build('IN_PROGRESS')] });
    codeBuild.on(StopBuildCommand).resolves({});
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(createEvent, f.deps);

    expect(f.responses).toHaveLength(1);
    expect(f.responses[0].body.Status).toBe('FAILED');
    expect(f.responses[0].body.Reason).toMatch(
      new RegExp(
        `^Seeding did not finish in time: build ${BUILD_ID} still BUILD after 13 minutes \\(it was stopped`,
      ),
    );
    expect(f.elapsed()).toBeLessThanOrEqual(SEEDING_WAIT_LIMIT_MS);
    expect(f.elapsed()).toBeGreaterThan(SEEDING_WAIT_LIMIT_MS - 2 * SEEDING_POLL_INTERVAL_MS);
    expect(codeBuild.commandCalls(StopBuildCommand)[0].args[0].input).toEqual({ id: BUILD_ID });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  test('a shorter function timeout bounds the wait too', async () => {
    codeBuild.on(BatchGetBuildsCommand).resolves({ builds: [build('IN_PROGRESS')] });
    codeBuild.on(StopBuildCommand).rejects(new Error('not allowed'));
    const f = fakeDeps(5 * 60_000);

    await handleSeedRepositoriesEvent(createEvent, f.deps);

    expect(f.elapsed()).toBeLessThanOrEqual(5 * 60_000 - SEEDING_SAFETY_MARGIN_MS);
    expect(f.responses[0].body.Reason).toMatch(/did not finish in time.*stopping it failed: not allowed/);
  });

  test('StartBuild failing answers FAILED with the error', async () => {
    codeBuild
      .on(StartBuildCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to StartBuild'));
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(createEvent, f.deps);

    expect(f.responses[0].body).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: 'seed-repositories-req-1',
      Reason: 'StartBuild sagemaker-p-abc-seed failed: AccessDeniedException: not authorized to StartBuild',
    });
  });

  test('invalid properties answer FAILED naming them, without starting a build', async () => {
    const f = fakeDeps();
    const event = { ...createEvent, ResourceProperties: { ServiceToken: 'x', ProjectName: '' } };

    await handleSeedRepositoriesEvent(event as CloudFormationCustomResourceEvent, f.deps);

    expect(f.responses[0].body.Reason).toMatch(
      /^Invalid seed-repositories resource properties: ProjectName: .*ReportBucket: .*ReportKey: /,
    );
    expect(codeBuild.commandCalls(StartBuildCommand)).toHaveLength(0);
  });

  test('an unanswerable ResponseURL is logged, not thrown', async () => {
    codeBuild.on(BatchGetBuildsCommand).resolves({ builds: [build('SUCCEEDED')] });
    s3.on(GetObjectCommand).resolves(reportObject({ results: [] }));
    const f = fakeDeps();
    const errors: string[] = [];
    const deps: SeedResourceDeps = {
      ...f.deps,
      respond: async () => {
        throw new Error('HTTP 403');
      },
      logger: { info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) },
    };

    await expect(handleSeedRepositoriesEvent(createEvent, deps)).resolves.toMatchObject({
      status: 'SUCCESS',
    });
    expect(errors).toContain('could not answer CloudFormation');
  });
});

describe('Update and Delete', () => {
  const updateOf = (old: Record<string, string>) =>
    ({
      ...base,
      RequestType: 'Update',
      PhysicalResourceId: BUILD_ID,
      OldResourceProperties: { ...base.ResourceProperties, ...old },
    }) as CloudFormationCustomResourceEvent;

  test.each([
    ['Update (same connection, repositories, branch)', updateOf({ ProjectName: 'old-name' })],
    [
      'Delete',
      { ...base, RequestType: 'Delete', PhysicalResourceId: BUILD_ID } as CloudFormationCustomResourceEvent,
    ],
  ])('%s answers SUCCESS with the same physical id and calls nothing', async (_label, event) => {
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(event, f.deps);

    expect(f.responses).toHaveLength(1);
    expect(f.responses[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: BUILD_ID });
    expect(codeBuild.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  test.each([
    ['the branch', { RepositoryBranch: 'develop' }],
    ['a repository id', { SeedRepositories: '[{"name":"model-build","repositoryId":"acme/old"}]' }],
    ['the connection', { ConnectionArn: 'arn:aws:codeconnections:eu-west-1:123456789012:connection/old' }],
  ])('an Update of %s seeds the new targets, keeping the physical id', async (_label, old) => {
    codeBuild.on(BatchGetBuildsCommand).resolves({ builds: [build('SUCCEEDED')] });
    s3.on(GetObjectCommand).resolves(
      reportObject({
        buildId: BUILD_ID,
        results: [
          { name: 'model-build', repositoryId: 'acme/build', status: 'seeded', commit: 'c'.repeat(40) },
        ],
      }),
    );
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(updateOf(old), f.deps);

    expect(codeBuild.commandCalls(StartBuildCommand)[0].args[0].input.environmentVariablesOverride).toEqual(
      OVERRIDES,
    );
    expect(f.responses[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: BUILD_ID });
  });

  test('an Update to a README-only branch fails the update with the seeding message', async () => {
    codeBuild.on(BatchGetBuildsCommand).resolves({ builds: [build('FAILED')] });
    s3.on(GetObjectCommand).resolves(
      reportObject({
        buildId: BUILD_ID,
        results: [
          {
            name: 'model-build',
            repositoryId: 'acme/build',
            status: 'failed',
            reason: 'branch main already exists with 1 file (README.md) at aaaaaaaaaaaa; To proceed: …',
          },
        ],
      }),
    );
    const f = fakeDeps();

    await handleSeedRepositoriesEvent(updateOf({ RepositoryBranch: 'old' }), f.deps);

    expect(f.responses[0].body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: BUILD_ID });
    expect(f.responses[0].body.Reason).toMatch(
      /^Seeding failed for 1 of 1 repositories: model-build \(acme\/build\): branch main already exists with 1 file \(README\.md\)/,
    );
  });
});

describe('pure rules', () => {
  test('buildHasEnded', () => {
    expect(buildHasEnded(build('IN_PROGRESS'))).toBe(false);
    for (const status of ['SUCCEEDED', 'FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT'] as const) {
      expect(buildHasEnded({ id: 'x', buildStatus: status })).toBe(true);
    }
  });

  test('failedPhaseMessages keeps only the phases that did not succeed', () => {
    expect(
      failedPhaseMessages({
        phases: [
          { phaseType: 'SUBMITTED', phaseStatus: 'SUCCEEDED' },
          {
            phaseType: 'DOWNLOAD_SOURCE',
            phaseStatus: 'FAULT',
            contexts: [{ statusCode: 'CLIENT_ERROR', message: 'x' }],
          },
          { phaseType: 'BUILD', phaseStatus: 'TIMED_OUT', contexts: [{ message: 'timed out' }] },
          { phaseType: 'COMPLETED' },
        ],
      }),
    ).toEqual(['DOWNLOAD_SOURCE: CLIENT_ERROR: x', 'BUILD: timed out']);
  });

  test('a build that failed after reporting no failure is still FAILED', () => {
    const outcome = decideSeedOutcome(
      build('FAILED'),
      { report: { results: [{ name: 'a', repositoryId: 'o/a', status: 'seeded' }] } },
      REPORT_URI,
    );
    expect(outcome.status).toBe('FAILED');
    expect(outcome.reason).toMatch(/^Seeding build ended FAILED although no repository failed/);
  });

  test('a succeeded build without report is FAILED', () => {
    expect(
      decideSeedOutcome(build('SUCCEEDED'), { problem: 'the build wrote no report' }, REPORT_URI),
    ).toEqual({
      status: 'FAILED',
      reason: `Seeding build ended SUCCEEDED without a usable report at ${REPORT_URI} (the build wrote no report) (build ${BUILD_ID}, logs: ${DEEP_LINK})`,
    });
  });
});
