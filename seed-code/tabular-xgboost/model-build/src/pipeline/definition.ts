// The tabular model-build pipeline definition: PrepareData (Processing, scikit-learn image) →
// TrainXGBoost (Training, built-in XGBoost) → EvaluateModel (Processing, XGBoost image; evaluation.json
// is a property file) → DataQualityBaseline and ModelQualityBaseline (QualityCheck, Model Monitor
// analyzer) → GateOnMetric (Condition on the test-set GATE_METRIC against the GateThreshold parameter)
// → RegisterXGBoost (RegisterModel with model metrics and drift-check baselines) or RejectModel (Fail).
// Built with @mlops-templates/pipeline-definition; no AWS call here.
import {
  asString,
  ConditionGreaterThanOrEqualTo,
  ConditionLessThanOrEqualTo,
  ConditionStep,
  ExecutionVariables,
  FailStep,
  Join,
  modelMonitorAnalyzerImageUri,
  ParameterFloat,
  ParameterString,
  PipelineDefinition,
  PipelineVariable,
  ProcessingArguments,
  ProcessingStep,
  projectTags,
  PropertyFile,
  QualityCheckStep,
  RegisterModelStep,
  sklearnImageUri,
  TrainingStep,
  xgboostImageUri,
  XGBOOST_VERSION,
} from '@mlops-templates/pipeline-definition';
import type { ProcessingInstanceType } from '@aws-sdk/client-sagemaker';
import {
  DATA_QUALITY_BASELINE_WINDOW_HOURS,
  TABULAR_MODEL_PACKAGE_METADATA as METADATA,
} from '@mlops-templates/project-contract';
import type { ResolvedDataSource } from './data-source';
import { CODE_DIR, EVALUATE, PREPARE, scriptObjects } from './processing';
import { gateDirection, PROBLEM_SETTINGS } from './problem';
import { ModelBuildEnvironment } from '../config/environment';
import { hyperparameterStrings, XgboostHyperparameters } from '../config/hyperparameters';
import { PipelineConfig } from '../config/pipeline-config';

/** Names of the pipeline's parameters (pipeline:run and the retrain Lambda set the first two). */
export const PARAMETER_NAMES = {
  triggerReason: 'TriggerReason',
  gateThreshold: 'GateThreshold',
  inputDataUri: 'InputDataUri',
  processingInstanceType: 'ProcessingInstanceType',
  trainingInstanceType: 'TrainingInstanceType',
  modelApprovalStatus: 'ModelApprovalStatus',
} as const;

/** Names of the steps (the README and the tests refer to them). */
export const STEP_NAMES = {
  prepare: 'PrepareData',
  train: 'TrainXGBoost',
  evaluate: 'EvaluateModel',
  dataQuality: 'DataQualityBaseline',
  modelQuality: 'ModelQualityBaseline',
  gate: 'GateOnMetric',
  register: 'RegisterXGBoost',
  reject: 'RejectModel',
} as const;

/** Property files: the prepare report (num_class) and the evaluation (the gate metric). */
export const PROPERTY_FILES = { prepare: 'PrepareReport', evaluation: 'EvaluationReport' } as const;

/** Model Monitor analyzer's dataset format for header CSV files (its `dataset_format` environment). */
export const CSV_WITH_HEADER = JSON.stringify({ csv: { header: true, output_columns_position: 'START' } });

export interface DefinitionInputs {
  readonly env: ModelBuildEnvironment;
  /** Where PrepareData reads (data-source.ts: DATA_SOURCE_URI, or a Feature Group's offline store). */
  readonly dataSource: ResolvedDataSource;
  readonly hyperparameters: XgboostHyperparameters;
  readonly config: PipelineConfig;
}

const trim = (prefix: string): string => prefix.replace(/^\/+|\/+$/g, '');

// Limits of CreateModelPackage's CustomerMetadataProperties (SageMaker API Reference,
// "CreateModelPackage": at most 50 entries; the key and value constraints are those of CloudFormation's
// AWS::SageMaker::ModelPackage CustomerMetadataProperties page): keys of 1-128 and values of 1-256
// characters, letters, numbers, spaces and _ . : / = + - @ only. Registration is the pipeline's last
// step, so an entry CreateModelPackage would refuse is an error here, before anything runs.
export const CUSTOMER_METADATA_LIMITS = { entries: 50, keyLength: 128, valueLength: 256 } as const;
const METADATA_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The parts of a metadata value known now: a string, or the strings of a Join (with its separators). */
function staticText(value: string | PipelineVariable): string {
  if (typeof value === 'string') return value;
  if (!(value instanceof Join)) return '';
  const parts = value.values.map((v) =>
    typeof v === 'string' || v instanceof PipelineVariable ? staticText(v) : String(v),
  );
  return parts.join(value.on);
}

/**
 * Checks CustomerMetadataProperties against {@link CUSTOMER_METADATA_LIMITS}: the count, every key,
 * and what is known now of every value (a value built at run time only gets longer).
 */
export function checkCustomerMetadata(properties: Readonly<Record<string, string | PipelineVariable>>): void {
  const entries = Object.entries(properties);
  const problems: string[] = [];
  if (entries.length > CUSTOMER_METADATA_LIMITS.entries) {
    problems.push(`${entries.length} entries (at most ${CUSTOMER_METADATA_LIMITS.entries})`);
  }
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > CUSTOMER_METADATA_LIMITS.keyLength || !METADATA_CHARACTERS.test(key)) {
      problems.push(
        `key ${JSON.stringify(key)}: 1-${CUSTOMER_METADATA_LIMITS.keyLength} letters, numbers, spaces or _.:/=+-@`,
      );
    }
    const text = staticText(value);
    if (typeof value === 'string' && text.length < 1) problems.push(`${key}: empty value`);
    if (text.length > CUSTOMER_METADATA_LIMITS.valueLength) {
      problems.push(
        `${key}: ${text.length} characters${typeof value === 'string' ? '' : ' before the run-time parts'} (at most ${CUSTOMER_METADATA_LIMITS.valueLength}): ${JSON.stringify(text)}`,
      );
    }
    if (!METADATA_CHARACTERS.test(text)) {
      problems.push(
        `${key}: ${JSON.stringify(text)} has a character other than letters, numbers, spaces or _.:/=+-@`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `the model package's CustomerMetadataProperties would be refused by CreateModelPackage: ${problems.join('; ')}`,
    );
  }
}

export function buildPipelineDefinition({
  env,
  dataSource,
  hyperparameters,
  config,
}: DefinitionInputs): PipelineDefinition {
  const problem = PROBLEM_SETTINGS[env.PROBLEM_TYPE];
  const metric = env.GATE_METRIC;
  const role = env.SAGEMAKER_EXECUTION_ROLE_ARN;
  const kmsKeyId = env.PROJECT_KMS_KEY_ARN || undefined;
  const tags = projectTags(env);
  const bucket = `s3://${env.PROJECT_BUCKET}`;
  const xgboostImage = xgboostImageUri(env.AWS_REGION);
  const scripts = Object.fromEntries(
    scriptObjects(env.TRAINING_PREFIX).map((s) => [s.file, `${bucket}/${s.key}`]),
  );
  /** `s3://bucket/<training prefix><execution id>/<parts…>`: one folder per execution. */
  const runUri = (...parts: [string, ...string[]]): Join =>
    new Join({
      on: '/',
      values: [`${bucket}/${trim(env.TRAINING_PREFIX)}`, ExecutionVariables.PIPELINE_EXECUTION_ID, ...parts],
    });

  const triggerReason = new ParameterString(PARAMETER_NAMES.triggerReason, {
    defaultValue: 'push',
    description:
      'Why this execution runs (push, manual, retrain-alarm:<alarm>); recorded on the model package.',
  });
  const gateThreshold = new ParameterFloat(PARAMETER_NAMES.gateThreshold, {
    defaultValue: config.gate.defaultThresholds[metric],
    description: `Test-set ${metric} the model must reach (${gateDirection(metric) === 'at-most' ? 'at most' : 'at least'}) to be registered; pipeline:run sets it from SSM.`,
  });
  const inputDataUri = new ParameterString(PARAMETER_NAMES.inputDataUri, {
    defaultValue: dataSource.inputDataUri,
    description:
      dataSource.featureGroup === undefined
        ? 'S3 prefix of the CSV (with header) and Parquet files to train on.'
        : `Offline store of Feature Group ${dataSource.featureGroup.name} (its Parquet files).`,
  });
  const processingInstanceType = new ParameterString(PARAMETER_NAMES.processingInstanceType, {
    defaultValue: env.PROCESSING_INSTANCE_TYPE ?? config.processing.instanceType,
  });
  const trainingInstanceType = new ParameterString(PARAMETER_NAMES.trainingInstanceType, {
    defaultValue: env.TRAINING_INSTANCE_TYPE ?? config.training.instanceType,
  });
  const modelApprovalStatus = new ParameterString(PARAMETER_NAMES.modelApprovalStatus, {
    defaultValue: config.registration.autoApprove ? 'Approved' : 'PendingManualApproval',
  });

  const codeInput = (script: string) => ({
    InputName: 'code',
    S3Input: {
      S3Uri: scripts[script],
      LocalPath: CODE_DIR,
      S3DataType: 'S3Prefix' as const,
      S3InputMode: 'File' as const,
    },
  });
  const s3Input = (name: string, uri: string | PipelineVariable, localPath: string) => ({
    InputName: name,
    S3Input: {
      S3Uri: uri,
      LocalPath: localPath,
      S3DataType: 'S3Prefix' as const,
      S3InputMode: 'File' as const,
    },
  });
  const s3Output = (name: string, localPath: string, uri: Join) => ({
    OutputName: name,
    S3Output: { S3Uri: uri, LocalPath: localPath, S3UploadMode: 'EndOfJob' as const },
  });
  const cluster = (
    instanceType: ProcessingInstanceType | PipelineVariable,
    instanceCount: number,
    volumeSizeInGB: number,
  ) => ({
    ClusterConfig: {
      InstanceCount: instanceCount,
      InstanceType: instanceType,
      VolumeSizeInGB: volumeSizeInGB,
      ...(kmsKeyId ? { VolumeKmsKeyId: kmsKeyId } : {}),
    },
  });
  const outputConfig = (outputs: ReturnType<typeof s3Output>[]) => ({
    Outputs: outputs,
    ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}),
  });
  const processingJob = (
    image: string,
    script: string,
    args: ReadonlyArray<string | PipelineVariable>,
    inputs: ProcessingArguments['ProcessingInputs'],
    outputs: Record<string, string>,
  ): ProcessingArguments => ({
    AppSpecification: {
      ImageUri: image,
      ContainerEntrypoint: ['python3', `${CODE_DIR}/${script}`],
      ContainerArguments: args,
    },
    RoleArn: role,
    ProcessingResources: cluster(
      processingInstanceType,
      config.processing.instanceCount,
      config.processing.volumeSizeInGB,
    ),
    ProcessingInputs: [...(inputs ?? []), codeInput(script)],
    ProcessingOutputConfig: outputConfig(
      Object.entries(outputs).map(([name, localPath]) => s3Output(name, localPath, runUri(name))),
    ),
    StoppingCondition: { MaxRuntimeInSeconds: config.processing.maxRuntimeInSeconds },
    Tags: tags,
  });

  // 1. Prepare/split (the identity columns are no features).
  const identity = dataSource.identityColumns;
  const prepareReport = new PropertyFile({
    name: PROPERTY_FILES.prepare,
    outputName: 'report',
    path: PREPARE.reportFile,
  });
  const prepare = new ProcessingStep(STEP_NAMES.prepare, {
    arguments: processingJob(
      sklearnImageUri(env.AWS_REGION),
      PREPARE.script,
      [
        '--target-column',
        env.TARGET_COLUMN,
        '--problem-type',
        env.PROBLEM_TYPE,
        '--test-fraction',
        String(config.split.testFraction),
        '--validation-fraction',
        String(config.split.validationFraction),
        '--seed',
        String(config.split.seed),
        // The data-quality baseline: the newest hours by event time, the span monitoring's retrain
        // alarms wait for (one value in the project contract).
        '--baseline-window-hours',
        String(DATA_QUALITY_BASELINE_WINDOW_HOURS),
        ...(identity.recordIdentifier === undefined
          ? []
          : ['--record-identifier-column', identity.recordIdentifier]),
        ...(identity.eventTime === undefined ? [] : ['--event-time-column', identity.eventTime]),
        ...(dataSource.featureGroup === undefined ? [] : [PREPARE.featureGroupFlag]),
      ],
      [s3Input('data', inputDataUri, PREPARE.dataDir)],
      PREPARE.outputs,
    ),
    propertyFiles: [prepareReport],
  });

  // 2. Train with the built-in XGBoost algorithm (CSV: label first, no header).
  const channel = (name: 'train' | 'validation') => ({
    ChannelName: name,
    ContentType: 'text/csv',
    DataSource: {
      S3DataSource: {
        S3DataType: 'S3Prefix' as const,
        S3Uri: prepare.outputUri(name),
        S3DataDistributionType: 'FullyReplicated' as const,
      },
    },
  });
  const train = new TrainingStep(STEP_NAMES.train, {
    arguments: {
      AlgorithmSpecification: { TrainingImage: xgboostImage, TrainingInputMode: 'File' },
      RoleArn: role,
      HyperParameters: {
        ...hyperparameterStrings(hyperparameters),
        objective: problem.objective,
        eval_metric: problem.evalMetric,
        ...(problem.needsNumClass
          ? { num_class: asString(prepare.jsonGet(prepareReport, 'num_class')) }
          : {}),
      },
      InputDataConfig: [channel('train'), channel('validation')],
      OutputDataConfig: {
        S3OutputPath: new Join({
          on: '/',
          values: [`${bucket}/${trim(env.MODELS_PREFIX)}`, ExecutionVariables.PIPELINE_EXECUTION_ID],
        }),
        ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}),
      },
      ResourceConfig: {
        InstanceCount: config.training.instanceCount,
        InstanceType: trainingInstanceType,
        VolumeSizeInGB: config.training.volumeSizeInGB,
        ...(kmsKeyId ? { VolumeKmsKeyId: kmsKeyId } : {}),
      },
      StoppingCondition: { MaxRuntimeInSeconds: config.training.maxRuntimeInSeconds },
      Tags: tags,
    },
  });

  // 3. Evaluate on the test set (the XGBoost image has xgboost, pandas and scikit-learn).
  const evaluationReport = new PropertyFile({
    name: PROPERTY_FILES.evaluation,
    outputName: 'evaluation',
    path: EVALUATE.evaluationFile,
  });
  const evaluate = new ProcessingStep(STEP_NAMES.evaluate, {
    arguments: processingJob(
      xgboostImage,
      EVALUATE.script,
      ['--problem-type', env.PROBLEM_TYPE],
      [
        s3Input('model', train.modelArtifacts, EVALUATE.modelDir),
        s3Input('test', prepare.outputUri('test'), EVALUATE.testDir),
      ],
      EVALUATE.outputs,
    ),
    propertyFiles: [evaluationReport],
  });

  // 4. Model Monitor baselines: data quality of the training features of the newest
  // DATA_QUALITY_BASELINE_WINDOW_HOURS (prepare.py's baseline/), model quality of the test predictions.
  const analyzer = (
    dataset: PipelineVariable,
    output: string,
    environment: Record<string, string>,
  ): ProcessingArguments => ({
    AppSpecification: { ImageUri: modelMonitorAnalyzerImageUri(env.AWS_REGION) },
    RoleArn: role,
    ProcessingResources: cluster(
      config.baselines.instanceType as ProcessingInstanceType,
      1,
      config.baselines.volumeSizeInGB,
    ),
    ProcessingInputs: [
      s3Input('baseline_dataset_input', dataset, '/opt/ml/processing/input/baseline_dataset_input'),
    ],
    ProcessingOutputConfig: outputConfig([
      s3Output('quality_check_output', '/opt/ml/processing/output', runUri(output)),
    ]),
    Environment: {
      dataset_format: CSV_WITH_HEADER,
      dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
      output_path: '/opt/ml/processing/output',
      publish_cloudwatch_metrics: 'Disabled',
      ...environment,
    },
    StoppingCondition: { MaxRuntimeInSeconds: config.baselines.maxRuntimeInSeconds },
    Tags: tags,
  });
  // The baselines are calculated and registered with the model (no drift check against an earlier
  // model here: the monitoring repository checks live traffic against them).
  const baselineFlags = {
    modelPackageGroupName: env.MODEL_PACKAGE_GROUP_NAME,
    skipCheck: true,
    registerNewBaseline: true,
  } as const;
  const dataQuality = new QualityCheckStep(STEP_NAMES.dataQuality, {
    checkType: 'DATA_QUALITY',
    arguments: analyzer(prepare.outputUri('baseline'), 'baselines/data-quality', {}),
    ...baselineFlags,
  });
  const [inference, ...rest] = problem.predictionColumns;
  const modelQuality = new QualityCheckStep(STEP_NAMES.modelQuality, {
    checkType: 'MODEL_QUALITY',
    arguments: analyzer(evaluate.outputUri('predictions'), 'baselines/model-quality', {
      analysis_type: 'MODEL_QUALITY',
      problem_type: problem.modelQualityProblemType,
      inference_attribute: inference,
      ground_truth_attribute: 'label',
      ...(rest.includes('probability')
        ? { probability_attribute: 'probability', probability_threshold_attribute: '0.5' }
        : {}),
    }),
    ...baselineFlags,
  });

  // 5. Gate, register or fail.
  const metricValue = evaluate.jsonGet(evaluationReport, `metrics.${metric}.value`);
  const atMost = gateDirection(metric) === 'at-most';
  // What model-deploy and monitoring read are the contract's keys (METADATA); the rest describe the run.
  const customerMetadata: Record<string, string | PipelineVariable> = {
    trigger_reason: triggerReason,
    [METADATA.problemType]: env.PROBLEM_TYPE,
    ...(problem.needsNumClass
      ? { [METADATA.numClasses]: asString(prepare.jsonGet(prepareReport, 'num_class')) }
      : {}),
    target_column: env.TARGET_COLUMN,
    gate_metric: metric,
    gate_threshold: asString(gateThreshold),
    [`test_${metric}`]: asString(metricValue),
    evaluation_report: evaluate.outputUri('evaluation'),
    // The folder of the prepare report (TABULAR_PREPARE_REPORT_FILE = PREPARE.reportFile below it).
    [METADATA.prepareReport]: prepare.outputUri('report'),
    // The object (not its folder: the endpoint test reads it with GetObject): the `sample` output's
    // S3Uri, runUri('sample'), and the file prepare.py writes below it, in one flat Join.
    [METADATA.samplePayload]: runUri('sample', PREPARE.sampleFile),
    pipeline_execution_arn: ExecutionVariables.PIPELINE_EXECUTION_ARN,
    hyperparameters_version: String(hyperparameters.version),
    xgboost_version: XGBOOST_VERSION,
  };
  checkCustomerMetadata(customerMetadata);
  const register = new RegisterModelStep(STEP_NAMES.register, {
    arguments: {
      ModelPackageGroupName: env.MODEL_PACKAGE_GROUP_NAME,
      ModelPackageDescription: `XGBoost ${env.PROBLEM_TYPE} model of ${env.TARGET_COLUMN} (SageMaker project ${env.SAGEMAKER_PROJECT_NAME})`,
      ModelApprovalStatus: modelApprovalStatus,
      InferenceSpecification: {
        Containers: [{ Image: xgboostImage, ModelDataUrl: train.modelArtifacts }],
        SupportedContentTypes: ['text/csv'],
        SupportedResponseMIMETypes: ['text/csv'],
      },
      ModelMetrics: {
        ModelQuality: modelQuality.calculatedBaseline(),
        ModelDataQuality: dataQuality.calculatedBaseline(),
      },
      DriftCheckBaselines: {
        ModelQuality: modelQuality.driftCheckBaseline(),
        ModelDataQuality: dataQuality.driftCheckBaseline(),
      },
      CustomerMetadataProperties: customerMetadata,
    },
  });
  const reject = new FailStep(STEP_NAMES.reject, {
    errorMessage: new Join({
      on: ' ',
      values: [
        `Test-set ${metric}`,
        metricValue,
        `is ${atMost ? 'above' : 'below'} the gate threshold`,
        new Join({ on: '', values: [gateThreshold, ';'] }),
        'the model was not registered (trigger:',
        new Join({ on: '', values: [triggerReason, ')'] }),
      ],
    }),
  });
  const gate = new ConditionStep(STEP_NAMES.gate, {
    conditions: [
      atMost
        ? new ConditionLessThanOrEqualTo(metricValue, gateThreshold)
        : new ConditionGreaterThanOrEqualTo(metricValue, gateThreshold),
    ],
    ifSteps: [register],
    elseSteps: [reject],
  });

  return new PipelineDefinition({
    parameters: [
      triggerReason,
      gateThreshold,
      inputDataUri,
      processingInstanceType,
      trainingInstanceType,
      modelApprovalStatus,
    ],
    steps: [prepare, train, evaluate, dataQuality, modelQuality, gate],
  });
}
