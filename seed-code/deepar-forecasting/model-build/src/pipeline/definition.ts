// The DeepAR model-build pipeline definition: PrepareData (Lambda) → TrainDeepAR (Training) →
// DeepARModel-<project-id> (Model) → BacktestTransform (Transform) → EvaluateBacktest (Lambda) →
// GateOnMeanWql (Condition: mean wQL ≤ the GateThreshold parameter) → RegisterDeepAR (RegisterModel)
// or RejectModel (Fail). Built with @mlops-templates/pipeline-definition; no AWS call here.
import { DEFAULT_QUANTILES } from '@mlops-templates/metrics';
import {
  asString,
  ConditionLessThanOrEqualTo,
  ConditionStep,
  ExecutionVariables,
  FailStep,
  Join,
  JoinValue,
  LambdaStep,
  ModelStep,
  ParameterFloat,
  ParameterInteger,
  ParameterString,
  PipelineDefinition,
  RegisterModelStep,
  TrainingStep,
  TransformStep,
} from '@mlops-templates/pipeline-definition';
import { deepArImageUri } from './image-uri';
import { bucketPrefixUri, projectTags, stepFunctionArn } from './names';
import { ModelBuildEnvironment } from '../config/environment';
import { DeepArHyperparameters, resolveContextLength } from '../config/hyperparameters';
import { PipelineConfig } from '../config/pipeline-config';
import { TRAIN_DATA_FILE } from '../steps/prepare-data/prepare';

/** Names of the pipeline's parameters (the run script sets TriggerReason and GateThreshold). */
export const PARAMETER_NAMES = {
  triggerReason: 'TriggerReason',
  gateThreshold: 'GateThreshold',
  trainingWindowDays: 'TrainingWindowDays',
  backtestWindows: 'BacktestWindows',
  dataWindowEnd: 'DataWindowEnd',
  contextLength: 'ContextLength',
  epochs: 'Epochs',
  learningRate: 'LearningRate',
  miniBatchSize: 'MiniBatchSize',
  trainingInstanceType: 'TrainingInstanceType',
  transformInstanceType: 'TransformInstanceType',
  modelApprovalStatus: 'ModelApprovalStatus',
} as const;

export interface DefinitionInputs {
  readonly env: ModelBuildEnvironment;
  readonly hyperparameters: DeepArHyperparameters;
  readonly config: PipelineConfig;
}

/** The DeepAR inference configuration of the backtest: the project's one quantile set. */
export function deepArInferenceConfig(numSamples: number): {
  num_samples: number;
  output_types: string[];
  quantiles: string[];
} {
  return { num_samples: numSamples, output_types: ['mean', 'quantiles'], quantiles: [...DEFAULT_QUANTILES] };
}

/** The Model step's name: it contains the project id, so the generated model name does too. */
export function modelStepName(projectId: string): string {
  return `DeepARModel-${projectId}`;
}

export function buildPipelineDefinition({
  env,
  hyperparameters,
  config,
}: DefinitionInputs): PipelineDefinition {
  const image = deepArImageUri(env.AWS_REGION);
  const role = env.SAGEMAKER_EXECUTION_ROLE_ARN;
  const kmsKeyId = env.PROJECT_KMS_KEY_ARN || undefined;
  const tags = projectTags(env);
  const predictionLength = env.PREDICTION_LENGTH;

  const triggerReason = new ParameterString(PARAMETER_NAMES.triggerReason, {
    defaultValue: 'push',
    description:
      'Why this execution runs, e.g. push or retrain-alarm:<alarm-name>; recorded on the registered model',
  });
  const gateThreshold = new ParameterFloat(PARAMETER_NAMES.gateThreshold, {
    defaultValue: config.gate.defaultThreshold,
    description:
      'Largest backtest mean wQL that registers the model (pipeline:run sets it from SSM at start time)',
  });
  const trainingWindowDays = new ParameterInteger(PARAMETER_NAMES.trainingWindowDays, {
    defaultValue: config.data.trainingWindowDays,
    description: 'Days of history read (training data + backtest windows)',
  });
  const backtestWindows = new ParameterInteger(PARAMETER_NAMES.backtestWindows, {
    defaultValue: config.data.backtestWindows,
    description: 'Backtest windows K, each prediction_length steps, at the end of the data window',
  });
  const dataWindowEnd = new ParameterString(PARAMETER_NAMES.dataWindowEnd, {
    defaultValue: 'latest',
    description: '"latest" (the execution time) or an ISO-8601 instant: end of the data window',
  });
  const contextLength = new ParameterInteger(PARAMETER_NAMES.contextLength, {
    defaultValue: resolveContextLength(hyperparameters, predictionLength),
    description: 'DeepAR context_length (time steps)',
  });
  const epochs = new ParameterInteger(PARAMETER_NAMES.epochs, { defaultValue: hyperparameters.epochs });
  const learningRate = new ParameterFloat(PARAMETER_NAMES.learningRate, {
    defaultValue: hyperparameters.learning_rate,
  });
  const miniBatchSize = new ParameterInteger(PARAMETER_NAMES.miniBatchSize, {
    defaultValue: hyperparameters.mini_batch_size,
  });
  const trainingInstanceType = new ParameterString(PARAMETER_NAMES.trainingInstanceType, {
    defaultValue: config.training.instanceType,
  });
  const transformInstanceType = new ParameterString(PARAMETER_NAMES.transformInstanceType, {
    defaultValue: config.transform.instanceType,
  });
  const modelApprovalStatus = new ParameterString(PARAMETER_NAMES.modelApprovalStatus, {
    defaultValue: config.registration.autoApprove ? 'Approved' : 'PendingManualApproval',
    description: 'Approved or PendingManualApproval (config/pipeline.json registration.autoApprove)',
  });

  const executionId = ExecutionVariables.PIPELINE_EXECUTION_ID;
  const trainingBase = bucketPrefixUri(env, env.TRAINING_PREFIX);
  const executionUri = (suffix: string): Join =>
    new Join({ on: '/', values: [trainingBase, executionId, suffix] });

  const prepare = new LambdaStep('PrepareData', {
    functionArn: stepFunctionArn(env, 'prepare-data'),
    description:
      'Reads the data window, resamples it and writes the DeepAR training set and backtest windows',
    arguments: {
      data_source_type: env.DATA_SOURCE_TYPE,
      config_parameter_name: env.CONFIG_PARAMETER_NAME,
      frequency: env.FREQUENCY,
      prediction_length: predictionLength,
      context_length: contextLength,
      backtest_windows: backtestWindows,
      training_window_days: trainingWindowDays,
      data_window_end: dataWindowEnd,
      resample_aggregation: config.data.resampleAggregation,
      output_uri: executionUri('data'),
      athena_output_uri: executionUri('athena'),
      kms_key_arn: kmsKeyId ?? '',
    },
    outputs: [
      { name: 'train_uri', type: 'String' },
      { name: 'backtest_input_uri', type: 'String' },
      { name: 'backtest_uri', type: 'String' },
      { name: 'data_window_start', type: 'String' },
      { name: 'data_window_end', type: 'String' },
      { name: 'series_count', type: 'Integer' },
      { name: 'skipped_series', type: 'Integer' },
      { name: 'backtest_windows', type: 'Integer' },
    ],
  });

  const train = new TrainingStep('TrainDeepAR', {
    description: 'Trains DeepAR on the data before the first backtest window',
    arguments: {
      AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
      RoleArn: role,
      OutputDataConfig: {
        S3OutputPath: new Join({ on: '/', values: [bucketPrefixUri(env, env.MODELS_PREFIX), executionId] }),
        ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}),
      },
      ResourceConfig: {
        InstanceCount: config.training.instanceCount,
        InstanceType: trainingInstanceType,
        VolumeSizeInGB: config.training.volumeSizeInGB,
      },
      StoppingCondition: { MaxRuntimeInSeconds: config.training.maxRuntimeInSeconds },
      HyperParameters: {
        time_freq: env.FREQUENCY,
        prediction_length: String(predictionLength),
        context_length: asString(contextLength),
        epochs: asString(epochs),
        learning_rate: asString(learningRate),
        mini_batch_size: asString(miniBatchSize),
        num_cells: String(hyperparameters.num_cells),
        num_layers: String(hyperparameters.num_layers),
        dropout_rate: String(hyperparameters.dropout_rate),
        likelihood: hyperparameters.likelihood,
        embedding_dimension: String(hyperparameters.embedding_dimension),
      },
      InputDataConfig: [
        {
          ChannelName: 'train',
          DataSource: {
            S3DataSource: {
              S3DataType: 'S3Prefix',
              // The file itself (train_uri ends with "/"): its `.json` extension is how DeepAR knows
              // the format, since the channel sets no ContentType (see TRAIN_DATA_FILE).
              S3Uri: new Join({ on: '', values: [prepare.output('train_uri'), TRAIN_DATA_FILE] }),
              S3DataDistributionType: 'FullyReplicated',
            },
          },
        },
      ],
      Tags: tags,
    },
  });

  const model = new ModelStep(modelStepName(env.SAGEMAKER_PROJECT_ID), {
    description: 'Creates the SageMaker model of the trained DeepAR artifact',
    arguments: {
      ExecutionRoleArn: role,
      PrimaryContainer: { Image: image, ModelDataUrl: train.modelArtifacts },
      Tags: tags,
    },
  });

  const transform = new TransformStep('BacktestTransform', {
    description: 'Forecasts every backtest window from its history',
    arguments: {
      ModelName: model.modelName,
      BatchStrategy: config.transform.batchStrategy,
      MaxPayloadInMB: config.transform.maxPayloadInMB,
      Environment: {
        DEEPAR_INFERENCE_CONFIG: JSON.stringify(deepArInferenceConfig(config.transform.numSamples)),
      },
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: prepare.output('backtest_input_uri') } },
        ContentType: 'application/jsonlines',
        SplitType: 'Line',
      },
      TransformOutput: {
        S3OutputPath: executionUri('predictions'),
        Accept: 'application/jsonlines',
        AssembleWith: 'Line',
        ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}),
      },
      TransformResources: {
        InstanceCount: config.transform.instanceCount,
        InstanceType: transformInstanceType,
      },
      Tags: tags,
    },
  });

  const evaluate = new LambdaStep('EvaluateBacktest', {
    functionArn: stepFunctionArn(env, 'evaluate'),
    description: 'wQL per quantile, mean wQL and RMSE per backtest window and overall',
    arguments: {
      backtest_uri: prepare.output('backtest_uri'),
      predictions_uri: transform.outputPath,
      // A comma-separated string: Lambda step arguments are safest as scalars.
      quantiles: DEFAULT_QUANTILES.join(','),
      prediction_length: predictionLength,
      output_uri: executionUri('evaluation'),
      kms_key_arn: kmsKeyId ?? '',
      model_artifacts: train.modelArtifacts,
      trigger_reason: triggerReason,
    },
    outputs: [
      { name: 'mean_wql', type: 'Float' },
      { name: 'rmse', type: 'Float' },
      { name: 'window_wql', type: 'String' },
      { name: 'evaluation_uri', type: 'String' },
      { name: 'model_quality_uri', type: 'String' },
      { name: 'points', type: 'Integer' },
    ],
  });
  const meanWql = evaluate.output('mean_wql');

  const register = new RegisterModelStep('RegisterDeepAR', {
    description: 'Registers the model version with its backtest metrics',
    arguments: {
      ModelPackageGroupName: env.MODEL_PACKAGE_GROUP_NAME,
      ModelApprovalStatus: modelApprovalStatus,
      ModelPackageDescription: new Join({
        on: '',
        values: ['DeepAR, backtest mean wQL ', meanWql, ', trigger: ', triggerReason],
      }),
      InferenceSpecification: {
        Containers: [{ Image: image, ModelDataUrl: train.modelArtifacts }],
        SupportedContentTypes: ['application/json', 'application/jsonlines'],
        SupportedResponseMIMETypes: ['application/json', 'application/jsonlines'],
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
        data_source_type: env.DATA_SOURCE_TYPE,
        frequency: env.FREQUENCY,
        prediction_length: String(predictionLength),
        context_length: asString(contextLength),
        quantiles: DEFAULT_QUANTILES.join(','),
        mean_wql: asString(meanWql),
        backtest_windows: asString(prepare.output('backtest_windows')),
        backtest_window_wql: evaluate.output('window_wql'),
        gate_threshold: asString(gateThreshold),
        evaluation_report: evaluate.output('evaluation_uri'),
        pipeline_execution_arn: ExecutionVariables.PIPELINE_EXECUTION_ARN,
        hyperparameters_version: String(hyperparameters.version),
      },
      // No Tags: the published schema (and its evidence-based extensions) has no Tags on RegisterModel;
      // the project's teardown deletes every package of the group whatever its tags.
    },
  });

  const failureMessage: JoinValue[] = [
    'Backtest mean wQL ',
    meanWql,
    ' is above the gate threshold ',
    gateThreshold,
    '; the model was not registered (trigger: ',
    triggerReason,
    ')',
  ];
  const reject = new FailStep('RejectModel', { errorMessage: new Join({ on: '', values: failureMessage }) });

  const gate = new ConditionStep('GateOnMeanWql', {
    description: 'Registers the model only when its backtest mean wQL is at most GateThreshold',
    conditions: [new ConditionLessThanOrEqualTo(meanWql, gateThreshold)],
    ifSteps: [register],
    elseSteps: [reject],
  });

  return new PipelineDefinition({
    parameters: [
      triggerReason,
      gateThreshold,
      trainingWindowDays,
      backtestWindows,
      dataWindowEnd,
      contextLength,
      epochs,
      learningRate,
      miniBatchSize,
      trainingInstanceType,
      transformInstanceType,
      modelApprovalStatus,
    ],
    steps: [prepare, train, model, transform, evaluate, gate],
  });
}
