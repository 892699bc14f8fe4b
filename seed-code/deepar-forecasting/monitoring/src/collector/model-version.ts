// Which model version an endpoint serves: DescribeEndpoint → DescribeEndpointConfig → DescribeModel →
// the model package (version number of the project's model package group). Used by the collector
// (to tag each forecast and to count only the current version's forecasts) and by the build (the
// ModelVersion dimension of the alarm), so both name a version the same way.
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { normaliseModelVersion } from '@mlops-templates/metrics';

export { normaliseModelVersion, sameModelVersion } from '@mlops-templates/metrics';

/** How the version label was obtained. */
export type ModelVersionSource = 'model-package' | 'endpoint-config';

/** The version an endpoint serves now. */
export interface ServingModelVersion {
  /** `missing` = no such endpoint. */
  readonly endpointStatus: string;
  readonly endpointConfigName?: string;
  /**
   * The label used as the ModelVersion dimension: the model package version (`"7"`), or, when the
   * model package cannot be read, `config:<endpoint config name>`; `null` without an endpoint.
   */
  readonly label: string | null;
  readonly source?: ModelVersionSource;
  readonly modelPackageArn?: string;
  /** Why the label is not a model package version. */
  readonly reason?: string;
}

function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

function isNotFound(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return (
    errorName(error) === 'ResourceNotFound' ||
    (errorName(error) === 'ValidationException' && /could not find|does not exist/i.test(message))
  );
}

/**
 * Resolves the model version an endpoint serves. A missing endpoint gives `label: null`; a
 * model package that cannot be read (AccessDenied on DescribeEndpointConfig/DescribeModel, or a
 * model not created from a package) falls back to `config:<endpoint config name>` with the reason.
 * Other AWS errors are thrown.
 */
export async function resolveServingModelVersion(
  sagemaker: SageMakerClient,
  endpointName: string,
  invokedVariant?: string,
): Promise<ServingModelVersion> {
  let endpoint;
  try {
    endpoint = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }));
  } catch (error) {
    if (isNotFound(error)) {
      return { endpointStatus: 'missing', label: null, reason: `endpoint ${endpointName} does not exist` };
    }
    throw error;
  }
  const endpointStatus = endpoint.EndpointStatus ?? 'Unknown';
  const configName = endpoint.EndpointConfigName;
  if (!configName) {
    return { endpointStatus, label: null, reason: `endpoint ${endpointName} reports no endpoint config` };
  }
  const fallback = (reason: string): ServingModelVersion => ({
    endpointStatus,
    endpointConfigName: configName,
    label: `config:${configName}`,
    source: 'endpoint-config',
    reason,
  });
  try {
    const config = await sagemaker.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: configName }),
    );
    const variants = config.ProductionVariants ?? [];
    const variant = variants.find((v) => v.VariantName === invokedVariant) ?? variants[0];
    if (!variant?.ModelName) return fallback(`endpoint config ${configName} has no model`);
    if (variants.length > 1 && invokedVariant === undefined) {
      return fallback(`endpoint config ${configName} has ${variants.length} variants and none was named`);
    }
    const model = await sagemaker.send(new DescribeModelCommand({ ModelName: variant.ModelName }));
    const packageName =
      model.PrimaryContainer?.ModelPackageName ??
      model.Containers?.find((c) => c.ModelPackageName)?.ModelPackageName;
    if (!packageName) return fallback(`model ${variant.ModelName} was not created from a model package`);
    return {
      endpointStatus,
      endpointConfigName: configName,
      label: normaliseModelVersion(packageName),
      source: 'model-package',
      modelPackageArn: packageName,
    };
  } catch (error) {
    if (errorName(error) === 'AccessDeniedException' || errorName(error) === 'AccessDenied') {
      return fallback(
        `not allowed to read the model package behind ${configName} (needs sagemaker:DescribeEndpointConfig and sagemaker:DescribeModel): ${(error as Error).message}`,
      );
    }
    throw error;
  }
}
