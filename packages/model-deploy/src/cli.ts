// Plumbing of the model-deploy command-line entry points: a plain-text log for CodeBuild, usage
// errors, one place that turns an error into a readable message and an exit code (0 success, 1 error,
// 2 bad usage), and the whole `npm run build:stage-params` command, identical in every deploy seed.
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SSMClient } from '@aws-sdk/client-ssm';
import { App } from 'aws-cdk-lib';
import type { z } from 'zod';
import { resolveSynthInput } from './app-input';
import { buildStageParams } from './build-stage-params';
import { addDeployStacks, DeployStackOptions } from './deploy-stack';
import { findDeploymentRecord, loadDeploymentRecord } from './deployment-record';
import type { EndpointTestContext } from './endpoint-test';
import { BUILD_STAGE_PARAMS_ENVIRONMENT, checkEnvironment } from './environment';
import type { Log } from './log';
import { readEventFile } from './model-package';
import { ConfigError } from './stage-config';

/** Bad command-line usage (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Log lines on stdout, warnings on stderr (both end up in the CodeBuild log). */
export const consoleLog: Log = {
  info: (message) => process.stdout.write(`${message}\n`),
  warn: (message) => process.stderr.write(`WARNING: ${message}\n`),
};

/** Errors whose message says what to do: no stack trace is printed for them. */
export const EXPECTED_ERRORS = ['ConfigError', 'ModelPackageError', 'EndpointTestError'];

/**
 * Runs a command: exit 0 when it resolves, 2 on a {@link UsageError} (with the usage text), 1 on
 * any other error, with its message (the stack too, unless its name is in {@link EXPECTED_ERRORS} or
 * `expectedErrors`).
 */
export function runCommand(
  name: string,
  usage: string,
  main: () => Promise<void>,
  expectedErrors: readonly string[] = [],
): void {
  main().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      if (e instanceof UsageError) {
        process.stderr.write(`${name}: ${e.message}\n\n${usage}\n`);
        process.exitCode = 2;
        return;
      }
      const known = [...EXPECTED_ERRORS, ...expectedErrors].includes(e.name);
      process.stderr.write(`ERROR (${name}): ${e.message}\n`);
      if (!known && e.stack) process.stderr.write(`${e.stack}\n`);
      process.exitCode = 1;
    },
  );
}

/** Parses the command line with node:util's parseArgs; a bad option is a {@link UsageError}. */
export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(
  options: O,
  args: string[] = process.argv.slice(2),
): ReturnType<typeof parseArgs<{ options: O; args: string[]; allowPositionals: false }>>['values'] {
  try {
    return parseArgs({ options, args, allowPositionals: false as const }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A positive integer option (`undefined` when not given). */
export function positiveOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * The context of a `test:endpoint` command: the process environment, the console log, SageMaker and
 * SageMaker Runtime clients and the build record (`--record FILE`, else the StageParameters artifact,
 * else a local deploy/ folder; none when there is none).
 */
export function endpointTestCommandContext(
  recordOption: string | undefined,
  root: string,
): EndpointTestContext & { readonly ssm: SSMClient } {
  const recordFile = findDeploymentRecord(recordOption, process.env.CODEBUILD_SRC_DIR_StageParameters, root);
  return {
    env: process.env,
    log: consoleLog,
    runtime: new SageMakerRuntimeClient({}),
    sagemaker: new SageMakerClient({}),
    ssm: new SSMClient({}),
    record: recordFile === undefined ? undefined : loadDeploymentRecord(recordFile),
  };
}

/** What a seed's deploy commands differ in. */
export interface DeploySeed {
  /** The seed's root folder (holds config/stages.json and config/example-environment.json). */
  readonly root: string;
  /** Its stacks' options (the captured content types of its codec). */
  readonly deployStack: DeployStackOptions;
  /**
   * The environment its build step reads.
   * @default BUILD_STAGE_PARAMS_ENVIRONMENT
   */
  readonly buildEnvironment?: z.ZodObject;
}

const BUILD_USAGE = `usage: npm run build:stage-params -- [--event FILE] [--out DIR] [--stages FILE]

Resolves the model package to deploy and writes DIR/{staging,prod}.template.json,
DIR/{staging,prod}.config.json, DIR/model-package.json and DIR/stage-parameters.json.
  --event FILE   a "SageMaker Model Package State Change" event (local replay; overrides MODEL_PACKAGE_ARN)
  --out DIR      output folder (default: deploy)
  --stages FILE  stage configuration (default: config/stages.json)
Environment: MODEL_PACKAGE_ARN (an ARN, or "latest"), TRIGGER, MODEL_PACKAGE_GROUP_NAME,
CONFIG_PARAMETER_NAME and the project variables listed in README.md.`;

/** `npm run build:stage-params [-- --event FILE] [--out DIR] [--stages FILE]`: the pipeline's Build action. */
export function buildStageParamsCommand(seed: DeploySeed): void {
  runCommand('build:stage-params', BUILD_USAGE, async () => {
    const values = parseCommandLine({
      event: { type: 'string' },
      out: { type: 'string' },
      stages: { type: 'string' },
    });
    // The environment the project template gives this script (the contract's pick).
    checkEnvironment(seed.buildEnvironment ?? BUILD_STAGE_PARAMS_ENVIRONMENT, process.env);
    const result = await buildStageParams({
      env: process.env,
      outDir: path.resolve(values.out ?? path.join(seed.root, 'deploy')),
      stagesFile: path.resolve(values.stages ?? path.join(seed.root, 'config', 'stages.json')),
      deployStack: seed.deployStack,
      event: values.event === undefined ? undefined : readEventFile(values.event),
      sagemaker: new SageMakerClient({}),
      ssm: new SSMClient({}),
      log: consoleLog,
    });
    consoleLog.info(`Wrote ${result.files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  });
}

/**
 * The CDK app of `npx cdk synth`: both stage stacks, from the stage parameters the build step wrote
 * (-c stageParameters=deploy/stage-parameters.json) or the seed's example placeholders. A
 * configuration error exits 1 with its message.
 */
export function synthDeployApp(seed: Pick<DeploySeed, 'root' | 'deployStack'>): void {
  try {
    const app = new App({ analyticsReporting: false });
    const contextFile = app.node.tryGetContext('stageParameters') as string | undefined;
    const input = resolveSynthInput(
      process.env,
      contextFile,
      (message) => process.stderr.write(`${message}\n`),
      path.join(seed.root, 'config'),
    );
    addDeployStacks(app, input.parameters, seed.deployStack);
    app.synth();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ERROR: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
