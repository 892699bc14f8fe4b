// Typed pipeline parameters (String, Integer, Float, Boolean): declared in the definition's
// `Parameters` and referenced as `{"Get": "Parameters.<name>"}`.
import { GetReference } from './expressions';
import { assertValidName } from './names';

export type ParameterType = 'String' | 'Integer' | 'Float' | 'Boolean';

export interface ParameterDocument {
  Name: string;
  Type: ParameterType;
  DefaultValue?: string | number | boolean;
  Description?: string;
}

export interface ParameterOptions<T> {
  /** Value used when an execution does not set the parameter. */
  readonly defaultValue?: T;
  readonly description?: string;
}

const MAX_DESCRIPTION_LENGTH = 4096;

export abstract class Parameter<
  T extends string | number | boolean = string | number | boolean,
> extends GetReference {
  abstract readonly type: ParameterType;
  readonly path: string;
  readonly defaultValue?: T;
  readonly description?: string;

  protected constructor(
    readonly name: string,
    options: ParameterOptions<T>,
  ) {
    super();
    assertValidName('parameter', name);
    if (options.description !== undefined && options.description.length > MAX_DESCRIPTION_LENGTH) {
      throw new Error(
        `description of parameter "${name}" is longer than ${MAX_DESCRIPTION_LENGTH} characters`,
      );
    }
    this.path = `Parameters.${name}`;
    this.defaultValue = options.defaultValue;
    this.description = options.description;
  }

  toDocument(): ParameterDocument {
    const document: ParameterDocument = { Name: this.name, Type: this.type };
    if (this.defaultValue !== undefined) document.DefaultValue = this.defaultValue;
    if (this.description !== undefined) document.Description = this.description;
    return document;
  }
}

export class ParameterString extends Parameter<string> {
  readonly type = 'String' as const;
  constructor(name: string, options: ParameterOptions<string> = {}) {
    super(name, options);
    if (options.defaultValue !== undefined) {
      if (typeof options.defaultValue !== 'string') {
        throw new Error(`default of String parameter "${name}" is not a string`);
      }
      if (options.defaultValue.length > 4096) {
        throw new Error(`default of String parameter "${name}" exceeds 4096 characters`);
      }
    }
  }
}

export class ParameterInteger extends Parameter<number> {
  readonly type = 'Integer' as const;
  constructor(name: string, options: ParameterOptions<number> = {}) {
    super(name, options);
    if (options.defaultValue !== undefined && !Number.isSafeInteger(options.defaultValue)) {
      throw new Error(`default of Integer parameter "${name}" is not an integer: ${options.defaultValue}`);
    }
  }
}

export class ParameterFloat extends Parameter<number> {
  readonly type = 'Float' as const;
  constructor(name: string, options: ParameterOptions<number> = {}) {
    super(name, options);
    if (options.defaultValue !== undefined && !Number.isFinite(options.defaultValue)) {
      throw new Error(`default of Float parameter "${name}" is not a finite number: ${options.defaultValue}`);
    }
  }
}

export class ParameterBoolean extends Parameter<boolean> {
  readonly type = 'Boolean' as const;
  constructor(name: string, options: ParameterOptions<boolean> = {}) {
    super(name, options);
    if (options.defaultValue !== undefined && typeof options.defaultValue !== 'boolean') {
      throw new Error(`default of Boolean parameter "${name}" is not a boolean`);
    }
  }
}
