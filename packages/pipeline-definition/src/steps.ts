// Step classes (Lambda, Training, Model, Transform, Processing, QualityCheck, Condition, RegisterModel,
// Fail):
// each renders the JSON object the SageMaker Python SDK emits for that step type and offers typed
// references to its properties. Job arguments are typed by the SageMaker API request shapes
// (AWS SDK v3) in which any leaf may be a pipeline variable.
import type {
  CreateModelInput,
  CreateModelPackageInput,
  CreateProcessingJobRequest,
  CreateTrainingJobRequest,
  CreateTransformJobRequest,
} from '@aws-sdk/client-sagemaker';
import { Condition } from './conditions';
import { JsonGet, PipelineVariable, PropertyFile, StepProperty } from './expressions';
import { DefinitionValueError, JsonObject, toJson } from './json';
import { assertValidName } from './names';

/**
 * `T` with every string, number and boolean also accepting a pipeline variable (a parameter, a
 * step property, a Join, ...), the way the SDK's pipeline session accepts them in job requests.
 */
export type Pipelined<T> = T extends string | number | boolean
  ? T | PipelineVariable
  : T extends Date
    ? T
    : T extends ReadonlyArray<infer Item>
      ? ReadonlyArray<Pipelined<Item>>
      : T extends object
        ? { [K in keyof T]: Pipelined<T[K]> }
        : T;

/** Arguments of a Training step: a CreateTrainingJob request (SageMaker names the job). */
export type TrainingArguments = Pipelined<Omit<CreateTrainingJobRequest, 'TrainingJobName'>>;
/** Arguments of a Model step: a CreateModel request (SageMaker names the model). */
export type ModelArguments = Pipelined<Omit<CreateModelInput, 'ModelName'>>;
/** Arguments of a Transform step: a CreateTransformJob request (SageMaker names the job). */
export type TransformArguments = Pipelined<Omit<CreateTransformJobRequest, 'TransformJobName'>>;
/** Arguments of a Processing step: a CreateProcessingJob request (SageMaker names the job). */
export type ProcessingArguments = Pipelined<Omit<CreateProcessingJobRequest, 'ProcessingJobName'>>;
/** Arguments of a RegisterModel step: a CreateModelPackage request for a model package group. */
export type RegisterModelArguments = Pipelined<
  Omit<CreateModelPackageInput, 'ModelPackageName' | 'ClientToken'>
>;

export type StepType =
  | 'Lambda'
  | 'Training'
  | 'Model'
  | 'Transform'
  | 'Processing'
  | 'QualityCheck'
  | 'Condition'
  | 'RegisterModel'
  | 'Fail';

export interface StepDocument extends JsonObject {
  Name: string;
  Type: StepType;
}

export interface StepOptions {
  /** Schema pattern: 1-64 characters among A-Z, a-z, 0-9, '-', '_'. */
  readonly displayName?: string;
  readonly description?: string;
  /** Steps that must finish first, besides those whose properties this step references. */
  readonly dependsOn?: ReadonlyArray<Step | string>;
}

/** Step caching: reuse the result of an earlier successful run with the same arguments. */
export interface CacheConfig {
  readonly enabled: boolean;
  /** Duration such as `P30D` (ISO 8601) or `30d` (as the SDK examples write it). */
  readonly expireAfter?: string;
}

function cacheConfigDocument(config: CacheConfig | undefined): JsonObject | undefined {
  if (config === undefined) return undefined;
  return config.expireAfter === undefined
    ? { Enabled: config.enabled }
    : { Enabled: config.enabled, ExpireAfter: config.expireAfter };
}

export abstract class Step {
  abstract readonly type: StepType;
  readonly name: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly dependsOn: readonly string[];

  protected constructor(name: string, options: StepOptions) {
    assertValidName('step', name);
    this.name = name;
    this.displayName = options.displayName;
    this.description = options.description;
    this.dependsOn = (options.dependsOn ?? []).map((dependency) =>
      typeof dependency === 'string' ? dependency : dependency.name,
    );
  }

  /** Type-specific members of the step object (Arguments, FunctionArn, ...), unrendered. */
  protected abstract body(): Record<string, unknown>;

  /** The step's JSON object; throws `DefinitionValueError` on values JSON cannot hold. */
  toDocument(): StepDocument {
    const head: Record<string, unknown> = {
      Name: this.name,
      Type: this.type,
      DependsOn: this.dependsOn.length > 0 ? this.dependsOn : undefined,
      DisplayName: this.displayName,
      Description: this.description,
    };
    const body = this.body();
    let rendered: JsonObject;
    try {
      rendered = toJson({ ...head, ...body }, '') as JsonObject;
    } catch (error) {
      if (!(error instanceof DefinitionValueError)) throw error;
      throw new DefinitionValueError(`step "${this.name}" at ${error.message}`);
    }
    return { ...rendered, Name: this.name, Type: this.type };
  }
}

// ---------------------------------------------------------------------------------------------
// Lambda
// ---------------------------------------------------------------------------------------------

export type LambdaOutputType = 'String' | 'Integer' | 'Float' | 'Boolean';

export interface LambdaOutput {
  readonly name: string;
  readonly type: LambdaOutputType;
}

export type LambdaArgumentValue =
  | string
  | number
  | boolean
  | null
  | PipelineVariable
  | readonly LambdaArgumentValue[]
  | { readonly [key: string]: LambdaArgumentValue };

export interface LambdaStepProps extends StepOptions {
  readonly functionArn: string;
  /** The event the function receives; pipeline variables are resolved before the call. */
  readonly arguments?: Readonly<Record<string, LambdaArgumentValue>>;
  /** Members of the function's returned object exposed as step properties. */
  readonly outputs?: readonly LambdaOutput[];
  readonly cacheConfig?: CacheConfig;
}

const LAMBDA_ARN_PATTERN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9\-_]+(:[A-Za-z0-9\-_$]+)?$/;

export class LambdaStep extends Step {
  readonly type = 'Lambda' as const;
  readonly functionArn: string;
  readonly outputs: readonly LambdaOutput[];
  private readonly props: LambdaStepProps;

  constructor(name: string, props: LambdaStepProps) {
    super(name, props);
    if (!LAMBDA_ARN_PATTERN.test(props.functionArn)) {
      throw new Error(
        `Lambda step "${name}": ${JSON.stringify(props.functionArn)} is not a Lambda function ARN`,
      );
    }
    const outputs = props.outputs ?? [];
    const seen = new Set<string>();
    for (const output of outputs) {
      assertValidName('Lambda output', output.name);
      if (seen.has(output.name)) {
        throw new Error(`Lambda step "${name}" declares output "${output.name}" twice`);
      }
      seen.add(output.name);
    }
    this.functionArn = props.functionArn;
    this.outputs = [...outputs];
    this.props = props;
  }

  /** `{"Get": "Steps.<name>.OutputParameters['<output>']"}` of a declared output. */
  output(outputName: string): StepProperty {
    if (!this.outputs.some((output) => output.name === outputName)) {
      const declared = this.outputs.map((output) => output.name).join(', ') || 'none';
      throw new Error(
        `Lambda step "${this.name}" declares no output "${outputName}" (declared: ${declared})`,
      );
    }
    return new StepProperty(this.name, `OutputParameters['${outputName}']`);
  }

  protected body(): Record<string, unknown> {
    return {
      FunctionArn: this.functionArn,
      Arguments: this.props.arguments ?? {},
      OutputParameters: this.outputs.map((output) => ({ OutputName: output.name, OutputType: output.type })),
      CacheConfig: cacheConfigDocument(this.props.cacheConfig),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------------

/** Properties of a Training step (DescribeTrainingJob response members). */
export type TrainingStepProperty =
  | 'TrainingJobName'
  | 'TrainingJobArn'
  | 'TrainingJobStatus'
  | 'SecondaryStatus'
  | 'FailureReason'
  | 'ModelArtifacts.S3ModelArtifacts'
  | 'AlgorithmSpecification.TrainingImage'
  | 'OutputDataConfig.S3OutputPath'
  | 'RoleArn'
  | 'TrainingTimeInSeconds'
  | 'BillableTimeInSeconds'
  | `HyperParameters['${string}']`
  | `FinalMetricDataList['${string}'].Value`;

export interface TrainingStepProps extends StepOptions {
  readonly arguments: TrainingArguments;
  readonly cacheConfig?: CacheConfig;
}

export class TrainingStep extends Step {
  readonly type = 'Training' as const;
  constructor(
    name: string,
    private readonly props: TrainingStepProps,
  ) {
    super(name, props);
  }

  property(path: TrainingStepProperty): StepProperty {
    return new StepProperty(this.name, path);
  }

  /** S3 URI of the model artifact (model.tar.gz) the job produced. */
  get modelArtifacts(): StepProperty {
    return this.property('ModelArtifacts.S3ModelArtifacts');
  }

  protected body(): Record<string, unknown> {
    return { Arguments: this.props.arguments, CacheConfig: cacheConfigDocument(this.props.cacheConfig) };
  }
}

// ---------------------------------------------------------------------------------------------
// Model (CreateModel)
// ---------------------------------------------------------------------------------------------

/** Properties of a Model step (DescribeModel response members). */
export type ModelStepProperty =
  'ModelName' | 'ModelArn' | 'ExecutionRoleArn' | 'PrimaryContainer.Image' | 'PrimaryContainer.ModelDataUrl';

export interface ModelStepProps extends StepOptions {
  readonly arguments: ModelArguments;
}

/** Creates a SageMaker model (`Type: "Model"`, as the SDK's ModelStep with `model.create()`). */
export class ModelStep extends Step {
  readonly type = 'Model' as const;
  constructor(
    name: string,
    private readonly props: ModelStepProps,
  ) {
    super(name, props);
  }

  property(path: ModelStepProperty): StepProperty {
    return new StepProperty(this.name, path);
  }

  get modelName(): StepProperty {
    return this.property('ModelName');
  }

  protected body(): Record<string, unknown> {
    return { Arguments: this.props.arguments };
  }
}

// ---------------------------------------------------------------------------------------------
// Transform
// ---------------------------------------------------------------------------------------------

/** Properties of a Transform step (DescribeTransformJob response members). */
export type TransformStepProperty =
  | 'TransformJobName'
  | 'TransformJobArn'
  | 'TransformJobStatus'
  | 'FailureReason'
  | 'ModelName'
  | 'TransformOutput.S3OutputPath'
  | 'TransformInput.DataSource.S3DataSource.S3Uri';

export interface TransformStepProps extends StepOptions {
  readonly arguments: TransformArguments;
  readonly cacheConfig?: CacheConfig;
}

export class TransformStep extends Step {
  readonly type = 'Transform' as const;
  constructor(
    name: string,
    private readonly props: TransformStepProps,
  ) {
    super(name, props);
  }

  property(path: TransformStepProperty): StepProperty {
    return new StepProperty(this.name, path);
  }

  /** S3 prefix the job wrote its `.out` files to. */
  get outputPath(): StepProperty {
    return this.property('TransformOutput.S3OutputPath');
  }

  protected body(): Record<string, unknown> {
    return { Arguments: this.props.arguments, CacheConfig: cacheConfigDocument(this.props.cacheConfig) };
  }
}

// ---------------------------------------------------------------------------------------------
// Processing
// ---------------------------------------------------------------------------------------------

/** Properties of a Processing step (DescribeProcessingJob response members). */
export type ProcessingStepProperty =
  | 'ProcessingJobName'
  | 'ProcessingJobArn'
  | 'ProcessingJobStatus'
  | 'ExitMessage'
  | 'FailureReason'
  | `ProcessingOutputConfig.Outputs['${string}'].S3Output.S3Uri`;

export interface ProcessingStepProps extends StepOptions {
  readonly arguments: ProcessingArguments;
  /** JSON files written to outputs of this job that `JsonGet` may read. */
  readonly propertyFiles?: readonly PropertyFile[];
  readonly cacheConfig?: CacheConfig;
}

export class ProcessingStep extends Step {
  readonly type = 'Processing' as const;
  readonly propertyFiles: readonly PropertyFile[];

  constructor(
    name: string,
    private readonly props: ProcessingStepProps,
  ) {
    super(name, props);
    this.propertyFiles = [...(props.propertyFiles ?? [])];
    const names = new Set<string>();
    for (const file of this.propertyFiles) {
      if (names.has(file.name)) {
        throw new Error(`Processing step "${name}" declares property file "${file.name}" twice`);
      }
      names.add(file.name);
    }
  }

  property(path: ProcessingStepProperty): StepProperty {
    return new StepProperty(this.name, path);
  }

  /** S3 URI of a named processing output. */
  outputUri(outputName: string): StepProperty {
    return this.property(`ProcessingOutputConfig.Outputs['${outputName}'].S3Output.S3Uri` as const);
  }

  /** `Std:JsonGet` on one of this step's declared property files. */
  jsonGet(propertyFile: PropertyFile | string, path: string): JsonGet {
    const fileName = typeof propertyFile === 'string' ? propertyFile : propertyFile.name;
    if (!this.propertyFiles.some((file) => file.name === fileName)) {
      throw new Error(`Processing step "${this.name}" declares no property file "${fileName}"`);
    }
    return new JsonGet({ step: this.name, propertyFile: fileName, path });
  }

  protected body(): Record<string, unknown> {
    return {
      Arguments: this.props.arguments,
      CacheConfig: cacheConfigDocument(this.props.cacheConfig),
      PropertyFiles:
        this.propertyFiles.length > 0 ? this.propertyFiles.map((file) => file.toDocument()) : undefined,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// QualityCheck
// ---------------------------------------------------------------------------------------------

/** What a QualityCheck step computes with the Model Monitor analyzer (schema: `CheckType`). */
export type QualityCheckType = 'DATA_QUALITY' | 'MODEL_QUALITY';

/** Problem types of the Model Monitor model-quality analyzer (its `problem_type` environment value). */
export const MODEL_QUALITY_PROBLEM_TYPES = [
  'Regression',
  'BinaryClassification',
  'MulticlassClassification',
] as const;
export type ModelQualityProblemType = (typeof MODEL_QUALITY_PROBLEM_TYPES)[number];

/**
 * Properties of a QualityCheck step (QualityCheckStepMetadata of the SageMaker API reference): the S3
 * URIs of the baseline it calculated and of the baseline it used for the drift check.
 */
export type QualityCheckStepProperty =
  | 'CalculatedBaselineStatistics'
  | 'CalculatedBaselineConstraints'
  | 'BaselineUsedForDriftCheckStatistics'
  | 'BaselineUsedForDriftCheckConstraints';

/** A statistics + constraints pair as ModelMetrics / DriftCheckBaselines take it (MetricsSource). */
export interface BaselineMetricsSources {
  readonly Statistics: { readonly ContentType: string; readonly S3Uri: StepProperty };
  readonly Constraints: { readonly ContentType: string; readonly S3Uri: StepProperty };
}

export interface QualityCheckStepProps extends StepOptions {
  /** `DATA_QUALITY` (feature statistics) or `MODEL_QUALITY` (metrics of predictions against labels). */
  readonly checkType: QualityCheckType;
  /**
   * The analyzer's processing job: the Model Monitor analyzer image, the baseline dataset input, one
   * output (where `statistics.json` and `constraints.json` are written) and the analyzer environment.
   */
  readonly arguments: ProcessingArguments;
  /**
   * Group whose latest approved model package holds the baseline to check against.
   * @default - none (then supplied baselines are needed unless `skipCheck` is true)
   */
  readonly modelPackageGroupName?: string | PipelineVariable;
  /**
   * Skip the drift check against the previous baseline (the first build of a project has none).
   * @default false
   */
  readonly skipCheck?: boolean | PipelineVariable;
  /**
   * Make the newly calculated baseline the one reported as `BaselineUsedForDriftCheck*`.
   * @default false
   */
  readonly registerNewBaseline?: boolean | PipelineVariable;
  /**
   * Fail the step when the check finds violations.
   * @default true (the SDK's default)
   */
  readonly failOnViolation?: boolean | PipelineVariable;
  /**
   * Statistics to check against instead of the model package group's.
   * @default - none
   */
  readonly suppliedBaselineStatistics?: string | PipelineVariable;
  /**
   * Constraints to check against instead of the model package group's.
   * @default - none
   */
  readonly suppliedBaselineConstraints?: string | PipelineVariable;
  readonly cacheConfig?: CacheConfig;
}

/** Content type of the Model Monitor analyzer's statistics.json and constraints.json. */
export const BASELINE_CONTENT_TYPE = 'application/json';

/**
 * A Model Monitor baseline job run as a pipeline step (`Type: "QualityCheck"`, as the SDK's
 * QualityCheckStep emits it): calculates statistics and constraints, optionally checks them against
 * the previous baseline.
 */
export class QualityCheckStep extends Step {
  readonly type = 'QualityCheck' as const;
  readonly checkType: QualityCheckType;

  constructor(
    name: string,
    private readonly props: QualityCheckStepProps,
  ) {
    super(name, props);
    const where = `QualityCheck step "${name}"`;
    if (props.checkType !== 'DATA_QUALITY' && props.checkType !== 'MODEL_QUALITY') {
      throw new Error(
        `${where}: checkType must be DATA_QUALITY or MODEL_QUALITY, got ${String(props.checkType)}`,
      );
    }
    const outputs = props.arguments.ProcessingOutputConfig?.Outputs ?? [];
    if (outputs.length !== 1) {
      throw new Error(
        `${where}: arguments.ProcessingOutputConfig.Outputs needs exactly one output (the baseline), got ${outputs.length}`,
      );
    }
    if ((props.arguments.ProcessingInputs ?? []).length === 0) {
      throw new Error(`${where}: arguments.ProcessingInputs needs the baseline dataset input`);
    }
    const environment = (props.arguments.Environment ?? {}) as Record<string, unknown>;
    if (props.checkType === 'MODEL_QUALITY') {
      if (environment.analysis_type !== 'MODEL_QUALITY') {
        throw new Error(`${where}: a MODEL_QUALITY check needs Environment.analysis_type "MODEL_QUALITY"`);
      }
      const problemType = environment.problem_type;
      if (
        typeof problemType === 'string' &&
        !(MODEL_QUALITY_PROBLEM_TYPES as readonly string[]).includes(problemType)
      ) {
        throw new Error(
          `${where}: Environment.problem_type must be one of ${MODEL_QUALITY_PROBLEM_TYPES.join(', ')}, got ${JSON.stringify(problemType)}`,
        );
      }
      if (problemType === undefined) {
        throw new Error(`${where}: a MODEL_QUALITY check needs Environment.problem_type`);
      }
    } else if (environment.analysis_type !== undefined && environment.analysis_type !== 'DATA_QUALITY') {
      throw new Error(
        `${where}: a DATA_QUALITY check cannot set Environment.analysis_type ${JSON.stringify(environment.analysis_type)}`,
      );
    }
    const supplied = [props.suppliedBaselineStatistics, props.suppliedBaselineConstraints].filter(
      (value) => value !== undefined,
    ).length;
    if (supplied === 1) {
      throw new Error(`${where}: suppliedBaselineStatistics and suppliedBaselineConstraints go together`);
    }
    if (props.skipCheck !== true && supplied === 0 && props.modelPackageGroupName === undefined) {
      throw new Error(
        `${where}: nothing to check against: set modelPackageGroupName or the supplied baselines, or skipCheck: true`,
      );
    }
    this.checkType = props.checkType;
  }

  property(path: QualityCheckStepProperty): StepProperty {
    return new StepProperty(this.name, path);
  }

  /** S3 URI of the statistics.json this step calculated. */
  get calculatedBaselineStatistics(): StepProperty {
    return this.property('CalculatedBaselineStatistics');
  }

  /** S3 URI of the constraints.json this step calculated. */
  get calculatedBaselineConstraints(): StepProperty {
    return this.property('CalculatedBaselineConstraints');
  }

  /** S3 URI of the statistics the drift check used (the new ones when `registerNewBaseline`). */
  get baselineUsedForDriftCheckStatistics(): StepProperty {
    return this.property('BaselineUsedForDriftCheckStatistics');
  }

  /** S3 URI of the constraints the drift check used (the new ones when `registerNewBaseline`). */
  get baselineUsedForDriftCheckConstraints(): StepProperty {
    return this.property('BaselineUsedForDriftCheckConstraints');
  }

  /** The calculated baseline as `ModelMetrics.ModelQuality` / `ModelDataQuality` take it. */
  calculatedBaseline(): BaselineMetricsSources {
    return {
      Statistics: { ContentType: BASELINE_CONTENT_TYPE, S3Uri: this.calculatedBaselineStatistics },
      Constraints: { ContentType: BASELINE_CONTENT_TYPE, S3Uri: this.calculatedBaselineConstraints },
    };
  }

  /** The drift-check baseline as `DriftCheckBaselines.ModelQuality` / `ModelDataQuality` take it. */
  driftCheckBaseline(): BaselineMetricsSources {
    return {
      Statistics: { ContentType: BASELINE_CONTENT_TYPE, S3Uri: this.baselineUsedForDriftCheckStatistics },
      Constraints: { ContentType: BASELINE_CONTENT_TYPE, S3Uri: this.baselineUsedForDriftCheckConstraints },
    };
  }

  protected body(): Record<string, unknown> {
    return {
      CheckType: this.props.checkType,
      Arguments: this.props.arguments,
      ModelPackageGroupName: this.props.modelPackageGroupName,
      SkipCheck: this.props.skipCheck ?? false,
      RegisterNewBaseline: this.props.registerNewBaseline ?? false,
      FailOnViolation: this.props.failOnViolation ?? true,
      SuppliedBaselineStatistics: this.props.suppliedBaselineStatistics,
      SuppliedBaselineConstraints: this.props.suppliedBaselineConstraints,
      CacheConfig: cacheConfigDocument(this.props.cacheConfig),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// RegisterModel
// ---------------------------------------------------------------------------------------------

/** Properties of a RegisterModel step (DescribeModelPackage response members). */
export type RegisterModelStepProperty =
  | 'ModelPackageArn'
  | 'ModelPackageName'
  | 'ModelPackageGroupName'
  | 'ModelPackageVersion'
  | 'ModelApprovalStatus';

export interface RegisterModelStepProps extends StepOptions {
  readonly arguments: RegisterModelArguments;
}

/** The report members of ModelMetrics / DriftCheckBaselines (CreateModelPackage API), by section. */
const METRICS_SOURCE_MEMBERS = {
  ModelMetrics: {
    ModelQuality: ['Statistics', 'Constraints'],
    ModelDataQuality: ['Statistics', 'Constraints'],
    Bias: ['Report', 'PreTrainingReport', 'PostTrainingReport'],
    Explainability: ['Report'],
  },
  DriftCheckBaselines: {
    ModelQuality: ['Statistics', 'Constraints'],
    ModelDataQuality: ['Statistics', 'Constraints'],
    Bias: ['ConfigFile', 'PreTrainingConstraints', 'PostTrainingConstraints'],
    Explainability: ['Constraints', 'ConfigFile'],
  },
} as const;

/**
 * Problems with the metrics sources of ModelMetrics and DriftCheckBaselines: each one given needs
 * a non-empty `S3Uri` and, a MetricsSource, a `ContentType` (MetricsSource and FileSource of the
 * SageMaker API reference), and only the API's members are accepted.
 */
function metricsSourceProblems(args: RegisterModelArguments): string[] {
  const problems: string[] = [];
  for (const [section, groups] of Object.entries(METRICS_SOURCE_MEMBERS)) {
    const value = (args as Record<string, unknown>)[section];
    if (value === undefined) continue;
    for (const [group, member] of Object.entries(value as Record<string, unknown>)) {
      const allowed: readonly string[] | undefined = (groups as Record<string, readonly string[]>)[group];
      if (allowed === undefined) {
        problems.push(`${section}.${group} is not a member (expected ${Object.keys(groups).join(', ')})`);
        continue;
      }
      for (const [report, source] of Object.entries((member ?? {}) as Record<string, unknown>)) {
        const where = `${section}.${group}.${report}`;
        if (!allowed.includes(report)) {
          problems.push(`${where} is not a member (expected ${allowed.join(', ')})`);
          continue;
        }
        const file = (source ?? {}) as Record<string, unknown>;
        // A FileSource (Bias/Explainability ConfigFile) needs only S3Uri; a MetricsSource both.
        for (const key of report === 'ConfigFile' ? ['S3Uri'] : ['S3Uri', 'ContentType']) {
          if (file[key] === undefined || file[key] === '') problems.push(`${where}.${key} is required`);
        }
      }
    }
  }
  return problems;
}

/** Registers a model package version (`Type: "RegisterModel"`; Arguments = CreateModelPackage). */
export class RegisterModelStep extends Step {
  readonly type = 'RegisterModel' as const;
  constructor(
    name: string,
    private readonly props: RegisterModelStepProps,
  ) {
    super(name, props);
    const problems = metricsSourceProblems(props.arguments);
    if (problems.length > 0) {
      throw new Error(`RegisterModel step "${name}": ${problems.join('; ')}`);
    }
  }

  property(path: RegisterModelStepProperty): StepProperty {
    return new StepProperty(this.name, path);
  }

  protected body(): Record<string, unknown> {
    return { Arguments: this.props.arguments };
  }
}

// ---------------------------------------------------------------------------------------------
// Fail
// ---------------------------------------------------------------------------------------------

export interface FailStepProps extends StepOptions {
  /** Shown as the execution's failure reason; a Join can include metrics and thresholds. */
  readonly errorMessage?: string | PipelineVariable;
}

/** Stops the execution with status Failed. It has no properties. */
export class FailStep extends Step {
  readonly type = 'Fail' as const;
  constructor(
    name: string,
    private readonly props: FailStepProps = {},
  ) {
    super(name, props);
  }

  protected body(): Record<string, unknown> {
    return { Arguments: { ErrorMessage: this.props.errorMessage ?? '' } };
  }
}

// ---------------------------------------------------------------------------------------------
// Condition
// ---------------------------------------------------------------------------------------------

export interface ConditionStepProps extends StepOptions {
  /** All must hold for the If branch to run. */
  readonly conditions: readonly Condition[];
  readonly ifSteps?: readonly Step[];
  readonly elseSteps?: readonly Step[];
}

export class ConditionStep extends Step {
  readonly type = 'Condition' as const;
  readonly conditions: readonly Condition[];
  readonly ifSteps: readonly Step[];
  readonly elseSteps: readonly Step[];

  constructor(name: string, props: ConditionStepProps) {
    super(name, props);
    if (props.conditions.length === 0) {
      throw new Error(`Condition step "${name}" needs at least one condition`);
    }
    this.conditions = [...props.conditions];
    this.ifSteps = [...(props.ifSteps ?? [])];
    this.elseSteps = [...(props.elseSteps ?? [])];
  }

  /** `true` when the conditions held (the If branch ran). */
  get outcome(): StepProperty {
    return new StepProperty(this.name, 'Outcome');
  }

  protected body(): Record<string, unknown> {
    return {
      Arguments: {
        Conditions: this.conditions.map((condition) => condition.toRequest()),
        IfSteps: this.ifSteps.map((step) => step.toDocument()),
        ElseSteps: this.elseSteps.map((step) => step.toDocument()),
      },
    };
  }
}
