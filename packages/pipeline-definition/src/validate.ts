// Validation of a definition document against the evidence-extended schema with ajv. Errors are
// reported per step against the schema of that step's Type (the schema's `oneOf` over all step
// types would otherwise report every other type's mismatches too).
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { isJsonObject, JsonObject } from './json';
import { extendedSchema, JsonSchemaDocument } from './schema';

/** One schema violation: where (JSON pointer of the offending member or value) and what. */
export interface DefinitionIssue {
  readonly path: string;
  readonly message: string;
}

export interface DefinitionValidationResult {
  readonly valid: boolean;
  /** One line per problem: `<JSON pointer> <message>`. Empty when valid. */
  readonly errors: string[];
  readonly issues: DefinitionIssue[];
}

/** A compiled schema plus the per-type validators used to explain failures. */
export interface DefinitionValidator {
  validate(definition: unknown): DefinitionValidationResult;
}

/** Step `Type` → names of the schema definitions declaring it (EndpointConfigStep reuses "Endpoint"). */
function definitionsByType(schema: JsonSchemaDocument): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  const definitions = isJsonObject(schema.definitions) ? schema.definitions : {};
  for (const [name, definition] of Object.entries(definitions)) {
    const properties = isJsonObject(definition) ? definition.properties : undefined;
    const type = isJsonObject(properties) && isJsonObject(properties.Type) ? properties.Type.enum : undefined;
    if (!Array.isArray(type)) continue;
    for (const value of type) {
      if (typeof value === 'string') byType.set(value, [...(byType.get(value) ?? []), name]);
    }
  }
  return byType;
}

/** Definition names listed by `$ref` in the `oneOf` at `items` (allowed step or parameter kinds). */
function referencedDefinitions(items: unknown): Set<string> {
  const names = new Set<string>();
  const oneOf = isJsonObject(items) ? items.oneOf : undefined;
  if (Array.isArray(oneOf)) {
    for (const entry of oneOf) {
      if (isJsonObject(entry) && typeof entry.$ref === 'string') {
        names.add(entry.$ref.replace('#/definitions/', ''));
      }
    }
  }
  return names;
}

function toIssue(error: ErrorObject, prefix: string): DefinitionIssue {
  const path = `${prefix}${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  if (typeof params.additionalProperty === 'string') {
    return {
      path: `${path}/${params.additionalProperty}`,
      message: 'is not allowed here (unknown property)',
    };
  }
  const allowed = Array.isArray(params.allowedValues)
    ? ` (${params.allowedValues.map(String).join(', ')})`
    : '';
  return { path, message: `${error.message ?? error.keyword}${allowed}` };
}

function toIssues(errors: ErrorObject[] | null | undefined, prefix: string): DefinitionIssue[] {
  return (errors ?? []).map((error) => toIssue(error, prefix));
}

function unique(issues: DefinitionIssue[]): DefinitionIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path} ${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function createDefinitionValidator(
  schema: JsonSchemaDocument = extendedSchema(),
): DefinitionValidator {
  // The published schema declares "$schema": "http://json-schema.org/schema#" and carries keywords
  // ajv's strict mode rejects (a property list where a keyword belongs, minLength on integers);
  // validation itself follows draft-07 semantics, ajv's default.
  const ajv = new Ajv({ allErrors: true, strictSchema: false, strictTypes: false, strictTuples: false });
  const schemaId = typeof schema.$id === 'string' ? schema.$id : 'pipeline-definition';
  ajv.addSchema(schema, schemaId);
  const whole = ajv.getSchema(schemaId);
  if (whole === undefined) throw new Error('pipeline definition schema did not compile');
  const byType = definitionsByType(schema);
  const definitions = isJsonObject(schema.definitions) ? schema.definitions : {};
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const stepsProperty = isJsonObject(properties.Steps) ? properties.Steps : {};
  const topLevelStepDefinitions = referencedDefinitions(stepsProperty.items);
  const conditionStep = isJsonObject(definitions.ConditionStep) ? definitions.ConditionStep : {};
  const conditionProperties = (valueOf(conditionStep, ['properties', 'Arguments', 'properties']) ??
    {}) as JsonObject;
  const branchStepDefinitions = {
    IfSteps: referencedDefinitions(valueOf(conditionProperties, ['IfSteps', 'items'])),
    ElseSteps: referencedDefinitions(valueOf(conditionProperties, ['ElseSteps', 'items'])),
  };
  const compiled = new Map<string, ValidateFunction>();
  const definitionValidator = (name: string): ValidateFunction => {
    let validator = compiled.get(name);
    if (validator === undefined) {
      validator = ajv.getSchema(`${schemaId}#/definitions/${name}`);
      if (validator === undefined) throw new Error(`schema has no definition ${name}`);
      compiled.set(name, validator);
    }
    return validator;
  };

  /** Errors of one step against the definitions for its Type; recurses into Condition branches. */
  const explainStep = (
    step: unknown,
    pointer: string,
    allowed: ReadonlySet<string>,
    out: DefinitionIssue[],
  ): void => {
    const type = isJsonObject(step) ? step.Type : undefined;
    if (typeof type !== 'string') {
      out.push({ path: pointer, message: 'must have a string Type' });
      return;
    }
    const candidates = (byType.get(type) ?? []).filter((name) => allowed.has(name));
    if (candidates.length === 0) {
      const allowedTypes = [...byType.entries()]
        .filter(([, names]) => names.some((name) => allowed.has(name)))
        .map(([stepType]) => stepType);
      out.push({
        path: `${pointer}/Type`,
        message: `step type "${type}" is not allowed here (allowed: ${allowedTypes.join(', ')})`,
      });
      return;
    }
    const isCondition = type === 'Condition' && isJsonObject(step) && isJsonObject(step.Arguments);
    const shallow =
      isCondition && isJsonObject(step) && isJsonObject(step.Arguments)
        ? { ...step, Arguments: { ...step.Arguments, IfSteps: [], ElseSteps: [] } }
        : step;
    let firstErrors: DefinitionIssue[] | undefined;
    for (const candidate of candidates) {
      const validator = definitionValidator(candidate);
      if (validator(shallow)) {
        firstErrors = [];
        break;
      }
      firstErrors ??= toIssues(validator.errors, pointer);
    }
    out.push(...(firstErrors ?? []));
    if (isCondition && isJsonObject(step) && isJsonObject(step.Arguments)) {
      for (const branch of ['IfSteps', 'ElseSteps'] as const) {
        const nested = step.Arguments[branch];
        if (Array.isArray(nested)) {
          nested.forEach((child, index) =>
            explainStep(child, `${pointer}/Arguments/${branch}/${index}`, branchStepDefinitions[branch], out),
          );
        }
      }
    }
  };

  const explain = (definition: unknown): DefinitionIssue[] => {
    if (!isJsonObject(definition)) return [{ path: '', message: 'must be a JSON object' }];
    const out: DefinitionIssue[] = [];
    // Top-level members alone; lists are explained item by item below.
    const skeleton = {
      ...definition,
      Parameters: Array.isArray(definition.Parameters) ? [] : definition.Parameters,
      Steps: Array.isArray(definition.Steps) ? [] : definition.Steps,
    };
    if (!whole(skeleton)) out.push(...toIssues(whole.errors, ''));
    if (Array.isArray(definition.Parameters)) {
      definition.Parameters.forEach((parameter, index) => {
        const type = isJsonObject(parameter) && parameter.Type !== undefined ? parameter.Type : 'String';
        const name = `${String(type)}Parameter`;
        if (!isJsonObject(definitions[name])) {
          out.push({
            path: `/Parameters/${index}/Type`,
            message: `unknown parameter type ${JSON.stringify(type)}`,
          });
          return;
        }
        const validator = definitionValidator(name);
        if (!validator(parameter)) out.push(...toIssues(validator.errors, `/Parameters/${index}`));
      });
    }
    if (Array.isArray(definition.Steps)) {
      definition.Steps.forEach((step, index) =>
        explainStep(step, `/Steps/${index}`, topLevelStepDefinitions, out),
      );
    }
    return out;
  };

  return {
    validate(definition: unknown): DefinitionValidationResult {
      if (whole(definition)) return { valid: true, errors: [], issues: [] };
      const wholeIssues = toIssues(whole.errors, '');
      const explained = unique(explain(definition));
      const issues = explained.length > 0 ? explained : unique(wholeIssues);
      return { valid: false, issues, errors: issues.map((issue) => `${issue.path || '/'} ${issue.message}`) };
    },
  };
}

function valueOf(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = isJsonObject(current) ? current[key] : undefined;
  return current;
}

let defaultValidator: DefinitionValidator | undefined;

/**
 * Validates a definition document (an object, not JSON text) against the official schema with
 * the evidence-backed extensions (`SCHEMA_EXTENSIONS`). Names and references are checked by
 * `findDefinitionProblems` (and by `PipelineDefinition.render`).
 */
export function validateDefinition(definition: unknown): DefinitionValidationResult {
  defaultValidator ??= createDefinitionValidator();
  return defaultValidator.validate(definition);
}
