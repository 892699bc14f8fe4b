// The pipeline definition: valid against the extended schema with every reference resolved, the
// steps and parameters the README names, what the problem type decides (objective, eval_metric,
// num_class, the analyzer's problem type and attributes), the gate's direction on the chosen metric,
// registration with model metrics and drift-check baselines, images per region, KMS, and the
// environment's checks (with negative cases).
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read members of the rendered JSON */
import {
  ExecutionVariables,
  Join,
  sklearnImageUri,
  validateDefinition,
  xgboostImageUri,
} from '@mlops-templates/pipeline-definition';
import {
  DATA_QUALITY_BASELINE_WINDOW_HOURS,
  TABULAR_MODEL_PACKAGE_METADATA as METADATA,
  TABULAR_PREPARE_REPORT_FILE,
} from '@mlops-templates/project-contract';
import { captureOutput, exampleEnv, renderedDefinition } from './helpers';
import { main as definitionMain } from '../src/cli/definition';
import { EnvironmentError, parseEnvironment } from '../src/config/environment';
import { loadPipelineConfig, parsePipelineConfig } from '../src/config/pipeline-config';
import { loadHyperparameters, parseHyperparameters } from '../src/config/hyperparameters';
import { localDataSource } from '../src/pipeline/data-source';
import {
  checkCustomerMetadata,
  CUSTOMER_METADATA_LIMITS,
  PARAMETER_NAMES,
  STEP_NAMES,
} from '../src/pipeline/definition';
import { PREPARE } from '../src/pipeline/processing';

const config = loadPipelineConfig();

describe.each([
  ['regression', 'rmse'],
  ['regression', 'mae'],
  ['binary', 'auc'],
  ['binary', 'f1'],
  ['multiclass', 'f1'],
  ['multiclass', 'auc'],
])('a %s problem gated on %s', (problemType, metric) => {
  const { document } = renderedDefinition({ PROBLEM_TYPE: problemType, GATE_METRIC: metric });

  test('the definition passes the reference checks and the extended schema', () => {
    expect(validateDefinition(document)).toEqual({ valid: true, errors: [], issues: [] });
  });
});

describe('structure', () => {
  const { document, step } = renderedDefinition();

  test('steps and parameters', () => {
    expect(document.Steps.map((s) => s.Name)).toEqual([
      STEP_NAMES.prepare,
      STEP_NAMES.train,
      STEP_NAMES.evaluate,
      STEP_NAMES.dataQuality,
      STEP_NAMES.modelQuality,
      STEP_NAMES.gate,
    ]);
    expect(step(STEP_NAMES.gate).Arguments.IfSteps?.map((s) => s.Name)).toEqual([STEP_NAMES.register]);
    expect(step(STEP_NAMES.gate).Arguments.ElseSteps?.map((s) => s.Name)).toEqual([STEP_NAMES.reject]);
    expect(document.Parameters.map((p) => p.Name)).toEqual(Object.values(PARAMETER_NAMES));
  });

  test('parameter defaults come from the environment and config/pipeline.json', () => {
    const byName = Object.fromEntries(document.Parameters.map((p) => [p.Name, p.DefaultValue]));
    expect(byName).toEqual({
      TriggerReason: 'push',
      GateThreshold: config.gate.defaultThresholds.rmse,
      InputDataUri: exampleEnv().DATA_SOURCE_URI,
      ProcessingInstanceType: exampleEnv().PROCESSING_INSTANCE_TYPE,
      TrainingInstanceType: exampleEnv().TRAINING_INSTANCE_TYPE,
      ModelApprovalStatus: 'PendingManualApproval',
    });
    const withoutTypes = renderedDefinition({
      TRAINING_INSTANCE_TYPE: '',
      PROCESSING_INSTANCE_TYPE: '',
    }).document;
    const defaults = Object.fromEntries(withoutTypes.Parameters.map((p) => [p.Name, p.DefaultValue]));
    expect(defaults.TrainingInstanceType).toBe(config.training.instanceType);
    expect(defaults.ProcessingInstanceType).toBe(config.processing.instanceType);
  });

  test('prepare runs prepare.py on the scikit-learn image with the input data parameter', () => {
    const args = step(STEP_NAMES.prepare).Arguments as Record<string, any>;
    expect(args.AppSpecification.ImageUri).toBe(sklearnImageUri('eu-west-1'));
    expect(args.AppSpecification.ContainerEntrypoint).toEqual([
      'python3',
      '/opt/ml/processing/input/code/prepare.py',
    ]);
    expect(args.ProcessingInputs[0].S3Input.S3Uri).toEqual({ Get: 'Parameters.InputDataUri' });
    expect(args.ProcessingInputs[1].S3Input.S3Uri).toMatch(
      /^s3:\/\/sagemaker-p-abcdefghijkl-123456789012\/training\/code\/[0-9a-f]{64}\/prepare\.py$/,
    );
    expect(args.AppSpecification.ContainerArguments).toEqual([
      '--target-column',
      'target',
      '--problem-type',
      'regression',
      '--test-fraction',
      String(config.split.testFraction),
      '--validation-fraction',
      String(config.split.validationFraction),
      '--seed',
      String(config.split.seed),
      '--baseline-window-hours',
      String(DATA_QUALITY_BASELINE_WINDOW_HOURS),
      // The synthetic generator's identity columns (project-contract): no features, the event time
      // windows the data-quality baseline.
      '--record-identifier-column',
      'record_id',
      '--event-time-column',
      'event_time',
    ]);
  });

  test('an s3 source passes the identity columns config/pipeline.json s3Source names, and only those', () => {
    const prepareArgs = (s3Source: typeof config.s3Source) => {
      const env = parseEnvironment(exampleEnv({ DATA_SOURCE_TYPE: 's3' }));
      const { step: s3Step } = renderedDefinition({ DATA_SOURCE_TYPE: 's3' }, localDataSource(env, s3Source));
      const args = s3Step(STEP_NAMES.prepare).Arguments as Record<string, any>;
      return (args.AppSpecification.ContainerArguments as string[]).slice(10);
    };
    expect(prepareArgs(config.s3Source)).toEqual(['--baseline-window-hours', '24']);
    expect(prepareArgs({ recordIdentifierColumn: null, eventTimeColumn: 'ts' })).toEqual([
      '--baseline-window-hours',
      '24',
      '--event-time-column',
      'ts',
    ]);
    expect(prepareArgs({ recordIdentifierColumn: 'customer', eventTimeColumn: 'ts' })).toEqual([
      '--baseline-window-hours',
      '24',
      '--record-identifier-column',
      'customer',
      '--event-time-column',
      'ts',
    ]);
  });

  test('training uses built-in XGBoost with CSV train and validation channels from prepare', () => {
    const args = step(STEP_NAMES.train).Arguments as Record<string, any>;
    expect(args.AlgorithmSpecification.TrainingImage).toBe(xgboostImageUri('eu-west-1'));
    expect(
      args.InputDataConfig.map((c: any) => [c.ChannelName, c.ContentType, c.DataSource.S3DataSource.S3Uri]),
    ).toEqual([
      [
        'train',
        'text/csv',
        { Get: "Steps.PrepareData.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" },
      ],
      [
        'validation',
        'text/csv',
        { Get: "Steps.PrepareData.ProcessingOutputConfig.Outputs['validation'].S3Output.S3Uri" },
      ],
    ]);
    expect(args.HyperParameters).toMatchObject({
      num_round: '200',
      max_depth: '6',
      early_stopping_rounds: '10',
    });
  });

  test('the project tags are on every job', () => {
    for (const name of [STEP_NAMES.prepare, STEP_NAMES.train, STEP_NAMES.evaluate, STEP_NAMES.dataQuality]) {
      expect(step(name).Arguments.Tags).toEqual([
        { Key: 'sagemaker:project-name', Value: 'demand-forecast' },
        { Key: 'sagemaker:project-id', Value: 'p-abcdefghijkl' },
      ]);
    }
  });

  test('registration: XGBoost container, model metrics and drift-check baselines of both quality checks', () => {
    const args = step(STEP_NAMES.register).Arguments as Record<string, any>;
    expect(args.InferenceSpecification.Containers).toEqual([
      {
        Image: xgboostImageUri('eu-west-1'),
        ModelDataUrl: { Get: 'Steps.TrainXGBoost.ModelArtifacts.S3ModelArtifacts' },
      },
    ]);
    const source = (step: string, property: string) => ({
      ContentType: 'application/json',
      S3Uri: { Get: `Steps.${step}.${property}` },
    });
    expect(args.ModelMetrics).toEqual({
      ModelQuality: {
        Statistics: source('ModelQualityBaseline', 'CalculatedBaselineStatistics'),
        Constraints: source('ModelQualityBaseline', 'CalculatedBaselineConstraints'),
      },
      ModelDataQuality: {
        Statistics: source('DataQualityBaseline', 'CalculatedBaselineStatistics'),
        Constraints: source('DataQualityBaseline', 'CalculatedBaselineConstraints'),
      },
    });
    expect(args.DriftCheckBaselines.ModelDataQuality.Statistics).toEqual(
      source('DataQualityBaseline', 'BaselineUsedForDriftCheckStatistics'),
    );
    expect(args.CustomerMetadataProperties).toMatchObject({
      problem_type: 'regression',
      target_column: 'target',
      gate_metric: 'rmse',
      trigger_reason: { Get: 'Parameters.TriggerReason' },
    });
  });

  test('the data-quality baseline reads the training features written by prepare', () => {
    const qc = step(STEP_NAMES.dataQuality);
    expect(qc).toMatchObject({ CheckType: 'DATA_QUALITY', SkipCheck: true, RegisterNewBaseline: true });
    const args = qc.Arguments as Record<string, any>;
    expect(args.ProcessingInputs[0].S3Input.S3Uri).toEqual({
      Get: "Steps.PrepareData.ProcessingOutputConfig.Outputs['baseline'].S3Output.S3Uri",
    });
    expect(args.AppSpecification.ImageUri).toBe(
      '468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer',
    );
  });
});

describe('what the problem type decides', () => {
  test.each([
    ['regression', 'rmse', 'reg:squarederror', 'rmse', 'Regression'],
    ['binary', 'auc', 'binary:logistic', 'auc', 'BinaryClassification'],
    ['multiclass', 'f1', 'multi:softprob', 'mlogloss', 'MulticlassClassification'],
  ])(
    '%s: objective, eval_metric, analyzer problem type',
    (problemType, metric, objective, evalMetric, mq) => {
      const { step } = renderedDefinition({ PROBLEM_TYPE: problemType, GATE_METRIC: metric });
      const hyperparameters = step(STEP_NAMES.train).Arguments.HyperParameters as Record<string, unknown>;
      expect(hyperparameters.objective).toBe(objective);
      expect(hyperparameters.eval_metric).toBe(evalMetric);
      const environment = step(STEP_NAMES.modelQuality).Arguments.Environment as Record<string, string>;
      expect(environment).toMatchObject({ analysis_type: 'MODEL_QUALITY', problem_type: mq });
      expect('probability_attribute' in environment).toBe(problemType === 'binary');
      expect('num_class' in hyperparameters).toBe(problemType === 'multiclass');
    },
  );

  test('multiclass: num_class is read from the prepare report at run time', () => {
    const { step } = renderedDefinition({ PROBLEM_TYPE: 'multiclass', GATE_METRIC: 'f1' });
    expect((step(STEP_NAMES.train).Arguments.HyperParameters as Record<string, unknown>).num_class).toEqual({
      'Std:Join': {
        On: '',
        Values: [
          {
            'Std:JsonGet': {
              PropertyFile: { Get: 'Steps.PrepareData.PropertyFiles.PrepareReport' },
              Path: 'num_class',
            },
          },
        ],
      },
    });
  });

  test.each([
    ['rmse', 'regression', 'LessThanOrEqualTo'],
    ['mae', 'regression', 'LessThanOrEqualTo'],
    ['auc', 'binary', 'GreaterThanOrEqualTo'],
    ['f1', 'multiclass', 'GreaterThanOrEqualTo'],
  ])('gate on %s (%s): %s the threshold parameter', (metric, problemType, type) => {
    const { step, document } = renderedDefinition({ PROBLEM_TYPE: problemType, GATE_METRIC: metric });
    expect(step(STEP_NAMES.gate).Arguments.Conditions).toEqual([
      {
        Type: type,
        LeftValue: {
          'Std:JsonGet': {
            PropertyFile: { Get: 'Steps.EvaluateModel.PropertyFiles.EvaluationReport' },
            Path: `metrics.${metric}.value`,
          },
        },
        RightValue: { Get: 'Parameters.GateThreshold' },
      },
    ]);
    const gate = document.Parameters.find((p) => p.Name === 'GateThreshold');
    expect(gate?.DefaultValue).toBe(config.gate.defaultThresholds[metric as 'rmse']);
  });
});

describe('the registered metadata (what model-deploy and monitoring read)', () => {
  const EXECUTION_ID = 'abc123xyz789';
  /** A rendered value as SageMaker resolves it, for an execution id (strings, Std:Join, the id). */
  function resolve(value: any): string {
    if (typeof value === 'string') return value;
    if (value?.['Std:Join'] !== undefined) {
      return value['Std:Join'].Values.map(resolve).join(value['Std:Join'].On);
    }
    if (value?.Get === 'Execution.PipelineExecutionId') return EXECUTION_ID;
    throw new Error(`not resolvable here: ${JSON.stringify(value)}`);
  }
  const outputOf = (args: any, name: string) =>
    args.ProcessingOutputConfig.Outputs.find((o: any) => o.OutputName === name).S3Output;
  /** The endpoint test's reading of an s3:// URI (model-deploy src/endpoint-test/run.ts, readS3Text). */
  const S3_OBJECT_URI = /^s3:\/\/([^/]+)\/(.+)$/;

  test.each([
    ['regression', 'rmse'],
    ['binary', 'auc'],
    ['multiclass', 'f1'],
  ])(
    '%s: problem_type, num_class only for multiclass, the sample object and the report folder',
    (problemType, metric) => {
      const { step } = renderedDefinition({ PROBLEM_TYPE: problemType, GATE_METRIC: metric });
      const metadata = (step(STEP_NAMES.register).Arguments as Record<string, any>)
        .CustomerMetadataProperties;
      expect(metadata[METADATA.problemType]).toBe(problemType);
      if (problemType === 'multiclass') {
        // The same run-time value training's num_class hyperparameter reads.
        expect(metadata[METADATA.numClasses]).toEqual(
          (step(STEP_NAMES.train).Arguments.HyperParameters as Record<string, unknown>).num_class,
        );
        expect(metadata[METADATA.numClasses]).toEqual({
          'Std:Join': {
            On: '',
            Values: [
              {
                'Std:JsonGet': {
                  PropertyFile: { Get: 'Steps.PrepareData.PropertyFiles.PrepareReport' },
                  Path: 'num_class',
                },
              },
            ],
          },
        });
      } else {
        expect(METADATA.numClasses in metadata).toBe(false);
      }
      // sample_payload: the object prepare.py writes below its `sample` output, as one s3:// object URI.
      const prepareArgs = step(STEP_NAMES.prepare).Arguments as Record<string, any>;
      const sample = outputOf(prepareArgs, 'sample');
      expect(sample.LocalPath).toBe(PREPARE.outputs.sample);
      const payload = resolve(metadata[METADATA.samplePayload]);
      expect(payload).toBe(`${resolve(sample.S3Uri)}/${PREPARE.sampleFile}`);
      expect(payload).toBe(
        `s3://sagemaker-p-abcdefghijkl-123456789012/training/${EXECUTION_ID}/sample/sample.csv`,
      );
      expect(S3_OBJECT_URI.exec(payload)?.slice(1)).toEqual([
        'sagemaker-p-abcdefghijkl-123456789012',
        `training/${EXECUTION_ID}/sample/sample.csv`,
      ]);
      // prepare_report: the folder of the report output, holding the contract's report file.
      expect(metadata[METADATA.prepareReport]).toEqual({
        Get: "Steps.PrepareData.ProcessingOutputConfig.Outputs['report'].S3Output.S3Uri",
      });
      expect(step(STEP_NAMES.prepare).PropertyFiles).toContainEqual({
        PropertyFileName: 'PrepareReport',
        OutputName: 'report',
        FilePath: TABULAR_PREPARE_REPORT_FILE,
      });
      expect(Object.keys(metadata).length).toBeLessThanOrEqual(CUSTOMER_METADATA_LIMITS.entries);
      expect(Object.keys(metadata)).toEqual(
        expect.arrayContaining([METADATA.problemType, METADATA.samplePayload]),
      );
    },
  );

  test('CreateModelPackage limits: count, key, value length and characters (negative controls)', () => {
    expect(() => checkCustomerMetadata({ a: 'x', 'b-c': 's3://bucket/key_1.csv' })).not.toThrow();
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(() => checkCustomerMetadata(many)).toThrow('51 entries (at most 50)');
    expect(() => checkCustomerMetadata({ ['k'.repeat(129)]: 'v' })).toThrow(/key "k{129}": 1-128/);
    expect(() => checkCustomerMetadata({ k: '' })).toThrow('k: empty value');
    expect(() => checkCustomerMetadata({ k: 'v'.repeat(257) })).toThrow('k: 257 characters (at most 256)');
    expect(() => checkCustomerMetadata({ k: 'churn?' })).toThrow(
      'k: "churn?" has a character other than letters, numbers, spaces or _.:/=+-@',
    );
    // A Join: the parts known now count (the execution id only adds to them).
    const long = new Join({
      on: '/',
      values: ['s'.repeat(250), ExecutionVariables.PIPELINE_EXECUTION_ID, 'x.csv'],
    });
    expect(() => checkCustomerMetadata({ k: long })).toThrow('k: 257 characters before the run-time parts');
  });

  test('a target column or training prefix CreateModelPackage would refuse is an error naming the key', () => {
    expect(() => renderedDefinition({ TARGET_COLUMN: 'churn?' })).toThrow(
      'target_column: "churn?" has a character',
    );
    expect(() => renderedDefinition({ TRAINING_PREFIX: `${'p'.repeat(200)}/` })).toThrow(
      /sample_payload: \d+ characters before the run-time parts \(at most 256\)/,
    );
    expect(() => renderedDefinition({ TRAINING_PREFIX: `${'p'.repeat(150)}/` })).not.toThrow();
  });
});

describe('KMS and region', () => {
  test('with a project key every output, volume and model artifact is encrypted with it', () => {
    const { step } = renderedDefinition();
    const key = exampleEnv().PROJECT_KMS_KEY_ARN;
    const train = step(STEP_NAMES.train).Arguments as Record<string, any>;
    expect(train.OutputDataConfig.KmsKeyId).toBe(key);
    expect(train.ResourceConfig.VolumeKmsKeyId).toBe(key);
    for (const name of [STEP_NAMES.prepare, STEP_NAMES.evaluate, STEP_NAMES.modelQuality]) {
      expect((step(name).Arguments as Record<string, any>).ProcessingOutputConfig.KmsKeyId).toBe(key);
    }
  });

  test('without one, no KmsKeyId (the bucket default encryption applies)', () => {
    const { document } = renderedDefinition({ PROJECT_KMS_KEY_ARN: '' });
    expect(JSON.stringify(document)).not.toContain('KmsKeyId');
  });

  test('a region without a known image registry is an error naming it', () => {
    expect(() => renderedDefinition({ AWS_REGION: 'xx-nowhere-1' })).toThrow(
      /no XGBoost image registry is known for region "xx-nowhere-1"/,
    );
    // XGBoost is published in af-south-1, the Model Monitor analyzer (in the committed map) is not.
    expect(() => renderedDefinition({ AWS_REGION: 'af-south-1' })).toThrow(
      /no Model Monitor analyzer image registry is known for region "af-south-1"/,
    );
  });
});

describe('environment and configuration checks', () => {
  test.each([
    [
      { PROBLEM_TYPE: 'regression', GATE_METRIC: 'auc' },
      'GATE_METRIC: "auc" is not a regression metric (expected rmse or mae)',
    ],
    [
      { PROBLEM_TYPE: 'binary', GATE_METRIC: 'rmse' },
      'GATE_METRIC: "rmse" is not a binary metric (expected auc or f1)',
    ],
    [{ PROBLEM_TYPE: 'ordinal' }, 'PROBLEM_TYPE: must be "regression", "binary" or "multiclass"'],
    [
      { DATA_SOURCE_TYPE: 'feature-group' },
      'DATA_SOURCE_URI: must be a Feature Group name (1-64 letters, digits, inner "-" or "_") when DATA_SOURCE_TYPE is feature-group',
    ],
    [
      { DATA_SOURCE_TYPE: 's3', DATA_SOURCE_URI: 'customer-churn' },
      'DATA_SOURCE_URI: must be an s3://bucket/prefix/ URI when DATA_SOURCE_TYPE is s3',
    ],
    [
      { DATA_SOURCE_URI: 'bucket/prefix' },
      'DATA_SOURCE_URI: must be an s3://bucket/prefix/ URI or a Feature Group name',
    ],
  ])('%j is rejected', (overrides, problem) => {
    try {
      parseEnvironment(exampleEnv(overrides));
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvironmentError);
      expect((error as EnvironmentError).problems.join('\n')).toContain(problem);
    }
  });

  test('the accepted pairings of DATA_SOURCE_TYPE and DATA_SOURCE_URI', () => {
    for (const [type, uri] of [
      ['synthetic', 's3://sagemaker-p-abcdefghijkl-123456789012/data/synthetic/'],
      ['s3', 's3://data-bucket/tabular/'],
      ['feature-group', 'customer_churn-features2'],
    ]) {
      const env = parseEnvironment(exampleEnv({ DATA_SOURCE_TYPE: type, DATA_SOURCE_URI: uri }));
      expect([env.DATA_SOURCE_TYPE, env.DATA_SOURCE_URI]).toEqual([type, uri]);
    }
  });

  test('a missing variable is named', () => {
    const env = exampleEnv();
    delete env.TARGET_COLUMN;
    expect(() => parseEnvironment(env)).toThrow('TARGET_COLUMN is not set');
  });

  test('config/pipeline.json and config/hyperparameters.json are valid; bad values are named', () => {
    expect(() => loadHyperparameters()).not.toThrow();
    const document = { ...config, split: { testFraction: 0.45, validationFraction: 0.4, seed: 1 } };
    expect(() => parsePipelineConfig(document)).toThrow(
      'testFraction + validationFraction must leave at least 20%',
    );
    const s3Source = (patch: Record<string, unknown>) =>
      parsePipelineConfig({ ...config, s3Source: { ...config.s3Source, ...patch } });
    expect(s3Source({ eventTimeColumn: 'ts' }).s3Source.eventTimeColumn).toBe('ts');
    expect(() => s3Source({ eventTimeColumn: 'a,b' })).toThrow(/s3Source.eventTimeColumn/);
    expect(() => s3Source({ recordIdentifierColumn: '' })).toThrow(/s3Source.recordIdentifierColumn/);
    expect(() => s3Source({ recordIdentifierColumn: 'ts', eventTimeColumn: 'ts' })).toThrow(
      'recordIdentifierColumn and eventTimeColumn must differ',
    );
    expect(() => parseHyperparameters({ ...loadHyperparameters(), eta: 2 })).toThrow(
      'invalid hyperparameters:\n- eta:',
    );
    expect(() => parseHyperparameters({ ...loadHyperparameters(), objective: 'x' })).toThrow(
      'Unrecognized key',
    );
  });
});

describe('npm run definition', () => {
  test('prints the definition JSON and nothing else', async () => {
    const output = captureOutput();
    expect(await definitionMain({}, output)).toBe(0);
    expect(output.stdout).toHaveLength(1);
    expect(JSON.parse(output.stdout[0]).Version).toBe('2020-12-01');
    expect(output.stderr).toEqual([]);
  });

  test('a Feature Group source: exit 1, it needs DescribeFeatureGroup (pipeline:upsert)', async () => {
    const output = captureOutput();
    const env = { DATA_SOURCE_TYPE: 'feature-group', DATA_SOURCE_URI: 'customer-churn' };
    expect(await definitionMain(env, output)).toBe(1);
    expect(output.stdout).toEqual([]);
    expect(output.stderr.join('\n')).toContain('DataSourceError: DATA_SOURCE_TYPE is feature-group');
  });

  test('a bad variable: exit 1 naming it', async () => {
    const output = captureOutput();
    expect(await definitionMain({ GATE_METRIC: 'accuracy' }, output)).toBe(1);
    expect(output.stderr.join('\n')).toContain('GATE_METRIC');
  });
});
