// Jest setupFilesAfterEnv of the root suite: installs the shared AWS SDK call recorder in every test
// file's module registry. Runtime code is the packages' sources (`packages/<name>/src/`); anything else
// on the stack (tests, node_modules) is not a runtime frame.
import * as path from 'node:path';
import { installRecorder } from './recorder';
import { RECORD_DIR_ENV, RECORDING_DIR, REPO_ROOT } from './recording';

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
