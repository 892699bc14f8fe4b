// The seeding CLI's configuration: connection ARN parsing (both service names), the git-http URL,
// the region check, the environment's validation and defaults.
import { join } from 'node:path';
import {
  connectionGitUrl,
  connectionRegionProblem,
  isValidBranchName,
  loadSeedingConfig,
  parseConnectionArn,
  parseS3ObjectUri,
  remoteUrlFor,
} from '../src/seeding/config';

const CODECONNECTIONS_ARN =
  'arn:aws:codeconnections:eu-west-1:123456789012:connection/4f1e2b7c-0000-4a5b-9c8d-1234567890ab';
const CODESTAR_ARN =
  'arn:aws:codestar-connections:us-east-1:210987654321:connection/aaaabbbb-cccc-dddd-eeee-ffff00001111';

const REPOS = [{ name: 'model-build', repositoryId: 'acme/model-build', directory: 'seed/model-build' }];

function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    CONNECTION_ARN: CODECONNECTIONS_ARN,
    AWS_REGION: 'eu-west-1',
    SEED_REPOSITORIES: JSON.stringify(REPOS),
    ...overrides,
  };
}

describe('connection ARN', () => {
  test.each([
    [
      CODECONNECTIONS_ARN,
      'codeconnections',
      'eu-west-1',
      '123456789012',
      '4f1e2b7c-0000-4a5b-9c8d-1234567890ab',
    ],
    [
      CODESTAR_ARN,
      'codestar-connections',
      'us-east-1',
      '210987654321',
      'aaaabbbb-cccc-dddd-eeee-ffff00001111',
    ],
  ])('parses %s', (arn, service, region, account, connectionId) => {
    expect(parseConnectionArn(arn)).toEqual({
      arn,
      partition: 'aws',
      service,
      region,
      account,
      connectionId,
    });
  });

  test.each([
    'arn:aws:codecommit:eu-west-1:123456789012:repo',
    'arn:aws:codeconnections:eu-west-1:123456789012:host/abc',
    'arn:aws:codeconnections:eu-west-1:1234:connection/abc',
    'arn:aws:codestar:eu-west-1:123456789012:connection/abc',
    '',
  ])('rejects %j', (arn) => {
    expect(parseConnectionArn(arn)).toBeUndefined();
  });
});

describe('git-http URL', () => {
  test('uses the codeconnections endpoint for a codeconnections ARN', () => {
    const connection = parseConnectionArn(CODECONNECTIONS_ARN)!;
    expect(connectionGitUrl(connection, 'acme/model-build')).toBe(
      'https://codeconnections.eu-west-1.amazonaws.com/git-http/123456789012/eu-west-1/' +
        '4f1e2b7c-0000-4a5b-9c8d-1234567890ab/acme/model-build.git',
    );
  });

  test('uses the codestar-connections endpoint for a codestar-connections ARN', () => {
    const connection = parseConnectionArn(CODESTAR_ARN)!;
    expect(connectionGitUrl(connection, 'group/sub/repo')).toBe(
      'https://codestar-connections.us-east-1.amazonaws.com/git-http/210987654321/us-east-1/' +
        'aaaabbbb-cccc-dddd-eeee-ffff00001111/group/sub/repo.git',
    );
  });

  test('uses the China domain in the aws-cn partition', () => {
    const connection = parseConnectionArn(
      'arn:aws-cn:codeconnections:cn-north-1:123456789012:connection/abc-123',
    )!;
    expect(connectionGitUrl(connection, 'o/r')).toBe(
      'https://codeconnections.cn-north-1.amazonaws.com.cn/git-http/123456789012/cn-north-1/abc-123/o/r.git',
    );
  });

  test('a template replaces every {repositoryId}', () => {
    const connection = parseConnectionArn(CODESTAR_ARN)!;
    expect(remoteUrlFor('o/r', connection, 'file:///tmp/{repositoryId}.git#{repositoryId}')).toBe(
      'file:///tmp/o/r.git#o/r',
    );
    expect(remoteUrlFor('o/r', connection, undefined)).toBe(connectionGitUrl(connection, 'o/r'));
  });
});

describe('region check', () => {
  test('accepts the connection region and names both regions otherwise', () => {
    const connection = parseConnectionArn(CODECONNECTIONS_ARN)!;
    expect(connectionRegionProblem(connection, 'eu-west-1')).toBeUndefined();
    expect(connectionRegionProblem(connection, 'us-west-2')).toBe(
      `the connection ${CODECONNECTIONS_ARN} is in eu-west-1 but the project is in us-west-2: ` +
        "the connection must be in the project's region (create one in us-west-2)",
    );
  });

  test('the configuration is refused when AWS_REGION differs from the connection region', () => {
    expect(() => loadSeedingConfig(env({ AWS_REGION: 'us-west-2' }), '/bundle')).toThrow(
      /^Invalid seed-repositories configuration: AWS_REGION: the connection .* is in eu-west-1 but the project is in us-west-2/,
    );
  });
});

describe('loadSeedingConfig', () => {
  test('applies the defaults and resolves relative seed folders against the bundle folder', () => {
    const config = loadSeedingConfig(env(), '/bundle');
    expect(config).toEqual({
      connection: parseConnectionArn(CODECONNECTIONS_ARN),
      branch: 'main',
      region: 'eu-west-1',
      repositories: [
        {
          name: 'model-build',
          repositoryId: 'acme/model-build',
          directory: join('/bundle', 'seed/model-build'),
        },
      ],
      author: { name: 'SageMaker project', email: 'sagemaker-project@noreply.local' },
    });
  });

  test('reads every optional variable', () => {
    const config = loadSeedingConfig(
      env({
        REPOSITORY_BRANCH: 'develop',
        SEED_REPORT_S3_URI: 's3://my-bucket/seeding/report.json',
        GIT_REMOTE_URL_TEMPLATE: 'file:///tmp/x/{repositoryId}.git',
        GIT_AUTHOR_NAME: 'Bot',
        GIT_AUTHOR_EMAIL: 'bot@example.com',
        SAGEMAKER_PROJECT_NAME: 'demand',
        SEED_REPOSITORIES: JSON.stringify([{ name: 'a', repositoryId: 'o/a', directory: '/abs/a' }]),
      }),
      '/bundle',
    );
    expect(config).toMatchObject({
      branch: 'develop',
      reportS3: { bucket: 'my-bucket', key: 'seeding/report.json' },
      remoteUrlTemplate: 'file:///tmp/x/{repositoryId}.git',
      author: { name: 'Bot', email: 'bot@example.com' },
      projectName: 'demand',
      repositories: [{ directory: '/abs/a' }],
    });
  });

  test('names each invalid variable', () => {
    let message = '';
    try {
      loadSeedingConfig(
        {
          CONNECTION_ARN: 'arn:aws:codecommit:eu-west-1:123456789012:x',
          AWS_REGION: 'eu-west-1',
          SEED_REPOSITORIES: '[{"name":"a","repositoryId":"no-owner","directory":"d"}]',
          REPOSITORY_BRANCH: 'bad branch',
          SEED_REPORT_S3_URI: 'https://bucket/key',
          GIT_REMOTE_URL_TEMPLATE: 'file:///tmp/x.git',
        },
        '/bundle',
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid seed-repositories configuration: /);
    for (const name of [
      'CONNECTION_ARN',
      'SEED_REPOSITORIES.0.repositoryId',
      'REPOSITORY_BRANCH',
      'SEED_REPORT_S3_URI',
      'GIT_REMOTE_URL_TEMPLATE',
    ]) {
      expect(message).toContain(`${name}: `);
    }
  });

  test.each([
    ['missing', undefined, /SEED_REPOSITORIES is not set/],
    ['not JSON', '[{', /SEED_REPOSITORIES: must be a JSON array/],
    ['empty', '[]', /SEED_REPOSITORIES: must list at least one repository/],
    [
      'a duplicate name',
      JSON.stringify([
        { name: 'a', repositoryId: 'o/a', directory: 'd' },
        { name: 'a', repositoryId: 'o/b', directory: 'd' },
      ]),
      /duplicate name "a"/,
    ],
    [
      'a duplicate repository',
      JSON.stringify([
        { name: 'a', repositoryId: 'o/A', directory: 'd' },
        { name: 'b', repositoryId: 'o/a', directory: 'd' },
      ]),
      /the same repositoryId is listed twice/,
    ],
    [
      'a .git suffix',
      JSON.stringify([{ name: 'a', repositoryId: 'o/a.git', directory: 'd' }]),
      /owner\/name/,
    ],
  ])('refuses SEED_REPOSITORIES %s', (_label, value, expected) => {
    expect(() => loadSeedingConfig(env({ SEED_REPOSITORIES: value }), '/bundle')).toThrow(expected);
  });

  test('requires CONNECTION_ARN and AWS_REGION', () => {
    expect(() => loadSeedingConfig(env({ CONNECTION_ARN: undefined, AWS_REGION: undefined }), '/b')).toThrow(
      /CONNECTION_ARN is not set; AWS_REGION is not set/,
    );
  });
});

describe('helpers', () => {
  test.each([
    ['main', true],
    ['release/v1.2', true],
    ['feature/x-y_z', true],
    ['', false],
    ['-main', false],
    ['a..b', false],
    ['a b', false],
    ['a~1', false],
    ['x.lock', false],
    ['a/.hidden', false],
    ['trailing/', false],
    ['end.', false],
    ['a@{1}', false],
  ])('branch name %j valid: %s', (name, valid) => {
    expect(isValidBranchName(name)).toBe(valid);
  });

  test('parseS3ObjectUri: the shared S3 URI parser, a key required', () => {
    expect(parseS3ObjectUri('s3://bucket-1/a/b.json')).toEqual({ bucket: 'bucket-1', key: 'a/b.json' });
    expect(parseS3ObjectUri('s3://bucket-1/')).toBeUndefined();
    expect(parseS3ObjectUri('s3://Bucket/a')).toBeUndefined();
  });
});
