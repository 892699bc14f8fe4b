// How the monorepo runs a seeded repository's npm commands (`npm ci`, `npm test`) in a seed folder or a
// fresh copy of one: the child-process environment and the install arguments, shared by
// `npx projen test:seeds` (scripts/test-seeds-in-place.ts) and the fresh-copy gate
// (test/support/seed-fresh-copy.ts). It lives under scripts/ so that the script imports no test code.

/**
 * The environment of a seed's npm commands: as the seeded repository's buildspec runs them, CI set
 * (a missing external tool fails the tests), and outside the monorepo (no workspaces, no root
 * node_modules on the resolution path).
 */
export function seedNpmEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CI: 'true', npm_config_workspaces: 'false', NODE_PATH: '' };
}

/** `npm ci` of a seed: from npm's cache when it holds the locked versions, no audit or funding notes. */
export const SEED_NPM_CI_ARGS: readonly string[] = ['ci', '--prefer-offline', '--no-audit', '--no-fund'];
