// Preloaded (NODE_OPTIONS --require) into the processes a root test spawns, so that a seeded
// repository's own `npm test` (test/seed-repos.test.ts runs it in a fresh copy) records its AWS SDK
// calls too: when that process loads jest-config, every project config gets the seed recorder
// (seed-setup.ts) appended to its setupFilesAfterEnv. Plain JavaScript: it runs before any transpiler.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const SETUP = path.join(__dirname, 'seed-setup.ts');
const load = Module._load;
Module._load = function (request, ...rest) {
  const exported = load.call(this, request, ...rest);
  if (
    request === 'jest-config' &&
    exported &&
    typeof exported.readConfigs === 'function' &&
    !exported.__rehearsalRecorder
  ) {
    const readConfigs = exported.readConfigs;
    exported.readConfigs = async function (...args) {
      const result = await readConfigs.apply(this, args);
      // jest-config freezes the project configs: hand back copies with the recorder appended.
      const configs = result.configs.map((config) =>
        Object.freeze({ ...config, setupFilesAfterEnv: [...(config.setupFilesAfterEnv || []), SETUP] }),
      );
      return { ...result, configs };
    };
    exported.__rehearsalRecorder = true;
  }
  return exported;
};
