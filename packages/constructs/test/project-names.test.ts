// ProjectNames: every name of a project derived from its name and id, within the AWS limit of
// the resource it names even for the longest name and id SageMaker allows, and the environment
// contract (one variable per shared name, every stage).
import * as contract from '@mlops-templates/project-contract';
import {
  pickEnvironment,
  PROJECT_VARIABLES,
  type ProjectVariable,
  readEnvironment,
} from '@mlops-templates/project-contract';
import { Stack, Token } from 'aws-cdk-lib';
import { bareStack, ENV } from './support';
import { BUCKET_PREFIXES, DEPLOYMENT_STAGES, ProjectNames } from '../src/project-names';
import {
  SAGEMAKER_PROJECT_ID_MAX_LENGTH,
  SAGEMAKER_PROJECT_NAME_MAX_LENGTH,
} from '../src/project-parameters';

describe('ProjectNames', () => {
  const names = new ProjectNames('demo', 'p-abc123def456');
  let stack: Stack;
  beforeAll(() => {
    stack = bareStack();
  });
  const resolved = (value: string): unknown => stack.resolve(value);

  test('prefixes: long from name and id, short from the id only', () => {
    expect(names.longPrefix).toBe('sagemaker-demo-p-abc123def456');
    expect(names.shortPrefix).toBe('sagemaker-p-abc123def456');
  });

  test('names derived from the id only (SageMaker lower-cases names in ARNs)', () => {
    expect(names.modelPackageGroup).toBe('sagemaker-p-abc123def456-models');
    expect(names.modelBuildPipeline).toBe('sagemaker-p-abc123def456-model-build');
    expect(names.endpoint('staging')).toBe('sagemaker-p-abc123def456-staging');
    expect(names.collectorFunction('prod')).toBe('sagemaker-p-abc123def456-collect-prod');
    expect(names.short('retrain')).toBe('sagemaker-p-abc123def456-retrain');
  });

  test('names derived from name and id', () => {
    expect(names.alarmNamePrefix).toBe('sagemaker-demo-p-abc123def456-accuracy-');
    expect(names.metricNamespace).toBe('SageMakerProjects/demo-p-abc123def456');
    expect(names.ssmPrefix).toBe('/sagemaker/demo-p-abc123def456/');
    expect(names.repository('model-build')).toBe('sagemaker-demo-p-abc123def456-model-build');
    expect(names.deployStack('prod')).toBe('sagemaker-demo-p-abc123def456-deploy-prod');
    expect(names.monitoringStack('staging')).toBe('sagemaker-demo-p-abc123def456-monitoring-staging');
  });

  test('the project bucket carries the account of the stack', () => {
    expect(Token.isUnresolved(names.projectBucket)).toBe(true);
    expect(resolved(names.projectBucket)).toEqual({
      'Fn::Join': ['', ['sagemaker-p-abc123def456-', { Ref: 'AWS::AccountId' }]],
    });
  });

  describe('with the longest project name and id SageMaker allows', () => {
    const longest = new ProjectNames(
      'n'.repeat(SAGEMAKER_PROJECT_NAME_MAX_LENGTH),
      'p'.repeat(SAGEMAKER_PROJECT_ID_MAX_LENGTH),
    );
    const account = ENV.account;
    // Limits: S3 bucket 63 (S3 User Guide, "Bucket naming rules"), SageMaker model package group and
    // endpoint 63, Lambda function 64, IAM role 64, CodeCommit repository 100, CodeBuild project 150,
    // CloudFormation stack 128, SageMaker pipeline 256.
    test.each([
      ['longPrefix', longest.longPrefix, 59],
      ['shortPrefix', longest.shortPrefix, 26],
      ['projectBucket', longest.projectBucket.replace(/\$\{Token\[AWS\.AccountId\.\d+\]\}/, account), 39],
      ['modelPackageGroup', longest.modelPackageGroup, 63],
      ['endpoint(staging)', longest.endpoint('staging'), 63],
      ['collectorFunction(staging)', longest.collectorFunction('staging'), 64],
      ['short(retrain-recheck)', longest.short('retrain-recheck'), 64],
      ['repository(model-deploy)', longest.repository('model-deploy'), 100],
      ['monitoringStack(staging)', longest.monitoringStack('staging'), 128],
    ])('%s stays within %#', (_label, value, limit) => {
      expect(value.length).toBeLessThanOrEqual(limit);
    });

    test('the documented prefix lengths are exact', () => {
      expect(longest.longPrefix).toHaveLength(59);
      expect(longest.shortPrefix).toHaveLength(26);
    });
  });

  test("wildcards, teardown prefixes, seeding project and key alias are the contract's", () => {
    const plain = new ProjectNames('demo', 'p-abc123def456');
    expect(plain.shortNameWildcard).toBe('sagemaker-p-abc123def456-*');
    expect(plain.shortNamePrefix).toBe('sagemaker-p-abc123def456-');
    expect(plain.longNameWildcard).toBe('sagemaker-demo-p-abc123def456-*');
    expect(plain.pipelineStackPrefixes).toEqual([
      'sagemaker-demo-p-abc123def456-monitoring-',
      'sagemaker-demo-p-abc123def456-deploy-',
    ]);
    expect(plain.seedingProject).toBe('sagemaker-demo-p-abc123def456-seed-repositories');
    expect(plain.projectKeyAlias).toBe('alias/sagemaker-demo-p-abc123def456');
    expect(plain.ssmParameterWildcard).toBe('sagemaker/demo-p-abc123def456/*');
    expect(plain.configParameter).toBe('/sagemaker/demo-p-abc123def456/config');
    expect(plain.gateThresholdParameter).toBe('/sagemaker/demo-p-abc123def456/gate-threshold');
    expect(plain.alarmThresholdParameter('prod')).toBe('/sagemaker/demo-p-abc123def456/prod/alarm-threshold');
  });

  describe('environment()', () => {
    const env = names.environment();

    test('holds every shared name under its variable', () => {
      expect(env).toMatchObject({
        SAGEMAKER_PROJECT_NAME: 'demo',
        SAGEMAKER_PROJECT_ID: 'p-abc123def456',
        PROJECT_BUCKET: names.projectBucket,
        MODEL_PACKAGE_GROUP_NAME: names.modelPackageGroup,
        MODEL_BUILD_PIPELINE_NAME: names.modelBuildPipeline,
        ALARM_NAME_PREFIX: names.alarmNamePrefix,
        METRIC_NAMESPACE: names.metricNamespace,
        SSM_PREFIX: names.ssmPrefix,
      });
    });

    test('stage-specific names for every deployment stage', () => {
      const byName: Readonly<Record<string, string | undefined>> = env;
      for (const stage of DEPLOYMENT_STAGES) {
        const S = stage.toUpperCase();
        expect(byName[`${S}_ENDPOINT_NAME`]).toBe(names.endpoint(stage));
        expect(byName[`${S}_COLLECTOR_FUNCTION_NAME`]).toBe(names.collectorFunction(stage));
        expect(byName[`${S}_DEPLOY_STACK_NAME`]).toBe(names.deployStack(stage));
        expect(byName[`${S}_MONITORING_STACK_NAME`]).toBe(names.monitoringStack(stage));
      }
    });

    test('every bucket prefix except the pipeline artifacts, each ending with a slash', () => {
      expect(env).toMatchObject({
        DATA_PREFIX: BUCKET_PREFIXES.data,
        TRAINING_PREFIX: BUCKET_PREFIXES.training,
        MODELS_PREFIX: BUCKET_PREFIXES.models,
        DATA_CAPTURE_PREFIX: BUCKET_PREFIXES.dataCapture,
        GROUND_TRUTH_PREFIX: BUCKET_PREFIXES.groundTruth,
        MONITORING_PREFIX: BUCKET_PREFIXES.monitoring,
      });
      expect(Object.values(env)).not.toContain(BUCKET_PREFIXES.artifacts);
      for (const prefix of Object.values(BUCKET_PREFIXES)) expect(prefix).toMatch(/^[a-z-]+\/$/);
    });

    test('variable names are upper snake case and the set is exactly the contract', () => {
      for (const key of Object.keys(env)) expect(key).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(Object.keys(env)).toHaveLength(22);
    });

    test('every variable is one of the contract schema, and with plain values passes it', () => {
      const plain = new ProjectNames('demo', 'p-abc123def456').environment();
      for (const key of Object.keys(plain)) expect(PROJECT_VARIABLES).toContain(key);
      const schema = pickEnvironment(Object.keys(plain) as ProjectVariable[]);
      // PROJECT_BUCKET carries the account token; every other value is the plain name.
      const reading = readEnvironment(schema, {
        ...plain,
        PROJECT_BUCKET: 'sagemaker-p-abc123def456-123456789012',
      });
      expect(reading.success).toBe(true);
    });
  });

  test('the contract functions are what ProjectNames returns (no second derivation)', () => {
    const identity = { projectName: 'demo', projectId: 'p-abc123def456' };
    expect(names.collectorFunctionPrefix).toBe(contract.collectorFunctionPrefix(identity));
    expect(names.stepFunctionPrefix).toBe('sagemaker-p-abc123def456-step-');
    expect(contract.stepFunction(identity, 'evaluate').startsWith(names.stepFunctionPrefix)).toBe(true);
    expect(names.codeBuildProject('model-deploy', 'test')).toBe(
      'sagemaker-demo-p-abc123def456-model-deploy-test',
    );
  });
});
