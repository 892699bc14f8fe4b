// Jest: TypeScript through @swc/jest (no type check here: `npm test` runs `tsc --noEmit` first).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  },
  testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/dist/'],
  testTimeout: 60_000,
};
