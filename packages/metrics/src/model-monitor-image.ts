// The SageMaker Model Monitor analyzer image (`sagemaker-model-monitor-analyzer`) of a region: the one
// region → ECR registry account map of the project, shared by every seeded repository that runs the
// built-in analyzer (the DeepAR monitoring seed's Model Quality monitor, the tabular template's
// baselines and data/model-quality monitors). AWS publishes the accounts per region in the SageMaker
// Developer Guide, "Docker Registry Paths and Example Code" (dg-ecr-paths, section "Model Monitor" of
// each region's page); the map below is the SageMaker Python SDK's copy of them
// (aws/sagemaker-python-sdk, src/sagemaker/image_uri_config/model-monitor.json, copied unchanged).

/** Repository of the built-in Model Monitor analyzer image. */
export const MODEL_MONITOR_ANALYZER_REPOSITORY = 'sagemaker-model-monitor-analyzer';

/** Region → ECR registry account of {@link MODEL_MONITOR_ANALYZER_REPOSITORY}. */
export const MODEL_MONITOR_IMAGE_REGISTRIES: Readonly<Record<string, string>> = {
  'af-south-1': '875698925577',
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-northeast-3': '990339680094',
  'ap-south-1': '126357580389',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ap-southeast-3': '669540362728',
  'ca-central-1': '536280801234',
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
  'eu-central-1': '048819808253',
  'eu-central-2': '590183933784',
  'eu-north-1': '895015795356',
  'eu-south-1': '933208885752',
  'eu-south-2': '437450045455',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'il-central-1': '843974653677',
  'me-central-1': '588750061953',
  'me-south-1': '607024016150',
  'sa-east-1': '539772159869',
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-isof-east-1': '853188333426',
  'us-isof-south-1': '467912361380',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
};

/**
 * `<registry>.dkr.ecr.<region>.<domain>/sagemaker-model-monitor-analyzer` (`amazonaws.com.cn` in the
 * China regions). Throws, naming the region, when AWS publishes no analyzer image there.
 */
export function modelMonitorImageUri(
  region: string,
  registries: Readonly<Record<string, string>> = MODEL_MONITOR_IMAGE_REGISTRIES,
): string {
  const registry = Object.prototype.hasOwnProperty.call(registries, region) ? registries[region] : undefined;
  if (!registry) {
    throw new Error(
      `no Model Monitor analyzer image is known for region ${region} (SageMaker Developer Guide, "Docker Registry Paths and Example Code")`,
    );
  }
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${registry}.dkr.ecr.${region}.${domain}/${MODEL_MONITOR_ANALYZER_REPOSITORY}`;
}
