// The package's public API: every module of src/ is exported by index.ts except the ones listed as
// internal here, so a new construct cannot be left out of the API by accident.
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', 'src');
/** Modules used by other modules only (their public parts are re-exported by those). */
const INTERNAL = new Set(['index', 'launch-policy-statements']);

test('index.ts exports every public module of src/', () => {
  const index = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8');
  const exported = new Set([...index.matchAll(/^export \* from '\.\/([\w-]+)';$/gm)].map((m) => m[1]));
  const modules = fs
    .readdirSync(SRC)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replace(/\.ts$/, ''));
  // negative control: the pattern reads the index
  expect(exported.has('products-launch-role')).toBe(true);
  expect(modules.filter((m) => !INTERNAL.has(m) && !exported.has(m))).toEqual([]);
  expect([...exported].filter((m) => !modules.includes(m))).toEqual([]);
});

test('the public API loads and offers the constructs', async () => {
  const api = await import('../src');
  expect(typeof api.SageMakerProductsLaunchRole).toBe('function');
  expect(typeof api.validateName).toBe('function');
  expect(api.PASSABLE_TO_SERVICES).toContain('sagemaker.amazonaws.com');
});
