// The builder emits what the SageMaker Python SDK emits: the SDK's own unit-test expectations for
// Join, JsonGet and conditions, and a complete SDK-generated definition rebuilt step by step.
import {
  asString,
  ConditionEquals,
  ConditionGreaterThan,
  ConditionIn,
  ConditionLessThanOrEqualTo,
  ConditionNot,
  ConditionOr,
  ConditionStep,
  ExecutionVariables,
  FailStep,
  findDefinitionProblems,
  Join,
  JsonGet,
  LambdaStep,
  ModelStep,
  ParameterFloat,
  ParameterInteger,
  ParameterString,
  PipelineDefinition,
  ProcessingArguments,
  ProcessingStep,
  PropertyFile,
  RegisterModelStep,
  StepProperty,
  toJson,
  TrainingStep,
  TransformStep,
  PipelineVariable,
} from '../src';
import { loadFixture } from './helpers';

const sdkUnitTests = loadFixture('sdk-unittest-expected-dsl.json') as Record<string, Record<string, unknown>>;
const render = (value: unknown): unknown => toJson(value, 'test');

describe('functions match the SDK unit-test expectations', () => {
  const expected = sdkUnitTests.functions;

  test('Join of primitives', () => {
    expect(render(new Join({ on: ',', values: [1, 'a', false, 1.1] }))).toStrictEqual(
      expected.test_join_primitives,
    );
  });

  test('Join of parameters, a property, an execution variable and a nested Join (On defaults to "")', () => {
    const join = new Join({
      values: [
        'foo',
        new ParameterFloat('MyFloat'),
        new ParameterInteger('MyInt'),
        new ParameterString('MyStr'),
        new StepProperty('foo', 'OutputPath.S3Uri'),
        ExecutionVariables.PIPELINE_EXECUTION_ID,
        new Join({ on: ',', values: [1, 'a', false, 1.1] }),
      ],
    });
    expect(render(join)).toStrictEqual(expected.test_join_expressions);
  });

  test('JsonGet by names and by PropertyFile object', () => {
    const byName = new JsonGet({ step: 'my-step', propertyFile: 'my-property-file', path: 'my-json-path' });
    expect(render(byName)).toStrictEqual(expected.test_json_get_expressions);
    const file = new PropertyFile({ name: 'name', outputName: 'result', path: 'output' });
    const byObject = new JsonGet({ step: 'my-step', propertyFile: file, path: 'my-json-path' });
    expect(render(byObject)).toStrictEqual({
      'Std:JsonGet': { PropertyFile: { Get: 'Steps.my-step.PropertyFiles.name' }, Path: 'my-json-path' },
    });
  });

  test('asString wraps a variable in a one-value Join, like the SDK to_string()', () => {
    const jsonGet = new JsonGet({ step: 'my-step', propertyFile: 'my-property-file', path: 'my-json-path' });
    expect(render(asString(jsonGet))).toStrictEqual(expected.test_to_string_on_json_get);
  });
});

describe('conditions match the SDK unit-test expectations', () => {
  const expected = sdkUnitTests.conditions;
  const myStr = new ParameterString('MyStr');
  const start = ExecutionVariables.START_DATETIME;

  test.each([
    ['test_condition_equals', new ConditionEquals(new ParameterInteger('MyInt'), 1)],
    ['test_condition_greater_than', new ConditionGreaterThan(start, '2020-12-01')],
    [
      'test_condition_less_than_or_equal_to',
      new ConditionLessThanOrEqualTo(start, new ParameterString('StartDateTime')),
    ],
    ['test_condition_in', new ConditionIn(myStr, ['abc', 'def'])],
    ['test_condition_not', new ConditionNot(new ConditionEquals(myStr, 'foo'))],
    ['test_condition_not_in', new ConditionNot(new ConditionIn(myStr, ['abc', 'def']))],
    [
      'test_condition_or',
      new ConditionOr([
        new ConditionGreaterThan(start, '2020-12-01'),
        new ConditionIn(myStr, ['abc', 'def']),
      ]),
    ],
  ])('%s', (name, condition) => {
    expect(render(condition.toRequest())).toStrictEqual(expected[name]);
  });
});

/** Processing arguments shaped like the SDK example's (scikit-learn image, code input). */
function processingArguments(props: {
  instanceCount: number | PipelineVariable;
  image: string;
  script: string;
  inputs: { name: string; uri: string | PipelineVariable; localPath: string }[];
  outputs: { name: string; uri: string; localPath: string }[];
}): ProcessingArguments {
  return {
    ProcessingResources: {
      ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: props.instanceCount, VolumeSizeInGB: 30 },
    },
    AppSpecification: {
      ImageUri: props.image,
      ContainerEntrypoint: ['python3', `/opt/ml/processing/input/code/${props.script}`],
    },
    RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    ProcessingInputs: props.inputs.map((input) => ({
      InputName: input.name,
      AppManaged: false,
      S3Input: {
        S3Uri: input.uri,
        LocalPath: input.localPath,
        S3DataType: 'S3Prefix',
        S3InputMode: 'File',
        S3DataDistributionType: 'FullyReplicated',
        S3CompressionType: 'None',
      },
    })),
    ProcessingOutputConfig: {
      Outputs: props.outputs.map((output) => ({
        OutputName: output.name,
        AppManaged: false,
        S3Output: { S3Uri: output.uri, LocalPath: output.localPath, S3UploadMode: 'EndOfJob' },
      })),
    },
  };
}

describe('the SDK example pipeline rebuilt with the builder', () => {
  const bucket = 's3://sagemaker-us-west-2-000000000000';
  const sklearn = '246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:0.23-1-cpu-py3';
  const xgboost = '246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.0-1-cpu-py3';
  const role = 'arn:aws:iam::000000000000:role/SageMakerRole';

  function build(): PipelineDefinition {
    const processingInstanceCount = new ParameterInteger('ProcessingInstanceCount', { defaultValue: 1 });
    const trainingInstanceType = new ParameterString('TrainingInstanceType', {
      defaultValue: 'ml.m5.xlarge',
    });
    const approvalStatus = new ParameterString('ModelApprovalStatus', {
      defaultValue: 'PendingManualApproval',
    });
    const inputData = new ParameterString('InputData', {
      defaultValue: `${bucket}/abalone/abalone-dataset.csv`,
    });
    const batchData = new ParameterString('BatchData', {
      defaultValue: `${bucket}/abalone/abalone-dataset-batch`,
    });
    const mseThreshold = new ParameterFloat('MseThreshold', { defaultValue: 6.0 });

    const processPrefix = `${bucket}/sklearn-abalone-process-2022-07-13-16-07-51-228`;
    const process = new ProcessingStep('AbaloneProcess', {
      arguments: processingArguments({
        instanceCount: processingInstanceCount,
        image: sklearn,
        script: 'preprocessing.py',
        inputs: [
          { name: 'input-1', uri: inputData, localPath: '/opt/ml/processing/input' },
          {
            name: 'code',
            uri: `${processPrefix}/input/code/preprocessing.py`,
            localPath: '/opt/ml/processing/input/code',
          },
        ],
        outputs: ['train', 'validation', 'test'].map((name) => ({
          name,
          uri: `${processPrefix}/output/${name}`,
          localPath: `/opt/ml/processing/${name}`,
        })),
      }),
    });

    const channel = (name: string) => ({
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix' as const,
          S3Uri: process.outputUri(name),
          S3DataDistributionType: 'FullyReplicated' as const,
        },
      },
      ContentType: 'text/csv',
      ChannelName: name,
    });
    const train = new TrainingStep('AbaloneTrain', {
      arguments: {
        AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: xgboost },
        OutputDataConfig: { S3OutputPath: `${bucket}/AbaloneTrain` },
        StoppingCondition: { MaxRuntimeInSeconds: 86400 },
        ResourceConfig: { VolumeSizeInGB: 30, InstanceCount: 1, InstanceType: trainingInstanceType },
        RoleArn: role,
        InputDataConfig: [channel('train'), channel('validation')],
        HyperParameters: {
          objective: 'reg:linear',
          num_round: '50',
          max_depth: '5',
          eta: '0.2',
          gamma: '4',
          min_child_weight: '6',
          subsample: '0.7',
        },
        ProfilerRuleConfigurations: [
          {
            RuleConfigurationName: 'ProfilerReport-1657728471',
            RuleEvaluatorImage:
              '895741380848.dkr.ecr.us-west-2.amazonaws.com/sagemaker-debugger-rules:latest',
            RuleParameters: { rule_to_invoke: 'ProfilerReport' },
          },
        ],
        ProfilerConfig: { S3OutputPath: `${bucket}/AbaloneTrain` },
      },
    });

    const evalPrefix = `${bucket}/script-abalone-eval-2022-07-13-16-07-53-265`;
    const report = new PropertyFile({
      name: 'EvaluationReport',
      outputName: 'evaluation',
      path: 'evaluation.json',
    });
    const evaluate = new ProcessingStep('AbaloneEval', {
      arguments: processingArguments({
        instanceCount: 1,
        image: xgboost,
        script: 'evaluation.py',
        inputs: [
          { name: 'input-1', uri: train.modelArtifacts, localPath: '/opt/ml/processing/model' },
          { name: 'input-2', uri: process.outputUri('test'), localPath: '/opt/ml/processing/test' },
          {
            name: 'code',
            uri: `${evalPrefix}/input/code/evaluation.py`,
            localPath: '/opt/ml/processing/input/code',
          },
        ],
        outputs: [
          {
            name: 'evaluation',
            uri: `${evalPrefix}/output/evaluation`,
            localPath: '/opt/ml/processing/evaluation',
          },
        ],
      }),
      propertyFiles: [report],
    });

    const register = new RegisterModelStep('AbaloneRegisterModel-RegisterModel', {
      arguments: {
        ModelPackageGroupName: 'AbaloneModelPackageGroupName',
        ModelMetrics: {
          ModelQuality: {
            Statistics: {
              ContentType: 'application/json',
              S3Uri: `${evalPrefix}/output/evaluation/evaluation.json`,
            },
          },
          Bias: {},
          Explainability: {},
        },
        InferenceSpecification: {
          Containers: [{ Image: xgboost, Environment: {}, ModelDataUrl: train.modelArtifacts }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
          SupportedRealtimeInferenceInstanceTypes: ['ml.t2.medium', 'ml.m5.xlarge'],
          SupportedTransformInstanceTypes: ['ml.m5.xlarge'],
        },
        ModelApprovalStatus: approvalStatus,
      },
    });
    const createModel = new ModelStep('AbaloneCreateModel-CreateModel', {
      arguments: {
        ExecutionRoleArn: role,
        PrimaryContainer: { Image: xgboost, Environment: {}, ModelDataUrl: train.modelArtifacts },
      },
    });
    const transform = new TransformStep('AbaloneTransform', {
      arguments: {
        ModelName: createModel.modelName,
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: batchData } } },
        TransformOutput: { S3OutputPath: `${bucket}/AbaloneTransform` },
        TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge' },
      },
    });
    const fail = new FailStep('AbaloneMSEFail', {
      errorMessage: new Join({ on: ' ', values: ['Execution failed due to MSE >', mseThreshold] }),
    });
    const condition = new ConditionStep('AbaloneMSECond', {
      conditions: [
        new ConditionLessThanOrEqualTo(
          evaluate.jsonGet(report, 'regression_metrics.mse.value'),
          mseThreshold,
        ),
      ],
      ifSteps: [register, createModel, transform],
      elseSteps: [fail],
    });

    return new PipelineDefinition({
      parameters: [
        processingInstanceCount,
        trainingInstanceType,
        approvalStatus,
        inputData,
        batchData,
        mseThreshold,
      ],
      experimentConfig: {
        experimentName: ExecutionVariables.PIPELINE_NAME,
        trialName: ExecutionVariables.PIPELINE_EXECUTION_ID,
      },
      steps: [process, train, evaluate, condition],
    });
  }

  test('renders exactly the SDK-generated definition', () => {
    expect(build().render()).toStrictEqual(loadFixture('pipeline-definition-example.json'));
  });

  test('toJson is the rendered document as JSON text', () => {
    const definition = build();
    expect(JSON.parse(definition.toJson(2))).toStrictEqual(definition.render());
  });
});

describe('the Lambda example condition step rebuilt with the builder', () => {
  test('Model and Lambda steps in IfSteps render as the SDK renders them', () => {
    const fixture = loadFixture('pipeline-definition-example-lambda-step.json');
    const createModel = new ModelStep('CreateModel-CreateModel', {
      arguments: {
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        PrimaryContainer: {
          Image: '246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.0-1-cpu-py3',
          Environment: {},
          ModelDataUrl: new StepProperty('TrainAbaloneModel', 'ModelArtifacts.S3ModelArtifacts'),
        },
      },
    });
    const deploy = new LambdaStep('LambdaStep', {
      functionArn:
        'arn:aws:lambda:us-west-2:000000000000:function:sagemaker-lambda-step-endpoint-deploy-07-13-15-58-57',
      arguments: {
        model_name: createModel.modelName,
        endpoint_config_name: 'demo-lambda-deploy-endpoint-config-07-13-15-58-57',
        endpoint_name: 'demo-lambda-deploy-endpoint-07-13-15-58-57',
      },
      outputs: ['statusCode', 'body', 'other_key'].map((name) => ({ name, type: 'String' as const })),
    });
    const condition = new ConditionStep('CheckMSEAbaloneEvaluation', {
      conditions: [
        new ConditionLessThanOrEqualTo(
          new JsonGet({
            step: 'EvaluateAbaloneModel',
            propertyFile: 'AbaloneEvaluationReport',
            path: 'regression_metrics.mse.value',
          }),
          6.0,
        ),
      ],
      ifSteps: [createModel, deploy],
    });
    expect(condition.toDocument()).toStrictEqual((fixture.Steps as unknown[])[3]);
  });

  test('CacheConfig renders as the SDK renders it', () => {
    const fixture = loadFixture('pipeline-definition-example-lambda-step.json');
    const step = new TrainingStep('T', {
      arguments: {
        RoleArn: 'r',
        OutputDataConfig: { S3OutputPath: 's3://b/p' },
        StoppingCondition: { MaxRuntimeInSeconds: 60 },
      },
      cacheConfig: { enabled: true, expireAfter: '30d' },
    });
    expect(step.toDocument().CacheConfig).toStrictEqual(
      ((fixture.Steps as unknown[])[1] as { CacheConfig: unknown }).CacheConfig,
    );
  });
});

describe('the reference checker understands SDK-generated definitions', () => {
  test.each(['pipeline-definition-example.json', 'pipeline-definition-example-lambda-step.json'])(
    '%s has no problems',
    (file) => {
      expect(findDefinitionProblems(loadFixture(file))).toEqual([]);
    },
  );
});
