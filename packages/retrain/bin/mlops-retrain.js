#!/usr/bin/env node
// mlops-retrain: see packages/retrain/README.md. Runs the compiled CLI (lib/ is built by `npx projen`).
require('../lib/cli.js')
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
