// Shared test helpers: the example app synthesized into templates, and an in-memory object store.
import { Template } from 'aws-cdk-lib/assertions';
import { loadMonitoringConfig, type MonitoringConfig } from '../src/config';
import { type DeploymentEnvironment, exampleDeploymentEnvironment } from '../src/environment';
import { buildMonitoringApp } from '../src/infra/app';
import type { ObjectStorePort } from '../src/collector/collect';

/** The templates of both stages for a deployment (default: the committed example). */
export function synthTemplates(
  deployment: DeploymentEnvironment = exampleDeploymentEnvironment(),
  config: MonitoringConfig = loadMonitoringConfig(),
  region = 'eu-west-1',
): Record<'staging' | 'prod', Template> {
  const { stacks } = buildMonitoringApp({ deployment, config, account: '123456789012', region });
  return { staging: Template.fromStack(stacks.staging), prod: Template.fromStack(stacks.prod) };
}

/** An object store in memory; `writes` records every put in order. */
export function memoryStore(initial: Record<string, string> = {}): ObjectStorePort & {
  objects: Map<string, string>;
  writes: string[];
} {
  const objects = new Map(Object.entries(initial));
  const writes: string[] = [];
  return {
    objects,
    writes,
    async list(prefix, startAfter, max) {
      return [...objects.keys()]
        .filter((k) => k.startsWith(prefix) && (startAfter === undefined || k > startAfter))
        .sort()
        .slice(0, max);
    },
    async read(key) {
      return objects.get(key);
    },
    async write(key, body) {
      objects.set(key, body);
      writes.push(key);
    },
  };
}
