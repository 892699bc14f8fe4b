// The seeding CLI against local bare git repositories (git CLI, file:// remotes through
// GIT_REMOTE_URL_TEMPLATE): seeded, already-seeded and failed repositories (a README-only branch), the report, the exit code, and the
// esbuild bundle run as CodeBuild runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { build } from 'esbuild';
import { main } from '../src/seed-repositories';
import { createLocalGit, type LocalGit, writeSeedFolder } from './support/local-git';
import { parseSeedReport, SEED_MARKER_FILE, type SeedReport } from '../src/seeding/plan';

const CONNECTION_ARN =
  'arn:aws:codeconnections:eu-west-1:123456789012:connection/4f1e2b7c-0000-4a5b-9c8d-1234567890ab';
const SEED_FILES = {
  'README.md': '# model build\n',
  'pipelines/pipeline.py': 'print("pipeline")\n',
  'scripts/run.sh': '#!/bin/sh\necho run\n',
  '.gitignore': '*.log\n',
  'debug.log': 'ignored by the seed folder .gitignore\n',
};

let local: LocalGit;
const s3 = mockClient(S3Client);

beforeEach(() => {
  local = createLocalGit();
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});

afterEach(() => {
  local.cleanUp();
});

afterAll(() => {
  s3.restore();
});

interface Repo {
  name: string;
  repositoryId: string;
  directory: string;
}

function seedFolder(name: string, files: Record<string, string> = SEED_FILES): string {
  const folder = writeSeedFolder(local.root, name, files);
  if ('scripts/run.sh' in files) execFileSync('chmod', ['+x', join(folder, 'scripts/run.sh')]);
  return folder;
}

async function runCli(repos: Repo[], extra: Record<string, string> = {}) {
  const lines: string[] = [];
  const errors: string[] = [];
  const reportFile = join(local.root, 'seed-report.json');
  const code = await main({
    env: {
      ...local.env,
      CONNECTION_ARN,
      AWS_REGION: 'eu-west-1',
      SEED_REPOSITORIES: JSON.stringify(repos),
      GIT_REMOTE_URL_TEMPLATE: local.urlTemplate,
      SAGEMAKER_PROJECT_NAME: 'demand-forecast',
      ...extra,
    },
    baseDir: local.root,
    reportFile,
    s3Client: (region) => new S3Client({ region, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    print: (line) => lines.push(line),
    printError: (line) => errors.push(line),
    workRoot: local.root,
  });
  const report: SeedReport | undefined = existsSync(reportFile)
    ? parseSeedReport(readFileSync(reportFile, 'utf8'))
    : undefined;
  return { code, lines, errors, report };
}

describe('seeding against local bare repositories', () => {
  test('an empty repository is seeded: one commit with the seed files on the branch', async () => {
    const bare = local.createBare('acme/model-build');
    seedFolder('model-build');

    const { code, report, lines } = await runCli([
      { name: 'model-build', repositoryId: 'acme/model-build', directory: 'seed/model-build' },
    ]);

    expect(code).toBe(0);
    expect(report?.results).toEqual([
      { name: 'model-build', repositoryId: 'acme/model-build', status: 'seeded', commit: expect.any(String) },
    ]);
    const commit = report?.results[0].commit as string;
    expect(local.refs(bare)).toEqual([`refs/heads/main ${commit}`]);

    const clone = local.cloneBranch(bare, 'main');
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe(SEED_FILES['README.md']);
    expect(readFileSync(join(clone, 'pipelines/pipeline.py'), 'utf8')).toBe(
      SEED_FILES['pipelines/pipeline.py'],
    );
    expect(existsSync(join(clone, 'debug.log'))).toBe(false); // the seed's own .gitignore applies
    expect(JSON.parse(readFileSync(join(clone, SEED_MARKER_FILE), 'utf8'))).toEqual({
      seed: 'model-build',
      project: 'demand-forecast',
    });
    expect(local.git(['ls-tree', 'HEAD', 'scripts/run.sh'], clone)).toMatch(/^100755 blob /); // executable kept
    expect(local.git(['log', '--format=%s|%an|%ae|%cn'], clone).trim()).toBe(
      'Seed code of SageMaker project demand-forecast|Test Author|author@example.com|Test Author',
    );
    expect(JSON.parse(lines[0])).toMatchObject({ name: 'model-build', status: 'seeded', commit });
    expect(JSON.parse(lines[lines.length - 1])).toEqual({
      summary: { seeded: 1, 'already-seeded': 0, failed: 0 },
      branch: 'main',
      failed: [],
    });
  });

  test('a README-only branch (GitHub "Add a README") fails with what was found, left untouched', async () => {
    const bare = local.createBare('acme/model-deploy');
    local.commitTo(bare, 'main', { 'README.md': '# model-deploy\n' });
    const before = local.refs(bare);
    seedFolder('model-deploy');

    const { code, report, lines } = await runCli([
      { name: 'model-deploy', repositoryId: 'acme/model-deploy', directory: 'seed/model-deploy' },
    ]);

    expect(code).toBe(1);
    expect(report?.results).toEqual([
      {
        name: 'model-deploy',
        repositoryId: 'acme/model-deploy',
        status: 'failed',
        reason: expect.stringMatching(
          /^branch main already exists with 1 file \(README\.md\) at [0-9a-f]{12}; no \.sagemaker-project-seed\.json: not this template's seed, and the seeding never overwrites a branch\. To proceed: delete that branch/,
        ),
      },
    ]);
    expect(JSON.parse(lines[lines.length - 1]).failed).toEqual(['model-deploy']);
    expect(local.refs(bare)).toEqual(before);
  });

  test('a second run over seeded repositories reports already-seeded and pushes nothing', async () => {
    const bare = local.createBare('acme/model-build');
    seedFolder('model-build');
    const repos = [{ name: 'model-build', repositoryId: 'acme/model-build', directory: 'seed/model-build' }];
    expect((await runCli(repos)).code).toBe(0);
    // The data scientists commit on top of the seed: still this seed.
    const clone = local.cloneBranch(bare, 'main');
    writeFileSync(join(clone, 'mine.py'), 'print(1)\n');
    local.git(['add', 'mine.py'], clone);
    local.git(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'mine'], clone);
    local.git(['push', '--quiet', 'origin', 'HEAD:refs/heads/main'], clone);
    const before = local.refs(bare);

    const { code, report } = await runCli(repos);

    expect(code).toBe(0);
    expect(report?.results[0]).toEqual({
      name: 'model-build',
      repositoryId: 'acme/model-build',
      status: 'already-seeded',
      commit: before[0].split(' ')[1],
      reason: expect.stringMatching(/already holds the model-build seed .* by project demand-forecast/),
    });
    expect(local.refs(bare)).toEqual(before);
  });

  test('a rejected push fails with the provider message and exit code 1', async () => {
    const bare = local.createBare('acme/model-monitor');
    local.rejectPushes(bare, 'push blocked by repository policy');
    seedFolder('model-monitor');

    const { code, report } = await runCli([
      { name: 'model-monitor', repositoryId: 'acme/model-monitor', directory: 'seed/model-monitor' },
    ]);

    expect(code).toBe(1);
    expect(report?.results[0]).toMatchObject({ name: 'model-monitor', status: 'failed' });
    const reason = report?.results[0].reason as string;
    expect(reason).toMatch(/^git push failed: .*push blocked by repository policy/s);
    expect(reason).toMatch(/pre-receive hook declined/);
    expect(reason).toMatch(/hint: the provider rejected the push/);
    expect(local.refs(bare)).toEqual([]);
  });

  test('a repository that does not exist fails at ls-remote with a hint', async () => {
    seedFolder('model-build');

    const { code, report } = await runCli([
      { name: 'model-build', repositoryId: 'acme/missing', directory: 'seed/model-build' },
    ]);

    expect(code).toBe(1);
    expect(report?.results[0].status).toBe('failed');
    expect(report?.results[0].reason).toMatch(
      /^git ls-remote failed: .*does not appear to be a git repository.*\(hint: check the repository id/s,
    );
  });

  test('a repository with only another branch is seeded on the target branch, the other left as is', async () => {
    const bare = local.createBare('acme/model-build');
    const develop = local.commitTo(bare, 'develop', { 'notes.md': 'work in progress\n' });
    seedFolder('model-build');

    const { code, report } = await runCli(
      [{ name: 'model-build', repositoryId: 'acme/model-build', directory: 'seed/model-build' }],
      { REPOSITORY_BRANCH: 'release/v1' },
    );

    expect(code).toBe(0);
    const commit = report?.results[0].commit as string;
    expect(report?.results[0].status).toBe('seeded');
    expect(local.refs(bare)).toEqual([`refs/heads/develop ${develop}`, `refs/heads/release/v1 ${commit}`]);
    expect(existsSync(join(local.cloneBranch(bare, 'release/v1'), 'README.md'))).toBe(true);
  });

  test('a mix reports each repository, in order, and uploads the report to S3', async () => {
    local.createBare('acme/build');
    const deploy = local.createBare('acme/deploy');
    local.commitTo(deploy, 'main', { 'app.py': 'user code\n', [SEED_MARKER_FILE]: '{"seed":"deploy"}' });
    local.rejectPushes(local.createBare('acme/monitor'), 'GH006: Protected branch update failed');
    seedFolder('build');
    seedFolder('deploy');
    seedFolder('monitor');

    const { code, report, lines } = await runCli(
      [
        { name: 'build', repositoryId: 'acme/build', directory: 'seed/build' },
        { name: 'deploy', repositoryId: 'acme/deploy', directory: 'seed/deploy' },
        { name: 'monitor', repositoryId: 'acme/monitor', directory: 'seed/monitor' },
      ],
      { SEED_REPORT_S3_URI: 's3://project-bucket/seeding/report.json', CODEBUILD_BUILD_ID: 'seed:1234' },
    );

    expect(code).toBe(1);
    expect(report?.results.map((r) => [r.name, r.status])).toEqual([
      ['build', 'seeded'],
      ['deploy', 'already-seeded'],
      ['monitor', 'failed'],
    ]);
    expect(report?.results[2].reason).toMatch(/GH006: Protected branch update failed/);
    expect(report?.buildId).toBe('seed:1234');
    expect(lines.map((l) => JSON.parse(l).status ?? 'summary')).toEqual([
      'seeded',
      'already-seeded',
      'failed',
      'summary',
    ]);
    const puts = s3.commandCalls(PutObjectCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0].args[0].input).toMatchObject({ Bucket: 'project-bucket', Key: 'seeding/report.json' });
    expect(parseSeedReport(puts[0].args[0].input.Body as string)).toEqual(report);
  });

  test('a missing or empty seed folder fails that repository only', async () => {
    local.createBare('acme/a');
    local.createBare('acme/b');
    mkdirSync(join(local.root, 'seed', 'empty'), { recursive: true });

    const { code, report } = await runCli([
      { name: 'a', repositoryId: 'acme/a', directory: 'seed/nothing-here' },
      { name: 'b', repositoryId: 'acme/b', directory: 'seed/empty' },
    ]);

    expect(code).toBe(1);
    expect(report?.results.map((r) => r.reason)).toEqual([
      expect.stringMatching(/seed directory .*nothing-here does not exist/),
      expect.stringMatching(/seed directory .*empty is empty/),
    ]);
  });

  test('an invalid configuration pushes nothing, names the variable and still reports to S3', async () => {
    const bare = local.createBare('acme/a');
    seedFolder('a');

    const { code, report, errors } = await runCli(
      [{ name: 'a', repositoryId: 'acme/a', directory: 'seed/a' }],
      { AWS_REGION: 'us-east-1', SEED_REPORT_S3_URI: 's3://project-bucket/seeding/report.json' },
    );

    expect(code).toBe(1);
    expect(errors[0]).toMatch(/AWS_REGION: .*must be in the project's region/);
    expect(report).toEqual({ results: [], error: errors[0] });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    expect(local.refs(bare)).toEqual([]);
  });

  test('a failed report upload makes the run fail', async () => {
    local.createBare('acme/a');
    seedFolder('a');
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));

    const { code, errors, report } = await runCli(
      [{ name: 'a', repositoryId: 'acme/a', directory: 'seed/a' }],
      {
        SEED_REPORT_S3_URI: 's3://project-bucket/report.json',
      },
    );

    expect(code).toBe(1);
    expect(report?.results[0].status).toBe('seeded'); // the local file is written first
    expect(errors).toEqual([
      'seeding aborted: PutObject s3://project-bucket/report.json failed: AccessDenied: Access Denied',
    ]);
  });
});

describe('the bundled CLI', () => {
  test('runs with node next to its seed folders and exits 1 when a repository failed', async () => {
    const bundleDir = join(local.root, 'bundle');
    const result = await build({
      entryPoints: [join(__dirname, '..', 'src', 'seed-repositories.ts')],
      outfile: join(bundleDir, 'seed-repositories.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
    });
    expect(result.warnings).toEqual([]);
    writeSeedFolder(bundleDir, 'model-build', { 'README.md': 'seed\n' });
    local.createBare('acme/model-build');
    const workDir = join(local.root, 'codebuild-src');
    mkdirSync(workDir);
    writeFileSync(join(workDir, 'placeholder'), '');

    const run = spawnSync(process.execPath, [join(bundleDir, 'seed-repositories.js')], {
      cwd: workDir,
      encoding: 'utf8',
      env: {
        ...local.env,
        CONNECTION_ARN,
        AWS_REGION: 'eu-west-1',
        GIT_REMOTE_URL_TEMPLATE: local.urlTemplate,
        SEED_REPOSITORIES: JSON.stringify([
          { name: 'model-build', repositoryId: 'acme/model-build', directory: 'seed/model-build' },
          { name: 'model-deploy', repositoryId: 'acme/not-created', directory: 'seed/model-build' },
        ]),
      },
    });

    expect(run.status).toBe(1);
    const report = parseSeedReport(readFileSync(join(workDir, 'seed-report.json'), 'utf8'));
    expect(report.results.map((r) => r.status)).toEqual(['seeded', 'failed']);
    expect(run.stdout.trim().split('\n')).toHaveLength(3);
  });
});
