#!/usr/bin/env node
// The gates of `npx projen test`: the type check, the lint and jest run at the same time (jest waits on
// child processes — seeded repositories' npm ci and tests, cfn-lint, moto_server — while tsc and ESLint
// use the CPU), each one's output printed in one piece when it ends; then, only when jest passed, the
// deployment rehearsal, which reads the SDK calls jest recorded. Exit 1 when any gate failed, naming it.
// Arguments are passed to jest (`npx projen test -- test/portfolio.test.ts`).
const { spawn, spawnSync } = require('node:child_process');

const jestArgs = process.argv.slice(2);
const projen = (task) => ({ name: task, command: 'npx', args: ['projen', task] });
const gates = [
  projen('typecheck'),
  projen('lint'),
  { name: 'jest', command: 'npx', args: ['jest', '--passWithNoTests=false', ...jestArgs] },
];

function runBuffered(gate) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(gate.command, gate.args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', (error) => resolve({ gate, code: 2, output: `${error.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) =>
      resolve({
        gate,
        code: code ?? (signal ? 1 : 0),
        output: Buffer.concat(chunks).toString('utf8'),
        seconds: (Date.now() - started) / 1000,
      }),
    );
  });
}

async function main() {
  const failed = [];
  const results = await Promise.all(
    gates.map((g) =>
      runBuffered(g).then((r) => {
        process.stdout.write(
          `\n===== ${r.gate.name} (exit ${r.code}, ${r.seconds.toFixed(1)} s) =====\n${r.output}`,
        );
        return r;
      }),
    ),
  );
  for (const r of results) if (r.code !== 0) failed.push(r.gate.name);
  if (failed.includes('jest')) {
    process.stdout.write(
      '\n===== rehearse: not run, jest failed (it needs the SDK calls jest records) =====\n',
    );
    failed.push('rehearse');
  } else {
    const started = Date.now();
    const r = spawnSync('npx', ['projen', 'rehearse'], { stdio: 'inherit' });
    process.stdout.write(
      `===== rehearse (exit ${r.status}, ${((Date.now() - started) / 1000).toFixed(1)} s) =====\n`,
    );
    if (r.status !== 0) failed.push('rehearse');
  }
  if (failed.length > 0) {
    process.stderr.write(`\ngates failed: ${failed.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write('\nall gates passed: typecheck, lint, jest, rehearse\n');
}

main().catch((error) => {
  process.stderr.write(`run-gates could not run: ${error.stack ?? error}\n`);
  process.exit(2);
});
