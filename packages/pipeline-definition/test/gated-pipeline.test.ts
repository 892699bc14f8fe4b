// The library on a whole pipeline (the generic fixture in fixtures/gated-pipeline.ts: split → fit →
// model → score → measure → gate → register or fail): the rendered document is schema-valid, every
// Get resolves to something declared, the gate compares with the Float parameter and no literal,
// and a missing parameter, step or output is an error that names it.
import {
  asString,
  FailStep,
  isJsonObject,
  JsonValue,
  LambdaStep,
  PipelineDefinition,
  PipelineDefinitionDocument,
  PipelineDefinitionError,
  StepProperty,
  validateDefinition,
} from '../src';
import { FIXTURE, gatedPipeline, STEPS } from './fixtures/gated-pipeline';

/** The steps of a document, those inside Condition branches included, by name. */
function stepsByName(document: PipelineDefinitionDocument): Map<string, Record<string, JsonValue>> {
  const found = new Map<string, Record<string, JsonValue>>();
  const visit = (steps: JsonValue): void => {
    for (const step of Array.isArray(steps) ? steps.filter(isJsonObject) : []) {
      found.set(String(step.Name), step);
      if (isJsonObject(step.Arguments)) [step.Arguments.IfSteps, step.Arguments.ElseSteps].forEach(visit);
    }
  };
  visit(document.Steps as unknown as JsonValue);
  return found;
}

/** Every `Get` string anywhere below `value`. */
function getsIn(value: JsonValue): string[] {
  if (Array.isArray(value)) return value.flatMap(getsIn);
  if (!isJsonObject(value)) return [];
  const own = typeof value.Get === 'string' ? [value.Get] : [];
  return [...own, ...Object.values(value).flatMap(getsIn)];
}

/** The problems of a render that must fail. */
function renderProblems(definition: PipelineDefinition): string[] {
  try {
    definition.render();
  } catch (error) {
    if (error instanceof PipelineDefinitionError) return [...error.problems];
    throw error;
  }
  throw new Error('render did not fail');
}

describe('a whole gated pipeline', () => {
  const document = gatedPipeline().render();
  const steps = stepsByName(document);

  test('is valid against the evidence-extended schema', () => {
    expect(validateDefinition(document)).toEqual({ valid: true, errors: [], issues: [] });
    expect(document.Version).toBe('2020-12-01');
  });

  test('renders each step type once, the branches inside the condition only', () => {
    expect([...steps.values()].map((step) => step.Type).sort()).toEqual(
      ['Condition', 'Fail', 'Lambda', 'Lambda', 'Model', 'RegisterModel', 'Training', 'Transform'].sort(),
    );
    expect(document.Steps.map((step) => step.Name)).not.toContain(STEPS.register);
    expect(steps.get(STEPS.train)?.Arguments).toMatchObject({
      AlgorithmSpecification: { TrainingImage: FIXTURE.image },
      HyperParameters: { num_round: { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.Rounds' }] } } },
    });
  });

  test('every Get names a declared parameter, a known execution variable or a declared step output', () => {
    const parameters = new Set(document.Parameters.map((parameter) => parameter.Name));
    const gets = getsIn(document as unknown as JsonValue);
    // negative control of the walk: it finds the references the fixture is built from
    expect(gets).toEqual(expect.arrayContaining(['Parameters.MaxError', 'Execution.PipelineExecutionId']));
    expect(gets.length).toBeGreaterThan(10);
    for (const get of gets) {
      const [root, name] = get.split('.');
      if (root === 'Parameters') {
        expect({ get, declared: parameters.has(name) }).toEqual({ get, declared: true });
      } else if (root === 'Execution') {
        expect({ get, known: name === 'PipelineExecutionId' }).toEqual({ get, known: true });
      } else {
        expect({ get, root }).toEqual({ get, root: 'Steps' });
        const step = steps.get(name);
        expect({ get, stepExists: step !== undefined }).toEqual({ get, stepExists: true });
        const output = /OutputParameters\['(.+)'\]$/.exec(get)?.[1];
        if (output !== undefined) {
          const declared = (step?.OutputParameters as Array<{ OutputName: string }>).map((o) => o.OutputName);
          expect(declared).toContain(output);
        }
      }
    }
  });

  test('the gate compares the measured error with the Float parameter, with no literal number', () => {
    const conditions = (steps.get(STEPS.gate)?.Arguments as { Conditions: JsonValue }).Conditions;
    expect(conditions).toEqual([
      {
        Type: 'LessThanOrEqualTo',
        LeftValue: { Get: `Steps.${STEPS.measure}.OutputParameters['error']` },
        RightValue: { Get: 'Parameters.MaxError' },
      },
    ]);
    expect(JSON.stringify(conditions)).not.toMatch(/[:[,]\s*-?\d/);
    expect(document.Parameters.find((parameter) => parameter.Name === 'MaxError')).toMatchObject({
      Type: 'Float',
      DefaultValue: 0.25,
    });
  });

  test('the Fail message and the registered metadata carry step outputs and parameters', () => {
    const message = (
      steps.get(STEPS.reject)?.Arguments as { ErrorMessage: { 'Std:Join': { Values: unknown } } }
    ).ErrorMessage['Std:Join'].Values;
    expect(message).toEqual([
      'holdout error',
      { Get: `Steps.${STEPS.measure}.OutputParameters['error']` },
      'exceeds MaxError',
      { Get: 'Parameters.MaxError' },
    ]);
    expect(steps.get(STEPS.register)?.Arguments).toMatchObject({
      ModelApprovalStatus: { Get: 'Parameters.ApprovalStatus' },
      CustomerMetadataProperties: {
        run_reason: { Get: 'Parameters.RunReason' },
        snapshot_id: { Get: `Steps.${STEPS.split}.OutputParameters['snapshot_id']` },
      },
    });
  });
});

describe('a gated pipeline with something missing', () => {
  test('an undeclared parameter is an error naming it', () => {
    expect(renderProblems(gatedPipeline({ withoutLimitParameter: true }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/unknown parameter "MaxError"/)]),
    );
  });

  test('a step left out is an error for each step that reads it, naming both', () => {
    const readers = renderProblems(gatedPipeline({ withoutSplitStep: true }))
      .filter((problem) => problem.includes(`unknown step "${STEPS.split}"`))
      .map((problem) => /^step "([^"]+)"/.exec(problem)?.[1]);
    expect(new Set(readers)).toEqual(new Set([STEPS.train, STEPS.score, STEPS.measure, STEPS.register]));
  });

  test('an output the Lambda step does not declare: refused by output(), and by render() for a raw property', () => {
    const definition = gatedPipeline();
    const measure = definition.steps.find((step) => step.name === STEPS.measure) as LambdaStep;
    expect(() => measure.output('accuracy')).toThrow(/declares no output "accuracy"/);
    const raw = new FailStep('ReadsUndeclared', {
      errorMessage: asString(new StepProperty(STEPS.measure, "OutputParameters['accuracy']")),
    });
    const withRaw = new PipelineDefinition({
      parameters: definition.parameters,
      steps: [...definition.steps, raw],
    });
    expect(() => withRaw.render()).toThrow(
      new RegExp(`step "${STEPS.measure}" declares no output parameter "accuracy"`),
    );
  });
});
