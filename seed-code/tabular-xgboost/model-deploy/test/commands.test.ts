// The commands and the pipeline contract: the buildspecs run the commands the product's pipeline
// expects and output the files its deploy actions read; `test:endpoint` exits 2 on bad usage and 1
// with the reason (no stack trace) when there is nothing to send.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../src/deploy-options';

const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

test('buildspec.yml builds and lints the stage templates and outputs what the deploy actions read', () => {
  const spec = read('buildspec.yml');
  for (const command of [
    'npm test',
    'npm run build:stage-params',
    'cfn-lint deploy/staging.template.json deploy/prod.template.json',
  ]) {
    expect(spec).toContain(`      - ${command}\n`);
  }
  // The artifact is exactly what the build step writes (the deploy actions and the test read it).
  const artifact = [...spec.matchAll(/^ {4}- deploy\/(\S+)$/gm)].map((m) => m[1]).sort();
  expect(artifact).toEqual([
    'model-package.json',
    'prod.config.json',
    'prod.template.json',
    'stage-parameters.json',
    'staging.config.json',
    'staging.template.json',
  ]);
  expect(read('buildspec-test.yml')).toContain('      - npm run test:endpoint\n');
});

test('test:endpoint: exit 2 on a bad option, 1 with the reason when no payload can be found', () => {
  const usage = spawnSync('npx', ['tsx', 'src/cli/test-endpoint.ts', '--rows', '3'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain('usage: npm run test:endpoint');
  const bad = spawnSync('npx', ['tsx', 'src/cli/test-endpoint.ts', '--max-rows', 'zero'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('--max-rows must be a positive integer, got "zero"');
  const missing = spawnSync('npx', ['tsx', 'src/cli/test-endpoint.ts', '--record', 'nope.json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/ERROR \(test:endpoint\): cannot read the build output nope\.json/);
  expect(missing.stderr).not.toMatch(/at .*\.[tj]s:\d+/);
});
