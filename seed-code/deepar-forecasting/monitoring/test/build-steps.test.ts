// The build steps of buildspec.yml: the collector bundle (esbuild, content-addressed key, loadable),
// the resolved environment (SSM + endpoint versions) and the artifact files (templates + template
// configuration files).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { bundleCollector } from '../src/build/bundle-collector';
import { readContractVariables, resolveDeploymentEnvironment } from '../src/build/resolve-environment';
import { templateConfiguration, writeArtifacts } from '../src/build/write-artifacts';
import { buildMonitoringApp } from '../src/infra/app';
import { exampleDeploymentEnvironment } from '../src/infra/deployment-environment';
import { loadMonitoringConfig } from '../src/infra/monitoring-config';

const example = exampleDeploymentEnvironment();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-build-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('bundle', () => {
  test('esbuild bundles the handler without warnings; the key is the content hash; it loads', async () => {
    const bundle = await bundleCollector(path.join(tmp, 'collector'), 'monitoring/');
    expect(bundle.warnings).toEqual([]);
    expect(bundle.s3Key).toBe(`monitoring/code/${bundle.sha256}.zip`);
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The AWS SDK is left to the Lambda runtime; everything else is inside.
    const code = fs.readFileSync(bundle.file, 'utf8');
    expect(code).toContain('require("@aws-sdk/client-s3")');
    expect(code).not.toMatch(
      /require\("(zod|csv-parse\/sync|@mlops-templates\/metrics|@aws-lambda-powertools\/logger)"\)/,
    );
    const again = await bundleCollector(path.join(tmp, 'collector-2'), 'monitoring/');
    expect(again.sha256).toBe(bundle.sha256);
  });
});

describe('resolve-environment', () => {
  const ssm = mockClient(SSMClient);
  const sm = mockClient(SageMakerClient);
  afterAll(() => {
    ssm.restore();
    sm.restore();
  });

  test('reads the contract variables (exact names) and names the missing ones', () => {
    expect(readContractVariables(example.environment as unknown as NodeJS.ProcessEnv).PREDICTION_LENGTH).toBe(
      24,
    );
    expect(() => readContractVariables({ SAGEMAKER_PROJECT_NAME: 'x' })).toThrow(
      /SAGEMAKER_PROJECT_ID: .*NOTIFICATION_TOPIC_ARN/,
    );
  });

  test('resolves each stage: serving model version, or "none" without an endpoint', async () => {
    const vars = example.environment;
    ssm.on(GetParameterCommand, { Name: vars.CONFIG_PARAMETER_NAME }).resolves({
      Parameter: {
        Value: JSON.stringify({
          dataSourceType: 'synthetic',
          dataSourceLocation: 's3://b/data/synthetic/',
          targetColumn: 'target',
          timestampColumn: 'timestamp',
          itemIdColumn: 'none',
          frequency: '1H',
          predictionLength: '24',
        }),
      },
    });
    ssm
      .on(GetParameterCommand, { Name: vars.STAGING_ALARM_THRESHOLD_PARAMETER_NAME })
      .resolves({ Parameter: { Value: '{"threshold":0.2,"modelVersion":"5"}' } });
    ssm
      .on(GetParameterCommand, { Name: vars.PROD_ALARM_THRESHOLD_PARAMETER_NAME })
      .resolves({ Parameter: { Value: 'unset' } });
    sm.on(DescribeEndpointCommand, { EndpointName: vars.STAGING_ENDPOINT_NAME }).resolves({
      EndpointStatus: 'InService',
      EndpointConfigName: 'c5',
    });
    sm.on(DescribeEndpointCommand, { EndpointName: vars.PROD_ENDPOINT_NAME }).rejects(
      Object.assign(new Error('Could not find endpoint'), { name: 'ValidationException' }),
    );
    sm.on(DescribeEndpointConfigCommand).resolves({
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm5' }],
    });
    sm.on(DescribeModelCommand).resolves({
      PrimaryContainer: { ModelPackageName: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/g/5' },
    });
    const log: string[] = [];
    const resolved = await resolveDeploymentEnvironment(
      vars,
      { codeKey: 'monitoring/code/abc.zip', offline: false },
      {
        ssm: new SSMClient({ region: 'eu-west-1' }),
        sagemaker: new SageMakerClient({ region: 'eu-west-1' }),
      },
      (m) => log.push(m),
    );
    expect(resolved.stages).toEqual({
      staging: { modelVersion: '5', endpointExists: true },
      prod: { modelVersion: 'none', endpointExists: false },
    });
    expect(resolved.collectorCodeKey).toBe('monitoring/code/abc.zip');
    expect(log.join('\n')).toMatch(/prod alarm threshold .*"kind":"unset"/);
  });

  test('offline: no AWS call, built-in monitor off', async () => {
    const resolved = await resolveDeploymentEnvironment(
      example.environment,
      { codeKey: 'monitoring/code/x.zip', offline: true },
      undefined,
      () => undefined,
    );
    expect(resolved.stages.prod).toEqual({ modelVersion: 'none', endpointExists: false });
  });
});

describe('artifacts', () => {
  test('templates and template configuration files for both stages', () => {
    const deployment = {
      ...example,
      collectorCodeKey: 'monitoring/code/feed.zip',
      stages: {
        staging: { modelVersion: '5', endpointExists: true },
        prod: { modelVersion: 'none', endpointExists: false },
      },
    };
    const { app } = buildMonitoringApp({
      deployment,
      config: loadMonitoringConfig(),
      account: '123456789012',
      region: 'eu-west-1',
      outdir: path.join(tmp, 'cdk.out'),
    });
    app.synth();
    const written = writeArtifacts(path.join(tmp, 'cdk.out'), path.join(tmp, 'artifacts'), deployment);
    expect(written.map((f) => path.relative(path.join(tmp, 'artifacts'), f)).sort()).toEqual([
      'monitoring/prod.config.json',
      'monitoring/prod.template.json',
      'monitoring/staging.config.json',
      'monitoring/staging.template.json',
    ]);
    const prodConfig = JSON.parse(
      fs.readFileSync(path.join(tmp, 'artifacts', 'monitoring', 'prod.config.json'), 'utf8'),
    );
    expect(prodConfig).toEqual({
      Parameters: {
        CollectorCodeKey: 'monitoring/code/feed.zip',
        ModelVersion: 'none',
        // No ModelQualityMonitorEnabled: the committed config leaves the built-in monitor out.
      },
      Tags: {
        'sagemaker:project-name': example.environment.SAGEMAKER_PROJECT_NAME,
        'sagemaker:project-id': example.environment.SAGEMAKER_PROJECT_ID,
        'sagemaker:deployment-stage': 'prod',
      },
    });
    const stagingTemplate = JSON.parse(
      fs.readFileSync(path.join(tmp, 'artifacts', 'monitoring', 'staging.template.json'), 'utf8'),
    );
    expect(JSON.stringify(stagingTemplate)).toContain(example.environment.STAGING_ENDPOINT_NAME);
  });

  test('a template parameter the build cannot fill is an error', () => {
    expect(() => templateConfiguration({ Parameters: { Mystery: {} } }, example, 'staging')).toThrow(
      /parameter Mystery without a default/,
    );
    expect(
      templateConfiguration({ Parameters: { WithDefault: { Default: 'x' } } }, example, 'staging').Parameters,
    ).toEqual({});
  });
});
