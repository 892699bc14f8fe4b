// The SSM parameters the loop reads and writes under the project's namespace (`/sagemaker/<name>-<id>/`):
// the data and model configuration (JSON, from the template parameters), the training gate threshold
// and each stage's accuracy alarm threshold (set by the threshold policy after a deploy).
import {
  BUCKET_PREFIXES,
  DEPLOYMENT_STAGES,
  DeploymentStage,
  ProjectNames,
} from '@mlops-templates/constructs';
import { Fn } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DeepArParameters } from '../parameters';
import { LoopLayer } from './loop-layer';

/** Properties of {@link LoopParameters}. */
export interface LoopParametersProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The template parameters the configuration is made of. */
  readonly parameters: DeepArParameters;
  /**
   * Initial value of the gate threshold: `default` (the model-build config value) or a number.
   * @default 'default'
   */
  readonly initialGateThreshold?: string;
}

/** The loop's SSM parameters. */
export class LoopParameters extends LoopLayer {
  /** Data source, columns, frequency, horizon, schedule and instance types (JSON). */
  public readonly config: ssm.StringParameter;
  /** Training gate: maximum backtest mean wQL for a model to be registered. */
  public readonly gateThreshold: ssm.StringParameter;
  /** Accuracy alarm threshold of each stage. */
  public readonly alarmThresholds: Record<DeploymentStage, ssm.StringParameter>;
  private readonly names: ProjectNames;

  constructor(scope: Construct, id: string, props: LoopParametersProps) {
    super(scope, id);
    const gate = props.initialGateThreshold ?? 'default';
    if (gate !== 'default' && !(Number(gate) > 0)) {
      throw new Error(`initialGateThreshold: must be 'default' or a positive number, got '${gate}'`);
    }
    this.names = props.names;
    const { names, parameters: params } = props;
    this.config = this.parameter(
      'ConfigParameter',
      'config',
      // Fn.toJsonString cannot resolve an Fn::If nested in its object (the value came out as a
      // literal "${Token[...]}"); Fn::Join resolves every intrinsic in its list (AWS CloudFormation
      // User Guide, "Fn::Join": the list may contain Fn::If and Ref).
      jsonObjectOfStrings({
        dataSourceType: params.dataSourceType.valueAsString,
        dataSourceLocation: Fn.conditionIf(
          params.isSynthetic.logicalId,
          `s3://${names.projectBucket}/${BUCKET_PREFIXES.data}synthetic/`,
          params.dataSourceLocation.valueAsString,
        ).toString(),
        targetColumn: params.targetColumn.valueAsString,
        timestampColumn: params.timestampColumn.valueAsString,
        itemIdColumn: params.itemIdColumn.valueAsString,
        frequency: params.frequency.valueAsString,
        predictionLength: params.predictionLength.valueAsString,
        monitoringSchedule: params.monitoringSchedule.valueAsString,
        stagingInstanceType: params.stagingInstanceType.valueAsString,
        prodInstanceType: params.prodInstanceType.valueAsString,
      }),
      'Data source, columns, frequency, horizon, schedule and instance types of the project (JSON)',
    );
    this.gateThreshold = this.parameter(
      'GateThresholdParameter',
      'gate-threshold',
      gate,
      'Training gate: maximum backtest mean wQL for a model to be registered ("default" = the model-build config value)',
    );
    const thresholds = DEPLOYMENT_STAGES.map((stage) =>
      this.parameter(
        `${stage}AlarmThresholdParameter`,
        `${stage}/alarm-threshold`,
        'unset',
        `Accuracy alarm threshold of the ${stage} stage, set by the threshold policy after a successful deploy`,
      ),
    );
    this.alarmThresholds = { staging: thresholds[0], prod: thresholds[1] };
  }

  private parameter(id: string, suffix: string, value: string, description: string): ssm.StringParameter {
    return new ssm.StringParameter(this.resourceScope, id, {
      parameterName: `${this.names.ssmPrefix}${suffix}`,
      stringValue: value,
      description,
      tier: ssm.ParameterTier.STANDARD,
      simpleName: false,
    });
  }
}

/**
 * A JSON object of string values as one Fn::Join, so intrinsics (Fn::If, Ref) among the values
 * resolve. Values are CloudFormation parameters constrained not to contain quotes or backslashes.
 */
function jsonObjectOfStrings(values: Record<string, string>): string {
  const parts: string[] = ['{'];
  Object.entries(values).forEach(([key, value], i) => {
    parts.push(`${i === 0 ? '' : ','}${JSON.stringify(key)}:"`, value, '"');
  });
  parts.push('}');
  return Fn.join('', parts);
}
