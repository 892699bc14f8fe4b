// Public API of @mlops-templates/retrain: configuration, event parsing, the decision core, the
// Lambda handler factory and the CLI. The Lambda entry point itself is `src/handler.ts` (not
// re-exported: importing it reads the configuration from the environment).
export * from './config';
export * from './events';
export * from './core';
export * from './gate-threshold';
export * from './clients';
export * from './lambda';
export { main, USAGE, type CliIo } from './cli';
export * from './entries';
