// `npm run resolve-environment -- --code-key <key> --out dist/environment.json [--offline]`: for each
// stage, the endpoint (DescribeEndpoint), the model package it serves (its endpoint config's first
// variant → DescribeModel → the container's ModelPackageName) and that package's baselines
// (DescribeModelPackage: DriftCheckBaselines, else ModelMetrics), then the feature names of the
// data-quality statistics and the model-quality threshold of the constraints (S3 GetObject). What
// cannot be resolved turns that monitor off for the stage, with the reason in `notes` (logged and on
// the dashboard) — never a guess. The file is what `cdk synth` reads (MONITORING_ENVIRONMENT_FILE).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { parseS3Uri } from '@mlops-templates/metrics';
import { readEnvironment } from '@mlops-templates/project-contract';
import {
  baselineUris,
  featureNames,
  type ModelPackageBaselineFields,
  modelQualityThreshold,
} from '../baselines';
import { loadMonitoringConfig, type MonitoringConfig } from '../config';
import { MODEL_QUALITY_UNSUPPORTED } from '../problem-type';
import {
  type BuildVariables,
  buildVariablesSchema,
  type DeploymentEnvironment,
  parseDeploymentEnvironment,
  type StageResolution,
  STAGES,
  stageNames,
} from '../environment';

/** The AWS reads of the resolution (SDK calls in `main`, fakes in tests). */
export interface ResolvePort {
  /** `undefined` when the endpoint does not exist. */
  endpointConfigOf(endpointName: string): Promise<string | undefined>;
  /** The model package ARN behind the endpoint config's first variant, `undefined` when not from a package. */
  modelPackageOf(endpointConfigName: string): Promise<string | undefined>;
  describeModelPackage(arn: string): Promise<ModelPackageBaselineFields>;
  /** A JSON document in S3. */
  readJson(s3Uri: string): Promise<unknown>;
}

/** Resolves one stage. */
export async function resolveStage(
  port: ResolvePort,
  vars: BuildVariables,
  config: MonitoringConfig,
  endpointName: string,
): Promise<StageResolution> {
  const notes: string[] = [];
  const off = (note: string, patch: Partial<StageResolution> = {}): StageResolution => ({
    endpointExists: false,
    modelPackageArn: null,
    dataQuality: null,
    modelQuality: null,
    notes: [note],
    ...patch,
  });
  const endpointConfig = await port.endpointConfigOf(endpointName);
  if (endpointConfig === undefined) return off(`endpoint ${endpointName} does not exist yet: no monitor`);
  const arn = await port.modelPackageOf(endpointConfig);
  if (arn === undefined) {
    return off(`endpoint config ${endpointConfig} serves no model package: no baseline, no monitor`, {
      endpointExists: true,
    });
  }
  const uris = baselineUris(await port.describeModelPackage(arn));
  let dataQuality: StageResolution['dataQuality'] = null;
  if (uris.dataQualityStatistics && uris.dataQualityConstraints) {
    const features = featureNames(
      await port.readJson(uris.dataQualityStatistics),
      uris.dataQualityStatistics,
    );
    dataQuality = {
      statisticsUri: uris.dataQualityStatistics,
      constraintsUri: uris.dataQualityConstraints,
      features,
    };
  } else {
    notes.push(`${arn} has no data-quality statistics and constraints: no data-quality monitor`);
  }
  let modelQuality: StageResolution['modelQuality'] = null;
  const metric = config.modelQuality.metric[vars.PROBLEM_TYPE];
  const unsupported = MODEL_QUALITY_UNSUPPORTED[vars.PROBLEM_TYPE];
  if (unsupported !== undefined) {
    notes.push(`no model-quality monitor for ${vars.PROBLEM_TYPE}: ${unsupported}`);
  } else if (uris.modelQualityConstraints) {
    const threshold = modelQualityThreshold(
      await port.readJson(uris.modelQualityConstraints),
      vars.PROBLEM_TYPE,
      metric,
    );
    if ('reason' in threshold) notes.push(`no model-quality monitor: ${threshold.reason}`);
    else modelQuality = { constraintsUri: uris.modelQualityConstraints, ...threshold };
  } else {
    notes.push(`${arn} has no model-quality constraints: no model-quality monitor`);
  }
  return { endpointExists: true, modelPackageArn: arn, dataQuality, modelQuality, notes };
}

/** The deployment environment of both stages. */
export async function resolveDeploymentEnvironment(
  port: ResolvePort | undefined,
  vars: BuildVariables,
  config: MonitoringConfig,
  codeKey: string,
  log: (message: string) => void,
): Promise<DeploymentEnvironment> {
  const stages: Record<string, StageResolution> = {};
  for (const stage of STAGES) {
    const endpointName = stageNames(vars, stage).endpointName;
    stages[stage] = port
      ? await resolveStage(port, vars, config, endpointName)
      : {
          endpointExists: false,
          modelPackageArn: null,
          dataQuality: null,
          modelQuality: null,
          notes: ['offline: no monitor'],
        };
    const r = stages[stage];
    log(
      `${stage}: ${endpointName} ${r.endpointExists ? 'exists' : 'missing'}, package ${r.modelPackageArn ?? 'none'}, ` +
        `data quality ${r.dataQuality ? `${r.dataQuality.features.length} features` : 'off'}, ` +
        `model quality ${r.modelQuality ? `${r.modelQuality.metric} ${r.modelQuality.comparison} ${r.modelQuality.threshold}` : 'off'}` +
        (r.notes.length > 0 ? ` (${r.notes.join('; ')})` : ''),
    );
  }
  return parseDeploymentEnvironment(
    { environment: vars, collectorCodeKey: codeKey, stages },
    'being written',
  );
}

const isNotFound = (error: unknown): boolean =>
  /could not find|does not exist/i.test((error as Error)?.message ?? '') ||
  (error as { name?: string })?.name === 'ResourceNotFound';

/** The port on the AWS SDK. */
export function awsResolvePort(sagemaker: SageMakerClient, s3: S3Client): ResolvePort {
  return {
    async endpointConfigOf(endpointName) {
      try {
        return (await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName })))
          .EndpointConfigName;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async modelPackageOf(endpointConfigName) {
      const config = await sagemaker.send(
        new DescribeEndpointConfigCommand({ EndpointConfigName: endpointConfigName }),
      );
      const modelName = config.ProductionVariants?.[0]?.ModelName;
      if (!modelName) return undefined;
      const model = await sagemaker.send(new DescribeModelCommand({ ModelName: modelName }));
      return [model.PrimaryContainer, ...(model.Containers ?? [])].find((c) => c?.ModelPackageName)
        ?.ModelPackageName;
    },
    async describeModelPackage(arn) {
      return sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    },
    async readJson(uri) {
      const { bucket, key } = parseS3Uri(uri);
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = (await object.Body?.transformToString('utf-8')) ?? '';
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error(`${uri} is not JSON`);
      }
    },
  };
}

const argument = (argv: string[], name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

/** CLI entry: exit 0 written, 1 failed (message on stderr), 2 usage. */
export async function main(argv: string[], env: NodeJS.ProcessEnv, port?: ResolvePort): Promise<number> {
  const log = (m: string): void => void process.stderr.write(`resolve-environment: ${m}\n`);
  const codeKey = argument(argv, '--code-key');
  const out = argument(argv, '--out') ?? path.join('dist', 'environment.json');
  if (!codeKey) {
    log(
      'usage: resolve-environment --code-key <s3 key of the collector zip> [--out dist/environment.json] [--offline]',
    );
    return 2;
  }
  try {
    const read = readEnvironment(buildVariablesSchema, env);
    if (!read.success) throw new Error(`build environment: ${read.problems.join('; ')}`);
    const offline = argv.includes('--offline');
    const resolvedPort = offline
      ? undefined
      : (port ?? awsResolvePort(new SageMakerClient({}), new S3Client({})));
    const resolved = await resolveDeploymentEnvironment(
      resolvedPort,
      read.data,
      loadMonitoringConfig(),
      codeKey,
      log,
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(resolved, null, 2)}\n`);
    log(`wrote ${out}`);
    return 0;
  } catch (error) {
    log(`failed: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
