// A definition shaped like the DeepAR model-build pipeline (prepare data → train → model →
// backtest transform → evaluate → gate on mean wQL ≤ a Float parameter → register or fail) is
// schema-valid, references only what exists, and gates on the parameter, never a literal.
import {
  asString,
  ConditionLessThanOrEqualTo,
  ConditionStep,
  ExecutionVariables,
  FailStep,
  isJsonObject,
  Join,
  JsonValue,
  LambdaStep,
  ModelStep,
  ParameterFloat,
  ParameterInteger,
  ParameterString,
  PipelineDefinition,
  PipelineDefinitionDocument,
  PipelineDefinitionError,
  RegisterModelStep,
  StepProperty,
  TrainingStep,
  TransformStep,
  validateDefinition,
} from '../src';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/deepar-pipeline`;
const BUCKET = `s3://sagemaker-${REGION}-${ACCOUNT}`;
/** Placeholder DeepAR image URI (the seed repository resolves it per region from its registry map). */
const DEEPAR_IMAGE = `224300973850.dkr.ecr.${REGION}.amazonaws.com/forecasting-deepar:1`;
const QUANTILES = ['0.1', '0.5', '0.9'];

interface DeepArShapeOptions {
  /** Leave the gate threshold parameter out of `parameters` (to test reference checking). */
  readonly omitGateParameter?: boolean;
  /** Leave the prepare-data step out of `steps`. */
  readonly omitPrepareStep?: boolean;
}

function deepArDefinition(options: DeepArShapeOptions = {}): PipelineDefinition {
  const triggerReason = new ParameterString('TriggerReason', { defaultValue: 'push' });
  const gateThreshold = new ParameterFloat('GateThreshold', {
    defaultValue: 0.15,
    description: 'largest mean weighted quantile loss over the backtest windows that registers the model',
  });
  const trainingInstanceType = new ParameterString('TrainingInstanceType', { defaultValue: 'ml.c5.2xlarge' });
  const epochs = new ParameterInteger('Epochs', { defaultValue: 100 });
  const windowDays = new ParameterInteger('TrainingWindowDays', { defaultValue: 365 });
  const backtestWindows = new ParameterInteger('BacktestWindows', { defaultValue: 4 });
  const approvalStatus = new ParameterString('ModelApprovalStatus', {
    defaultValue: 'PendingManualApproval',
  });
  const executionPrefix = (suffix: string): Join =>
    new Join({ on: '/', values: [`${BUCKET}/deepar`, ExecutionVariables.PIPELINE_EXECUTION_ID, suffix] });

  const prepare = new LambdaStep('PrepareData', {
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:deepar-prepare-data`,
    arguments: {
      training_window_days: windowDays,
      backtest_windows: backtestWindows,
      output_prefix: executionPrefix('data'),
    },
    outputs: [
      { name: 'train_uri', type: 'String' },
      { name: 'backtest_uri', type: 'String' },
      { name: 'data_window_start', type: 'String' },
      { name: 'data_window_end', type: 'String' },
      { name: 'series_count', type: 'Integer' },
    ],
  });
  const train = new TrainingStep('TrainDeepAR', {
    arguments: {
      AlgorithmSpecification: { TrainingImage: DEEPAR_IMAGE, TrainingInputMode: 'File' },
      RoleArn: ROLE,
      OutputDataConfig: { S3OutputPath: executionPrefix('model') },
      ResourceConfig: { InstanceCount: 1, InstanceType: trainingInstanceType, VolumeSizeInGB: 30 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      HyperParameters: {
        time_freq: 'D',
        context_length: '28',
        prediction_length: '14',
        epochs: asString(epochs),
      },
      InputDataConfig: [
        {
          ChannelName: 'train',
          ContentType: 'application/jsonlines',
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              S3Uri: prepare.output('train_uri'),
              S3DataDistributionType: 'FullyReplicated',
            },
          },
        },
      ],
    },
  });
  const model = new ModelStep('CreateDeepARModel', {
    arguments: {
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: DEEPAR_IMAGE, ModelDataUrl: train.modelArtifacts },
    },
  });
  const backtest = new TransformStep('BacktestTransform', {
    arguments: {
      ModelName: model.modelName,
      BatchStrategy: 'SingleRecord',
      Environment: {
        DEEPAR_INFERENCE_CONFIG: JSON.stringify({
          num_samples: 100,
          output_types: ['mean', 'quantiles'],
          quantiles: QUANTILES,
        }),
      },
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: prepare.output('backtest_uri') } },
        ContentType: 'application/jsonlines',
        SplitType: 'Line',
      },
      TransformOutput: {
        S3OutputPath: executionPrefix('backtest'),
        AssembleWith: 'Line',
        Accept: 'application/jsonlines',
      },
      TransformResources: { InstanceCount: 1, InstanceType: 'ml.c5.xlarge' },
    },
  });
  const evaluate = new LambdaStep('EvaluateBacktest', {
    functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:deepar-evaluate`,
    arguments: {
      predictions_uri: backtest.outputPath,
      backtest_uri: prepare.output('backtest_uri'),
      quantiles: QUANTILES,
      report_prefix: executionPrefix('evaluation'),
    },
    outputs: [
      { name: 'mean_wql', type: 'Float' },
      { name: 'rmse', type: 'Float' },
      { name: 'evaluation_uri', type: 'String' },
      { name: 'model_quality_uri', type: 'String' },
    ],
  });
  const register = new RegisterModelStep('RegisterDeepAR', {
    arguments: {
      ModelPackageGroupName: 'deepar-forecasting',
      ModelApprovalStatus: approvalStatus,
      InferenceSpecification: {
        Containers: [{ Image: DEEPAR_IMAGE, ModelDataUrl: train.modelArtifacts }],
        SupportedContentTypes: ['application/json', 'application/jsonlines'],
        SupportedResponseMIMETypes: ['application/json', 'application/jsonlines'],
        SupportedRealtimeInferenceInstanceTypes: ['ml.c5.large'],
        SupportedTransformInstanceTypes: ['ml.c5.xlarge'],
      },
      ModelMetrics: {
        ModelQuality: {
          Statistics: { ContentType: 'application/json', S3Uri: evaluate.output('model_quality_uri') },
        },
      },
      CustomerMetadataProperties: {
        trigger_reason: triggerReason,
        data_window_start: prepare.output('data_window_start'),
        data_window_end: prepare.output('data_window_end'),
        mean_wql: asString(evaluate.output('mean_wql')),
        evaluation_report: evaluate.output('evaluation_uri'),
      },
    },
  });
  const reject = new FailStep('RejectModel', {
    errorMessage: new Join({
      on: ' ',
      values: ['mean wQL', evaluate.output('mean_wql'), 'is above the gate threshold', gateThreshold],
    }),
  });
  const gate = new ConditionStep('GateOnMeanWql', {
    conditions: [new ConditionLessThanOrEqualTo(evaluate.output('mean_wql'), gateThreshold)],
    ifSteps: [register],
    elseSteps: [reject],
  });

  const parameters = [
    triggerReason,
    trainingInstanceType,
    epochs,
    windowDays,
    backtestWindows,
    approvalStatus,
  ];
  const steps = [train, model, backtest, evaluate, gate];
  return new PipelineDefinition({
    parameters: options.omitGateParameter ? parameters : [...parameters, gateThreshold],
    steps: options.omitPrepareStep ? steps : [prepare, ...steps],
  });
}

/** Every object below `value` (the value itself included). */
function objectsIn(value: JsonValue): Record<string, JsonValue>[] {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  if (!isJsonObject(value)) return [];
  return [value, ...Object.values(value).flatMap(objectsIn)];
}

/** Top-level steps and the steps of Condition branches. */
function allSteps(document: PipelineDefinitionDocument): Record<string, JsonValue>[] {
  const flatten = (steps: JsonValue[]): Record<string, JsonValue>[] =>
    steps.filter(isJsonObject).flatMap((step) => {
      const args = isJsonObject(step.Arguments) ? step.Arguments : {};
      const branches = [args.IfSteps, args.ElseSteps].filter(Array.isArray).flat();
      return [step, ...flatten(branches)];
    });
  return flatten(document.Steps as unknown as JsonValue[]);
}

describe('DeepAR-shaped definition', () => {
  const document = deepArDefinition().render();
  const steps = allSteps(document);
  const stepByName = new Map(steps.map((step) => [step.Name as string, step]));

  test('validates against the evidence-extended schema', () => {
    expect(validateDefinition(document)).toEqual({ valid: true, errors: [], issues: [] });
  });

  test('has the Lambda, Training, Model, Transform, Condition, RegisterModel and Fail steps', () => {
    expect(new Set(steps.map((step) => step.Type))).toEqual(
      new Set(['Lambda', 'Training', 'Model', 'Transform', 'Condition', 'RegisterModel', 'Fail']),
    );
    expect(document.Version).toBe('2020-12-01');
  });

  test('trains with the given DeepAR image', () => {
    const training = steps.find((step) => step.Type === 'Training') as {
      Arguments: { AlgorithmSpecification: unknown };
    };
    expect(training.Arguments.AlgorithmSpecification).toEqual({
      TrainingImage: DEEPAR_IMAGE,
      TrainingInputMode: 'File',
    });
  });

  test('every Get references a declared parameter, a known execution variable or an existing step output', () => {
    const parameters = new Set(document.Parameters.map((parameter) => parameter.Name));
    const gets = objectsIn(document as unknown as JsonValue)
      .map((object) => object.Get)
      .filter((get): get is string => typeof get === 'string');
    expect(gets.length).toBeGreaterThan(10);
    for (const get of gets) {
      const [root, name, ...rest] = get.split('.');
      if (root === 'Parameters') {
        expect({ get, declared: parameters.has(name) }).toEqual({ get, declared: true });
      } else if (root === 'Execution') {
        expect(['PipelineExecutionId', 'PipelineName']).toContain(name);
      } else {
        expect(root).toBe('Steps');
        const [stepName] = `${name}.${rest.join('.')}`.split('.');
        const step = stepByName.get(stepName);
        expect({ get, stepExists: step !== undefined }).toEqual({ get, stepExists: true });
        const output = /OutputParameters\['(.+)'\]$/.exec(get);
        if (output !== null) {
          const declared = (step?.OutputParameters as { OutputName: string }[]).map(
            (entry) => entry.OutputName,
          );
          expect(declared).toContain(output[1]);
        }
      }
    }
  });

  test('the gate compares mean wQL with the Float parameter, with no literal threshold', () => {
    const gate = steps.find((step) => step.Type === 'Condition') as {
      Arguments: { Conditions: JsonValue[] };
    };
    expect(gate.Arguments.Conditions).toEqual([
      {
        Type: 'LessThanOrEqualTo',
        LeftValue: { Get: "Steps.EvaluateBacktest.OutputParameters['mean_wql']" },
        RightValue: { Get: 'Parameters.GateThreshold' },
      },
    ]);
    const numbers = JSON.stringify(gate.Arguments.Conditions).match(/[:[,]\s*-?\d/g);
    expect(numbers).toBeNull();
    expect(document.Parameters.find((parameter) => parameter.Name === 'GateThreshold')).toMatchObject({
      Type: 'Float',
    });
  });

  test('the Fail message gives the metric and the threshold', () => {
    const fail = stepByName.get('RejectModel') as {
      Arguments: { ErrorMessage: { 'Std:Join': { Values: JsonValue[] } } };
    };
    expect(fail.Arguments.ErrorMessage['Std:Join'].Values).toEqual(
      expect.arrayContaining([
        { Get: "Steps.EvaluateBacktest.OutputParameters['mean_wql']" },
        { Get: 'Parameters.GateThreshold' },
      ]),
    );
  });

  test('the registered model records the trigger reason and the data window', () => {
    const register = stepByName.get('RegisterDeepAR') as {
      Arguments: { CustomerMetadataProperties: unknown };
    };
    expect(register.Arguments.CustomerMetadataProperties).toMatchObject({
      trigger_reason: { Get: 'Parameters.TriggerReason' },
      data_window_start: { Get: "Steps.PrepareData.OutputParameters['data_window_start']" },
      data_window_end: { Get: "Steps.PrepareData.OutputParameters['data_window_end']" },
    });
  });

  test('a missing gate parameter is an error naming it', () => {
    expect(() => deepArDefinition({ omitGateParameter: true }).render()).toThrow(
      /unknown parameter "GateThreshold"/,
    );
  });

  test('a missing prepare-data step is an error naming it, for each step that reads its outputs', () => {
    try {
      deepArDefinition({ omitPrepareStep: true }).render();
      throw new Error('render did not fail');
    } catch (error) {
      expect(error).toBeInstanceOf(PipelineDefinitionError);
      const problems = (error as PipelineDefinitionError).problems.filter((problem) =>
        problem.includes('unknown step "PrepareData"'),
      );
      expect(problems.map((problem) => /^step "([^"]+)"/.exec(problem)?.[1])).toEqual(
        expect.arrayContaining(['TrainDeepAR', 'BacktestTransform', 'EvaluateBacktest', 'RegisterDeepAR']),
      );
    }
  });

  test('a reference to an output the Lambda step does not declare is an error naming it', () => {
    const definition = deepArDefinition();
    const evaluate = definition.steps.find((step) => step.name === 'EvaluateBacktest') as LambdaStep;
    expect(() => evaluate.output('mean_wape')).toThrow(/declares no output "mean_wape"/);
    const raw = new FailStep('Raw', {
      errorMessage: asString(new StepProperty('EvaluateBacktest', "OutputParameters['mean_wape']")),
    });
    const withRaw = new PipelineDefinition({
      parameters: definition.parameters,
      steps: [...definition.steps, raw],
    });
    expect(() => withRaw.render()).toThrow(
      /step "EvaluateBacktest" declares no output parameter "mean_wape"/,
    );
  });
});
