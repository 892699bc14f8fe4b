// The external tools (installed outside npm) that tests may need, with the pinned versions the
// monorepo's tests run with and the seeded repositories' buildspecs install. No jest here: the projen
// configuration (.projenrc.ts, the seed skeleton's buildspec preamble) reads these facts too.

/** An external command-line tool a test depends on. */
export interface ExternalTool {
  /** Executable name looked up on PATH. */
  readonly command: string;
  /** Arguments that make it print its version (or usage) and exit 0. */
  readonly versionArgs: string[];
  /** The pip requirement that installs the pinned version (buildspecs install exactly this). */
  readonly pipRequirement: string;
  /** What to run to install it. */
  readonly installHint: string;
}

/** Pinned version of cfn-lint (the CloudFormation linter). */
export const CFN_LINT_VERSION = '1.51.0';
/** Pinned version of moto (the AWS emulator; `moto[server]` brings moto_server). */
export const MOTO_VERSION = '5.2.1';

export const CFN_LINT: ExternalTool = {
  command: 'cfn-lint',
  versionArgs: ['--version'],
  pipRequirement: `cfn-lint==${CFN_LINT_VERSION}`,
  installHint: `pip install 'cfn-lint==${CFN_LINT_VERSION}'`,
};

export const MOTO_SERVER: ExternalTool = {
  command: 'moto_server',
  versionArgs: ['--help'],
  pipRequirement: `moto[server]==${MOTO_VERSION}`,
  installHint: `pip install 'moto[server]==${MOTO_VERSION}'`,
};
