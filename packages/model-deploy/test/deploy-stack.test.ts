// Synthesis of both stage stacks: model from the package, encrypted JSON data capture, names that
// change with the model and the config, tags, autoscaling, blue/green with auto-rollback alarms,
// and a raw template (no bootstrap rule, no assets, no CDK metadata).
import { Match, Template } from 'aws-cdk-lib/assertions';
import { committedStages, exampleParameters, JSON_CAPTURE } from './helpers';
import { captureContentTypeHeader, synthesizeStages } from '../src/deploy-stack';
import { StageParameters } from '../src/stage-parameters';

const parameters = exampleParameters();
const synthesized = synthesizeStages(parameters, JSON_CAPTURE);
const template = (stage: 'staging' | 'prod'): Template => Template.fromJSON(synthesized[stage].template);
const { project, modelPackage } = parameters;

describe.each(['staging', 'prod'] as const)('%s stack', (stage) => {
  const t = template(stage);
  const prefix = `sagemaker-${project.projectId}-${stage}-`;

  test('the model is the approved package, run by the project execution role', () => {
    t.resourceCountIs('AWS::SageMaker::Model', 1);
    t.hasResourceProperties('AWS::SageMaker::Model', {
      ExecutionRoleArn: project.executionRoleArn,
      PrimaryContainer: { ModelPackageName: { Ref: 'ModelPackageArn' } },
      ModelName: Match.stringLikeRegexp(`^${prefix}[0-9a-f]{8}$`),
    });
    expect(synthesized[stage].template.Parameters).toEqual({
      ModelPackageArn: expect.objectContaining({
        Default: modelPackage.arn,
        AllowedValues: [modelPackage.arn],
      }),
    });
  });

  test('the endpoint config captures input and output as JSON, encrypted, under data-capture/<stage>/', () => {
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: project.kmsKeyArn,
      EndpointConfigName: Match.stringLikeRegexp(`^${prefix}[0-9a-f]{8}$`),
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: parameters.stages[stage].dataCaptureSamplingPercentage,
        KmsKeyId: project.kmsKeyArn,
        DestinationS3Uri: `s3://${project.projectBucket}/data-capture/${stage}/`,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { JsonContentTypes: ['application/json'] },
      },
      ProductionVariants: [
        {
          VariantName: parameters.stages[stage].variantName,
          InstanceType: parameters.stages[stage].instanceType,
          InitialInstanceCount: parameters.stages[stage].instanceCount,
          ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] },
        },
      ],
    });
  });

  test('the endpoint has the project name of the stage and rolls back on its 5XX and latency alarms', () => {
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: project.endpointNames[stage],
      EndpointConfigName: { 'Fn::GetAtt': ['EndpointConfig', 'EndpointConfigName'] },
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: parameters.stages[stage].rollout.trafficRouting },
          MaximumExecutionTimeoutInSeconds: parameters.stages[stage].rollout.maximumExecutionTimeoutSeconds,
        },
        AutoRollbackConfiguration: {
          Alarms: [{ AlarmName: { Ref: 'Invocation5xxAlarm' } }, { AlarmName: { Ref: 'ModelLatencyAlarm' } }],
        },
      },
    });
    const dimensions = [
      { Name: 'EndpointName', Value: project.endpointNames[stage] },
      { Name: 'VariantName', Value: parameters.stages[stage].variantName },
    ];
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `sagemaker-${project.projectId}-${stage}-5xx`,
      Namespace: 'AWS/SageMaker',
      MetricName: 'Invocation5XXErrors',
      Dimensions: dimensions,
      TreatMissingData: 'notBreaching',
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `sagemaker-${project.projectId}-${stage}-latency`,
      MetricName: 'ModelLatency',
      ExtendedStatistic: 'p99',
      Threshold: parameters.stages[stage].rollout.rollbackAlarms.maxModelLatencyP99Milliseconds * 1000,
      Dimensions: dimensions,
    });
    for (const alarm of Object.values(t.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmName.startsWith(project.accuracyAlarmNamePrefix)).toBe(false);
      expect(alarm.Properties.AlarmName.startsWith(`sagemaker-${project.projectId}-`)).toBe(true);
    }
  });

  test('every taggable resource carries the project, stage and model package tags', () => {
    const expected = [
      { Key: 'sagemaker:deployment-stage', Value: stage },
      { Key: 'sagemaker:model-package-arn', Value: modelPackage.arn },
      { Key: 'sagemaker:project-id', Value: project.projectId },
      { Key: 'sagemaker:project-name', Value: project.projectName },
    ];
    for (const type of [
      'AWS::SageMaker::Model',
      'AWS::SageMaker::EndpointConfig',
      'AWS::SageMaker::Endpoint',
      'AWS::CloudWatch::Alarm',
    ]) {
      for (const resource of Object.values(t.findResources(type))) {
        expect(resource.Properties.Tags).toEqual(expected);
      }
    }
    // SageMaker tag rules: keys ≤ 128, values ≤ 256, characters [\p{L}\p{Z}\p{N}_.:/=+\-@].
    const allowed = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
    for (const { Key, Value } of expected) {
      expect(Key.length).toBeLessThanOrEqual(128);
      expect(Value.length).toBeLessThanOrEqual(256);
      expect(allowed.test(Key) && allowed.test(Value)).toBe(true);
      expect(Key.startsWith('aws:')).toBe(false);
    }
  });

  test('names fit the deploy role (sagemaker-<id>-*) and SageMaker limits (≤ 63)', () => {
    const names = synthesized[stage].names;
    for (const name of [
      names.model,
      names.endpointConfig,
      names.endpoint,
      names.errorsAlarm,
      names.latencyAlarm,
    ]) {
      expect(name.startsWith(`sagemaker-${project.projectId}-`)).toBe(true);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    expect(names.stackName).toBe(project.stackNames[stage]);
  });

  test('a raw template: no bootstrap version rule, no assets, no CDK metadata', () => {
    const raw = synthesized[stage].template as {
      Rules?: unknown;
      Parameters: Record<string, unknown>;
      Resources: Record<string, { Type: string }>;
    };
    expect(raw.Rules).toBeUndefined();
    expect(Object.keys(raw.Parameters)).toEqual(['ModelPackageArn']);
    expect(Object.values(raw.Resources).map((r) => r.Type)).not.toContain('AWS::CDK::Metadata');
    expect(JSON.stringify(raw)).not.toMatch(/cdk-hnb659fds|AssetParameters|BootstrapVersion/);
  });
});

describe('autoscaling', () => {
  test('prod (configured): target tracking on invocations per instance, after the endpoint', () => {
    const t = template('prod');
    const scaling = parameters.stages.prod.autoscaling;
    expect(scaling).toBeDefined();
    t.hasResource('AWS::ApplicationAutoScaling::ScalableTarget', {
      Properties: {
        ServiceNamespace: 'sagemaker',
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        ResourceId: `endpoint/${project.endpointNames.prod}/variant/${parameters.stages.prod.variantName}`,
        MinCapacity: scaling?.minCapacity,
        MaxCapacity: scaling?.maxCapacity,
      },
      DependsOn: ['Endpoint'],
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: { Ref: 'ScalableTarget' },
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: scaling?.targetInvocationsPerInstance,
      },
    });
    // The autoscaled count survives an update; new data-capture settings still apply.
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      RetainAllVariantProperties: true,
      ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DataCaptureConfig' }],
    });
  });

  test('staging (not configured): no scaling resources', () => {
    const t = template('staging');
    expect(parameters.stages.staging.autoscaling).toBeUndefined();
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 0);
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { RetainAllVariantProperties: Match.absent() });
  });

  test('canary rollout of prod uses a percentage of the new fleet', () => {
    template('prod').hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: parameters.stages.prod.rollout.stepPercent },
          },
        },
      },
    });
  });
});

describe('names change when what they name changes', () => {
  const namesOf = (p: StageParameters) => synthesizeStages(p, JSON_CAPTURE).staging.names;
  const base = namesOf(parameters);

  test('a new model package: new model and endpoint config, same endpoint', () => {
    const next = namesOf({
      ...parameters,
      modelPackage: { ...modelPackage, arn: modelPackage.arn.replace(/\/1$/, '/2'), version: 2 },
    });
    expect(next.model).not.toBe(base.model);
    expect(next.endpointConfig).not.toBe(base.endpointConfig);
    expect(next.endpoint).toBe(base.endpoint);
  });

  test('a new instance type: same model, new endpoint config', () => {
    const stages = committedStages();
    const next = namesOf({
      ...parameters,
      stages: { ...stages, staging: { ...stages.staging, instanceType: 'ml.c5.xlarge' } },
    });
    expect(next.model).toBe(base.model);
    expect(next.endpointConfig).not.toBe(base.endpointConfig);
  });

  test('the same inputs: the same names (a re-run changes nothing)', () => {
    expect(namesOf(exampleParameters())).toEqual(base);
  });
});

describe('captured content types (DeployStackOptions)', () => {
  test('CSV types are declared as CSV (what Model Monitor reads for tabular models), both kinds together', () => {
    const csv = synthesizeStages(parameters, { captureContentTypes: { csv: ['text/csv'] } });
    Template.fromJSON(csv.staging.template).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: { CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] } },
    });
    expect(captureContentTypeHeader({ json: ['application/json'], csv: ['text/csv'] })).toEqual({
      jsonContentTypes: ['application/json'],
      csvContentTypes: ['text/csv'],
    });
    // A different capture is a different endpoint config (its name's hash covers the capture).
    expect(csv.staging.names.endpointConfig).not.toBe(synthesized.staging.names.endpointConfig);
    expect(csv.staging.names.model).toBe(synthesized.staging.names.model);
  });

  test('no content type at all is refused, naming the property', () => {
    expect(() => synthesizeStages(parameters, { captureContentTypes: {} })).toThrow(
      'options.captureContentTypes: declare at least one json or csv content type',
    );
    expect(() => captureContentTypeHeader({ json: [], csv: [] })).toThrow(/options\.captureContentTypes/);
  });
});
