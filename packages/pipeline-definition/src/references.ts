// Reference checks on a definition's JSON (built here or by the SageMaker Python SDK): every `Get`
// names a declared parameter, a known execution variable or an existing step (and, for Lambda
// outputs, property files and processing outputs, one that step declares); step names are valid
// and unique; DependsOn names exist; no dependency cycle between steps.
import { EXECUTION_VARIABLE_NAMES } from './expressions';
import { isJsonObject, JsonObject } from './json';
import { isValidName } from './names';

interface StepEntry {
  readonly name: string;
  readonly type: string;
  readonly document: JsonObject;
  /** The Condition step whose branch holds this step. */
  readonly parent?: string;
  readonly outputParameters?: ReadonlySet<string>;
  readonly propertyFiles: ReadonlySet<string>;
  /** Literal processing output names; undefined when some name is not a literal string. */
  readonly processingOutputs?: ReadonlySet<string>;
}

interface FoundReference {
  readonly path: string;
  readonly location: string;
}

const KNOWN_EXECUTION_VARIABLES: ReadonlySet<string> = new Set(EXECUTION_VARIABLE_NAMES);
const STEP_REFERENCE = /^Steps\.([^.[]+)(.*)$/;
const OUTPUT_PARAMETER = /^\.OutputParameters\['([^']*)'\]$/;
const PROPERTY_FILE = /^\.PropertyFiles\.(.+)$/;
const PROCESSING_OUTPUT = /^\.ProcessingOutputConfig\.Outputs\['([^']*)'\]/;

function stringsAt(items: unknown, key: string): Set<string> | undefined {
  if (!Array.isArray(items)) return new Set();
  const names = new Set<string>();
  for (const item of items) {
    const value = isJsonObject(item) ? item[key] : undefined;
    if (typeof value !== 'string') return undefined;
    names.add(value);
  }
  return names;
}

function describeStep(document: JsonObject, parent: string | undefined): StepEntry | undefined {
  const { Name: name, Type: type } = document;
  if (typeof name !== 'string' || typeof type !== 'string') return undefined;
  const args = isJsonObject(document.Arguments) ? document.Arguments : {};
  const outputConfig = isJsonObject(args.ProcessingOutputConfig) ? args.ProcessingOutputConfig : {};
  return {
    name,
    type,
    document,
    parent,
    outputParameters:
      'OutputParameters' in document ? stringsAt(document.OutputParameters, 'OutputName') : new Set(),
    propertyFiles: stringsAt(document.PropertyFiles, 'PropertyFileName') ?? new Set(),
    processingOutputs: stringsAt(outputConfig.Outputs, 'OutputName'),
  };
}

/** Flattens top-level steps and the If/Else branches of Condition steps. */
function collectSteps(
  steps: unknown,
  parent: string | undefined,
  into: StepEntry[],
  problems: string[],
): void {
  if (!Array.isArray(steps)) return;
  for (const [index, step] of steps.entries()) {
    const where = parent === undefined ? `Steps[${index}]` : `a branch of condition "${parent}"`;
    const entry = isJsonObject(step) ? describeStep(step, parent) : undefined;
    if (entry === undefined) {
      problems.push(`${where}: a step needs a string Name and Type`);
      continue;
    }
    into.push(entry);
    if (entry.type === 'Condition' && isJsonObject(entry.document.Arguments)) {
      collectSteps(entry.document.Arguments.IfSteps, entry.name, into, problems);
      collectSteps(entry.document.Arguments.ElseSteps, entry.name, into, problems);
    }
  }
}

/** Collects `Get` paths below `value`, not descending into the nested steps of a Condition. */
function collectGets(value: unknown, location: string, found: FoundReference[], skipBranches: boolean): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectGets(item, `${location}[${index}]`, found, false));
    return;
  }
  if (!isJsonObject(value)) return;
  if (typeof value.Get === 'string') found.push({ path: value.Get, location });
  for (const [key, member] of Object.entries(value)) {
    if (skipBranches && (key === 'IfSteps' || key === 'ElseSteps')) continue;
    collectGets(
      member,
      location === '' ? key : `${location}.${key}`,
      found,
      skipBranches && key === 'Arguments',
    );
  }
}

/** Checks that every `Std:JsonGet` reads a property file through `Steps.<step>.PropertyFiles.<name>`. */
function collectJsonGetProblems(
  value: unknown,
  location: string,
  problems: string[],
  skipBranches: boolean,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectJsonGetProblems(item, `${location}[${index}]`, problems, false));
    return;
  }
  if (!isJsonObject(value)) return;
  const jsonGet = value['Std:JsonGet'];
  if (jsonGet !== undefined) {
    const file = isJsonObject(jsonGet) ? jsonGet.PropertyFile : undefined;
    const path = isJsonObject(file) ? file.Get : undefined;
    if (typeof path !== 'string' || !/^Steps\.[^.[]+\.PropertyFiles\.[^.]+$/.test(path)) {
      problems.push(`${location}: Std:JsonGet must read {"Get": "Steps.<step>.PropertyFiles.<name>"}`);
    }
  }
  for (const [key, member] of Object.entries(value)) {
    if (skipBranches && (key === 'IfSteps' || key === 'ElseSteps')) continue;
    collectJsonGetProblems(
      member,
      location === '' ? key : `${location}.${key}`,
      problems,
      skipBranches && key === 'Arguments',
    );
  }
}

/** The problem with one `Get` path, or undefined; `referenced` receives the step it points at. */
function checkGet(
  path: string,
  parameters: ReadonlySet<string>,
  steps: ReadonlyMap<string, StepEntry>,
  referenced: (stepName: string) => void,
): string | undefined {
  if (path.startsWith('Parameters.')) {
    const name = path.slice('Parameters.'.length);
    return parameters.has(name) ? undefined : `unknown parameter "${name}" (not declared in Parameters)`;
  }
  if (path.startsWith('Execution.')) {
    const name = path.slice('Execution.'.length);
    return KNOWN_EXECUTION_VARIABLES.has(name) ? undefined : `unknown execution variable "${name}"`;
  }
  const match = STEP_REFERENCE.exec(path);
  if (match === null) return `unsupported reference "${path}" (expected Parameters., Execution. or Steps.)`;
  const [, stepName, property] = match;
  const step = steps.get(stepName);
  if (step === undefined) return `unknown step "${stepName}" (referenced by "${path}")`;
  referenced(stepName);
  if (property === '' || property === '.') {
    return `reference "${path}" names no property of step "${stepName}"`;
  }
  if (step.type === 'Fail') return `step "${stepName}" is a Fail step and has no properties`;
  const output = OUTPUT_PARAMETER.exec(property);
  if (output !== null && step.outputParameters !== undefined && !step.outputParameters.has(output[1])) {
    return `step "${stepName}" declares no output parameter "${output[1]}"`;
  }
  const file = PROPERTY_FILE.exec(property);
  if (file !== null && !step.propertyFiles.has(file[1])) {
    return `step "${stepName}" declares no property file "${file[1]}"`;
  }
  const processingOutput = PROCESSING_OUTPUT.exec(property);
  if (
    processingOutput !== null &&
    step.processingOutputs !== undefined &&
    !step.processingOutputs.has(processingOutput[1])
  ) {
    return `step "${stepName}" has no processing output "${processingOutput[1]}"`;
  }
  return undefined;
}

/** Dependency cycles, each reported once as `a -> b -> a`. */
function findCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const nextState = state.get(next);
      if (nextState === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.add([...rotated, rotated[0]].join(' -> '));
      } else if (nextState === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return [...cycles].map((cycle) => `dependency cycle between steps: ${cycle}`);
}

/**
 * Problems with names and references in a definition's JSON; empty when all references resolve.
 * Does not check the JSON against the schema (see `validateDefinition`).
 */
export function findDefinitionProblems(definition: unknown): string[] {
  if (!isJsonObject(definition)) return ['a pipeline definition must be a JSON object'];
  const problems: string[] = [];

  const parameters = new Set<string>();
  if (Array.isArray(definition.Parameters)) {
    for (const parameter of definition.Parameters) {
      const name = isJsonObject(parameter) ? parameter.Name : undefined;
      if (typeof name !== 'string') {
        problems.push('Parameters: a parameter needs a string Name');
      } else if (parameters.has(name)) {
        problems.push(`duplicate parameter name "${name}"`);
      } else {
        parameters.add(name);
      }
    }
  }

  const entries: StepEntry[] = [];
  collectSteps(definition.Steps, undefined, entries, problems);
  const steps = new Map<string, StepEntry>();
  for (const entry of entries) {
    if (!isValidName(entry.name)) problems.push(`invalid step name "${entry.name}"`);
    if (steps.has(entry.name)) problems.push(`duplicate step name "${entry.name}"`);
    else steps.set(entry.name, entry);
  }

  const edges = new Map<string, Set<string>>();
  for (const entry of entries) {
    const dependencies = edges.get(entry.name) ?? new Set<string>();
    edges.set(entry.name, dependencies);
    if (entry.parent !== undefined) dependencies.add(entry.parent);

    const dependsOn = entry.document.DependsOn;
    if (dependsOn !== undefined) {
      if (!Array.isArray(dependsOn)) {
        problems.push(`step "${entry.name}": DependsOn must be a list of step names`);
      } else {
        for (const dependency of dependsOn) {
          if (typeof dependency !== 'string' || !steps.has(dependency)) {
            problems.push(`step "${entry.name}": DependsOn names unknown step ${JSON.stringify(dependency)}`);
          } else {
            dependencies.add(dependency);
          }
        }
      }
    }

    const references: FoundReference[] = [];
    const isCondition = entry.type === 'Condition';
    collectGets(entry.document, '', references, isCondition);
    for (const reference of references) {
      const problem = checkGet(reference.path, parameters, steps, (name) => dependencies.add(name));
      if (problem !== undefined) problems.push(`step "${entry.name}" at ${reference.location}: ${problem}`);
    }
    collectJsonGetProblems(entry.document, `step "${entry.name}"`, problems, isCondition);
  }

  const experimentReferences: FoundReference[] = [];
  collectGets(definition.PipelineExperimentConfig, 'PipelineExperimentConfig', experimentReferences, false);
  for (const reference of experimentReferences) {
    const problem = checkGet(reference.path, parameters, steps, () => undefined);
    if (problem !== undefined) problems.push(`${reference.location}: ${problem}`);
  }

  problems.push(...findCycles(edges));
  return problems;
}
