// The SageMaker Model Monitor analyzer image of a region, from the region → registry map copied from
// the SageMaker Python SDK (config/model-monitor-image-uris.json; source in config/SOURCES.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_DIRECTORY } from './monitoring-config';

interface ImageUriConfig {
  readonly versions: Record<string, { registries: Record<string, string>; repository: string }>;
}

/** Reads the map (default: config/model-monitor-image-uris.json). */
export function loadModelMonitorImageMap(
  file = path.join(CONFIG_DIRECTORY, 'model-monitor-image-uris.json'),
): ImageUriConfig {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ImageUriConfig;
}

/** `<registry>.dkr.ecr.<region>.<domain>/sagemaker-model-monitor-analyzer`. Throws for an unknown region. */
export function modelMonitorImageUri(
  region: string,
  map: ImageUriConfig = loadModelMonitorImageMap(),
): string {
  const version = map.versions[''] ?? Object.values(map.versions)[0];
  const registry = version?.registries[region];
  if (!registry) {
    throw new Error(
      `no Model Monitor analyzer image is known for region ${region}; disable modelQualityMonitor in config/monitoring.json or update config/model-monitor-image-uris.json`,
    );
  }
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${registry}.dkr.ecr.${region}.${domain}/${version.repository}`;
}
