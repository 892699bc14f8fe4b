// Builds the CDK app: one monitoring stack per stage, each watching its own endpoint.
import { App } from 'aws-cdk-lib';
import { type DeploymentEnvironment, STAGES } from './deployment-environment';
import type { MonitoringConfig } from './monitoring-config';
import { MonitoringStack } from './monitoring-stack';

/** Construct ids (and so cloud assembly artifact ids) of the stage stacks. */
export function stackId(stage: string): string {
  return `Monitoring-${stage}`;
}

export interface MonitoringAppOptions {
  readonly deployment: DeploymentEnvironment;
  readonly config: MonitoringConfig;
  /** Account and region of the stacks (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION). */
  readonly account: string;
  readonly region: string;
  /** Output folder; default cdk.out (the CLI's). */
  readonly outdir?: string;
}

/** The app with the staging and prod stacks. */
export function buildMonitoringApp(options: MonitoringAppOptions): {
  app: App;
  stacks: Record<string, MonitoringStack>;
} {
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  const stacks: Record<string, MonitoringStack> = {};
  for (const stage of STAGES) {
    stacks[stage] = new MonitoringStack(app, stackId(stage), {
      stage,
      deployment: options.deployment,
      config: options.config,
      env: { account: options.account, region: options.region },
    });
  }
  return { app, stacks };
}
