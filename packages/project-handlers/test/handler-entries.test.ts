// PROJECT_HANDLER_ENTRIES: every entry the product stacks bundle is a file of this package's src/,
// named after its key (a stale map would otherwise fail only at synth, in esbuild).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_HANDLER_ENTRIES } from '../src/entries';

const SRC = path.join(__dirname, '..', 'src');

describe('PROJECT_HANDLER_ENTRIES', () => {
  test.each(Object.entries(PROJECT_HANDLER_ENTRIES))('%s is src/%s.ts and exists on disk', (name, file) => {
    expect(file).toBe(path.join(SRC, `${name}.ts`));
    expect(fs.statSync(file).isFile()).toBe(true);
  });

  test('lists the seven entries the product stacks use', () => {
    expect(Object.keys(PROJECT_HANDLER_ENTRIES).sort()).toEqual([
      'seed-repositories',
      'seed-repositories-resource',
      'start-deploy-pipeline',
      'synthetic-data',
      'tabular-synthetic-data',
      'tabular-synthetic-traffic',
      'teardown-resource',
    ]);
  });
});
