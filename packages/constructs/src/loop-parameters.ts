// The SSM parameters the loop reads and writes under the project's namespace (`/sagemaker/<name>-<id>/`):
// the data and model configuration (JSON, from the template's parameters), the training gate threshold
// and each stage's accuracy alarm threshold (set by the threshold policy after a deploy).
import { Fn, Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { LoopLayer } from './loop-layer';
import { DEPLOYMENT_STAGES, DeploymentStage, ProjectNames } from './project-names';

/** Properties of {@link LoopParameters}. */
export interface LoopParametersProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /**
   * The values of the configuration document (JSON object of strings, in this order), e.g. the data
   * source, columns and instance types from the template parameters. Values may be tokens; they must
   * not contain quotes or backslashes (constrain the template parameters).
   */
  readonly config: Readonly<Record<string, string>>;
  /**
   * Description of the configuration parameter.
   * @default 'Configuration of the project (JSON)'
   */
  readonly configDescription?: string;
  /**
   * Description of the gate threshold parameter (what the threshold bounds).
   * @default 'Training gate threshold of the model-build pipeline ("default" = the model-build config value)'
   */
  readonly gateThresholdDescription?: string;
  /**
   * Initial value of the gate threshold: `default` (the model-build config value) or a number (or a
   * template parameter's value, constrained by its AllowedPattern).
   * @default 'default'
   */
  readonly initialGateThreshold?: string;
}

/** The loop's SSM parameters. */
export class LoopParameters extends LoopLayer {
  /** The project configuration (JSON): data source, columns, instance types… (the template's). */
  public readonly config: ssm.StringParameter;
  /** Training gate threshold (e.g. DeepAR: maximum backtest mean wQL for a model to be registered). */
  public readonly gateThreshold: ssm.StringParameter;
  /** Accuracy alarm threshold of each stage. */
  public readonly alarmThresholds: Record<DeploymentStage, ssm.StringParameter>;

  constructor(scope: Construct, id: string, props: LoopParametersProps) {
    super(scope, id);
    const gate = props.initialGateThreshold ?? 'default';
    if (!Token.isUnresolved(gate) && gate !== 'default' && !(Number(gate) > 0)) {
      throw new Error(`initialGateThreshold: must be 'default' or a positive number, got '${gate}'`);
    }
    const { names } = props;
    const entries = Object.entries(props.config);
    if (entries.length === 0) throw new Error('config: must hold at least one value');
    const badKey = entries.map(([key]) => key).find((key) => !/^[A-Za-z][A-Za-z0-9]*$/.test(key));
    if (badKey !== undefined) throw new Error(`config: keys must be camelCase words, got '${badKey}'`);
    this.config = this.parameter(
      'ConfigParameter',
      names.configParameter,
      // Fn.toJsonString cannot resolve an Fn::If nested in its object (the value came out as a
      // literal "${Token[...]}"); Fn::Join resolves every intrinsic in its list (AWS CloudFormation
      // User Guide, "Fn::Join": the list may contain Fn::If and Ref).
      jsonObjectOfStrings(props.config),
      props.configDescription ?? 'Configuration of the project (JSON)',
    );
    this.gateThreshold = this.parameter(
      'GateThresholdParameter',
      names.gateThresholdParameter,
      gate,
      props.gateThresholdDescription ??
        'Training gate threshold of the model-build pipeline ("default" = the model-build config value)',
    );
    const thresholds = DEPLOYMENT_STAGES.map((stage) =>
      this.parameter(
        `${stage}AlarmThresholdParameter`,
        names.alarmThresholdParameter(stage),
        'unset',
        `Accuracy alarm threshold of the ${stage} stage, set by the threshold policy after a successful deploy`,
      ),
    );
    this.alarmThresholds = { staging: thresholds[0], prod: thresholds[1] };
  }

  private parameter(
    id: string,
    parameterName: string,
    value: string,
    description: string,
  ): ssm.StringParameter {
    return new ssm.StringParameter(this.resourceScope, id, {
      parameterName,
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
