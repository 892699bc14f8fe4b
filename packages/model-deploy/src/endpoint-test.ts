// The staging endpoint test of every model-deploy repository, with a pluggable payload codec: checks
// the endpoint is InService with the endpoint config of this deployment (a rolled-back deploy fails
// here), lets the seed prepare its request (from the project's data or a fixture), invokes the
// endpoint with an InferenceId that says where the request came from, and lets the codec check the
// response. The codec is the only model-specific part (DeepAR JSON, CSV for XGBoost, ...).
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  InvokeEndpointCommandOutput,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { DeploymentRecordFile, describeStageEndpoint, endpointMismatch } from './deployment-record';
import type { Log } from './log';
import { ConfigError } from './stage-config';

/** The staging endpoint (or its test input) failed the test; the message says how. */
export class EndpointTestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointTestError';
  }
}

/** How a model's requests are written and its responses checked (InvokeEndpoint ContentType/Accept). */
export interface PayloadCodec<TRequest> {
  /** `ContentType` of the request (the content type data capture records). */
  readonly contentType: string;
  /** `Accept` of the request. */
  readonly accept: string;
  /** The request body. */
  encode(request: TRequest): string;
  /**
   * Checks the response body against the request: returns a one-line summary for the PASS line, or
   * throws {@link EndpointTestError} listing every problem found.
   */
  check(responseBody: string, request: TRequest): string;
}

/** A request ready to send, with its codec and where its data came from. */
export interface PreparedRequest<TRequest> {
  readonly codec: PayloadCodec<TRequest>;
  readonly request: TRequest;
  /** The data location the request was built from, or `fixture`. */
  readonly dataSource: string;
}

/** What every endpoint test runs with (a seed's options extend it with its data clients and flags). */
export interface EndpointTestContext {
  readonly env: NodeJS.ProcessEnv;
  readonly runtime: SageMakerRuntimeClient;
  readonly sagemaker: SageMakerClient;
  readonly log: Log;
  /** The build step's record (deploy/model-package.json); without it the config check is skipped. */
  readonly record?: DeploymentRecordFile;
  /**
   * The clock of the InferenceId.
   * @default - the current time
   */
  readonly now?: () => Date;
}

export interface EndpointTestRunOptions<TRequest> extends EndpointTestContext {
  /** Builds the request once the endpoint is known to serve this deployment. */
  readonly prepare: () => Promise<PreparedRequest<TRequest>>;
}

export interface EndpointTestRunResult<TRequest> {
  readonly endpointName: string;
  readonly inferenceId: string;
  readonly dataSource: string;
  readonly request: TRequest;
  /** The codec's summary of the checked response. */
  readonly summary: string;
  readonly latencyMillis: number;
}

/**
 * An InferenceId (≤ 64 printable characters) that says where the request came from:
 * `deploy-test-v<version>-<UTC time as YYYYMMDDTHHMMSSZ>` (`local` without a build record).
 */
export function endpointTestInferenceId(modelVersion: number | undefined, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `deploy-test-${modelVersion === undefined ? 'local' : `v${modelVersion}`}-${stamp}`;
}

/** The staging endpoint's name: STAGING_ENDPOINT_NAME, else the build record's. */
export function stagingEndpointName(
  env: NodeJS.ProcessEnv,
  record: DeploymentRecordFile | undefined,
): string {
  const name = (env.STAGING_ENDPOINT_NAME ?? '').trim() || record?.stages.staging.endpointName;
  if (!name) throw new ConfigError('missing environment variable STAGING_ENDPOINT_NAME');
  return name;
}

/** Runs the test; throws {@link EndpointTestError} (or ConfigError) with a readable reason. */
export async function runEndpointTest<TRequest>(
  options: EndpointTestRunOptions<TRequest>,
): Promise<EndpointTestRunResult<TRequest>> {
  const { env, log, record } = options;
  const endpointName = stagingEndpointName(env, record);

  const described = await describeStageEndpoint(options.sagemaker, endpointName);
  if (record) {
    const mismatch = endpointMismatch(described, record, 'staging');
    if (mismatch) throw new EndpointTestError(mismatch);
    log.info(
      `${endpointName} is InService with ${described.EndpointConfigName} (model package ${record.modelPackage.arn})`,
    );
  } else {
    log.warn(
      'no build output (deploy/model-package.json): the endpoint config is not checked against this deployment',
    );
    if (described.EndpointStatus !== 'InService') {
      throw new EndpointTestError(`endpoint ${endpointName} is ${described.EndpointStatus}, not InService`);
    }
  }

  const { codec, request, dataSource } = await options.prepare();
  const now = (options.now ?? (() => new Date()))();
  const inferenceId = endpointTestInferenceId(record?.modelPackage.version, now);
  let response: InvokeEndpointCommandOutput;
  const started = Date.now();
  try {
    response = await options.runtime.send(
      new InvokeEndpointCommand({
        EndpointName: endpointName,
        ContentType: codec.contentType,
        Accept: codec.accept,
        InferenceId: inferenceId,
        Body: new TextEncoder().encode(codec.encode(request)),
      }),
    );
  } catch (error) {
    const e = error as Error & { OriginalMessage?: string };
    throw new EndpointTestError(
      `InvokeEndpoint ${endpointName} failed: ${e.name}: ${e.OriginalMessage ?? e.message}`,
    );
  }
  const latencyMillis = Date.now() - started;
  const body = response.Body === undefined ? '' : new TextDecoder().decode(response.Body);
  const summary = codec.check(body, request);
  log.info(`PASS: ${endpointName} ${summary} (InferenceId ${inferenceId}, ${latencyMillis} ms)`);
  return { endpointName, inferenceId, dataSource, request, summary, latencyMillis };
}

/** At most `max` problems in one message, then how many more. */
export function problemsMessage(what: string, problems: readonly string[], max = 10): string {
  const shown = problems.slice(0, max);
  const more = problems.length - shown.length;
  return `${what} fails ${problems.length} check(s):\n  - ${shown.join('\n  - ')}${more > 0 ? `\n  - and ${more} more` : ''}`;
}

/** A response body excerpt for an error message (whitespace folded, at most 300 characters). */
export function bodyExcerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 300 ? `${flat.slice(0, 300)}…` : flat);
}
