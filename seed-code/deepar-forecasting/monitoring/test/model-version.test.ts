// Which model version an endpoint serves: endpoint → endpoint config → model → model package; the
// fallback when the chain cannot be read. (The naming of versions is tested with its core in @mlops-templates/metrics.)
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { resolveServingModelVersion } from '../src/collector/model-version';

const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/sagemaker-demo-p-1/7';

describe('resolveServingModelVersion', () => {
  const sm = mockClient(SageMakerClient);
  const client = new SageMakerClient({ region: 'eu-west-1' });
  afterAll(() => sm.restore());
  beforeEach(() => sm.reset());

  test('follows the endpoint to its model package', async () => {
    sm.on(DescribeEndpointCommand, { EndpointName: 'ep' }).resolves({
      EndpointStatus: 'InService',
      EndpointConfigName: 'cfg-7',
    });
    sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'cfg-7' }).resolves({
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'model-7' }],
    });
    sm.on(DescribeModelCommand, { ModelName: 'model-7' }).resolves({
      PrimaryContainer: { ModelPackageName: arn },
    });
    expect(await resolveServingModelVersion(client, 'ep')).toEqual({
      endpointStatus: 'InService',
      endpointConfigName: 'cfg-7',
      label: '7',
      source: 'model-package',
      modelPackageArn: arn,
    });
  });

  test('a missing endpoint has no version', async () => {
    sm.on(DescribeEndpointCommand).rejects(
      Object.assign(new Error('Could not find endpoint "ep".'), { name: 'ValidationException' }),
    );
    expect(await resolveServingModelVersion(client, 'ep')).toMatchObject({
      endpointStatus: 'missing',
      label: null,
    });
  });

  test('without permission on the model, the endpoint config names the version (and says why)', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'cfg-7' });
    sm.on(DescribeEndpointConfigCommand).rejects(
      Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }),
    );
    const version = await resolveServingModelVersion(client, 'ep');
    expect(version).toMatchObject({ label: 'config:cfg-7', source: 'endpoint-config' });
    expect(version.reason).toMatch(/sagemaker:DescribeEndpointConfig and sagemaker:DescribeModel/);
  });

  test('several variants: the one that answered', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'cfg' });
    sm.on(DescribeEndpointConfigCommand).resolves({
      ProductionVariants: [
        { VariantName: 'blue', ModelName: 'm-blue' },
        { VariantName: 'green', ModelName: 'm-green' },
      ],
    });
    sm.on(DescribeModelCommand, { ModelName: 'm-green' }).resolves({
      Containers: [{ ModelPackageName: 'g/9' }],
    });
    expect((await resolveServingModelVersion(client, 'ep', 'green')).label).toBe('9');
    expect((await resolveServingModelVersion(client, 'ep')).label).toBe('config:cfg');
  });

  test('other errors are thrown', async () => {
    sm.on(DescribeEndpointCommand).rejects(
      Object.assign(new Error('slow down'), { name: 'ThrottlingException' }),
    );
    await expect(resolveServingModelVersion(client, 'ep')).rejects.toThrow('slow down');
  });
});
