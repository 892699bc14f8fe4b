// The tabular staging endpoint test (`npm run test:endpoint`, buildspec-test.yml) on the shared runner
// of @mlops-templates/model-deploy (endpoint in service with this deployment's config, InferenceId,
// invoke): the model package's sample CSV rows (its `sample_payload`, written by model-build) or a
// local `--payload FILE`, sent with the XGBoost CSV codec and checked for the model's problem type.
import * as fs from 'node:fs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  ConfigError,
  type EndpointTestContext,
  EndpointTestError,
  runEndpointTest as runSharedEndpointTest,
} from '@mlops-templates/model-deploy';
import {
  TABULAR_MODEL_PACKAGE_METADATA as METADATA,
  TABULAR_PROBLEM_TYPES,
  type TabularProblemType,
} from '@mlops-templates/project-contract';
import { readProjectConfig } from '../project-config';
import { type CsvRequest, XGBOOST_CSV_CODEC } from './csv-codec';

/** The shared context (its record's package metadata gives the payload) and this test's own inputs. */
export interface TabularEndpointTestOptions extends EndpointTestContext {
  /** Reads the sample payload; the configuration parameter is the problem type's fallback. */
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  /** A local CSV file of feature rows instead of the package's sample payload. */
  readonly payloadFile?: string;
  /** Rows sent (the first ones; default 10). */
  readonly maxRows?: number;
}

export interface TabularEndpointTestResult {
  readonly endpointName: string;
  readonly inferenceId: string;
  readonly dataSource: string;
  readonly rows: number;
  readonly problemType: TabularProblemType;
  readonly latencyMillis: number;
}

/** The feature rows of a CSV text: the first `maxRows` non-empty lines, each all numbers or empty values. */
export function featureRows(text: string, source: string, maxRows: number): string[] {
  const rows = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, maxRows);
  if (rows.length === 0) throw new EndpointTestError(`${source} has no row to send`);
  rows.forEach((row, i) => {
    const bad = row.split(',').find((v) => v.trim() !== '' && !Number.isFinite(Number(v)));
    if (bad !== undefined) {
      throw new EndpointTestError(
        `${source} row ${i + 1} has the non-numeric value ${JSON.stringify(bad)}: the built-in XGBoost endpoint takes numeric features only, without a header`,
      );
    }
  });
  return rows;
}

async function readS3Text(s3: S3Client, uri: string): Promise<string> {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new ConfigError(`${JSON.stringify(uri)} is not an s3://bucket/key URI`);
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
    return (await out.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    const e = error as Error;
    throw new EndpointTestError(`cannot read the sample payload ${uri}: ${e.name}: ${e.message}`);
  }
}

function problemTypeOf(value: string | undefined, source: string): TabularProblemType | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (!(TABULAR_PROBLEM_TYPES as readonly string[]).includes(v)) {
    throw new ConfigError(`${source} ${JSON.stringify(v)} is not one of ${TABULAR_PROBLEM_TYPES.join(', ')}`);
  }
  return v as TabularProblemType;
}

function classCountOf(value: string | number | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) {
    throw new ConfigError(`${source} must be an integer ≥ 2, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Runs the test; throws EndpointTestError (or ConfigError) with a readable reason. */
export async function runEndpointTest(
  options: TabularEndpointTestOptions,
): Promise<TabularEndpointTestResult> {
  const { env, log, record } = options;
  const metadata = record?.modelPackage.customerMetadata ?? {};
  const result = await runSharedEndpointTest<CsvRequest>({
    ...options,
    prepare: async () => {
      // What the model was trained for (model-build records it on the package), else the project's.
      let problemType = problemTypeOf(
        metadata[METADATA.problemType],
        `model package metadata ${METADATA.problemType}`,
      );
      let numClasses = classCountOf(
        metadata[METADATA.numClasses],
        `model package metadata ${METADATA.numClasses}`,
      );
      if (problemType === undefined || (problemType === 'multiclass' && numClasses === undefined)) {
        const config = await readProjectConfig(options.ssm, env.CONFIG_PARAMETER_NAME);
        problemType ??= config?.problemType;
        numClasses ??= classCountOf(config?.numClasses, 'project configuration numClasses');
      }
      if (problemType === undefined) {
        throw new ConfigError(
          `no problem type: the model package records no ${METADATA.problemType} and the project configuration (CONFIG_PARAMETER_NAME) has no problemType`,
        );
      }
      const maxRows = options.maxRows ?? 10;
      let text: string;
      let dataSource: string;
      if (options.payloadFile !== undefined) {
        try {
          text = fs.readFileSync(options.payloadFile, 'utf8');
        } catch (error) {
          throw new ConfigError(`cannot read ${options.payloadFile}: ${(error as Error).message}`);
        }
        dataSource = options.payloadFile;
        log.info(`--payload given: sending the rows of ${dataSource}`);
      } else {
        const uri = metadata[METADATA.samplePayload];
        if (uri === undefined || uri.trim() === '') {
          throw new ConfigError(
            `the model package records no ${METADATA.samplePayload} (model-build writes it) and no --payload FILE is given: nothing to send`,
          );
        }
        text = await readS3Text(options.s3, uri.trim());
        dataSource = uri.trim();
      }
      const rows = featureRows(text, dataSource, maxRows);
      log.info(
        `Request: ${rows.length} row(s) of ${dataSource}, ${problemType}${numClasses ? ` (${numClasses} classes)` : ''}`,
      );
      return { codec: XGBOOST_CSV_CODEC, request: { rows, problemType, numClasses }, dataSource };
    },
  });
  return {
    endpointName: result.endpointName,
    inferenceId: result.inferenceId,
    dataSource: result.dataSource,
    rows: result.request.rows.length,
    problemType: result.request.problemType,
    latencyMillis: result.latencyMillis,
  };
}
