// Jest setupFilesAfterEnv of the root suite: installs the shared AWS SDK call recorder in every test
// file's module registry. Runtime code is the packages' sources (`packages/<name>/src/`); anything else
// on the stack (tests, node_modules) is not a runtime frame.
import * as path from 'node:path';
import { installRecorder } from './recorder';
import { RECORD_DIR_ENV, RECORDING_DIR, REPO_ROOT } from './recording';

// Child processes (a seeded repository's own `npm test`, run by test/seed-repos.test.ts) record too.
const preload = `--require ${path.join(__dirname, 'seed-preload.js')}`;
if (!(process.env.NODE_OPTIONS ?? '').includes(preload)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${preload}`.trim();
}
process.env[RECORD_DIR_ENV] = process.env[RECORD_DIR_ENV] ?? RECORDING_DIR;

const rel = (f: string) => path.relative(REPO_ROOT, f).split(path.sep).join('/');

installRecorder({
  resolveFrom: REPO_ROOT,
  outDir: process.env[RECORD_DIR_ENV] ?? RECORDING_DIR,
  runtimePath: (f) => {
    const r = rel(f);
    return /^packages\/[^/]+\/src\//.test(r) ? r : undefined;
  },
  testFile: rel(expect.getState().testPath ?? 'unknown'),
});
