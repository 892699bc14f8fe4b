#!/usr/bin/env node
// mlops-loop-sim: see packages/loop-sim/README.md. Runs the TypeScript sources with ts-node (swc,
// transpile only): the package is not compiled because it reads the seeds' committed settings (JSON)
// by relative path (README "Limits").
const path = require('node:path');
require('ts-node').register({
  transpileOnly: true,
  swc: true,
  project: path.join(__dirname, '..', 'tsconfig.json'),
  compilerOptions: { module: 'commonjs' },
});
require('../src/cli.ts')
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
