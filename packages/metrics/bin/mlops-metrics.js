#!/usr/bin/env node
// mlops-metrics CLI shim: runs the compiled CLI (lib/, built by `npx projen synth` or
// `npx tsc --build packages/metrics/tsconfig.json`).
require('../lib/cli.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    console.error(`mlops-metrics: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 1;
  });
