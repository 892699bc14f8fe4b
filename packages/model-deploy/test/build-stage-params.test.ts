// The build step end to end (SageMaker and SSM mocked): the files of the StageParameters artifact,
// the event's package in the templates, the project's instance types, readable failures.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { exampleEnvironment } from '@mlops-templates/project-contract';
import { mockClient } from 'aws-sdk-client-mock';
import { JSON_CAPTURE, projectEnv, readFixture, recordingLog, STAGES_FILE } from './helpers';
import { buildStageParams } from '../src/build-stage-params';
import { loadDeploymentRecord } from '../src/deployment-record';
import { parseStageParameters } from '../src/stage-parameters';

const sagemakerMock = mockClient(SageMakerClient);
const ssmMock = mockClient(SSMClient);
// The names of the contract's example project (the environment projectEnv() gives).
const EXAMPLE = exampleEnvironment();
const GROUP = EXAMPLE.MODEL_PACKAGE_GROUP_NAME;
const ARN = `arn:aws:sagemaker:${EXAMPLE.AWS_REGION}:${EXAMPLE.AWS_ACCOUNT_ID}:model-package/${GROUP}/3`;

// The AWS sample event, pointed at this project's group (the sample's own group is another one).
const event = JSON.parse(
  readFixture('sagemaker-model-package-state-change.normalized.json')
    .replaceAll('arn:aws:sagemaker:us-east-2:123456789012:model-package/versionedmp-p-idy6c3e1fiqj/2', ARN)
    .replaceAll('"versionedmp-p-idy6c3e1fiqj"', `"${GROUP}"`),
);

let outDir: string;
beforeEach(() => {
  sagemakerMock.reset();
  ssmMock.reset();
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-params-'));
  ssmMock.on(GetParameterCommand).resolves({
    Parameter: {
      Value: JSON.stringify({
        dataSourceType: 'synthetic',
        dataSourceLocation: EXAMPLE.DATA_SOURCE_URI,
        frequency: '1H',
        predictionLength: '14',
        stagingInstanceType: 'ml.c5.large',
        prodInstanceType: 'ml.c5.xlarge',
      }),
    },
  });
  sagemakerMock.on(DescribeModelPackageCommand).resolves({
    ModelPackageArn: ARN,
    ModelPackageGroupName: GROUP,
    ModelPackageVersion: 3,
    ModelApprovalStatus: 'Approved',
    ModelPackageStatus: 'Completed',
    CreationTime: new Date('2024-06-01T10:00:00Z'),
    CustomerMetadataProperties: {
      evaluation_report: `s3://${EXAMPLE.PROJECT_BUCKET}/evaluation/evaluation.json`,
    },
  } as never);
});
afterEach(() => fs.rmSync(outDir, { recursive: true, force: true }));

const readJson = (name: string) => JSON.parse(fs.readFileSync(path.join(outDir, name), 'utf8'));

test('writes the templates, template configurations and the deployment record of both stages', async () => {
  const log = recordingLog();
  const result = await buildStageParams({
    env: projectEnv({ MODEL_PACKAGE_ARN: 'latest', TRIGGER: 'push' }),
    outDir,
    stagesFile: STAGES_FILE,
    deployStack: JSON_CAPTURE,
    event,
    sagemaker: new SageMakerClient({ region: 'eu-west-1' }),
    ssm: new SSMClient({ region: 'eu-west-1' }),
    log,
    now: () => new Date('2024-06-02T00:00:00Z'),
  });
  expect(fs.readdirSync(outDir).sort()).toEqual([
    'model-package.json',
    'prod.config.json',
    'prod.template.json',
    'stage-parameters.json',
    'staging.config.json',
    'staging.template.json',
  ]);
  expect(result.files).toHaveLength(6);
  // The event's package, not "latest": no listing.
  expect(sagemakerMock.commandCalls(ListModelPackagesCommand)).toHaveLength(0);
  expect(ssmMock.commandCalls(GetParameterCommand)[0].args[0].input.Name).toBe(EXAMPLE.CONFIG_PARAMETER_NAME);

  for (const stage of ['staging', 'prod'] as const) {
    expect(readJson(`${stage}.config.json`)).toEqual({
      Parameters: { ModelPackageArn: ARN },
      Tags: {
        'sagemaker:project-name': EXAMPLE.SAGEMAKER_PROJECT_NAME,
        'sagemaker:project-id': EXAMPLE.SAGEMAKER_PROJECT_ID,
        'sagemaker:deployment-stage': stage,
        'sagemaker:model-package-arn': ARN,
      },
    });
    const template = readJson(`${stage}.template.json`);
    expect(template.Parameters.ModelPackageArn.AllowedValues).toEqual([ARN]);
    expect(template.Resources.Endpoint.Properties.EndpointName).toBe(
      stage === 'staging' ? EXAMPLE.STAGING_ENDPOINT_NAME : EXAMPLE.PROD_ENDPOINT_NAME,
    );
  }
  // Instance types of the project configuration (SSM) win over config/stages.json.
  expect(
    readJson('staging.template.json').Resources.EndpointConfig.Properties.ProductionVariants[0].InstanceType,
  ).toBe('ml.c5.large');
  expect(
    readJson('prod.template.json').Resources.EndpointConfig.Properties.ProductionVariants[0].InstanceType,
  ).toBe('ml.c5.xlarge');
  expect(log.text()).toContain(
    'prod: instance type ml.c5.xlarge from the project configuration (stage config says ml.m5.large)',
  );

  const record = loadDeploymentRecord(path.join(outDir, 'model-package.json'));
  expect(record.modelPackage).toMatchObject({
    arn: ARN,
    version: 3,
    source: 'event',
    evaluationReportUri: expect.stringContaining('evaluation.json'),
  });
  expect(record.stages.staging.endpointConfigName).toBe(
    readJson('staging.template.json').Resources.EndpointConfig.Properties.EndpointConfigName,
  );
  expect(record.builtAt).toBe('2024-06-02T00:00:00.000Z');
  // The parameters file reproduces the synthesis (`cdk synth -c stageParameters=...`).
  expect(
    parseStageParameters(readJson('stage-parameters.json'), 'stage-parameters.json').modelPackage,
  ).toEqual({
    arn: ARN,
    groupName: GROUP,
    version: 3,
  });
});

test('missing project variables are all named; nothing is written', async () => {
  const env = projectEnv({ MODEL_PACKAGE_ARN: ARN });
  delete env.PROJECT_KMS_KEY_ARN;
  delete env.SAGEMAKER_EXECUTION_ROLE_ARN;
  await expect(
    buildStageParams({
      env,
      outDir,
      stagesFile: STAGES_FILE,
      deployStack: JSON_CAPTURE,
      sagemaker: new SageMakerClient({ region: 'eu-west-1' }),
      ssm: new SSMClient({ region: 'eu-west-1' }),
      log: recordingLog(),
    }),
  ).rejects.toThrow(/missing environment variable\(s\) SAGEMAKER_EXECUTION_ROLE_ARN, PROJECT_KMS_KEY_ARN/);
  expect(fs.readdirSync(outDir)).toEqual([]);
});

test('an invalid instance type in the project configuration fails before anything is written', async () => {
  ssmMock
    .on(GetParameterCommand)
    .resolves({ Parameter: { Value: JSON.stringify({ prodInstanceType: 'ml.g4dn.xlarge' }) } });
  await expect(
    buildStageParams({
      env: projectEnv({ MODEL_PACKAGE_ARN: ARN, TRIGGER: 'model-approved' }),
      outDir,
      stagesFile: STAGES_FILE,
      deployStack: JSON_CAPTURE,
      sagemaker: new SageMakerClient({ region: 'eu-west-1' }),
      ssm: new SSMClient({ region: 'eu-west-1' }),
      log: recordingLog(),
    }),
  ).rejects.toThrow(/prodInstanceType: "ml.g4dn.xlarge" has local instance storage/);
  expect(fs.readdirSync(outDir)).toEqual([]);
});
