// Building definitions: names and references are checked when the definition is rendered, and
// each problem names the step, parameter, output or file involved; builder inputs that cannot be
// right fail when constructed.
import {
  ConditionEquals,
  ConditionGreaterThan,
  ConditionIn,
  ConditionLessThanOrEqualTo,
  ConditionStep,
  ExecutionVariable,
  ExecutionVariableName,
  FailStep,
  findDefinitionProblems,
  Join,
  JsonGet,
  LambdaStep,
  ModelStep,
  ParameterBoolean,
  ParameterFloat,
  ParameterInteger,
  ParameterString,
  PipelineDefinition,
  PipelineDefinitionError,
  ProcessingStep,
  PropertyFile,
  Step,
  StepProperty,
  TrainingStep,
  validateDefinition,
} from '../src';
import { loadFixture } from './helpers';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:step';
const ROLE = 'arn:aws:iam::123456789012:role/r';

function training(
  name: string,
  instanceType: ParameterString | 'ml.m5.xlarge' = 'ml.m5.xlarge',
  dependsOn: Step[] = [],
): TrainingStep {
  return new TrainingStep(name, {
    dependsOn,
    arguments: {
      AlgorithmSpecification: { TrainingImage: 'image', TrainingInputMode: 'File' },
      RoleArn: ROLE,
      OutputDataConfig: { S3OutputPath: 's3://bucket/out' },
      ResourceConfig: { InstanceCount: 1, InstanceType: instanceType, VolumeSizeInGB: 10 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
    },
  });
}

function lambda(
  name: string,
  args: ConstructorParameters<typeof LambdaStep>[1]['arguments'] = {},
): LambdaStep {
  return new LambdaStep(name, {
    functionArn: FUNCTION_ARN,
    arguments: args,
    outputs: [{ name: 'value', type: 'Float' }],
  });
}

function evaluation(): { step: ProcessingStep; report: PropertyFile } {
  const report = new PropertyFile({ name: 'Report', outputName: 'evaluation', path: 'evaluation.json' });
  const step = new ProcessingStep('Evaluate', {
    arguments: {
      RoleArn: ROLE,
      AppSpecification: { ImageUri: 'image' },
      ProcessingResources: {
        ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 10 },
      },
      ProcessingOutputConfig: {
        Outputs: [
          {
            OutputName: 'evaluation',
            S3Output: { S3Uri: 's3://b/e', LocalPath: '/opt/ml/processing/e', S3UploadMode: 'EndOfJob' },
          },
        ],
      },
    },
    propertyFiles: [report],
  });
  return { step, report };
}

function problemsOf(definition: PipelineDefinition): readonly string[] {
  try {
    definition.render();
  } catch (error) {
    if (error instanceof PipelineDefinitionError) return error.problems;
    throw error;
  }
  throw new Error('render did not fail');
}

describe('rendering', () => {
  test('parameters render with Type, default and description; Version and Metadata are set', () => {
    const document = new PipelineDefinition({
      parameters: [
        new ParameterString('S', { defaultValue: 'x', description: 'a string' }),
        new ParameterInteger('I', { defaultValue: 3 }),
        new ParameterFloat('F', { defaultValue: 0.5 }),
        new ParameterBoolean('B', { defaultValue: false }),
        new ParameterString('NoDefault'),
      ],
      steps: [new FailStep('Stop')],
      metadata: { owner: 'team' },
    }).render();
    expect(document).toStrictEqual({
      Version: '2020-12-01',
      Metadata: { owner: 'team' },
      Parameters: [
        { Name: 'S', Type: 'String', DefaultValue: 'x', Description: 'a string' },
        { Name: 'I', Type: 'Integer', DefaultValue: 3 },
        { Name: 'F', Type: 'Float', DefaultValue: 0.5 },
        { Name: 'B', Type: 'Boolean', DefaultValue: false },
        { Name: 'NoDefault', Type: 'String' },
      ],
      Steps: [{ Name: 'Stop', Type: 'Fail', Arguments: { ErrorMessage: '' } }],
    });
    expect(validateDefinition(document).valid).toBe(true);
  });

  test('parameters and execution variables render as Get references', () => {
    expect(new ParameterFloat('Threshold').ref()).toEqual({ Get: 'Parameters.Threshold' });
    expect(new ExecutionVariable('StartDateTime').ref()).toEqual({ Get: 'Execution.StartDateTime' });
    expect(JSON.stringify({ a: new ParameterInteger('N') })).toBe('{"a":{"Get":"Parameters.N"}}');
  });

  test('DependsOn, DisplayName and Description render on the step', () => {
    const first = lambda('First');
    const second = training('Second', 'ml.m5.xlarge', [first]);
    const step = new FailStep('Third', {
      dependsOn: [second, 'First'],
      displayName: 'Third-step',
      description: 'why',
    });
    const document = new PipelineDefinition({ steps: [first, second, step] }).render();
    expect(document.Steps[1].DependsOn).toEqual(['First']);
    expect(document.Steps[2]).toMatchObject({
      DependsOn: ['Second', 'First'],
      DisplayName: 'Third-step',
      Description: 'why',
    });
  });

  test('steps in condition branches render inside the condition only, even when also listed at top level', () => {
    const fail = new FailStep('Stop');
    const condition = new ConditionStep('Check', {
      conditions: [new ConditionEquals(1, 1)],
      elseSteps: [fail],
    });
    const document = new PipelineDefinition({ steps: [condition, fail, condition] }).render();
    expect(document.Steps.map((step) => step.Name)).toEqual(['Check']);
    expect((document.Steps[0].Arguments as { ElseSteps: unknown[] }).ElseSteps).toHaveLength(1);
  });

  test('undefined optional arguments are left out', () => {
    const step = training('Train');
    const document = step.toDocument();
    expect(Object.keys(document)).toEqual(['Name', 'Type', 'Arguments']);
  });
});

describe('reference problems name what is missing', () => {
  test('an undeclared parameter deep in a step argument', () => {
    const instanceType = new ParameterString('TrainingInstanceType');
    expect(problemsOf(new PipelineDefinition({ steps: [training('Train', instanceType)] }))).toEqual([
      'step "Train" at Arguments.ResourceConfig.InstanceType: unknown parameter "TrainingInstanceType" (not declared in Parameters)',
    ]);
  });

  test('an undeclared parameter inside a Join inside a Lambda argument, a condition and a Fail message', () => {
    const prefix = new ParameterString('Prefix');
    const threshold = new ParameterFloat('Threshold');
    const first = lambda('First', { uri: new Join({ on: '/', values: ['s3://b', prefix] }) });
    const condition = new ConditionStep('Check', {
      conditions: [new ConditionLessThanOrEqualTo(first.output('value'), threshold)],
      elseSteps: [
        new FailStep('Stop', { errorMessage: new Join({ on: ' ', values: ['above', threshold] }) }),
      ],
    });
    expect(problemsOf(new PipelineDefinition({ steps: [first, condition] }))).toEqual([
      'step "First" at Arguments.uri.Std:Join.Values[1]: unknown parameter "Prefix" (not declared in Parameters)',
      'step "Check" at Arguments.Conditions[0].RightValue: unknown parameter "Threshold" (not declared in Parameters)',
      'step "Stop" at Arguments.ErrorMessage.Std:Join.Values[1]: unknown parameter "Threshold" (not declared in Parameters)',
    ]);
  });

  test('a step that is referenced but not part of the definition', () => {
    const train = training('Train');
    const model = new ModelStep('Model', {
      arguments: {
        ExecutionRoleArn: ROLE,
        PrimaryContainer: { Image: 'image', ModelDataUrl: train.modelArtifacts },
      },
    });
    expect(problemsOf(new PipelineDefinition({ steps: [model] }))).toEqual([
      'step "Model" at Arguments.PrimaryContainer.ModelDataUrl: unknown step "Train" (referenced by "Steps.Train.ModelArtifacts.S3ModelArtifacts")',
    ]);
  });

  test('JsonGet on an undeclared property file and on an unknown step', () => {
    const { step } = evaluation();
    expect(() => step.jsonGet('Metrics', 'mse')).toThrow(
      'Processing step "Evaluate" declares no property file "Metrics"',
    );
    const condition = new ConditionStep('Check', {
      conditions: [
        new ConditionGreaterThan(new JsonGet({ step, propertyFile: 'Metrics', path: 'mse' }), 1),
        new ConditionGreaterThan(new JsonGet({ step: 'Elsewhere', propertyFile: 'Report', path: 'mse' }), 1),
      ],
    });
    expect(problemsOf(new PipelineDefinition({ steps: [step, condition] }))).toEqual([
      'step "Check" at Arguments.Conditions[0].LeftValue.Std:JsonGet.PropertyFile: step "Evaluate" declares no property file "Metrics"',
      'step "Check" at Arguments.Conditions[1].LeftValue.Std:JsonGet.PropertyFile: unknown step "Elsewhere" (referenced by "Steps.Elsewhere.PropertyFiles.Report")',
    ]);
  });

  test('a declared property file renders and resolves', () => {
    const { step, report } = evaluation();
    const condition = new ConditionStep('Check', {
      conditions: [new ConditionGreaterThan(step.jsonGet(report, 'metrics.mse'), 1)],
      ifSteps: [new FailStep('Stop')],
    });
    const document = new PipelineDefinition({ steps: [step, condition] }).render();
    expect(document.Steps[0].PropertyFiles).toEqual([
      { PropertyFileName: 'Report', OutputName: 'evaluation', FilePath: 'evaluation.json' },
    ]);
  });

  test('an undeclared processing output', () => {
    const { step } = evaluation();
    const next = lambda('Next', { uri: step.outputUri('metrics') });
    expect(problemsOf(new PipelineDefinition({ steps: [step, next] }))).toEqual([
      'step "Next" at Arguments.uri: step "Evaluate" has no processing output "metrics"',
    ]);
  });

  test('an unknown execution variable and an unsupported Get path', () => {
    const unknownVariable = Object.create(ExecutionVariable.prototype, {
      path: { value: 'Execution.Tomorrow' },
    }) as ExecutionVariable;
    const odd = new StepProperty('First', 'x');
    Object.defineProperty(odd, 'path', { value: 'Pipeline.Name' });
    const step = lambda('First', { a: unknownVariable, b: odd });
    expect(problemsOf(new PipelineDefinition({ steps: [step] }))).toEqual([
      'step "First" at Arguments.a: unknown execution variable "Tomorrow"',
      'step "First" at Arguments.b: unsupported reference "Pipeline.Name" (expected Parameters., Execution. or Steps.)',
    ]);
    expect(() => new ExecutionVariable('Tomorrow' as ExecutionVariableName)).toThrow(
      'unknown execution variable "Tomorrow"',
    );
  });

  test('a reference to a Fail step', () => {
    const stop = new FailStep('Stop');
    const after = lambda('After', { x: new StepProperty('Stop', 'Outcome') });
    const condition = new ConditionStep('Check', {
      conditions: [new ConditionEquals(1, 1)],
      elseSteps: [stop],
    });
    expect(problemsOf(new PipelineDefinition({ steps: [condition, after] }))).toEqual([
      'step "After" at Arguments.x: step "Stop" is a Fail step and has no properties',
    ]);
  });

  test('duplicate step names, also between a branch and the top level, and duplicate parameters', () => {
    const condition = new ConditionStep('Check', {
      conditions: [new ConditionIn(new ParameterString('Mode'), ['a', 'b'])],
      ifSteps: [new FailStep('Stop')],
    });
    const definition = new PipelineDefinition({
      parameters: [new ParameterString('Mode'), new ParameterInteger('Mode')],
      steps: [lambda('Twice'), lambda('Twice'), new FailStep('Stop'), condition],
    });
    expect(problemsOf(definition)).toEqual([
      'duplicate parameter name "Mode"',
      'duplicate step name "Twice"',
      'duplicate step name "Stop"',
    ]);
  });

  test('a step placed in two condition branches', () => {
    const stop = new FailStep('Stop');
    const one = new ConditionStep('One', { conditions: [new ConditionEquals(1, 1)], ifSteps: [stop] });
    const two = new ConditionStep('Two', { conditions: [new ConditionEquals(1, 1)], elseSteps: [stop] });
    expect(problemsOf(new PipelineDefinition({ steps: [one, two] }))).toContain(
      'step "Stop" is placed in the branches of both "One" and "Two"',
    );
  });

  test('DependsOn an unknown step, and dependency cycles', () => {
    const a = training('A', 'ml.m5.xlarge');
    const b = lambda('B', { model: a.modelArtifacts });
    const cyclic = new TrainingStep('A', {
      dependsOn: ['B'],
      arguments: { RoleArn: ROLE, OutputDataConfig: { S3OutputPath: 's3://b/o' }, StoppingCondition: {} },
    });
    expect(problemsOf(new PipelineDefinition({ steps: [cyclic, b] }))).toEqual([
      'dependency cycle between steps: A -> B -> A',
    ]);
    const lonely = new FailStep('Lonely', { dependsOn: ['Ghost'] });
    expect(problemsOf(new PipelineDefinition({ steps: [lonely] }))).toEqual([
      'step "Lonely": DependsOn names unknown step "Ghost"',
    ]);
    const self = lambda('Self');
    const selfReference = new LambdaStep('Self', {
      functionArn: FUNCTION_ARN,
      arguments: { v: self.output('value') },
    });
    expect(problemsOf(new PipelineDefinition({ steps: [selfReference] }))).toEqual([
      'step "Self" at Arguments.v: step "Self" declares no output parameter "value"',
      'dependency cycle between steps: Self -> Self',
    ]);
  });

  test('a number JSON cannot hold', () => {
    const step = new TrainingStep('Train', {
      arguments: {
        RoleArn: ROLE,
        OutputDataConfig: { S3OutputPath: 's3://b/o' },
        StoppingCondition: { MaxRuntimeInSeconds: Number.NaN },
      },
    });
    expect(problemsOf(new PipelineDefinition({ steps: [step] }))).toEqual([
      'step "Train" at Arguments.StoppingCondition.MaxRuntimeInSeconds: NaN is not a finite number',
    ]);
    const condition = new ConditionStep('Check', {
      conditions: [new ConditionEquals(1, 1)],
      ifSteps: [step],
    });
    expect(problemsOf(new PipelineDefinition({ steps: [condition] }))).toEqual([
      'step "Train" at Arguments.StoppingCondition.MaxRuntimeInSeconds: NaN is not a finite number',
    ]);
    const badOperand = new ConditionStep('Check', {
      conditions: [new ConditionEquals(1, Number.POSITIVE_INFINITY)],
    });
    expect(problemsOf(new PipelineDefinition({ steps: [badOperand] }))).toEqual([
      'step "Check" at Arguments.Conditions[0].RightValue: Infinity is not a finite number',
    ]);
  });

  test('all problems are reported together', () => {
    const definition = new PipelineDefinition({
      steps: [
        training('Train', new ParameterString('Missing')),
        new FailStep('Stop', { dependsOn: ['Ghost'] }),
      ],
    });
    const error = (() => {
      try {
        definition.render();
      } catch (caught) {
        return caught as PipelineDefinitionError;
      }
      throw new Error('render did not fail');
    })();
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('unknown parameter "Missing"');
    expect(error.message).toContain('unknown step "Ghost"');
  });
});

describe('the reference checker on JSON', () => {
  test('finds a renamed property file in the SDK example', () => {
    const sdk = loadFixture('pipeline-definition-example.json');
    const text = JSON.stringify(sdk).replace(
      '"PropertyFileName":"EvaluationReport"',
      '"PropertyFileName":"Report"',
    );
    expect(findDefinitionProblems(JSON.parse(text))).toEqual([
      'step "AbaloneMSECond" at Arguments.Conditions[0].LeftValue.Std:JsonGet.PropertyFile: step "AbaloneEval" declares no property file "EvaluationReport"',
    ]);
  });

  test('rejects what is not a definition', () => {
    expect(findDefinitionProblems([])).toEqual(['a pipeline definition must be a JSON object']);
    expect(findDefinitionProblems({ Steps: [{ Type: 'Fail' }] })).toEqual([
      'Steps[0]: a step needs a string Name and Type',
    ]);
    expect(
      findDefinitionProblems({
        Steps: [
          {
            Name: 'C',
            Type: 'Condition',
            Arguments: { Conditions: [{ LeftValue: { 'Std:JsonGet': { PropertyFile: 'x' } } }] },
          },
        ],
      }),
    ).toEqual([
      'step "C".Arguments.Conditions[0].LeftValue: Std:JsonGet must read {"Get": "Steps.<step>.PropertyFiles.<name>"}',
    ]);
  });
});

describe('builder inputs that cannot be right fail at construction', () => {
  test.each([
    ['a step name with a space', () => new FailStep('my step'), 'invalid step name "my step"'],
    ['a step name longer than 64', () => new FailStep('x'.repeat(65)), 'invalid step name'],
    ['a parameter name with a dot', () => new ParameterString('a.b'), 'invalid parameter name "a.b"'],
    [
      'an Integer default that is not an integer',
      () => new ParameterInteger('N', { defaultValue: 1.5 }),
      'not an integer: 1.5',
    ],
    [
      'a Float default that is not finite',
      () => new ParameterFloat('F', { defaultValue: Number.POSITIVE_INFINITY }),
      'not a finite number',
    ],
    [
      'a Lambda function that is not an ARN',
      () => new LambdaStep('L', { functionArn: '' }),
      'is not a Lambda function ARN',
    ],
    [
      'a Lambda output declared twice',
      () =>
        new LambdaStep('L', {
          functionArn: FUNCTION_ARN,
          outputs: [
            { name: 'a', type: 'String' },
            { name: 'a', type: 'Float' },
          ],
        }),
      'declares output "a" twice',
    ],
    [
      'an undeclared Lambda output',
      () => lambda('L').output('missing'),
      'declares no output "missing" (declared: value)',
    ],
    [
      'a condition step without conditions',
      () => new ConditionStep('C', { conditions: [] }),
      'needs at least one condition',
    ],
    ['an empty Join', () => new Join({ values: [] }), 'Join needs at least one value'],
    ['a Join of NaN', () => new Join({ values: ['a', Number.NaN] }), 'Join value NaN is not a finite number'],
    ['an empty In', () => new ConditionIn('a', []), 'at least one value'],
    [
      'a property file with a dotted name',
      () => new PropertyFile({ name: 'a.b', outputName: 'o', path: 'p' }),
      'invalid property file name',
    ],
  ])('%s', (_case, build, message) => {
    expect(build).toThrow(message);
  });
});
