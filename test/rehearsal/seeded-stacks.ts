// The stacks the seeded repositories' pipelines deploy — model-deploy's staging and prod stacks and
// monitoring's two — synthesized by each template's seeds' own code from the environment the product
// gives their CodeBuild projects (resolved for one parameter set), with the parameters their builds
// write into the template configurations. The rehearsal resolves them and evaluates the CloudFormation
// deploy role (the role CodePipeline's deploy actions pass) over CloudFormation's handler calls for
// them. One helper ({@link seededStacks}) does it for every template; each template hands it its
// seeds' functions.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type DeploySeed,
  loadStagesConfig,
  projectEnvironmentFromEnv,
  synthesizeStages,
} from '@mlops-templates/model-deploy';
import type { Json, ResolvedTemplate } from './resolve';
import { projectEnv } from './sdk-calls/sources';
import { DEPLOY_SEED as DEEPAR_DEPLOY_SEED } from '../../seed-code/deepar-forecasting/model-deploy/src/deploy-options';
import { templateConfiguration as deepArTemplateConfiguration } from '../../seed-code/deepar-forecasting/monitoring/src/build/write-artifacts';
import { buildMonitoringApp as buildDeepArMonitoringApp } from '../../seed-code/deepar-forecasting/monitoring/src/infra/app';
import {
  contractVariablesSchema as deepArContractVariablesSchema,
  parseDeploymentEnvironment as parseDeepArDeploymentEnvironment,
  type DeploymentEnvironment as DeepArDeploymentEnvironment,
} from '../../seed-code/deepar-forecasting/monitoring/src/infra/deployment-environment';
import {
  loadMonitoringConfig as loadDeepArMonitoringConfig,
  type MonitoringConfig as DeepArMonitoringConfig,
} from '../../seed-code/deepar-forecasting/monitoring/src/infra/monitoring-config';
import { DEPLOY_SEED as TABULAR_DEPLOY_SEED } from '../../seed-code/tabular-xgboost/model-deploy/src/deploy-options';
import {
  resolveDeploymentEnvironment as resolveTabularDeploymentEnvironment,
  type ResolvePort as TabularResolvePort,
} from '../../seed-code/tabular-xgboost/monitoring/src/build/resolve-environment';
import { writeArtifacts as writeTabularArtifacts } from '../../seed-code/tabular-xgboost/monitoring/src/build/write-artifacts';
import { loadMonitoringConfig as loadTabularMonitoringConfig } from '../../seed-code/tabular-xgboost/monitoring/src/config';
import {
  buildVariablesSchema as tabularBuildVariablesSchema,
  type DeploymentEnvironment as TabularDeploymentEnvironment,
} from '../../seed-code/tabular-xgboost/monitoring/src/environment';
import { buildMonitoringApp as buildTabularMonitoringApp } from '../../seed-code/tabular-xgboost/monitoring/src/infra/app';

/** One seeded stack: its name, template and the parameter values its build gives it. */
export interface SeededStack {
  readonly name: string;
  readonly template: Record<string, Json>;
  readonly parameters: Record<string, string>;
}

type Stage = 'staging' | 'prod';

/** The model version the rehearsed stages serve (both stages deployed). */
const MODEL_VERSION = 3;

/** What a template's seeds give {@link seededStacks}: their own functions, nothing re-implemented. */
export interface SeedFunctions<D> {
  /** The model-deploy seed's options of @mlops-templates/model-deploy (src/deploy-options.ts). */
  readonly deploySeed: DeploySeed;
  readonly monitoring: {
    /**
     * The deployment environment the monitoring build resolves (its src/build/ code) from the monitoring
     * project's environment and the uploaded collector bundle's key, both endpoints deployed.
     */
    deployment(env: Record<string, string>, codeKey: string, product: ResolvedTemplate): Promise<D>;
    /** The seed's CDK app (src/infra/app.ts), synthesizing into `outdir`. */
    app(
      deployment: D,
      account: string,
      region: string,
      outdir: string,
    ): {
      app: { synth(): { getStackByName(name: string): { template: unknown } } };
      stacks: Record<string, { stackName: string }>;
    };
    /** The parameters the build writes into the stage's template configuration. */
    parameters(
      template: Record<string, Json>,
      deployment: D,
      stage: Stage,
      outdir: string,
      codeKey: string,
    ): Record<string, string>;
  };
}

/** The stacks of one template's seeds for one resolved product. */
export async function seededStacks<D>(
  product: ResolvedTemplate,
  seed: SeedFunctions<D>,
): Promise<SeededStack[]> {
  const { account, region, partition } = product.context;
  const out: SeededStack[] = [];
  // model-deploy (the build step of @mlops-templates/model-deploy with the seed's options): the project
  // from the environment, the newest approved package of the project's group, the committed stage
  // configuration.
  const deployEnv = projectEnv(product, 'ModelDeployBuildProject');
  const project = projectEnvironmentFromEnv(deployEnv);
  const group = deployEnv.MODEL_PACKAGE_GROUP_NAME;
  const stages = synthesizeStages(
    {
      project,
      modelPackage: {
        arn: `arn:${partition}:sagemaker:${region}:${account}:model-package/${group}/${MODEL_VERSION}`,
        groupName: group,
        version: MODEL_VERSION,
      },
      stages: loadStagesConfig(path.join(seed.deploySeed.root, 'config', 'stages.json')),
    },
    seed.deploySeed.deployStack,
  );
  for (const [stage, synthesized] of Object.entries(stages)) {
    out.push({
      name: project.stackNames[stage as Stage],
      template: synthesized.template as Record<string, Json>,
      parameters: {},
    });
  }
  // monitoring: the seed's build resolution, its app, its template configuration.
  const monitoringEnv = projectEnv(product, 'MonitoringBuildProject');
  // The bundle step's key: <MONITORING_PREFIX>code/<sha256>.zip (@mlops-templates/metrics
  // contentAddressedCodeKey).
  const codeKey = `${monitoringEnv.MONITORING_PREFIX}code/${'0a1b2c3d'.repeat(8)}.zip`;
  const deployment = await seed.monitoring.deployment(monitoringEnv, codeKey, product);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-monitoring-'));
  try {
    const { app, stacks } = seed.monitoring.app(deployment, account, region, outdir);
    const assembly = app.synth();
    for (const [stage, stack] of Object.entries(stacks)) {
      const template = assembly.getStackByName(stack.stackName).template as Record<string, Json>;
      out.push({
        name: stack.stackName,
        template,
        parameters: seed.monitoring.parameters(template, deployment, stage as Stage, outdir, codeKey),
      });
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return out;
}

/** The monitoring configuration with the built-in Model Quality monitor switched on. */
function withModelQualityMonitor(config: DeepArMonitoringConfig): DeepArMonitoringConfig {
  return { ...config, modelQualityMonitor: { ...config.modelQualityMonitor, enabled: true } };
}

/** The deepar-forecasting seeds' functions. */
export const DEEPAR_SEEDS: SeedFunctions<DeepArDeploymentEnvironment> = {
  deploySeed: DEEPAR_DEPLOY_SEED,
  monitoring: {
    // src/build/resolve-environment.ts: the contract variables, the uploaded collector bundle, both
    // endpoints deployed.
    deployment: async (env, codeKey) =>
      parseDeepArDeploymentEnvironment(
        {
          environment: deepArContractVariablesSchema.parse(env),
          collectorCodeKey: codeKey,
          stages: {
            staging: { modelVersion: String(MODEL_VERSION), endpointExists: true },
            prod: { modelVersion: String(MODEL_VERSION), endpointExists: true },
          },
        },
        'rehearsal',
      ),
    app: (deployment, account, region, outdir) =>
      buildDeepArMonitoringApp({
        deployment,
        // The built-in Model Quality monitor is off in the committed config (issue #14 finding 7) but
        // one switch away: rehearse the stacks with it on, so the roles still cover a user who turns it on.
        config: withModelQualityMonitor(loadDeepArMonitoringConfig()),
        account,
        region,
        outdir,
      }),
    parameters: (template, deployment, stage) =>
      deepArTemplateConfiguration(
        template as Parameters<typeof deepArTemplateConfiguration>[0],
        deployment,
        stage,
      ).Parameters,
  },
};

/** The example baseline files the tabular model package registers (data/tabular-baselines/README). */
const TABULAR_BASELINES = path.join(__dirname, 'data', 'tabular-baselines');

/**
 * The AWS the tabular monitoring build reads, as it is once both stages serve model version
 * {@link MODEL_VERSION} of the project's group: the package registers the example baselines, stored in
 * the project bucket where the model-build pipeline writes them.
 */
function tabularResolvePort(product: ResolvedTemplate, env: Record<string, string>): TabularResolvePort {
  const { partition, region, account } = product.context;
  const group = projectEnv(product, 'ModelDeployBuildProject').MODEL_PACKAGE_GROUP_NAME;
  const base = `s3://${env.PROJECT_BUCKET}/pipeline-artifacts/rehearsal-execution`;
  const files: Record<string, string> = {
    [`${base}/data-quality/statistics.json`]: 'statistics.json',
    [`${base}/data-quality/constraints.json`]: 'constraints.json',
    [`${base}/model-quality/constraints.json`]: 'model-quality-constraints.json',
  };
  return {
    endpointConfigOf: async (endpointName) => `${endpointName}-config-${MODEL_VERSION}`,
    modelPackageOf: async () =>
      `arn:${partition}:sagemaker:${region}:${account}:model-package/${group}/${MODEL_VERSION}`,
    describeModelPackage: async () => ({
      DriftCheckBaselines: {
        ModelDataQuality: {
          Statistics: { S3Uri: `${base}/data-quality/statistics.json` },
          Constraints: { S3Uri: `${base}/data-quality/constraints.json` },
        },
        ModelQuality: { Constraints: { S3Uri: `${base}/model-quality/constraints.json` } },
      },
    }),
    readJson: async (uri) => {
      const file = files[uri];
      if (file === undefined) throw new Error(`rehearsal: no example baseline at ${uri}`);
      return JSON.parse(fs.readFileSync(path.join(TABULAR_BASELINES, file), 'utf8')) as unknown;
    },
  };
}

/** The tabular-xgboost seeds' functions. */
export const TABULAR_SEEDS: SeedFunctions<TabularDeploymentEnvironment> = {
  deploySeed: TABULAR_DEPLOY_SEED,
  monitoring: {
    // src/build/resolve-environment.ts over the AWS above: both monitors of both stages.
    deployment: async (env, codeKey, product) =>
      resolveTabularDeploymentEnvironment(
        tabularResolvePort(product, env),
        tabularBuildVariablesSchema.parse(env),
        loadTabularMonitoringConfig(),
        codeKey,
        () => undefined,
      ),
    app: (deployment, account, region, outdir) =>
      buildTabularMonitoringApp({
        deployment,
        config: loadTabularMonitoringConfig(),
        account,
        region,
        outdir,
      }),
    // src/build/write-artifacts.ts over the synthesized assembly: <stage>.config.json's Parameters.
    parameters: (_template, _deployment, stage, outdir, codeKey) => {
      const artifacts = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-monitoring-artifacts-'));
      try {
        writeTabularArtifacts(outdir, artifacts, codeKey);
        const file = path.join(artifacts, 'monitoring', `${stage}.config.json`);
        return (JSON.parse(fs.readFileSync(file, 'utf8')) as { Parameters: Record<string, string> })
          .Parameters;
      } finally {
        fs.rmSync(artifacts, { recursive: true, force: true });
      }
    },
  },
};

/** The deepar-forecasting seeds' stacks for one resolved product. */
export const deepArSeededStacks = (product: ResolvedTemplate): Promise<SeededStack[]> =>
  seededStacks(product, DEEPAR_SEEDS);

/** The tabular-xgboost seeds' stacks for one resolved product. */
export const tabularSeededStacks = (product: ResolvedTemplate): Promise<SeededStack[]> =>
  seededStacks(product, TABULAR_SEEDS);
