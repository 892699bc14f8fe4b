// The stacks the seeded repositories' pipelines deploy — model-deploy's staging and prod stacks and
// monitoring's two — synthesized by the seeds' own code from the environment the product gives their
// CodeBuild projects (resolved for one parameter set), with the parameters their builds write into the
// template configurations. The rehearsal resolves them and evaluates the CloudFormation deploy role
// (the role CodePipeline's deploy actions pass) over CloudFormation's handler calls for them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadStagesConfig, projectEnvironmentFromEnv, synthesizeStages } from '@mlops-templates/model-deploy';
import type { Json, ResolvedTemplate } from './resolve';
import { projectEnv } from './sdk-calls/sources';
import { DEPLOY_SEED } from '../../seed-code/deepar-forecasting/model-deploy/src/deploy-options';
import { templateConfiguration } from '../../seed-code/deepar-forecasting/monitoring/src/build/write-artifacts';
import { buildMonitoringApp } from '../../seed-code/deepar-forecasting/monitoring/src/infra/app';
import {
  contractVariablesSchema,
  parseDeploymentEnvironment,
} from '../../seed-code/deepar-forecasting/monitoring/src/infra/deployment-environment';
import {
  loadMonitoringConfig,
  type MonitoringConfig,
} from '../../seed-code/deepar-forecasting/monitoring/src/infra/monitoring-config';

/** The monitoring configuration with the built-in Model Quality monitor switched on. */
function withModelQualityMonitor(config: MonitoringConfig): MonitoringConfig {
  return { ...config, modelQualityMonitor: { ...config.modelQualityMonitor, enabled: true } };
}

/** One seeded stack: its name, template and the parameter values its build gives it. */
export interface SeededStack {
  readonly name: string;
  readonly template: Record<string, Json>;
  readonly parameters: Record<string, string>;
}

/** The deepar-forecasting seeds' stacks for one resolved product. */
export function deepArSeededStacks(product: ResolvedTemplate): SeededStack[] {
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
        arn: `arn:${partition}:sagemaker:${region}:${account}:model-package/${group}/3`,
        groupName: group,
        version: 3,
      },
      stages: loadStagesConfig(path.join(DEPLOY_SEED.root, 'config', 'stages.json')),
    },
    DEPLOY_SEED.deployStack,
  );
  for (const [stage, synthesized] of Object.entries(stages)) {
    out.push({
      name: project.stackNames[stage as 'staging' | 'prod'],
      template: synthesized.template as Record<string, Json>,
      parameters: {},
    });
  }
  // monitoring (src/build/resolve-environment.ts): the contract variables, the uploaded collector
  // bundle, both endpoints deployed.
  const monitoringEnv = projectEnv(product, 'MonitoringBuildProject');
  const deployment = parseDeploymentEnvironment(
    {
      environment: contractVariablesSchema.parse(monitoringEnv),
      // src/build/bundle-collector.ts: <MONITORING_PREFIX>code/<sha256>.zip.
      collectorCodeKey: `${monitoringEnv.MONITORING_PREFIX}code/${'0a1b2c3d'.repeat(8)}.zip`,
      stages: {
        staging: { modelVersion: '3', endpointExists: true },
        prod: { modelVersion: '3', endpointExists: true },
      },
    },
    'rehearsal',
  );
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-monitoring-'));
  try {
    const { app, stacks } = buildMonitoringApp({
      deployment,
      // The built-in Model Quality monitor is off in the committed config (issue #14 finding 7) but one
      // switch away: rehearse the stacks with it on, so the roles still cover a user who turns it on.
      config: withModelQualityMonitor(loadMonitoringConfig()),
      account,
      region,
      outdir,
    });
    const assembly = app.synth();
    for (const [stage, stack] of Object.entries(stacks)) {
      const template = assembly.getStackByName(stack.stackName).template as Record<string, Json>;
      out.push({
        name: stack.stackName,
        template,
        // The values the build writes into the stage's template configuration.
        parameters: templateConfiguration(
          template as Parameters<typeof templateConfiguration>[0],
          deployment,
          stage as 'staging' | 'prod',
        ).Parameters,
      });
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return out;
}
