// JSON value types of a rendered pipeline definition and the conversion of builder values
// (pipeline variables, nested arguments) into plain JSON, rejecting what JSON cannot hold faithfully.

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Something that renders itself as a JSON value inside a definition (parameters, properties, functions). */
export interface JsonRenderable {
  toJsonValue(): JsonValue;
}

/** A value that cannot be put into a definition as is (NaN, a Date, a function, ...). */
export class DefinitionValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DefinitionValueError';
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRenderable(value: object): value is JsonRenderable {
  return typeof (value as Partial<JsonRenderable>).toJsonValue === 'function';
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Converts a builder value to plain JSON. `undefined` object members are dropped (optional
 * arguments); everything JSON would silently alter (NaN, Infinity, Dates, class instances,
 * undefined array items) is an error naming `location`.
 */
export function toJson(value: unknown, location: string): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new DefinitionValueError(`${location}: ${value} is not a finite number`);
    }
    return value;
  }
  if (typeof value !== 'object') {
    throw new DefinitionValueError(`${location}: a ${typeof value} cannot be put into a pipeline definition`);
  }
  if (isRenderable(value)) return toJson(value.toJsonValue(), location);
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => {
      const itemLocation = `${location}[${index}]`;
      const converted = toJson(item, itemLocation);
      if (converted === undefined) throw new DefinitionValueError(`${itemLocation}: undefined array item`);
      return converted;
    });
  }
  if (!isPlainObject(value)) {
    const typeName = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new DefinitionValueError(`${location}: a ${typeName} cannot be put into a pipeline definition`);
  }
  const result: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    const converted = toJson(member, location === '' ? key : `${location}.${key}`);
    if (converted !== undefined) result[key] = converted;
  }
  return result;
}
