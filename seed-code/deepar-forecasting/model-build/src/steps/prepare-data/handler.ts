// Lambda entry of the PrepareData pipeline step (function sagemaker-<project-id>-step-prepare-data):
// parses the step arguments, reads the project's data configuration from SSM, wires the AWS clients
// into the data readers and runs prepare.ts. Thrown errors fail the pipeline step with their message.
import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { powertoolsLogPort, parseS3Uri } from '@mlops-templates/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { readFeatureStoreObservations } from './feature-store-source';
import {
  DataSource,
  parsePrepareDataArguments,
  prepareData,
  PrepareDataArguments,
  PrepareDataOutput,
  ReadResult,
} from './prepare';
import { readS3Observations } from './s3-source';
import { PrepareDataError } from './series';
import { createStepLogger } from '../common/logger';
import { putObjectText } from '../common/s3';

const logger = createStepLogger('deepar-prepare-data');
const s3 = new S3Client({});
const ssm = new SSMClient({});
const sageMaker = new SageMakerClient({});
const glue = new GlueClient({});
const athena = new AthenaClient({});

/** The part of the project configuration (SSM CONFIG_PARAMETER_NAME) the data step uses. */
const projectDataConfigSchema = z.looseObject({
  dataSourceLocation: z.string().trim().min(1),
  targetColumn: z.string().trim().min(1),
  timestampColumn: z.string().trim().min(1),
  itemIdColumn: z.string().trim().min(1),
});

/** The data source from the SSM configuration, with the step arguments' overrides applied. */
export async function resolveDataSource(
  args: PrepareDataArguments,
  ssmClient: SSMClient,
): Promise<DataSource> {
  let config: Partial<z.infer<typeof projectDataConfigSchema>> = {};
  if (args.config_parameter_name !== undefined) {
    const response = await ssmClient.send(new GetParameterCommand({ Name: args.config_parameter_name }));
    let document: unknown;
    try {
      document = JSON.parse(response.Parameter?.Value ?? '');
    } catch {
      throw new PrepareDataError(`SSM parameter ${args.config_parameter_name} is not JSON`);
    }
    const parsed = projectDataConfigSchema.safeParse(document);
    if (!parsed.success) {
      throw new PrepareDataError(
        `SSM parameter ${args.config_parameter_name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    config = parsed.data;
  }
  const location = args.data_source_location ?? config.dataSourceLocation;
  const timestampColumn = args.timestamp_column ?? config.timestampColumn;
  const targetColumn = args.target_column ?? config.targetColumn;
  const itemIdColumn = args.item_id_column ?? config.itemIdColumn ?? 'none';
  if (
    location === undefined ||
    location === 'none' ||
    timestampColumn === undefined ||
    targetColumn === undefined
  ) {
    throw new PrepareDataError(
      'the data source location and the timestamp/target columns are not configured (config_parameter_name or the argument overrides)',
    );
  }
  return {
    type: args.data_source_type,
    location,
    mapping: {
      timestampColumn,
      targetColumn,
      itemIdColumn: itemIdColumn === 'none' || itemIdColumn === '' ? null : itemIdColumn,
    },
  };
}

export async function handler(
  event: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<PrepareDataOutput> {
  const args = parsePrepareDataArguments(event);
  const stepLogger = powertoolsLogPort(logger);
  const source = await resolveDataSource(args, ssm);
  const deadlineMs = Date.now() + (context?.getRemainingTimeInMillis() ?? 600_000) - 60_000;
  const readObservations = async (
    dataSource: DataSource,
    window: { startMs: number; endMs: number },
  ): Promise<ReadResult> => {
    if (dataSource.type === 'feature-group') {
      const athenaOutputUri = args.athena_output_uri;
      if (athenaOutputUri === undefined) {
        throw new PrepareDataError('athena_output_uri is required for a feature-group source');
      }
      const result = await readFeatureStoreObservations(
        { sageMaker, glue, athena, s3 },
        {
          featureGroupName: dataSource.location,
          mapping: dataSource.mapping,
          windowStartMs: window.startMs,
          windowEndMs: window.endMs,
          athenaOutputUri,
          kmsKeyArn: args.kms_key_arn,
          workGroup: args.athena_work_group,
          deadlineMs,
          now: Date.now,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          logger: stepLogger,
        },
      );
      const { observations, ...details } = result;
      return { observations, details };
    }
    const result = await readS3Observations(s3, {
      locationUri: dataSource.location,
      mapping: dataSource.mapping,
      windowStartMs: window.startMs,
      windowEndMs: window.endMs,
      logger: stepLogger,
    });
    return {
      observations: result.observations,
      details: { filesRead: result.filesRead, duplicates: result.duplicates },
    };
  };
  try {
    return await prepareData(args, source, {
      readObservations,
      writeText: (uri, body, contentType) =>
        putObjectText(s3, parseS3Uri(uri), body, contentType, args.kms_key_arn),
      now: Date.now,
      logger: stepLogger,
    });
  } catch (error) {
    logger.error('PrepareData failed', error as Error);
    throw error;
  }
}
