// Built-in image URIs per region from the one registry map (image-registries.ts): the URI shapes of
// the Developer Guide ("Docker Registry Paths and Example Code"), China's ECR domain, and a clear error
// for a region the map lacks (never a guessed account).
import {
  ecrDomain,
  FRAMEWORK_IMAGE_REGISTRIES,
  MODEL_MONITOR_IMAGE_REGISTRIES,
  modelMonitorAnalyzerImageUri,
  partitionOf,
  sklearnImageUri,
  xgboostImageUri,
} from '../src';

describe('built-in image URIs', () => {
  test('XGBoost 1.7-1 in us-east-1 and eu-west-1 (the registries the per-region pages list)', () => {
    expect(xgboostImageUri('us-east-1')).toBe(
      '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    );
    expect(xgboostImageUri('eu-west-1')).toBe(
      '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    );
  });

  test('scikit-learn processing image: version-cpu-py3 tag', () => {
    expect(sklearnImageUri('us-west-2')).toBe(
      '246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
    );
  });

  test('Model Monitor analyzer: the Developer Guide example (us-west-2), untagged', () => {
    expect(modelMonitorAnalyzerImageUri('us-west-2')).toBe(
      '159807026194.dkr.ecr.us-west-2.amazonaws.com/sagemaker-model-monitor-analyzer',
    );
  });

  test('China regions use amazonaws.com.cn and the aws-cn partition', () => {
    expect(xgboostImageUri('cn-north-1')).toBe(
      '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1',
    );
    expect(ecrDomain('cn-northwest-1')).toBe('amazonaws.com.cn');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('eu-west-1')).toBe('aws');
  });

  test.each([
    ['XGBoost', () => xgboostImageUri('xx-nowhere-1')],
    ['Model Monitor analyzer', () => modelMonitorAnalyzerImageUri('af-south-1')],
    ['scikit-learn', () => sklearnImageUri('constructor')],
  ])('a region the %s map lacks is an error naming it', (what, build) => {
    expect(build).toThrow(new RegExp(`no ${what} image registry is known for region`));
  });

  test('every registry is a 12-digit account and every key a region name', () => {
    for (const map of [FRAMEWORK_IMAGE_REGISTRIES, MODEL_MONITOR_IMAGE_REGISTRIES]) {
      for (const [region, account] of Object.entries(map)) {
        expect(region).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
        expect(account).toMatch(/^\d{12}$/);
      }
    }
  });
});
