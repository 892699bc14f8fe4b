// One naming for model versions: ARNs, group/version and bare versions (moved with the core from the
// monitoring seed, #15).
import { normaliseModelVersion, sameModelVersion } from '../../src';

const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/sagemaker-demo-p-1/7';

test('one name per version', () => {
  expect(normaliseModelVersion(arn)).toBe('7');
  expect(normaliseModelVersion('sagemaker-demo-p-1/7')).toBe('7');
  expect(normaliseModelVersion(' 7 ')).toBe('7');
  expect(normaliseModelVersion('config:cfg-a')).toBe('config:cfg-a');
  expect(sameModelVersion(arn, '7')).toBe(true);
  expect(sameModelVersion(arn, '8')).toBe(false);
  expect(sameModelVersion(null, '7')).toBe(false);
});
