// SeededRepository on a bare Stack, and its staging helpers: the CodeCommit repository with its
// initial commit on the branch, retained whatever happens to the stack; the seed folder copied
// without build outputs or what its .gitignore ignores, the vendored packages' built files under
// vendor/<name>/, staged in a content-addressed folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Aws } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { bareStack, SEED_FIXTURE } from './support';
import {
  packageFiles,
  SeededRepository,
  seedCopies,
  seedFiles,
  stageSeed,
  vendorPath,
} from '../src/seeded-repository';

/** Writes files (relative path → content) under a fresh temp folder. */
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-fixture-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const SEED = {
  'README.md': '# model-build\n',
  '.gitignore': '*.log\nbuild/\n',
  'package.json': '{"name":"model-build"}\n',
  'src/pipeline.ts': 'export const x = 1;\n',
  'node_modules/left-pad/index.js': '',
  'cdk.out/manifest.json': '{}',
  'src/debug.log': 'ignored by .gitignore',
  'build/out.js': 'ignored by .gitignore',
  'vendor/metrics/stale.js': 'vendor/ is rebuilt, never copied',
};

const PACKAGE = {
  'package.json': '{"name":"@mlops-templates/metrics"}\n',
  'README.md': '# metrics\n',
  'lib/index.js': 'module.exports = {};\n',
  'lib/tsconfig.tsbuildinfo': '{}',
  'bin/mlops-metrics.js': '#!/usr/bin/env node\n',
  'src/index.ts': 'export {};\n',
};

describe('seedFiles', () => {
  test('skips excluded folders at any depth and what .gitignore ignores', () => {
    expect(seedFiles(folder(SEED))).toEqual([
      '.gitignore',
      'README.md',
      'package.json',
      path.join('src', 'pipeline.ts'),
    ]);
  });
});

describe('packageFiles / vendorPath', () => {
  test('package.json, README and the built lib/ and bin/, never sources or build info', () => {
    expect(packageFiles(folder(PACKAGE))).toEqual([
      'package.json',
      'README.md',
      path.join('lib', 'index.js'),
      path.join('bin', 'mlops-metrics.js'),
    ]);
  });

  test('an unbuilt package is an error naming the property and the fix', () => {
    const unbuilt = folder({ 'package.json': '{}' });
    expect(() => packageFiles(unbuilt)).toThrow(
      /vendoredPackages: .*\/lib does not exist; build the workspace packages/,
    );
  });

  test('vendor/<unscoped-name>', () => {
    expect(vendorPath('@mlops-templates/metrics')).toBe(path.join('vendor', 'metrics'));
    expect(vendorPath('plain')).toBe(path.join('vendor', 'plain'));
  });
});

describe('seedCopies / stageSeed', () => {
  const seed = folder(SEED);
  const pkg = folder(PACKAGE);
  const vendored = [{ name: '@mlops-templates/metrics', directory: pkg }];

  test('the seed files at the root and the package under vendor/<name>/', () => {
    const to = seedCopies(seed, vendored).map((c) => c.to);
    expect(to).toEqual(
      expect.arrayContaining(['README.md', path.join('vendor', 'metrics', 'lib', 'index.js')]),
    );
    expect(to).not.toContain(path.join('vendor', 'metrics', 'stale.js'));
  });

  test('staging is content-addressed: same content, same folder; a change, a new folder', () => {
    const first = stageSeed(seed, vendored);
    expect(stageSeed(seed, vendored)).toBe(first);
    expect(fs.readFileSync(path.join(first, 'vendor', 'metrics', 'lib', 'index.js'), 'utf8')).toBe(
      'module.exports = {};\n',
    );
    expect(fs.existsSync(path.join(first, 'node_modules'))).toBe(false);
    fs.writeFileSync(path.join(seed, 'src', 'pipeline.ts'), 'export const x = 2;\n');
    const second = stageSeed(seed, vendored);
    expect(second).not.toBe(first);
    expect(fs.readFileSync(path.join(second, 'src', 'pipeline.ts'), 'utf8')).toBe('export const x = 2;\n');
  });
});

describe('SeededRepository', () => {
  let template: Template;
  let repo: SeededRepository;

  beforeAll(() => {
    const stack = bareStack();
    repo = new SeededRepository(stack, 'Repo', {
      repositoryName: 'sagemaker-demo-p-abc123def456-model-build',
      description: 'Model build',
      seedDirectory: folder(SEED),
      vendoredPackages: [{ name: '@mlops-templates/metrics', directory: folder(PACKAGE) }],
    });
    template = Template.fromStack(stack);
  });

  test('a repository with its initial commit on main, from the staged folder', () => {
    expect(repo.branch).toBe('main');
    expect(fs.existsSync(path.join(repo.stagedDirectory, 'vendor', 'metrics', 'package.json'))).toBe(true);
    template.hasResourceProperties('AWS::CodeCommit::Repository', {
      RepositoryName: 'sagemaker-demo-p-abc123def456-model-build',
      RepositoryDescription: 'Model build',
      Code: { BranchName: 'main', S3: { Bucket: Match.anyValue(), Key: Match.stringLikeRegexp('\\.zip$') } },
    });
  });

  test('retained on deletion and on replacement (the commits of the data scientists live there)', () => {
    template.hasResource('AWS::CodeCommit::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('another branch', () => {
    const stack = bareStack();
    new SeededRepository(stack, 'Repo', {
      repositoryName: 'sagemaker-x',
      description: 'x',
      seedDirectory: folder(SEED),
      branch: 'develop',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeCommit::Repository', {
      Code: { BranchName: 'develop' },
    });
  });

  test('a folder without README.md is not a seed folder', () => {
    const notSeed = folder({ 'package.json': '{}' });
    expect(
      () =>
        new SeededRepository(bareStack(), 'Repo', {
          repositoryName: 'sagemaker-x',
          description: 'x',
          seedDirectory: notSeed,
        }),
    ).toThrow(/seedDirectory: .* is not a seed folder \(no README\.md\)/);
  });

  // AWS CodeCommit API Reference, "CreateRepository": repositoryName is 1-100 of [\w.-], no .git suffix.
  test.each([
    ['', /repositoryName: a CodeCommit repository name has 1–100 characters, got 0/],
    [
      `sagemaker-${'x'.repeat(91)}`,
      /repositoryName: a CodeCommit repository name has 1–100 characters, got 101/,
    ],
    ['sagemaker x', /repositoryName: 'sagemaker x' is not a CodeCommit repository name/],
    ['sagemaker/x', /repositoryName: 'sagemaker\/x' is not a CodeCommit repository name/],
    ['sagemaker-x.git', /repositoryName: 'sagemaker-x\.git' is not a CodeCommit repository name/],
  ])('repositoryName %p is refused', (repositoryName, message) => {
    expect(
      () =>
        new SeededRepository(bareStack(), 'Repo', {
          repositoryName,
          description: 'x',
          seedDirectory: SEED_FIXTURE,
        }),
    ).toThrow(message);
  });

  test('a 100-character name and a token name are accepted', () => {
    const stack = bareStack();
    const seed = { description: 'x', seedDirectory: SEED_FIXTURE };
    expect(
      () => new SeededRepository(stack, 'Long', { repositoryName: `s${'x'.repeat(99)}`, ...seed }),
    ).not.toThrow();
    expect(
      () => new SeededRepository(stack, 'Token', { repositoryName: `sagemaker-${Aws.STACK_NAME}`, ...seed }),
    ).not.toThrow();
  });
});
