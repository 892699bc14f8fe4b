// Image URIs of the SageMaker built-in images per region (built-in XGBoost, the scikit-learn
// processing image, the Model Monitor analyzer) from the registry maps of image-registries.ts, and
// the region facts every URI and ARN needs (ECR domain, ARN partition).
import { FRAMEWORK_IMAGE_REGISTRIES, MODEL_MONITOR_IMAGE_REGISTRIES } from './image-registries';

/** The built-in XGBoost version the templates train with (a supported version; never `latest`/`1`). */
export const XGBOOST_VERSION = '1.7-1';
/** The scikit-learn processing image version. */
export const SKLEARN_VERSION = '1.2-1';

/** ECR domain of a region's partition, as the SageMaker Python SDK resolves it. */
export function ecrDomain(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-isof-') || region.startsWith('eu-isoe-')) return 'csp.hci.ic.gov';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  return 'amazonaws.com';
}

/** The ARN partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** `<registry>.dkr.ecr.<region>.<domain>/<repository>[:<tag>]`; throws for a region the map lacks. */
export function registryImageUri(
  what: string,
  registries: Readonly<Record<string, string>>,
  region: string,
  repository: string,
  tag?: string,
): string {
  const registry = Object.hasOwn(registries, region) ? registries[region] : undefined;
  if (registry === undefined) {
    throw new Error(
      `no ${what} image registry is known for region ${JSON.stringify(region)} (known: ${Object.keys(registries).sort().join(', ')})`,
    );
  }
  const image = `${registry}.dkr.ecr.${region}.${ecrDomain(region)}/${repository}`;
  return tag === undefined ? image : `${image}:${tag}`;
}

/** The built-in XGBoost algorithm image (training and inference): `…/sagemaker-xgboost:1.7-1`. */
export function xgboostImageUri(region: string, version: string = XGBOOST_VERSION): string {
  return registryImageUri('XGBoost', FRAMEWORK_IMAGE_REGISTRIES, region, 'sagemaker-xgboost', version);
}

/** The scikit-learn processing image: `…/sagemaker-scikit-learn:1.2-1-cpu-py3`. */
export function sklearnImageUri(region: string, version: string = SKLEARN_VERSION): string {
  return registryImageUri(
    'scikit-learn',
    FRAMEWORK_IMAGE_REGISTRIES,
    region,
    'sagemaker-scikit-learn',
    `${version}-cpu-py3`,
  );
}

/** The Model Monitor analyzer image (untagged, as the Developer Guide and the SDK give it). */
export function modelMonitorAnalyzerImageUri(region: string): string {
  return registryImageUri(
    'Model Monitor analyzer',
    MODEL_MONITOR_IMAGE_REGISTRIES,
    region,
    'sagemaker-model-monitor-analyzer',
  );
}
