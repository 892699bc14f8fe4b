// setupFilesAfterEnv added (by seed-preload.js) to a seeded repository's own jest run: installs the
// shared recorder with the copy's own node_modules, naming files as seed-code/<template>/<repo>/...
// (the copy is matched to its seed folder by package name). Runtime code is the copy's src/ and bin/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installRecorder } from './recorder';
import { RECORD_DIR_ENV, RECORDING_DIR, REPO_ROOT } from './recording';

const testPath = expect.getState().testPath ?? '';
let root = path.dirname(testPath);
while (root !== path.dirname(root) && !fs.existsSync(path.join(root, 'package.json'))) {
  root = path.dirname(root);
}
const name = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string }).name;

/** The seed folder (repository-relative) whose package.json has the copy's name. */
function seedFolder(): string {
  const seeds = path.join(REPO_ROOT, 'seed-code');
  for (const template of fs.readdirSync(seeds)) {
    for (const repo of fs.readdirSync(path.join(seeds, template))) {
      const pkg = path.join(seeds, template, repo, 'package.json');
      if (
        fs.existsSync(pkg) &&
        (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === name
      ) {
        return `seed-code/${template}/${repo}`;
      }
    }
  }
  return `seed-code/unknown/${name ?? path.basename(root)}`;
}
const folder = seedFolder();
const rel = (f: string) => `${folder}/${path.relative(root, f).split(path.sep).join('/')}`;

installRecorder({
  resolveFrom: root,
  outDir: process.env[RECORD_DIR_ENV] ?? RECORDING_DIR,
  runtimePath: (f) => {
    const r = path.relative(root, f).split(path.sep).join('/');
    return /^(src|bin)\//.test(r) ? rel(f) : undefined;
  },
  testFile: rel(testPath),
});
