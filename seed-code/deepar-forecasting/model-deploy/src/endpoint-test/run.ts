// The DeepAR staging endpoint test (`npm run test:endpoint`, buildspec-test.yml) on the shared runner
// of @mlops-templates/model-deploy (endpoint in service with this deployment's config, InferenceId,
// invoke): the DeepAR JSON codec, and a request from the latest context window of the project's data
// (or the committed fixture when no data is configured), checked against the trained horizon.
import * as fs from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DEFAULT_QUANTILES, type DeepArRequest, deepArStart } from '@mlops-templates/metrics';
import {
  ConfigError,
  type EndpointTestContext,
  EndpointTestError,
  type PayloadCodec,
  runEndpointTest as runSharedEndpointTest,
} from '@mlops-templates/model-deploy';
import { z } from 'zod';
import { DEEPAR_CONTENT_TYPE } from '../deploy-options';
import { ProjectConfig, readProjectConfig } from '../project-config';
import { readRecentObservations } from './data-source';
import { buildEndpointTestRequest, ContextWindow, frequencyToMillis, latestWindows } from './request';
import { validateDeepArResponse } from './validate';

/** The DeepAR codec of a horizon: JSON in, a forecast per instance with the mean and every quantile out. */
export function deepArCodec(predictionLength: number): PayloadCodec<DeepArRequest> {
  return {
    contentType: DEEPAR_CONTENT_TYPE,
    accept: DEEPAR_CONTENT_TYPE,
    encode: (request) => JSON.stringify(request),
    check: (body, request) => {
      validateDeepArResponse(body, {
        instances: request.instances.length,
        predictionLength,
        quantiles: request.configuration.quantiles,
        mean: true,
      });
      return (
        `forecast ${request.instances.length} series × ${predictionLength} steps with the mean and ` +
        `quantiles ${request.configuration.quantiles.join(', ')}`
      );
    },
  };
}

export interface EndpointTestOptions extends EndpointTestContext {
  /** The project data's bucket and the configuration parameter. */
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  /** The committed series used when no data is configured. */
  readonly fixtureFile: string;
  /** Use the fixture even when data is configured. */
  readonly forceFixture?: boolean;
  /** Points of history per series (default 720). */
  readonly contextPoints?: number;
  /** Series per request (default 5). */
  readonly maxSeries?: number;
}

export interface EndpointTestResult {
  readonly endpointName: string;
  readonly inferenceId: string;
  readonly dataSource: string;
  readonly instances: number;
  readonly predictionLength: number;
  readonly quantiles: readonly string[];
  readonly latencyMillis: number;
}

const fixtureSchema = z.object({
  start: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be "YYYY-MM-DD HH:MM:SS"'),
  target: z.array(z.union([z.number(), z.literal('NaN')])).min(1),
});

/** The committed fallback series (config/endpoint-test-series.json) as a context window. */
export function loadFixtureWindow(file: string): ContextWindow {
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the endpoint test fixture ${file}: ${(error as Error).message}`);
  }
  const parsed = fixtureSchema.safeParse(document);
  if (!parsed.success) {
    throw new ConfigError(
      `${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    itemId: 'fixture',
    start: Date.parse(`${parsed.data.start.replace(' ', 'T')}Z`),
    target: parsed.data.target.map((v) => (v === 'NaN' ? null : v)),
  };
}

function positiveInteger(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

async function requestFromData(
  options: EndpointTestOptions,
  config: ProjectConfig | undefined,
): Promise<{ request: DeepArRequest; dataSource: string }> {
  const { log } = options;
  const quantiles = [...DEFAULT_QUANTILES];
  const fixture = (why: string): { request: DeepArRequest; dataSource: string } => {
    log.info(`${why}: using the committed fixture ${options.fixtureFile}`);
    return {
      request: buildEndpointTestRequest([loadFixtureWindow(options.fixtureFile)], quantiles),
      dataSource: 'fixture',
    };
  };
  if (options.forceFixture) return fixture('--fixture given');
  if (config === undefined) return fixture('no project data configured (CONFIG_PARAMETER_NAME unset)');
  if (config.dataSourceType === 'feature-group') {
    return fixture(
      'the data source is a Feature Group (read through Athena, which this test does not query)',
    );
  }
  const location = config.dataSourceLocation;
  if (location === undefined || !location.startsWith('s3://')) {
    return fixture(`the data location ${JSON.stringify(location ?? '')} is not an s3:// URI`);
  }
  const missing = (['timestampColumn', 'targetColumn'] as const).filter((k) => config[k] === undefined);
  if (missing.length > 0) throw new ConfigError(`the project configuration has no ${missing.join(', ')}`);
  const frequency = options.env.FREQUENCY?.trim() || config.frequency;
  if (frequency === undefined) throw new ConfigError('no FREQUENCY (environment or project configuration)');
  const contextPoints = options.contextPoints ?? 720;
  const data = await readRecentObservations(options.s3, {
    location,
    columns: {
      timestampColumn: config.timestampColumn as string,
      targetColumn: config.targetColumn as string,
      itemIdColumn: config.itemIdColumn ?? 'none',
    },
    contextPoints,
    maxObjects: 200,
  });
  if (data.skipped.count > 0) {
    log.warn(`${data.skipped.count} row(s) skipped:\n  ${data.skipped.examples.join('\n  ')}`);
  }
  const windows = latestWindows(data.observations, {
    stepMillis: frequencyToMillis(frequency),
    contextPoints,
    maxSeries: options.maxSeries ?? 5,
  });
  if (windows.length === 0)
    throw new EndpointTestError(`no observed target value in ${data.objectsRead.join(', ')}`);
  const last = Math.max(
    ...windows.map((w) => w.start + (w.target.length - 1) * frequencyToMillis(frequency)),
  );
  log.info(
    `Request from ${data.objectsRead.length} object(s) of ${location}: ${windows.length} series, ` +
      `up to ${Math.max(...windows.map((w) => w.target.length))} points each, ending ${deepArStart(last)} UTC`,
  );
  return { request: buildEndpointTestRequest(windows, quantiles), dataSource: location };
}

/** Runs the test; throws {@link EndpointTestError} (or ConfigError) with a readable reason. */
export async function runEndpointTest(options: EndpointTestOptions): Promise<EndpointTestResult> {
  const { env, log, record } = options;
  let predictionLength = 0;
  const result = await runSharedEndpointTest({
    ...options,
    prepare: async () => {
      const config = await readProjectConfig(options.ssm, env.CONFIG_PARAMETER_NAME);
      // The horizon the model was trained for (model-build records it on the package) is what it returns.
      const fromModel = positiveInteger(
        record?.modelPackage.customerMetadata.prediction_length,
        'the model package metadata prediction_length',
      );
      const configured =
        positiveInteger(env.PREDICTION_LENGTH?.trim(), 'PREDICTION_LENGTH') ??
        positiveInteger(config?.predictionLength, 'predictionLength');
      if (fromModel !== undefined && configured !== undefined && fromModel !== configured) {
        log.warn(
          `the model was trained with prediction_length ${fromModel}, the project is configured with ${configured}: expecting ${fromModel}`,
        );
      }
      const horizon = fromModel ?? configured;
      if (horizon === undefined) throw new ConfigError('missing environment variable PREDICTION_LENGTH');
      predictionLength = horizon;
      const { request, dataSource } = await requestFromData(options, config);
      return { codec: deepArCodec(horizon), request, dataSource };
    },
  });
  return {
    endpointName: result.endpointName,
    inferenceId: result.inferenceId,
    dataSource: result.dataSource,
    instances: result.request.instances.length,
    predictionLength,
    quantiles: result.request.configuration.quantiles,
    latencyMillis: result.latencyMillis,
  };
}
