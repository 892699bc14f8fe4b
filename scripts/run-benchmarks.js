#!/usr/bin/env node
// Runs every benchmark (packages/*/bench/*.bench.ts) in its own process, one after the other,
// and lets each print its figures. `npx projen bench [filter]` runs those whose path matches.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const filter = process.argv[2];
const benches = fs
  .readdirSync(path.join(root, 'packages'))
  .flatMap((pkg) => {
    const dir = path.join(root, 'packages', pkg, 'bench');
    return fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => path.join(dir, f))
      : [];
  })
  .filter((f) => !filter || f.includes(filter));

if (benches.length === 0) {
  console.error(`no benchmark matches ${filter ?? '(any)'}`);
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${path.relative(root, file)} ===`);
  const r = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', file],
    { stdio: 'inherit', cwd: root, env: { ...process.env, TS_NODE_SWC: 'true', TS_NODE_PROJECT: 'tsconfig.json' } },
  );
  if (r.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
