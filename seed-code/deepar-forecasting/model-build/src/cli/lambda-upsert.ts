// Creates or updates a Lambda step function the way the SageMaker Python SDK's LambdaStep upserts
// one: CreateFunction when it does not exist, otherwise UpdateFunctionCode (only when the code hash
// changed) and UpdateFunctionConfiguration (only when a setting changed), waiting for each update.
import {
  CreateFunctionCommand,
  FunctionConfiguration,
  GetFunctionCommand,
  LambdaClient,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { LambdaBundle } from './lambda-bundle';

export interface StepFunctionSpec {
  readonly functionName: string;
  readonly description: string;
  readonly roleArn: string;
  readonly runtime: 'nodejs22.x' | 'nodejs24.x';
  readonly architecture: 'arm64' | 'x86_64';
  readonly handler: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  readonly environment: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly bundle: LambdaBundle;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export interface WaitOptions {
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollMs?: number;
  readonly maxPolls?: number;
}

async function getConfiguration(
  lambda: LambdaClient,
  name: string,
): Promise<FunctionConfiguration | undefined> {
  try {
    return (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw error;
  }
}

/** Polls until the function is Active and no update is in progress; throws on a failed state. */
export async function waitUntilReady(
  lambda: LambdaClient,
  name: string,
  options: WaitOptions,
): Promise<void> {
  const maxPolls = options.maxPolls ?? 150;
  for (let poll = 0; poll < maxPolls; poll++) {
    const configuration = await getConfiguration(lambda, name);
    if (configuration?.State === 'Failed') {
      throw new Error(`Lambda function ${name} failed: ${configuration.StateReason}`);
    }
    if (configuration?.LastUpdateStatus === 'Failed') {
      throw new Error(`update of Lambda function ${name} failed: ${configuration.LastUpdateStatusReason}`);
    }
    if (configuration?.State === 'Active' && configuration.LastUpdateStatus !== 'InProgress') return;
    await options.sleep(options.pollMs ?? 2000);
  }
  throw new Error(`Lambda function ${name} is not ready after ${maxPolls} polls`);
}

function sameEnvironment(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const left = a ?? {};
  return (
    Object.keys(left).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => left[k] === v)
  );
}

/** Settings that differ between the deployed function and the spec (empty = nothing to update). */
export function configurationDrift(current: FunctionConfiguration, spec: StepFunctionSpec): string[] {
  const drift: string[] = [];
  if (current.Role !== spec.roleArn) drift.push('Role');
  if (current.Runtime !== spec.runtime) drift.push('Runtime');
  if (current.Handler !== spec.handler) drift.push('Handler');
  if (current.MemorySize !== spec.memorySizeMb) drift.push('MemorySize');
  if (current.Timeout !== spec.timeoutSeconds) drift.push('Timeout');
  if ((current.Description ?? '') !== spec.description) drift.push('Description');
  if (!sameEnvironment(current.Environment?.Variables, spec.environment)) drift.push('Environment');
  return drift;
}

export async function upsertStepFunction(
  lambda: LambdaClient,
  spec: StepFunctionSpec,
  wait: WaitOptions,
): Promise<UpsertOutcome> {
  const current = await getConfiguration(lambda, spec.functionName);
  if (current === undefined) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: spec.functionName,
        Description: spec.description,
        Role: spec.roleArn,
        Runtime: spec.runtime,
        Architectures: [spec.architecture],
        Handler: spec.handler,
        MemorySize: spec.memorySizeMb,
        Timeout: spec.timeoutSeconds,
        Environment: { Variables: spec.environment },
        PackageType: 'Zip',
        Code: { ZipFile: spec.bundle.zip },
        Tags: spec.tags,
      }),
    );
    await waitUntilReady(lambda, spec.functionName, wait);
    return 'created';
  }
  let updated = false;
  const architecture = current.Architectures?.[0] ?? 'x86_64';
  if (current.CodeSha256 !== spec.bundle.codeSha256 || architecture !== spec.architecture) {
    await waitUntilReady(lambda, spec.functionName, wait);
    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: spec.functionName,
        ZipFile: spec.bundle.zip,
        Architectures: [spec.architecture],
      }),
    );
    await waitUntilReady(lambda, spec.functionName, wait);
    updated = true;
  }
  if (configurationDrift(current, spec).length > 0) {
    await waitUntilReady(lambda, spec.functionName, wait);
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: spec.functionName,
        Description: spec.description,
        Role: spec.roleArn,
        Runtime: spec.runtime,
        Handler: spec.handler,
        MemorySize: spec.memorySizeMb,
        Timeout: spec.timeoutSeconds,
        Environment: { Variables: spec.environment },
      }),
    );
    await waitUntilReady(lambda, spec.functionName, wait);
    updated = true;
  }
  return updated ? 'updated' : 'unchanged';
}
