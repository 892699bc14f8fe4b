// `npm run resolve-environment -- --code-key <key> --out dist/environment.json [--offline]`: run by the
// monitoring build. Reads the contract variables of the CodeBuild environment, checks the project
// configuration and both stage alarm thresholds in SSM (logged; the alarm compares against the
// `threshold` metric the collector publishes, so a threshold set later by model-deploy applies
// without a redeploy), resolves each stage's serving model version (the accuracy alarm's ModelVersion
// dimension) and whether its endpoint exists, and writes the file `cdk synth` reads
// (MONITORING_ENVIRONMENT_FILE).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parseThresholdParameter } from '@mlops-templates/metrics';
import { resolveServingModelVersion } from '../collector/model-version';
import { describeZodError, parseProjectConfig } from '../collector/settings';
import {
  contractVariablesSchema,
  type ContractVariables,
  type DeploymentEnvironment,
  parseDeploymentEnvironment,
  STAGES,
  stageNames,
} from '../infra/deployment-environment';

export interface ResolveOptions {
  readonly codeKey: string;
  /** Skip every AWS call (model versions "none", endpoints assumed absent). */
  readonly offline: boolean;
}

export interface ResolveClients {
  readonly ssm: SSMClient;
  readonly sagemaker: SageMakerClient;
}

/** Reads the contract variables. Throws an Error naming every missing or bad variable. */
export function readContractVariables(env: NodeJS.ProcessEnv): ContractVariables {
  const parsed = contractVariablesSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid build environment: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** Builds the deployment environment from the variables and AWS. */
export async function resolveDeploymentEnvironment(
  vars: ContractVariables,
  options: ResolveOptions,
  clients: ResolveClients | undefined,
  log: (message: string) => void,
): Promise<DeploymentEnvironment> {
  const stages = {} as DeploymentEnvironment['stages'];
  if (options.offline || clients === undefined) {
    log('offline: model versions "none", endpoints treated as absent (built-in monitor off)');
    for (const stage of STAGES) stages[stage] = { modelVersion: 'none', endpointExists: false };
  } else {
    const get = async (name: string): Promise<string | undefined> => {
      try {
        return (await clients.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
      } catch (error) {
        if ((error as { name?: string }).name === 'ParameterNotFound') return undefined;
        throw error;
      }
    };
    const configValue = await get(vars.CONFIG_PARAMETER_NAME);
    if (configValue === undefined)
      throw new Error(`SSM parameter ${vars.CONFIG_PARAMETER_NAME} does not exist`);
    const config = parseProjectConfig(configValue);
    log(
      `project config: ${config.dataSourceType} data, frequency ${config.frequency}, horizon ${config.predictionLength}`,
    );
    if (config.frequency !== vars.FREQUENCY || config.predictionLength !== vars.PREDICTION_LENGTH) {
      log(
        `warning: the SSM config (frequency ${config.frequency}, horizon ${config.predictionLength}) differs from FREQUENCY=${vars.FREQUENCY} PREDICTION_LENGTH=${vars.PREDICTION_LENGTH}; the collector follows the SSM config`,
      );
    }
    for (const stage of STAGES) {
      const names = stageNames(vars, stage);
      const threshold = parseThresholdParameter(await get(names.thresholdParameterName), stage);
      log(`${stage} alarm threshold (${names.thresholdParameterName}): ${JSON.stringify(threshold)}`);
      const serving = await resolveServingModelVersion(clients.sagemaker, names.endpointName);
      const modelVersion = serving.label ?? 'none';
      log(
        `${stage} endpoint ${names.endpointName}: ${serving.endpointStatus}, model version ${modelVersion}` +
          (serving.reason ? ` (${serving.reason})` : ''),
      );
      stages[stage] = { modelVersion, endpointExists: serving.endpointStatus !== 'missing' };
    }
  }
  return parseDeploymentEnvironment(
    { environment: vars, collectorCodeKey: options.codeKey, stages },
    'being written',
  );
}

function argument(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** CLI entry. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
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
    const vars = readContractVariables(env);
    const offline = argv.includes('--offline');
    const clients = offline ? undefined : { ssm: new SSMClient({}), sagemaker: new SageMakerClient({}) };
    const resolved = await resolveDeploymentEnvironment(vars, { codeKey, offline }, clients, log);
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
