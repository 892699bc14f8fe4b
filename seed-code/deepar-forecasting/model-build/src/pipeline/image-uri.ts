// The SageMaker built-in DeepAR image for a region, from the region → registry map committed as
// data/deepar-image-uris.json (a verbatim copy of the SageMaker Python SDK's image_uri_config); the
// ECR domain and ARN partition of a region are @mlops-templates/pipeline-definition's.
import { ecrDomain } from '@mlops-templates/pipeline-definition';
import imageUris from '../../data/deepar-image-uris.json';

export { ecrDomain, partitionOf } from '@mlops-templates/pipeline-definition';

interface ImageUriConfig {
  readonly versions: Record<
    string,
    { readonly registries: Record<string, string>; readonly repository: string }
  >;
}

export const DEEPAR_IMAGE_VERSION = '1';

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
