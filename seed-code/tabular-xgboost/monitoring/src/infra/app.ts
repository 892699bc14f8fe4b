// The CDK app: one monitoring stack per stage, each watching its own endpoint.
import { App } from 'aws-cdk-lib';
import type { MonitoringConfig } from '../config';
import { type DeploymentEnvironment, STAGES } from '../environment';
import { MonitoringStack } from './monitoring-stack';

/** Construct id (and cloud assembly artifact id) of a stage's stack. */
export const stackId = (stage: string): string => `Monitoring-${stage}`;

/** Options of {@link buildMonitoringApp}. */
export interface MonitoringAppOptions {
  readonly deployment: DeploymentEnvironment;
  readonly config: MonitoringConfig;
  readonly account: string;
  readonly region: string;
  /** @default cdk.out (the CLI's) */
  readonly outdir?: string;
}

/** The app with the staging and prod stacks. */
export function buildMonitoringApp(options: MonitoringAppOptions): {
  app: App;
  stacks: Record<string, MonitoringStack>;
} {
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  const stacks = Object.fromEntries(
    STAGES.map((stage) => [
      stage,
      new MonitoringStack(app, stackId(stage), {
        stage,
        deployment: options.deployment,
        config: options.config,
        env: { account: options.account, region: options.region },
      }),
    ]),
  );
  return { app, stacks };
}
