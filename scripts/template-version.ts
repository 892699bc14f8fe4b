// `npx projen template:release <template> [<version>]` locks the current (draft) version of a
// template, optionally under a new name, then synthesizes so the locked snapshot is written.
// `npx projen template:new-version <template> <version>` starts a new draft version after a
// release. A locked version is never overwritten: both commands refuse it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  readVersions,
  releaseVersion,
  snapshotDirectory,
  startDraftVersion,
  writeVersions,
} from '../portfolio/versions';
import { TEMPLATES } from '../templates';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const [command, templateName, version] = process.argv.slice(2);
const template = templateName ? TEMPLATES[templateName] : undefined;
if (!template) {
  fail(
    `usage: ${command ?? 'template:<release|new-version>'} <template> [<version>]; templates: ${Object.keys(TEMPLATES).join(', ')}`,
  );
}
const versions = readVersions(template.directory);

try {
  if (command === 'release') {
    const current = versions[versions.length - 1];
    const target = version ?? current.name;
    const { versions: next, renamedDraft } = releaseVersion(versions, target);
    writeVersions(template.directory, next);
    if (renamedDraft) {
      const dir = snapshotDirectory(template.directory);
      for (const f of fs
        .readdirSync(dir)
        .filter((n) => n.endsWith(`.${renamedDraft}.product.template.json`))) {
        fs.rmSync(path.join(dir, f));
      }
    }
    process.stdout.write(`${template.name}: version ${target} is now locked; synthesizing its snapshot...\n`);
    const synth = spawnSync('npx', ['cdk', 'synth', '-q'], { stdio: 'inherit' });
    if (synth.status !== 0) {
      fail('synth failed; the version list was updated, fix the error and run `npx projen synth`');
    }
  } else if (command === 'new-version') {
    if (!version) fail('usage: template:new-version <template> <version>');
    writeVersions(template.directory, startDraftVersion(versions, version));
    process.stdout.write(`${template.name}: draft version ${version} started (unlocked until released)\n`);
  } else {
    fail(`unknown command ${command}`);
  }
} catch (e) {
  fail(`${template.name}: ${(e as Error).message}`);
}
