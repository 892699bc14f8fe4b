// RETRAIN_ENTRIES: the retrain Lambda entry the product stacks bundle is a file of this package's src/,
// named after its key (a stale map would otherwise fail only at synth, in esbuild).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RETRAIN_ENTRIES } from '../src/entries';

test.each(Object.entries(RETRAIN_ENTRIES))('%s is src/%s.ts and exists on disk', (name, file) => {
  expect(file).toBe(path.join(__dirname, '..', 'src', `${name}.ts`));
  expect(fs.statSync(file).isFile()).toBe(true);
});
