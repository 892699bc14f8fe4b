// Test helpers: fixture loading, the definition documents that hold each schema-extension
// evidence (SDK unit-test fragments are placed in a minimal definition), JSON pointer patterns
// with `*` for array indices, and the removal of the values an extension's evidence points at.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject, JsonObject, JsonValue, SchemaEvidence, valueAtPointer } from '../src';

const FIXTURES = join(__dirname, 'fixtures');

export function loadFixture(file: string): JsonObject {
  const parsed: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
  if (!isJsonObject(parsed)) throw new Error(`${file} is not a JSON object`);
  return parsed;
}

/** A definition document holding a fixture's content, and where a fixture pointer lands in it. */
export interface EvidenceDocument {
  readonly document: JsonObject;
  readonly mapPointer: (fixturePointer: string) => string;
}

function asObject(value: JsonValue | undefined, what: string): JsonObject {
  if (!isJsonObject(value)) throw new Error(`${what} is not an object`);
  return value;
}

/**
 * Full SDK definitions are used as they are. The QualityCheck and RegisterModel step fragments become
 * the steps of a minimal definition. The SDK unit-test fragments go where the SDK puts them: conditions into one
 * Condition step, functions as a Fail step's ErrorMessage, the fail-step test's steps as they are.
 */
export function evidenceDocument(file: string): EvidenceDocument {
  const fixture = loadFixture(file);
  const stepFragments: Record<string, string[]> = {
    'pipeline-step-qualitycheck-sdk-unittest.json': ['DataQualityCheckStep', 'ModelQualityCheckStep'],
    'register-model-sdk-unittest.json': ['RegisterModelStep'],
  };
  if (file in stepFragments) {
    const names = stepFragments[file];
    return {
      document: { Version: '2020-12-01', Steps: names.map((name) => asObject(fixture[name], name)) },
      mapPointer: (pointer) => {
        const [, name, ...rest] = pointer.split('/');
        return ['', 'Steps', String(names.indexOf(name)), ...rest].join('/');
      },
    };
  }
  if (file === 'sdk-unittest-expected-dsl.json') {
    const conditions = asObject(fixture.conditions, 'conditions');
    const functions = asObject(fixture.functions, 'functions');
    const failStepWithJoin = fixture.failStepWithJoin;
    if (!Array.isArray(failStepWithJoin)) throw new Error('failStepWithJoin is not a list');
    const conditionNames = Object.keys(conditions);
    const functionNames = Object.keys(functions);
    const steps: JsonValue[] = [
      { Name: 'Conditions', Type: 'Condition', Arguments: { Conditions: Object.values(conditions) } },
      ...functionNames.map((name, index) => ({
        Name: `Function${index}`,
        Type: 'Fail',
        Arguments: { ErrorMessage: functions[name] },
      })),
      ...failStepWithJoin,
    ];
    const parameters = ['MyInt', 'MyStr', 'MyFloat', 'StartDateTime'].map((name) => ({
      Name: name,
      Type: 'String',
    }));
    return {
      document: { Version: '2020-12-01', Parameters: parameters, Steps: steps },
      mapPointer: (pointer) => {
        const [, section, key, ...rest] = pointer.split('/');
        if (section === 'conditions') {
          return [
            '',
            'Steps',
            '0',
            'Arguments',
            'Conditions',
            String(conditionNames.indexOf(key)),
            ...rest,
          ].join('/');
        }
        if (section === 'functions') {
          return [
            '',
            'Steps',
            String(1 + functionNames.indexOf(key)),
            'Arguments',
            'ErrorMessage',
            ...rest,
          ].join('/');
        }
        if (section === 'failStepWithJoin') {
          return ['', 'Steps', String(1 + functionNames.length + Number(key)), ...rest].join('/');
        }
        throw new Error(`no place for ${pointer}`);
      },
    };
  }
  return { document: fixture, mapPointer: (pointer) => pointer };
}

/** Concrete pointers matching a pattern whose `*` segments stand for every array index. */
export function expandPointer(document: JsonValue, pattern: string): string[] {
  const segments = pattern.split('/').slice(1);
  const expand = (value: JsonValue | undefined, index: number, prefix: string): string[] => {
    if (index === segments.length) return value === undefined ? [] : [prefix];
    const segment = segments[index];
    if (segment === '*') {
      if (!Array.isArray(value)) return [];
      return value.flatMap((item, itemIndex) => expand(item, index + 1, `${prefix}/${itemIndex}`));
    }
    const next = valueAtPointer(value, `/${segment}`) as JsonValue | undefined;
    return expand(next, index + 1, `${prefix}/${segment}`);
  };
  return expand(document, 0, '');
}

/** A string every string-typed place of the original schema accepts (also the ModelDataUrl pattern). */
export const PLACEHOLDER = 's3://placeholder/value';

/**
 * Removes what each evidence entry points at, the way the original schema would have it: an
 * unknown member is deleted, a value of an unknown form becomes a plain string, an item of an
 * unknown kind is removed from its list. Items are removed last, highest index first.
 */
export function withoutEvidence(source: EvidenceDocument, evidence: readonly SchemaEvidence[]): JsonObject {
  const document = structuredClone(source.document);
  const targets = evidence.flatMap((entry) =>
    expandPointer(source.document, source.mapPointer(entry.pointer)).map((pointer) => ({
      pointer,
      rejected: entry.rejected,
    })),
  );
  const depth = (pointer: string): number => pointer.split('/').length;
  const lastIndex = (pointer: string): number => Number(pointer.split('/').pop());
  targets.sort((a, b) => {
    if ((a.rejected === 'item') !== (b.rejected === 'item')) return a.rejected === 'item' ? 1 : -1;
    return depth(b.pointer) - depth(a.pointer) || lastIndex(b.pointer) - lastIndex(a.pointer);
  });
  for (const { pointer, rejected } of targets) {
    const segments = pointer.split('/');
    const key = segments.pop() as string;
    const parent = valueAtPointer(document, segments.join('/'));
    if (rejected === 'item') {
      if (!Array.isArray(parent)) throw new Error(`${pointer} is not an array item`);
      parent.splice(Number(key), 1);
    } else if (rejected === 'value') {
      (parent as JsonObject)[key] = PLACEHOLDER;
    } else {
      delete (parent as JsonObject)[key];
    }
  }
  return document;
}
