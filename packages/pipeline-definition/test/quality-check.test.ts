// QualityCheck steps (Model Monitor baselines as pipeline steps) and the model metrics and drift-check
// baselines of RegisterModel: what they render (the SDK's shapes), the property references, the
// construction checks (with negative cases) and a baseline → register definition that passes the
// reference checks and the extended schema.
import {
  BASELINE_CONTENT_TYPE,
  ConditionGreaterThanOrEqualTo,
  ConditionStep,
  FailStep,
  ParameterFloat,
  PipelineDefinition,
  PipelineDefinitionError,
  ProcessingArguments,
  ProcessingStep,
  PropertyFile,
  QualityCheckStep,
  RegisterModelStep,
  validateDefinition,
} from '../src';

const ROLE = 'arn:aws:iam::111122223333:role/example-pipeline';
const ANALYZER = '159807026194.dkr.ecr.us-west-2.amazonaws.com/sagemaker-model-monitor-analyzer';

function analyzerArguments(
  dataset: ProcessingArguments['ProcessingInputs'] extends ReadonlyArray<infer I> | undefined ? I : never,
  environment: Record<string, string>,
  outputs = 1,
): ProcessingArguments {
  return {
    AppSpecification: { ImageUri: ANALYZER },
    RoleArn: ROLE,
    ProcessingResources: {
      ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 },
    },
    ProcessingInputs: [dataset],
    ProcessingOutputConfig: {
      Outputs: Array.from({ length: outputs }, (_, index) => ({
        OutputName: `quality_check_output${index === 0 ? '' : index}`,
        S3Output: {
          S3Uri: 's3://example-bucket/baselines/',
          LocalPath: '/opt/ml/processing/output',
          S3UploadMode: 'EndOfJob' as const,
        },
      })),
    },
    Environment: {
      dataset_format: JSON.stringify({ csv: { header: true, output_columns_position: 'START' } }),
      dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
      output_path: '/opt/ml/processing/output',
      publish_cloudwatch_metrics: 'Disabled',
      ...environment,
    },
  };
}

const datasetInput = (uri: string | ProcessingStep['name'] | ReturnType<ProcessingStep['outputUri']>) => ({
  InputName: 'baseline_dataset_input',
  S3Input: {
    S3Uri: uri,
    LocalPath: '/opt/ml/processing/input/baseline_dataset_input',
    S3DataType: 'S3Prefix' as const,
    S3InputMode: 'File' as const,
  },
});

const dataQuality = (
  name = 'DataQualityBaseline',
  extra: Partial<ConstructorParameters<typeof QualityCheckStep>[1]> = {},
) =>
  new QualityCheckStep(name, {
    checkType: 'DATA_QUALITY',
    arguments: analyzerArguments(datasetInput('s3://example-bucket/train/'), {}),
    skipCheck: true,
    registerNewBaseline: true,
    ...extra,
  });

const modelQuality = (problemType = 'BinaryClassification') =>
  new QualityCheckStep('ModelQualityBaseline', {
    checkType: 'MODEL_QUALITY',
    arguments: analyzerArguments(datasetInput('s3://example-bucket/predictions/'), {
      analysis_type: 'MODEL_QUALITY',
      problem_type: problemType,
      inference_attribute: 'prediction',
      ground_truth_attribute: 'label',
    }),
    modelPackageGroupName: 'example-group',
  });

describe('QualityCheckStep', () => {
  test('renders the SDK shape: CheckType, the analyzer job as Arguments, the check flags', () => {
    const step = dataQuality().toDocument();
    expect(step).toMatchObject({
      Name: 'DataQualityBaseline',
      Type: 'QualityCheck',
      CheckType: 'DATA_QUALITY',
      SkipCheck: true,
      RegisterNewBaseline: true,
      FailOnViolation: true,
      Arguments: { AppSpecification: { ImageUri: ANALYZER } },
    });
    expect(step).not.toHaveProperty('ModelPackageGroupName');
    expect(modelQuality().toDocument()).toMatchObject({
      CheckType: 'MODEL_QUALITY',
      SkipCheck: false,
      RegisterNewBaseline: false,
      ModelPackageGroupName: 'example-group',
    });
  });

  test('property references are QualityCheckStepMetadata members', () => {
    const step = dataQuality();
    expect(step.calculatedBaselineStatistics.toJSON()).toEqual({
      Get: 'Steps.DataQualityBaseline.CalculatedBaselineStatistics',
    });
    expect(step.baselineUsedForDriftCheckConstraints.toJSON()).toEqual({
      Get: 'Steps.DataQualityBaseline.BaselineUsedForDriftCheckConstraints',
    });
    expect(JSON.parse(JSON.stringify(step.calculatedBaseline()))).toEqual({
      Statistics: {
        ContentType: BASELINE_CONTENT_TYPE,
        S3Uri: { Get: 'Steps.DataQualityBaseline.CalculatedBaselineStatistics' },
      },
      Constraints: {
        ContentType: BASELINE_CONTENT_TYPE,
        S3Uri: { Get: 'Steps.DataQualityBaseline.CalculatedBaselineConstraints' },
      },
    });
    expect(JSON.parse(JSON.stringify(step.driftCheckBaseline())).Statistics.S3Uri).toEqual({
      Get: 'Steps.DataQualityBaseline.BaselineUsedForDriftCheckStatistics',
    });
  });

  test.each([
    [
      'an unknown check type',
      () => dataQuality('X', { checkType: 'BIAS' as never }),
      /checkType must be DATA_QUALITY or MODEL_QUALITY/,
    ],
    [
      'two outputs',
      () =>
        new QualityCheckStep('X', {
          checkType: 'DATA_QUALITY',
          arguments: analyzerArguments(datasetInput('s3://b/x/'), {}, 2),
          skipCheck: true,
        }),
      /exactly one output \(the baseline\), got 2/,
    ],
    [
      'nothing to check against',
      () => dataQuality('X', { skipCheck: false }),
      /nothing to check against: set modelPackageGroupName or the supplied baselines, or skipCheck: true/,
    ],
    [
      'only supplied statistics',
      () => dataQuality('X', { suppliedBaselineStatistics: 's3://b/statistics.json' }),
      /suppliedBaselineStatistics and suppliedBaselineConstraints go together/,
    ],
    [
      'a model-quality problem type the analyzer lacks',
      () => modelQuality('Ranking'),
      /problem_type must be one of/,
    ],
    [
      'a model-quality check without analysis_type',
      () =>
        new QualityCheckStep('X', {
          checkType: 'MODEL_QUALITY',
          arguments: analyzerArguments(datasetInput('s3://b/x/'), { problem_type: 'Regression' }),
          skipCheck: true,
        }),
      /needs Environment.analysis_type "MODEL_QUALITY"/,
    ],
    [
      'a data-quality check with analysis_type MODEL_QUALITY',
      () =>
        new QualityCheckStep('X', {
          checkType: 'DATA_QUALITY',
          arguments: analyzerArguments(datasetInput('s3://b/x/'), { analysis_type: 'MODEL_QUALITY' }),
          skipCheck: true,
        }),
      /a DATA_QUALITY check cannot set Environment.analysis_type/,
    ],
  ])('rejects %s', (_what, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('RegisterModelStep model metrics and drift-check baselines', () => {
  const container = { Image: 'example:1', ModelDataUrl: 's3://example-bucket/model.tar.gz' };

  test.each([
    [
      'a metrics source without ContentType',
      { ModelMetrics: { ModelQuality: { Statistics: { S3Uri: 's3://b/s.json' } as never } } },
      'ModelMetrics.ModelQuality.Statistics.ContentType is required',
    ],
    [
      'an empty S3Uri',
      {
        DriftCheckBaselines: {
          ModelDataQuality: { Constraints: { ContentType: 'application/json', S3Uri: '' } },
        },
      },
      'DriftCheckBaselines.ModelDataQuality.Constraints.S3Uri is required',
    ],
    [
      'a member ModelMetrics does not have',
      { ModelMetrics: { ModelQuality: { Baseline: { ContentType: 'a', S3Uri: 's3://b/c' } } as never } },
      'ModelMetrics.ModelQuality.Baseline is not a member (expected Statistics, Constraints)',
    ],
    [
      'a section DriftCheckBaselines does not have',
      { DriftCheckBaselines: { DataQuality: {} } as never },
      'DriftCheckBaselines.DataQuality is not a member',
    ],
  ])('rejects %s', (_what, metrics, message) => {
    expect(
      () =>
        new RegisterModelStep('Register', {
          arguments: {
            ModelPackageGroupName: 'g',
            InferenceSpecification: { Containers: [container] },
            ...metrics,
          },
        }),
    ).toThrow(message);
  });

  test('a Bias ConfigFile (a FileSource) needs no ContentType', () => {
    expect(
      () =>
        new RegisterModelStep('Register', {
          arguments: {
            ModelPackageGroupName: 'g',
            InferenceSpecification: { Containers: [container] },
            DriftCheckBaselines: { Bias: { ConfigFile: { S3Uri: 's3://b/analysis_config.json' } } },
          },
        }),
    ).not.toThrow();
  });
});

describe('a baseline → gate → register definition', () => {
  function build(options: { undeclaredCheck?: boolean } = {}) {
    const evaluation = new PropertyFile({
      name: 'Evaluation',
      outputName: 'evaluation',
      path: 'evaluation.json',
    });
    const evaluate = new ProcessingStep('Evaluate', {
      arguments: {
        AppSpecification: { ImageUri: 'example:1' },
        RoleArn: ROLE,
        ProcessingResources: {
          ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 30 },
        },
        ProcessingOutputConfig: {
          Outputs: [
            {
              OutputName: 'evaluation',
              S3Output: {
                S3Uri: 's3://b/eval/',
                LocalPath: '/opt/ml/processing/evaluation',
                S3UploadMode: 'EndOfJob',
              },
            },
            {
              OutputName: 'predictions',
              S3Output: {
                S3Uri: 's3://b/pred/',
                LocalPath: '/opt/ml/processing/predictions',
                S3UploadMode: 'EndOfJob',
              },
            },
          ],
        },
      },
      propertyFiles: [evaluation],
    });
    const dq = dataQuality();
    const mq = new QualityCheckStep('ModelQualityBaseline', {
      checkType: 'MODEL_QUALITY',
      arguments: analyzerArguments(datasetInput(evaluate.outputUri('predictions')), {
        analysis_type: 'MODEL_QUALITY',
        problem_type: 'BinaryClassification',
      }),
      skipCheck: true,
      registerNewBaseline: true,
    });
    const threshold = new ParameterFloat('GateThreshold', { defaultValue: 0.7 });
    const register = new RegisterModelStep('Register', {
      arguments: {
        ModelPackageGroupName: 'example-group',
        InferenceSpecification: {
          Containers: [{ Image: 'example:1', ModelDataUrl: 's3://b/model.tar.gz' }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
        ModelMetrics: { ModelQuality: mq.calculatedBaseline(), ModelDataQuality: dq.calculatedBaseline() },
        DriftCheckBaselines: {
          ModelQuality: mq.driftCheckBaseline(),
          ModelDataQuality: dq.driftCheckBaseline(),
        },
      },
    });
    const gate = new ConditionStep('Gate', {
      conditions: [
        new ConditionGreaterThanOrEqualTo(evaluate.jsonGet(evaluation, 'metrics.auc.value'), threshold),
      ],
      ifSteps: [register],
      elseSteps: [new FailStep('Reject', { errorMessage: 'AUC below the threshold' })],
    });
    return new PipelineDefinition({
      parameters: [threshold],
      steps: options.undeclaredCheck ? [evaluate, mq, gate] : [evaluate, dq, mq, gate],
    });
  }

  test('passes the reference checks and the extended schema', () => {
    const document = build().render();
    expect(validateDefinition(document)).toEqual({ valid: true, errors: [], issues: [] });
    const register = (
      document.Steps[3] as unknown as {
        Arguments: { IfSteps: Array<{ Arguments: Record<string, unknown> }> };
      }
    ).Arguments.IfSteps[0].Arguments;
    expect(register.DriftCheckBaselines).toEqual({
      ModelQuality: {
        Statistics: {
          ContentType: 'application/json',
          S3Uri: { Get: 'Steps.ModelQualityBaseline.BaselineUsedForDriftCheckStatistics' },
        },
        Constraints: {
          ContentType: 'application/json',
          S3Uri: { Get: 'Steps.ModelQualityBaseline.BaselineUsedForDriftCheckConstraints' },
        },
      },
      ModelDataQuality: {
        Statistics: {
          ContentType: 'application/json',
          S3Uri: { Get: 'Steps.DataQualityBaseline.BaselineUsedForDriftCheckStatistics' },
        },
        Constraints: {
          ContentType: 'application/json',
          S3Uri: { Get: 'Steps.DataQualityBaseline.BaselineUsedForDriftCheckConstraints' },
        },
      },
    });
  });

  test('a baseline of a step the definition lacks is a reference problem', () => {
    let problems: readonly string[] = [];
    try {
      build({ undeclaredCheck: true }).render();
    } catch (error) {
      if (error instanceof PipelineDefinitionError) problems = error.problems;
    }
    expect(problems).toContainEqual(expect.stringContaining('unknown step "DataQualityBaseline"'));
  });

  test('the schema rejects a QualityCheck step without CheckType (negative control)', () => {
    const document = build().render() as unknown as { Steps: Array<Record<string, unknown>> };
    delete document.Steps[1].CheckType;
    expect(validateDefinition(document).valid).toBe(false);
  });
});
