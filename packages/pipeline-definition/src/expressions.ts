// Pipeline variables: values resolved by SageMaker at run time. Parameters, execution variables,
// step properties ({"Get": ...}), Std:Join and Std:JsonGet, in the JSON shapes the SageMaker
// Python SDK emits.
import { DefinitionValueError, JsonObject, JsonRenderable, JsonValue, toJson } from './json';
import { assertValidName } from './names';

export interface GetExpression {
  Get: string;
}
export interface JoinExpression {
  'Std:Join': { On: string; Values: JsonValue[] };
}
export interface JsonGetExpression {
  'Std:JsonGet': { PropertyFile: GetExpression; Path: string };
}
export type Expression = GetExpression | JoinExpression | JsonGetExpression;

/** A value known only when the pipeline runs; renders as an expression object. */
export abstract class PipelineVariable implements JsonRenderable {
  abstract get expression(): Expression;

  toJsonValue(): JsonValue {
    return this.expression as unknown as JsonObject;
  }

  /** Lets `JSON.stringify` render variables embedded in arbitrary objects. */
  toJSON(): Expression {
    return this.expression;
  }
}

/** A `{"Get": "..."}` reference. */
export abstract class GetReference extends PipelineVariable {
  abstract readonly path: string;

  get expression(): GetExpression {
    return { Get: this.path };
  }

  /** The `{"Get": "..."}` object itself. */
  ref(): GetExpression {
    return this.expression;
  }
}

/** Names of the execution variables SageMaker resolves (`{"Get": "Execution.<name>"}`). */
export const EXECUTION_VARIABLE_NAMES = [
  'PipelineName',
  'PipelineArn',
  'PipelineExecutionId',
  'PipelineExecutionArn',
  'StartDateTime',
  'CurrentDateTime',
] as const;
export type ExecutionVariableName = (typeof EXECUTION_VARIABLE_NAMES)[number];

export class ExecutionVariable extends GetReference {
  readonly path: string;
  constructor(readonly name: ExecutionVariableName) {
    super();
    if (!EXECUTION_VARIABLE_NAMES.includes(name)) {
      throw new Error(`unknown execution variable ${JSON.stringify(name)}`);
    }
    this.path = `Execution.${name}`;
  }
}

export const ExecutionVariables = {
  PIPELINE_NAME: new ExecutionVariable('PipelineName'),
  PIPELINE_ARN: new ExecutionVariable('PipelineArn'),
  PIPELINE_EXECUTION_ID: new ExecutionVariable('PipelineExecutionId'),
  PIPELINE_EXECUTION_ARN: new ExecutionVariable('PipelineExecutionArn'),
  START_DATETIME: new ExecutionVariable('StartDateTime'),
  CURRENT_DATETIME: new ExecutionVariable('CurrentDateTime'),
} as const;

/** A property of a step's job or output: `{"Get": "Steps.<step>.<path>"}`. */
export class StepProperty extends GetReference {
  readonly path: string;
  constructor(
    readonly stepName: string,
    readonly propertyPath: string,
  ) {
    super();
    if (propertyPath === '') throw new Error(`property path of step "${stepName}" is empty`);
    this.path = `Steps.${stepName}.${propertyPath}`;
  }
}

/** A value accepted wherever the definition takes a string, number or boolean. */
export type JoinValue = string | number | boolean | PipelineVariable;

/** `Std:Join`: concatenates values with a separator at run time (the result is a string). */
export class Join extends PipelineVariable {
  readonly on: string;
  readonly values: readonly JoinValue[];

  constructor(props: { on?: string; values: readonly JoinValue[] }) {
    super();
    this.on = props.on ?? '';
    this.values = [...props.values];
    if (this.values.length === 0) throw new Error('Join needs at least one value');
    for (const value of this.values) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new Error(`Join value ${value} is not a finite number`);
      }
    }
  }

  get expression(): JoinExpression {
    const values = this.values.map((value, index) => {
      const converted = toJson(value, `Join value [${index}]`);
      if (converted === undefined) throw new DefinitionValueError(`Join value [${index}] is undefined`);
      return converted;
    });
    return { 'Std:Join': { On: this.on, Values: values } };
  }
}

/** Renders any variable as a string, the way the SDK's `.to_string()` does (a one-value Join). */
export function asString(value: PipelineVariable): Join {
  return new Join({ on: '', values: [value] });
}

/** A JSON file a Processing step writes to one of its outputs, readable with `JsonGet`. */
export class PropertyFile {
  readonly name: string;
  readonly outputName: string;
  readonly path: string;

  constructor(props: { name: string; outputName: string; path: string }) {
    assertValidName('property file', props.name);
    if (props.outputName === '') throw new Error(`property file "${props.name}" has an empty output name`);
    if (props.path === '') throw new Error(`property file "${props.name}" has an empty file path`);
    this.name = props.name;
    this.outputName = props.outputName;
    this.path = props.path;
  }

  toDocument(): { PropertyFileName: string; OutputName: string; FilePath: string } {
    return { PropertyFileName: this.name, OutputName: this.outputName, FilePath: this.path };
  }
}

/** `Std:JsonGet`: reads a JSON path from a property file of a step at run time. */
export class JsonGet extends PipelineVariable {
  readonly stepName: string;
  readonly propertyFileName: string;
  readonly jsonPath: string;

  constructor(props: {
    step: { readonly name: string } | string;
    propertyFile: PropertyFile | string;
    path: string;
  }) {
    super();
    this.stepName = typeof props.step === 'string' ? props.step : props.step.name;
    this.propertyFileName =
      typeof props.propertyFile === 'string' ? props.propertyFile : props.propertyFile.name;
    if (props.path === '') throw new Error(`JsonGet on "${this.stepName}" has an empty JSON path`);
    this.jsonPath = props.path;
  }

  get expression(): JsonGetExpression {
    return {
      'Std:JsonGet': {
        PropertyFile: { Get: `Steps.${this.stepName}.PropertyFiles.${this.propertyFileName}` },
        Path: this.jsonPath,
      },
    };
  }
}
