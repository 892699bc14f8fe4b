// The pipeline definition: valid against the (evidence-extended) official schema, every Get points
// at something that exists, the gate compares with the GateThreshold parameter (never a literal),
// the DeepAR image matches the region, and the data step, training, transform and evaluation agree
// on prediction_length, time_freq, context_length and the quantiles.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_QUANTILES } from '@mlops-templates/metrics';
import { PipelineDefinitionDocument, validateDefinition } from '@mlops-templates/pipeline-definition';
import { captureOutput, exampleEnv, parsedExampleEnv } from './helpers';
import { main as definitionMain } from '../src/cli/definition';
import { EnvironmentError, parseEnvironment } from '../src/config/environment';
import { loadHyperparameters, parseHyperparameters } from '../src/config/hyperparameters';
import { loadPipelineConfig, parsePipelineConfig } from '../src/config/pipeline-config';
import { buildPipelineDefinition, modelStepName } from '../src/pipeline/definition';
import { deepArImageUri } from '../src/pipeline/image-uri';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const hyperparameters = loadHyperparameters();
const config = loadPipelineConfig();

function render(
  envOverrides: Record<string, string> = {},
  configOverride = config,
): PipelineDefinitionDocument {
  return buildPipelineDefinition({
    env: parsedExampleEnv(envOverrides),
    hyperparameters,
    config: configOverride,
  }).render();
}

/** Top-level steps and the steps of Condition branches. */
function allSteps(document: PipelineDefinitionDocument): JsonObject[] {
  const flatten = (steps: Json[]): JsonObject[] =>
    steps.filter(isObject).flatMap((step) => {
      const args = isObject(step.Arguments) ? step.Arguments : {};
      return [step, ...flatten([args.IfSteps, args.ElseSteps].filter(Array.isArray).flat())];
    });
  return flatten(document.Steps as unknown as Json[]);
}

function objectsIn(value: Json): JsonObject[] {
  if (Array.isArray(value)) return value.flatMap(objectsIn);
  if (!isObject(value)) return [];
  return [value, ...Object.values(value).flatMap(objectsIn)];
}

const document = render();
const steps = allSteps(document);
const byType = (type: string): JsonObject => {
  const step = steps.find((s) => s.Type === type);
  if (step === undefined) throw new Error(`no ${type} step`);
  return step;
};
const byName = (name: string): JsonObject => steps.find((s) => s.Name === name) as JsonObject;
const args = (step: JsonObject): JsonObject => step.Arguments as JsonObject;

/** Properties each step type exposes (DescribeTrainingJob / DescribeModel / DescribeTransformJob members used here). */
const KNOWN_PROPERTIES: Record<string, RegExp> = {
  Training: /^(ModelArtifacts\.S3ModelArtifacts|TrainingJobName|TrainingJobArn)$/,
  Model: /^(ModelName|ModelArn)$/,
  Transform: /^(TransformOutput\.S3OutputPath|TransformJobName)$/,
  Lambda: /^OutputParameters\['[A-Za-z0-9_-]+'\]$/,
};

describe('pipeline definition', () => {
  test('validates against the evidence-extended official schema', () => {
    expect(validateDefinition(document)).toEqual({ valid: true, errors: [], issues: [] });
  });

  test('has the Lambda, Training, Model, Transform, Condition, RegisterModel and Fail steps in order', () => {
    expect(steps.map((s) => [s.Name, s.Type])).toEqual([
      ['PrepareData', 'Lambda'],
      ['TrainDeepAR', 'Training'],
      [modelStepName('p-abcdefghijkl'), 'Model'],
      ['BacktestTransform', 'Transform'],
      ['EvaluateBacktest', 'Lambda'],
      ['GateOnMeanWql', 'Condition'],
      ['RegisterDeepAR', 'RegisterModel'],
      ['RejectModel', 'Fail'],
    ]);
  });

  test('every Get references a declared parameter, an execution variable or an existing step property', () => {
    const parameters = new Set(document.Parameters.map((p) => p.Name));
    const gets = objectsIn(document as unknown as Json)
      .map((object) => object.Get)
      .filter((get): get is string => typeof get === 'string');
    expect(gets.length).toBeGreaterThan(20);
    for (const get of gets) {
      const [root, name] = get.split('.');
      if (root === 'Parameters') {
        expect({ get, declared: parameters.has(name) }).toEqual({ get, declared: true });
      } else if (root === 'Execution') {
        expect(['PipelineExecutionId', 'PipelineExecutionArn']).toContain(name);
      } else {
        expect(root).toBe('Steps');
        const step = byName(name);
        expect({ get, stepExists: step !== undefined }).toEqual({ get, stepExists: true });
        const property = get.slice(`Steps.${name}.`.length);
        expect({ get, known: KNOWN_PROPERTIES[step.Type as string]?.test(property) ?? false }).toEqual({
          get,
          known: true,
        });
        const output = /^OutputParameters\['(.+)'\]$/.exec(property);
        if (output !== null) {
          expect((step.OutputParameters as JsonObject[]).map((o) => o.OutputName)).toContain(output[1]);
        }
      }
    }
  });

  test('the gate compares mean wQL with the GateThreshold Float parameter, with no literal threshold', () => {
    const gate = args(byType('Condition'));
    expect(gate.Conditions).toEqual([
      {
        Type: 'LessThanOrEqualTo',
        LeftValue: { Get: "Steps.EvaluateBacktest.OutputParameters['mean_wql']" },
        RightValue: { Get: 'Parameters.GateThreshold' },
      },
    ]);
    expect(JSON.stringify(gate.Conditions)).not.toMatch(/[:[,]\s*-?\d/);
    expect(document.Parameters.find((p) => p.Name === 'GateThreshold')).toEqual(
      expect.objectContaining({ Type: 'Float', DefaultValue: config.gate.defaultThreshold }),
    );
    expect(
      (byName('EvaluateBacktest').OutputParameters as JsonObject[]).find((o) => o.OutputName === 'mean_wql'),
    ).toEqual({
      OutputName: 'mean_wql',
      OutputType: 'Float',
    });
  });

  test('a rejected model fails the execution with a message giving the metric and the threshold', () => {
    const message = args(byType('Fail')).ErrorMessage as JsonObject;
    const values = (message['Std:Join'] as JsonObject).Values as Json[];
    expect(values).toEqual(
      expect.arrayContaining([
        { Get: "Steps.EvaluateBacktest.OutputParameters['mean_wql']" },
        { Get: 'Parameters.GateThreshold' },
        { Get: 'Parameters.TriggerReason' },
      ]),
    );
    expect(args(byType('Condition')).ElseSteps).toEqual([
      expect.objectContaining({ Name: 'RejectModel', Type: 'Fail' }),
    ]);
  });

  test('trains, models and registers with the DeepAR image of the pipeline’s region', () => {
    const registries = JSON.parse(
      fs.readFileSync(path.join(__dirname, 'fixtures', 'deepar-image-uris.sdk.json'), 'utf8'),
    ).versions['1'].registries;
    for (const region of ['eu-west-1', 'us-east-1', 'ap-southeast-2']) {
      const expected = `${registries[region]}.dkr.ecr.${region}.amazonaws.com/forecasting-deepar:1`;
      const rendered = allSteps(render({ AWS_REGION: region }));
      const training = rendered.find((s) => s.Type === 'Training') as JsonObject;
      expect((args(training).AlgorithmSpecification as JsonObject).TrainingImage).toBe(expected);
      const model = rendered.find((s) => s.Type === 'Model') as JsonObject;
      expect((args(model).PrimaryContainer as JsonObject).Image).toBe(expected);
      const register = rendered.find((s) => s.Type === 'RegisterModel') as JsonObject;
      expect(
        ((args(register).InferenceSpecification as JsonObject).Containers as JsonObject[])[0].Image,
      ).toBe(expected);
    }
    expect(deepArImageUri('cn-north-1')).toBe(
      `${registries['cn-north-1']}.dkr.ecr.cn-north-1.amazonaws.com.cn/forecasting-deepar:1`,
    );
    expect(() => deepArImageUri('xx-nowhere-1')).toThrow(
      /no DeepAR image registry is known for region "xx-nowhere-1"/,
    );
  });

  test('the committed region map is an unmodified copy of the SDK’s image_uri_config', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'data', 'deepar-image-uris.json'), 'utf8');
    const sdk = fs.readFileSync(path.join(__dirname, 'fixtures', 'deepar-image-uris.sdk.json'), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(sdk));
  });

  test('the DeepAR train channel names a .json file (DeepAR infers the format from the extension) and sets no other content type', () => {
    // SageMaker Developer Guide, "Use the SageMaker AI DeepAR forecasting algorithm", "Input/Output
    // Interface": without a content type DeepAR reads .json, .json.gz or .parquet by the file extension.
    const rendered = allSteps(render({}));
    const train = args(rendered.find((s) => s.Name === 'TrainDeepAR') as JsonObject);
    const channels = train.InputDataConfig as JsonObject[];
    expect(channels.map((c) => c.ChannelName)).toEqual(['train']);
    const channel = channels[0];
    expect(channel.ContentType).toBeUndefined();
    const source = (channel.DataSource as JsonObject).S3DataSource as JsonObject;
    expect(source.S3Uri).toEqual({
      'Std:Join': {
        On: '',
        Values: [{ Get: "Steps.PrepareData.OutputParameters['train_uri']" }, 'train.json'],
      },
    });
  });

  test('data step, training, transform and evaluation agree on horizon, frequency, context and quantiles', () => {
    const rendered = allSteps(render({ PREDICTION_LENGTH: '36', FREQUENCY: '15min' }));
    const find = (name: string): JsonObject => args(rendered.find((s) => s.Name === name) as JsonObject);
    const prepare = find('PrepareData');
    const hp = find('TrainDeepAR').HyperParameters as JsonObject;
    const evaluate = find('EvaluateBacktest');
    expect(prepare.prediction_length).toBe(36);
    expect(hp.prediction_length).toBe('36');
    expect(evaluate.prediction_length).toBe(36);
    expect(prepare.frequency).toBe('15min');
    expect(hp.time_freq).toBe('15min');
    expect(prepare.context_length).toEqual({ Get: 'Parameters.ContextLength' });
    expect(hp.context_length).toEqual({
      'Std:Join': { On: '', Values: [{ Get: 'Parameters.ContextLength' }] },
    });

    const transform = find('BacktestTransform');
    const inference = JSON.parse((transform.Environment as JsonObject).DEEPAR_INFERENCE_CONFIG as string);
    expect(inference.quantiles).toEqual([...DEFAULT_QUANTILES]);
    expect(inference.output_types).toEqual(['mean', 'quantiles']);
    expect(evaluate.quantiles).toBe(DEFAULT_QUANTILES.join(','));
    const register = find('RegisterDeepAR');
    expect((register.CustomerMetadataProperties as JsonObject).quantiles).toBe(DEFAULT_QUANTILES.join(','));
    expect((transform.TransformInput as JsonObject).DataSource).toEqual({
      S3DataSource: {
        S3DataType: 'S3Prefix',
        S3Uri: { Get: "Steps.PrepareData.OutputParameters['backtest_input_uri']" },
      },
    });
    expect(evaluate.predictions_uri).toEqual({ Get: 'Steps.BacktestTransform.TransformOutput.S3OutputPath' });
  });

  test('the context length default follows config/hyperparameters.json ("prediction_length" = the horizon)', () => {
    const contextDefault = (doc: PipelineDefinitionDocument): unknown =>
      doc.Parameters.find((p) => p.Name === 'ContextLength')?.DefaultValue;
    expect(contextDefault(render({ PREDICTION_LENGTH: '12' }))).toBe(
      hyperparameters.context_length === 'prediction_length' ? 12 : hyperparameters.context_length,
    );
    const fixed = buildPipelineDefinition({
      env: parsedExampleEnv(),
      hyperparameters: { ...hyperparameters, context_length: 72 },
      config,
    }).render();
    expect(contextDefault(fixed)).toBe(72);
  });

  test('jobs and the model are tagged with the project; the model step name contains the project id', () => {
    const tags = [
      { Key: 'sagemaker:project-name', Value: 'demand-forecast' },
      { Key: 'sagemaker:project-id', Value: 'p-abcdefghijkl' },
    ];
    for (const type of ['Training', 'Model', 'Transform']) expect(args(byType(type)).Tags).toEqual(tags);
    expect(byType('Model').Name).toContain('p-abcdefghijkl');
  });

  test('Lambda steps call the project’s step functions; outputs go to the project bucket with the key', () => {
    expect(byName('PrepareData').FunctionArn).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-p-abcdefghijkl-step-prepare-data',
    );
    expect(byName('EvaluateBacktest').FunctionArn).toBe(
      'arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-p-abcdefghijkl-step-evaluate',
    );
    const output = args(byType('Training')).OutputDataConfig as JsonObject;
    expect(output.S3OutputPath).toEqual({
      'Std:Join': {
        On: '/',
        Values: [
          's3://sagemaker-p-abcdefghijkl-123456789012/models',
          { Get: 'Execution.PipelineExecutionId' },
        ],
      },
    });
    expect(output.KmsKeyId).toBe(exampleEnv().PROJECT_KMS_KEY_ARN);
    expect(args(byType('Training')).RoleArn).toBe(exampleEnv().SAGEMAKER_EXECUTION_ROLE_ARN);
  });

  test('the registered model carries its metrics, the data window and the trigger reason', () => {
    const register = args(byType('RegisterModel'));
    expect(register.ModelPackageGroupName).toBe('sagemaker-p-abcdefghijkl-models');
    expect(register.ModelApprovalStatus).toEqual({ Get: 'Parameters.ModelApprovalStatus' });
    expect(register.ModelMetrics).toEqual({
      ModelQuality: {
        Statistics: {
          ContentType: 'application/json',
          S3Uri: { Get: "Steps.EvaluateBacktest.OutputParameters['model_quality_uri']" },
        },
      },
    });
    expect(register.CustomerMetadataProperties).toMatchObject({
      trigger_reason: { Get: 'Parameters.TriggerReason' },
      data_window_start: { Get: "Steps.PrepareData.OutputParameters['data_window_start']" },
      data_window_end: { Get: "Steps.PrepareData.OutputParameters['data_window_end']" },
      evaluation_report: { Get: "Steps.EvaluateBacktest.OutputParameters['evaluation_uri']" },
      backtest_window_wql: { Get: "Steps.EvaluateBacktest.OutputParameters['window_wql']" },
    });
    const approval = (doc: PipelineDefinitionDocument): unknown =>
      doc.Parameters.find((p) => p.Name === 'ModelApprovalStatus')?.DefaultValue;
    expect(approval(document)).toBe(config.registration.autoApprove ? 'Approved' : 'PendingManualApproval');
    const auto = render({}, { ...config, registration: { autoApprove: true } });
    expect(approval(auto)).toBe('Approved');
    expect(validateDefinition(auto).valid).toBe(true);
  });

  test('the backtest windows K default is at least 4 and is passed to the data step', () => {
    const k = document.Parameters.find((p) => p.Name === 'BacktestWindows');
    expect(k).toMatchObject({ Type: 'Integer' });
    expect(k?.DefaultValue as number).toBeGreaterThanOrEqual(4);
    expect(args(byName('PrepareData')).backtest_windows).toEqual({ Get: 'Parameters.BacktestWindows' });
  });

  test('without a KMS key, no KmsKeyId is rendered', () => {
    const rendered = allSteps(render({ PROJECT_KMS_KEY_ARN: '' }));
    expect(JSON.stringify(rendered)).not.toContain('KmsKeyId');
  });
});

describe('configuration', () => {
  test('the committed config files validate', () => {
    expect(hyperparameters.version).toBeGreaterThanOrEqual(1);
    expect(config.data.backtestWindows).toBeGreaterThanOrEqual(4);
  });

  test('invalid hyperparameters and pipeline settings are errors naming each key', () => {
    expect(() =>
      parseHyperparameters({ ...hyperparameters, num_layers: 9, likelihood: 'cauchy', extra: 1 }),
    ).toThrow(/num_layers: .*\n- likelihood: .*\n- \(root\): .*extra/);
    expect(() => parsePipelineConfig({ ...config, data: { ...config.data, backtestWindows: 0 } })).toThrow(
      /data\.backtestWindows/,
    );
    expect(() =>
      parsePipelineConfig({ ...config, lambdaSteps: { ...config.lambdaSteps, runtime: 'nodejs18.x' } }),
    ).toThrow(/lambdaSteps\.runtime/);
  });

  test('the environment: every missing or invalid variable is named', () => {
    try {
      parseEnvironment({
        ...exampleEnv(),
        PROJECT_BUCKET: undefined,
        PREDICTION_LENGTH: 'many',
        FREQUENCY: '1 hour',
      });
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).problems).toEqual([
        'PROJECT_BUCKET is not set',
        expect.stringMatching(/^FREQUENCY: /),
        expect.stringMatching(/^PREDICTION_LENGTH: /),
      ]);
    }
    expect(
      parseEnvironment({ ...exampleEnv(), AWS_REGION: undefined, AWS_DEFAULT_REGION: 'us-west-2' })
        .AWS_REGION,
    ).toBe('us-west-2');
  });
});

describe('npm run definition', () => {
  test('prints the definition JSON alone on stdout, from the example environment', async () => {
    const output = captureOutput();
    expect(await definitionMain({}, output)).toBe(0);
    expect(output.stderr).toEqual([]);
    expect(output.stdout).toHaveLength(1);
    expect(JSON.parse(output.stdout[0])).toEqual(document);
  });

  test('environment variables that are set win over the examples', async () => {
    const output = captureOutput();
    expect(
      await definitionMain({ AWS_REGION: 'us-east-2', SAGEMAKER_PROJECT_ID: 'p-zzzzzzzzzzzz' }, output),
    ).toBe(0);
    const printed = JSON.parse(output.stdout[0]) as PipelineDefinitionDocument;
    expect(JSON.stringify(printed)).toContain('.dkr.ecr.us-east-2.amazonaws.com/forecasting-deepar:1');
    expect(allSteps(printed).map((s) => s.Name)).toContain('DeepARModel-p-zzzzzzzzzzzz');
  });

  test('an invalid variable is reported on stderr with exit code 1', async () => {
    const output = captureOutput();
    expect(await definitionMain({ PREDICTION_LENGTH: '0' }, output)).toBe(1);
    expect(output.stdout).toEqual([]);
    expect(output.stderr.join('\n')).toMatch(/PREDICTION_LENGTH/);
  });
});
