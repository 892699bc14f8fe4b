// Jest configuration: TypeScript through @swc/jest (type checking is `tsc --noEmit` in `npm test`).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/deploy/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/cdk.out/', '<rootDir>/deploy/', '<rootDir>/dist/'],
};
