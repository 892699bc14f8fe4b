// `npm run pipeline:upsert`: resolves the data source first (a Feature Group's offline store with
// DescribeFeatureGroup; nothing is written when that fails), uploads the processing scripts
// (processing/*.py) to their content-addressed keys in the project bucket (HeadObject first: an
// unchanged script is not uploaded again) and creates or updates the SageMaker pipeline
// MODEL_BUILD_PIPELINE_NAME with the current definition, tagged with the SageMaker project. Needs the
// CodeBuild environment (no example fallback). Idempotent: running it twice uploads nothing and
// changes nothing but the pipeline version.
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  Output,
  PROCESS_OUTPUT,
  runCommand,
  runMain,
  upsertProjectPipeline,
} from '@mlops-templates/pipeline-definition';
import { loadRepositoryConfig } from './common';
import { ModelBuildEnvironment, parseEnvironment } from '../config/environment';
import { describeDataSource, resolveDataSource } from '../pipeline/data-source';
import { buildPipelineDefinition } from '../pipeline/definition';
import { scriptObjects } from '../pipeline/processing';

export interface UpsertDependencies {
  readonly sageMaker: SageMakerClient;
  readonly s3: S3Client;
  readonly output: Output;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/** Uploads each processing script whose key is not in the bucket yet; returns the keys uploaded. */
export async function uploadScripts(
  env: ModelBuildEnvironment,
  s3: S3Client,
  output: Output,
): Promise<string[]> {
  const uploaded: string[] = [];
  for (const script of scriptObjects(env.TRAINING_PREFIX)) {
    const location = `s3://${env.PROJECT_BUCKET}/${script.key}`;
    try {
      await s3.send(new HeadObjectCommand({ Bucket: env.PROJECT_BUCKET, Key: script.key }));
      output.out(`${script.file}: unchanged (${location})`);
      continue;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await s3.send(
      new PutObjectCommand({
        Bucket: env.PROJECT_BUCKET,
        Key: script.key,
        Body: script.body,
        ContentType: 'text/x-python',
        ...(env.PROJECT_KMS_KEY_ARN
          ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: env.PROJECT_KMS_KEY_ARN }
          : {}),
      }),
    );
    output.out(`${script.file}: uploaded (${location})`);
    uploaded.push(script.key);
  }
  return uploaded;
}

export async function main(
  env: Readonly<Record<string, string | undefined>>,
  deps: UpsertDependencies,
): Promise<number> {
  return runCommand(deps.output, async () => {
    const environment = parseEnvironment(env);
    const repositoryConfig = loadRepositoryConfig();
    const dataSource = await resolveDataSource(environment, deps.sageMaker, repositoryConfig.config.s3Source);
    deps.output.out(describeDataSource(dataSource));
    const definitionJson = buildPipelineDefinition({
      env: environment,
      dataSource,
      ...repositoryConfig,
    }).toJson();
    await uploadScripts(environment, deps.s3, deps.output);
    const what = `XGBoost ${environment.PROBLEM_TYPE} model build`;
    await upsertProjectPipeline(environment, what, definitionJson, deps.sageMaker, deps.output);
  });
}

if (require.main === module) {
  runMain(() =>
    main(process.env, { sageMaker: new SageMakerClient({}), s3: new S3Client({}), output: PROCESS_OUTPUT }),
  );
}
