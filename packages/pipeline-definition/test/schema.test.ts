// The evidence-extended schema: the original rejects the SDK-generated documents exactly where the
// extensions' evidence points (removing those values makes the original accept them), each
// extension is needed for its evidence, the extended schema accepts all SDK documents and still
// rejects malformed definitions.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import {
  createDefinitionValidator,
  EVIDENCE_FILES,
  extendedSchema,
  originalSchema,
  SCHEMA_EXTENSIONS,
  SchemaExtension,
  validateDefinition,
  valueAtPointer,
} from '../src';
import { evidenceDocument, expandPointer, loadFixture, withoutEvidence } from './helpers';

/** sha256 of schema/pipeline-definition.schema.json @ b4012b0 of the upstream repository. */
const UPSTREAM_SCHEMA_SHA256 = '35633f4376dda695d1847bd16d72d3b3d9201f0106e75107eafbeef11ef5ce30';
const EVIDENCE_FILE_NAMES = Object.values(EVIDENCE_FILES);
const original = createDefinitionValidator(originalSchema());

/** All extensions but `id` and those building on it. */
function extensionsWithout(id: string): SchemaExtension[] {
  const removed = new Set([id]);
  return SCHEMA_EXTENSIONS.filter((extension) => {
    if (removed.has(extension.id) || (extension.requires ?? []).some((required) => removed.has(required))) {
      removed.add(extension.id);
      return false;
    }
    return true;
  });
}

describe('original schema copy', () => {
  test('is byte-identical to the upstream file', () => {
    const bytes = readFileSync(join(__dirname, '../src/schema/pipeline-definition.schema.original.json'));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(UPSTREAM_SCHEMA_SHA256);
  });
});

describe('schema extensions', () => {
  test('ids are unique and every required extension comes earlier', () => {
    const seen = new Set<string>();
    for (const extension of SCHEMA_EXTENSIONS) {
      expect(seen.has(extension.id)).toBe(false);
      for (const required of extension.requires ?? []) expect(seen.has(required)).toBe(true);
      seen.add(extension.id);
    }
  });

  test('each extension has evidence, or a stated rationale', () => {
    for (const extension of SCHEMA_EXTENSIONS) {
      expect(extension.evidence.length > 0 || (extension.rationale ?? '').length > 20).toBe(true);
    }
  });

  test.each(
    SCHEMA_EXTENSIONS.flatMap((extension) =>
      extension.evidence.map((entry) => [extension.id, entry] as const),
    ),
  )('%s: evidence %j points at values of the fixture', (_id, entry) => {
    const source = evidenceDocument(entry.file);
    expect(expandPointer(source.document, source.mapPointer(entry.pointer)).length).toBeGreaterThan(0);
  });

  test('the extended schema is a valid draft-07 schema', () => {
    const ajv = new Ajv({ strictSchema: false });
    const schema = { ...extendedSchema(), $schema: 'http://json-schema.org/draft-07/schema#' };
    expect(ajv.validateSchema(schema)).toBe(true);
  });
});

describe.each(EVIDENCE_FILE_NAMES)('SDK document %s', (file) => {
  const source = evidenceDocument(file);
  const evidence = SCHEMA_EXTENSIONS.flatMap((extension) => extension.evidence).filter(
    (entry) => entry.file === file,
  );

  test('the original schema rejects it', () => {
    expect(original.validate(source.document).valid).toBe(false);
  });

  test('the original schema accepts it once the evidence values are removed (they are the only places)', () => {
    const result = original.validate(withoutEvidence(source, evidence));
    expect(result.errors).toEqual([]);
  });

  test('the extended schema accepts it', () => {
    expect(validateDefinition(source.document)).toEqual({ valid: true, errors: [], issues: [] });
  });
});

describe.each(
  SCHEMA_EXTENSIONS.filter((extension) => extension.evidence.length > 0).map((e) => [e.id, e] as const),
)('without extension %s', (_id, extension) => {
  const validator = createDefinitionValidator(extendedSchema(extensionsWithout(extension.id)));
  test.each(extension.evidence.map((entry) => [entry.file, entry.pointer, entry] as const))(
    '%s is rejected at %s',
    (_file, _pointer, entry) => {
      const source = evidenceDocument(entry.file);
      const result = validator.validate(source.document);
      expect(result.valid).toBe(false);
      for (const pointer of expandPointer(source.document, source.mapPointer(entry.pointer))) {
        const atPointer = result.issues.filter(
          (issue) => issue.path === pointer || issue.path.startsWith(`${pointer}/`),
        );
        expect({ pointer, rejectedThere: atPointer.length > 0 }).toEqual({ pointer, rejectedThere: true });
      }
    },
  );
});

describe('extensions evidenced outside the fixtures', () => {
  const sdkExample = loadFixture(EVIDENCE_FILES.example);

  test('CustomerMetadataProperties on the SDK example RegisterModel step: original rejects, extended accepts', () => {
    // The SDK example minus its evidence values is accepted by the original schema; adding
    // CustomerMetadataProperties to its RegisterModel step makes the original reject exactly there.
    const source = evidenceDocument(EVIDENCE_FILES.example);
    const allEvidence = SCHEMA_EXTENSIONS.flatMap((extension) => extension.evidence);
    const acceptedByOriginal = withoutEvidence(
      source,
      allEvidence.filter((entry) => entry.file === EVIDENCE_FILES.example),
    );
    expect(original.validate(acceptedByOriginal).valid).toBe(true);

    const pointer = '/Steps/3/Arguments/IfSteps/0/Arguments';
    const registerArguments = valueAtPointer(acceptedByOriginal, pointer) as Record<string, unknown>;
    registerArguments.CustomerMetadataProperties = {
      TriggerReason: { Get: 'Parameters.InputData' },
      Window: '2024-01',
    };
    expect(original.validate(acceptedByOriginal).issues.map((issue) => issue.path)).toEqual([
      `${pointer}/CustomerMetadataProperties`,
    ]);
    expect(validateDefinition(acceptedByOriginal).errors).toEqual([]);
  });

  test('Version: the original lets a definition without it through, the extended schema does not', () => {
    const document = structuredClone(sdkExample);
    delete document.Version;
    const extendedWithoutTightening = createDefinitionValidator(
      extendedSchema(extensionsWithout('version-required')),
    );
    expect(extendedWithoutTightening.validate(document).valid).toBe(true);
    expect(validateDefinition(document).errors).toEqual(["/ must have required property 'Version'"]);
  });
});

describe('the extended schema still rejects malformed definitions', () => {
  const valid = loadFixture(EVIDENCE_FILES.lambdaExample);
  const mutate = (change: (document: Record<string, unknown>) => void): unknown => {
    const document = structuredClone(valid) as Record<string, unknown>;
    change(document);
    return document;
  };
  const steps = (document: Record<string, unknown>): Record<string, unknown>[] =>
    document.Steps as Record<string, unknown>[];
  const args = (step: Record<string, unknown>): Record<string, unknown> =>
    step.Arguments as Record<string, unknown>;

  test.each([
    [
      'wrong Version',
      (d: Record<string, unknown>) => (d.Version = '2021-01-01'),
      '/Version must be equal to one of the allowed values (2020-12-01)',
    ],
    ['no Steps', (d: Record<string, unknown>) => delete d.Steps, "/ must have required property 'Steps'"],
    ['Steps not a list', (d: Record<string, unknown>) => (d.Steps = {}), '/Steps must be array'],
    [
      'Parameters not a list',
      (d: Record<string, unknown>) => (d.Parameters = 'none'),
      '/Parameters must be array',
    ],
    [
      'unknown top-level member',
      (d: Record<string, unknown>) => (d.Triggers = []),
      '/Triggers is not allowed here (unknown property)',
    ],
    [
      'unknown step Type',
      (d: Record<string, unknown>) => (steps(d)[1].Type = 'Train'),
      '/Steps/1/Type step type "Train" is not allowed here',
    ],
    [
      'unknown parameter Type',
      (d: Record<string, unknown>) => ((d.Parameters as Record<string, unknown>[])[0].Type = 'Number'),
      '/Parameters/0/Type unknown parameter type "Number"',
    ],
    [
      'parameter default of the wrong type',
      (d: Record<string, unknown>) => ((d.Parameters as Record<string, unknown>[])[0].DefaultValue = 'one'),
      '/Parameters/0/DefaultValue must be integer',
    ],
    [
      'step name with a dot',
      (d: Record<string, unknown>) => (steps(d)[0].Name = 'Preprocess.Data'),
      '/Steps/0/Name must match pattern',
    ],
    [
      'Lambda step without FunctionArn',
      (d: Record<string, unknown>) =>
        delete (args(steps(d)[3]).IfSteps as Record<string, unknown>[])[1].FunctionArn,
      "/Steps/3/Arguments/IfSteps/1 must have required property 'FunctionArn'",
    ],
    [
      'Get with a second key',
      (d: Record<string, unknown>) =>
        ((args(steps(d)[1]).ResourceConfig as Record<string, Record<string, unknown>>).InstanceType.Default =
          'x'),
      '/Steps/1/Arguments/ResourceConfig/InstanceType/Default is not allowed here (unknown property)',
    ],
    [
      'Std:Join without Values',
      (d: Record<string, unknown>) =>
        ((args(steps(d)[1]).HyperParameters as Record<string, unknown>).eta = { 'Std:Join': { On: '' } }),
      "/Steps/1/Arguments/HyperParameters/eta/Std:Join must have required property 'Values'",
    ],
    [
      'unknown condition type',
      (d: Record<string, unknown>) =>
        ((args(steps(d)[3]).Conditions as Record<string, unknown>[])[0].Type = 'AtMost'),
      '/Steps/3/Arguments/Conditions/0',
    ],
    [
      'ModelApprovalStatus literal outside the API values',
      (d: Record<string, unknown>) => {
        const branch = args(steps(d)[3]).IfSteps as Record<string, unknown>[];
        branch.push({
          Name: 'Register',
          Type: 'RegisterModel',
          Arguments: { ModelPackageGroupName: 'g', ModelApprovalStatus: 'PendingApproval' },
        });
      },
      '/Steps/3/Arguments/IfSteps/2/Arguments/ModelApprovalStatus must be equal to one of the allowed values',
    ],
    [
      'JsonGet without Path',
      (d: Record<string, unknown>) => {
        const condition = (args(steps(d)[3]).Conditions as Record<string, unknown>[])[0];
        delete (condition.LeftValue as Record<string, Record<string, unknown>>)['Std:JsonGet'].Path;
      },
      "/Steps/3/Arguments/Conditions/0/LeftValue/Std:JsonGet must have required property 'Path'",
    ],
  ])('%s', (_case, change, expectedStart) => {
    const result = validateDefinition(mutate(change));
    expect(result.valid).toBe(false);
    expect(result.errors.some((error) => error.startsWith(expectedStart))).toBe(true);
  });
});
