// Test harness shared by the monorepo's tests, the workspace packages' tests and (vendored as a
// devDependency) the seeded repositories' tests: external tools with the skip-or-fail policy,
// moto_server's lifecycle and the cfn-lint runner.
export * from './tools';
export * from './external-tool';
export * from './moto-server';
export * from './cfn-lint';
