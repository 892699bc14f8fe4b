// The CloudFormation stack of one deployment stage: the SageMaker model of the approved model
// package, an endpoint config with KMS-encrypted data capture, the endpoint with a blue/green update
// policy that rolls back on its 5XX / latency alarms, and optional target-tracking autoscaling.
// L1 resources only, no assets and no bootstrap rule: the pipeline deploys the raw template with
// the project's CloudFormation role (which cannot create IAM roles: roles come from the project).
// What differs between model types is only the captured content types (DeployStackOptions).
import * as crypto from 'node:crypto';
import { stageResourcePrefix } from '@mlops-templates/project-contract';
import { App, BootstraplessSynthesizer, CfnOutput, CfnParameter, Stack, StackProps } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { Stage, StageConfig, STAGES } from './stage-config';
import { ModelPackageRef, ProjectEnvironment, StageParameters } from './stage-parameters';

/**
 * Content types whose captured payloads SageMaker stores as text instead of base64
 * (`CaptureContentTypeHeader`, SageMaker API reference "CaptureContentTypeHeader"): Model Monitor
 * reads CSV captures of `csv` types and JSON captures of `json` types.
 */
export interface CaptureContentTypes {
  /**
   * JSON content types (e.g. `application/json`).
   * @default - none
   */
  readonly json?: readonly string[];
  /**
   * CSV content types (e.g. `text/csv`).
   * @default - none
   */
  readonly csv?: readonly string[];
}

/** What a seed's deploy stacks differ in. */
export interface DeployStackOptions {
  /** Captured content types: those of the seed's payload codec (at least one). */
  readonly captureContentTypes: CaptureContentTypes;
}

/** Tag keys put on every resource (and, by the pipeline's template configuration, on the stack). */
export const TAG_KEYS = {
  projectName: 'sagemaker:project-name',
  projectId: 'sagemaker:project-id',
  stage: 'sagemaker:deployment-stage',
  modelPackageArn: 'sagemaker:model-package-arn',
} as const;

/** Names of a stage's resources. */
export interface StageResourceNames {
  readonly endpoint: string;
  readonly endpointConfig: string;
  readonly model: string;
  readonly errorsAlarm: string;
  readonly latencyAlarm: string;
  readonly stackName: string;
}

export interface DeployStageStackProps extends StackProps {
  /** The stage this stack deploys. */
  readonly stage: Stage;
  /** The synthesis inputs (project, model package, stage configuration). */
  readonly parameters: StageParameters;
  /** The seed's options (captured content types). */
  readonly options: DeployStackOptions;
}

/** The `CaptureContentTypeHeader` of the options; throws naming the property when it declares none. */
export function captureContentTypeHeader(types: CaptureContentTypes): {
  jsonContentTypes?: string[];
  csvContentTypes?: string[];
} {
  const json = types.json ?? [];
  const csv = types.csv ?? [];
  if (json.length === 0 && csv.length === 0) {
    throw new Error('options.captureContentTypes: declare at least one json or csv content type');
  }
  return {
    ...(json.length > 0 ? { jsonContentTypes: [...json] } : {}),
    ...(csv.length > 0 ? { csvContentTypes: [...csv] } : {}),
  };
}

/** First 8 hex digits of the SHA-256 of a value's JSON. */
export function shortHash(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);
}

/** The tags of a stage's resources and stack. */
export function stageTags(
  project: ProjectEnvironment,
  modelPackage: ModelPackageRef,
  stage: Stage,
): Record<string, string> {
  return {
    [TAG_KEYS.projectName]: project.projectName,
    [TAG_KEYS.projectId]: project.projectId,
    [TAG_KEYS.stage]: stage,
    [TAG_KEYS.modelPackageArn]: modelPackage.arn,
  };
}

/** The S3 destination of a stage's data capture: s3://<bucket>/<data-capture prefix><stage>/. */
export function dataCaptureUri(project: ProjectEnvironment, stage: Stage): string {
  return `s3://${project.projectBucket}/${project.dataCapturePrefix}${stage}/`;
}

/** One deployment stage (staging or prod) of the approved model. */
export class DeployStageStack extends Stack {
  public readonly names: StageResourceNames;

  constructor(scope: Construct, id: string, props: DeployStageStackProps) {
    super(scope, id, {
      ...props,
      stackName: props.stackName ?? props.parameters.project.stackNames[props.stage],
      synthesizer: new BootstraplessSynthesizer(),
      description: `SageMaker endpoint (${props.stage}) of model package ${props.parameters.modelPackage.groupName}/${props.parameters.modelPackage.version}`,
    });
    const { stage } = props;
    const captureHeader = captureContentTypeHeader(props.options.captureContentTypes);
    const { project, modelPackage } = props.parameters;
    const config: StageConfig = props.parameters.stages[stage];
    const tags = stageTags(project, modelPackage, stage);
    const cfnTags = Object.entries(tags).map(([key, value]) => ({ key, value }));
    const prefix = stageResourcePrefix(project, stage);
    const endpointName = project.endpointNames[stage];

    // Constrained to the synthesized package: a template/configuration mismatch fails validation.
    const packageArn = new CfnParameter(this, 'ModelPackageArn', {
      type: 'String',
      description: 'The approved model package this stack deploys (set by the build step)',
      default: modelPackage.arn,
      allowedValues: [modelPackage.arn],
    });

    // Names carry a hash of everything that forces a replacement, so an update creates new ones.
    const modelName = `${prefix}-${shortHash({ arn: modelPackage.arn, role: project.executionRoleArn })}`;
    const model = new sagemaker.CfnModel(this, 'Model', {
      modelName,
      executionRoleArn: project.executionRoleArn,
      primaryContainer: { modelPackageName: packageArn.valueAsString },
      tags: cfnTags,
    });

    const variant = {
      variantName: config.variantName,
      instanceType: config.instanceType,
      initialInstanceCount: config.instanceCount,
      initialVariantWeight: 1,
    };
    const dataCapture = {
      enableCapture: true,
      initialSamplingPercentage: config.dataCaptureSamplingPercentage,
      destinationS3Uri: dataCaptureUri(project, stage),
      kmsKeyId: project.kmsKeyArn,
      captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
      captureContentTypeHeader: captureHeader,
    };
    const endpointConfigName = `${prefix}-${shortHash({ modelName, variant, dataCapture, kmsKeyId: project.kmsKeyArn })}`;
    const endpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      endpointConfigName,
      kmsKeyId: project.kmsKeyArn,
      productionVariants: [{ ...variant, modelName: model.attrModelName }],
      dataCaptureConfig: dataCapture,
      tags: cfnTags,
    });

    // Rollback alarms: the variant's server errors and model latency. Not the accuracy alarm prefix.
    const dimensions = [
      { name: 'EndpointName', value: endpointName },
      { name: 'VariantName', value: config.variantName },
    ];
    const alarms = config.rollout.rollbackAlarms;
    const errorsAlarm = new cloudwatch.CfnAlarm(this, 'Invocation5xxAlarm', {
      alarmName: `${prefix}-5xx`,
      alarmDescription: `Rolls back a deployment of ${endpointName}: Invocation5XXErrors > ${alarms.max5xxErrorsPerMinute}/min`,
      namespace: 'AWS/SageMaker',
      metricName: 'Invocation5XXErrors',
      dimensions,
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: alarms.evaluationPeriods,
      threshold: alarms.max5xxErrorsPerMinute,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      tags: cfnTags,
    });
    const latencyAlarm = new cloudwatch.CfnAlarm(this, 'ModelLatencyAlarm', {
      alarmName: `${prefix}-latency`,
      alarmDescription: `Rolls back a deployment of ${endpointName}: p99 ModelLatency > ${alarms.maxModelLatencyP99Milliseconds} ms`,
      namespace: 'AWS/SageMaker',
      metricName: 'ModelLatency',
      dimensions,
      extendedStatistic: 'p99',
      period: 60,
      evaluationPeriods: alarms.evaluationPeriods,
      // ModelLatency is reported in microseconds.
      threshold: alarms.maxModelLatencyP99Milliseconds * 1000,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
      tags: cfnTags,
    });
    for (const name of [errorsAlarm.alarmName, latencyAlarm.alarmName]) {
      if (name?.startsWith(project.accuracyAlarmNamePrefix)) {
        throw new Error(
          `alarm ${name} would start with the accuracy alarm prefix ${project.accuracyAlarmNamePrefix}`,
        );
      }
    }

    const rollout = config.rollout;
    const stepSize =
      rollout.stepPercent === undefined
        ? undefined
        : { type: 'CAPACITY_PERCENT', value: rollout.stepPercent };
    const endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName,
      endpointConfigName: endpointConfig.attrEndpointConfigName,
      deploymentConfig: {
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: {
            type: rollout.trafficRouting,
            waitIntervalInSeconds: rollout.waitIntervalSeconds,
            ...(rollout.trafficRouting === 'CANARY' ? { canarySize: stepSize } : {}),
            ...(rollout.trafficRouting === 'LINEAR' ? { linearStepSize: stepSize } : {}),
          },
          terminationWaitInSeconds: rollout.terminationWaitSeconds,
          maximumExecutionTimeoutInSeconds: rollout.maximumExecutionTimeoutSeconds,
        },
        autoRollbackConfiguration: {
          alarms: [{ alarmName: errorsAlarm.ref }, { alarmName: latencyAlarm.ref }],
        },
      },
      // With autoscaling, an update keeps the instance count autoscaling chose, but applies the
      // new data-capture settings.
      ...(config.autoscaling
        ? {
            retainAllVariantProperties: true,
            excludeRetainedVariantProperties: [{ variantPropertyType: 'DataCaptureConfig' }],
          }
        : {}),
      tags: cfnTags,
    });

    if (config.autoscaling) {
      const scaling = config.autoscaling;
      const target = new appscaling.CfnScalableTarget(this, 'ScalableTarget', {
        serviceNamespace: 'sagemaker',
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        resourceId: `endpoint/${endpointName}/variant/${config.variantName}`,
        minCapacity: scaling.minCapacity,
        maxCapacity: scaling.maxCapacity,
      });
      target.addResourceDependency(endpoint);
      new appscaling.CfnScalingPolicy(this, 'InvocationsPerInstancePolicy', {
        policyName: `${prefix}-invocations-per-instance`,
        policyType: 'TargetTrackingScaling',
        scalingTargetId: target.ref,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          targetValue: scaling.targetInvocationsPerInstance,
          scaleInCooldown: scaling.scaleInCooldownSeconds,
          scaleOutCooldown: scaling.scaleOutCooldownSeconds,
        },
      });
    }

    this.names = {
      endpoint: endpointName,
      endpointConfig: endpointConfigName,
      model: modelName,
      errorsAlarm: `${prefix}-5xx`,
      latencyAlarm: `${prefix}-latency`,
      stackName: this.stackName,
    };
    new CfnOutput(this, 'EndpointName', { value: endpoint.attrEndpointName });
    new CfnOutput(this, 'EndpointConfigName', { value: endpointConfig.attrEndpointConfigName });
    new CfnOutput(this, 'ModelName', { value: model.attrModelName });
    new CfnOutput(this, 'DeployedModelPackageArn', { value: packageArn.valueAsString });
  }
}

/** The deploy stacks of every stage in one CDK app. */
export function addDeployStacks(
  app: App,
  parameters: StageParameters,
  options: DeployStackOptions,
): Record<Stage, DeployStageStack> {
  const stacks = {} as Record<Stage, DeployStageStack>;
  for (const stage of STAGES) {
    stacks[stage] = new DeployStageStack(app, stage === 'staging' ? 'DeployStaging' : 'DeployProd', {
      stage,
      parameters,
      options,
    });
  }
  return stacks;
}

/** A synthesized stage: its CloudFormation template and resource names. */
export interface SynthesizedStage {
  readonly template: Record<string, unknown>;
  readonly names: StageResourceNames;
}

/** Synthesizes both stages in memory (what `cdk synth` writes to cdk.out). */
export function synthesizeStages(
  parameters: StageParameters,
  options: DeployStackOptions,
): Record<Stage, SynthesizedStage> {
  const app = new App({ analyticsReporting: false });
  const stacks = addDeployStacks(app, parameters, options);
  const assembly = app.synth();
  const out = {} as Record<Stage, SynthesizedStage>;
  for (const stage of STAGES) {
    const artifact = assembly.getStackByName(stacks[stage].stackName);
    out[stage] = { template: artifact.template as Record<string, unknown>, names: stacks[stage].names };
  }
  return out;
}
