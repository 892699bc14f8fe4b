// The SageMaker built-in DeepAR image for a region, from the region → registry map committed as
// data/deepar-image-uris.json (a verbatim copy of the SageMaker Python SDK's image_uri_config).
import imageUris from '../../data/deepar-image-uris.json';

interface ImageUriConfig {
  readonly versions: Record<
    string,
    { readonly registries: Record<string, string>; readonly repository: string }
  >;
}

export const DEEPAR_IMAGE_VERSION = '1';

/** ECR domain of a region's partition, as the SDK resolves it. */
export function ecrDomain(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-isof-') || region.startsWith('eu-isoe-')) return 'csp.hci.ic.gov';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  return 'amazonaws.com';
}

/** Regions the committed map knows. */
export function deepArRegions(): string[] {
  return Object.keys((imageUris as ImageUriConfig).versions[DEEPAR_IMAGE_VERSION].registries).sort();
}

/** `<registry>.dkr.ecr.<region>.<domain>/forecasting-deepar:1`; throws for a region the map lacks. */
export function deepArImageUri(region: string): string {
  const config = (imageUris as ImageUriConfig).versions[DEEPAR_IMAGE_VERSION];
  const registry = config.registries[region];
  if (registry === undefined) {
    throw new Error(
      `no DeepAR image registry is known for region ${JSON.stringify(region)} (data/deepar-image-uris.json knows ${deepArRegions().join(', ')})`,
    );
  }
  return `${registry}.dkr.ecr.${region}.${ecrDomain(region)}/${config.repository}:${DEEPAR_IMAGE_VERSION}`;
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
