// The official SageMaker pipeline definition JSON schema (unmodified copy) and the extensions that
// make it accept what the SageMaker Python SDK actually emits. Each extension is a list of
// JSON-patch-like operations and names its evidence: an SDK-generated document (a file of this
// package's test fixtures) and the JSON pointer of the value the original schema rejects there.
import { JsonObject, JsonValue } from './json';
import originalSchemaDocument from './schema/pipeline-definition.schema.original.json';

export type JsonSchemaDocument = JsonObject;

export type SchemaPatchOperation =
  | { readonly op: 'test'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'add'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'replace'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'copy'; readonly from: string; readonly path: string };

/**
 * An SDK-generated value the original schema rejects: a fixture file and a JSON pointer into it
 * (`*` stands for every index of an array). `rejected` says what the original objects to: the
 * member itself (an unknown property), the form of the value, or the array item (its kind).
 */
export interface SchemaEvidence {
  readonly file: string;
  readonly pointer: string;
  readonly rejected: 'member' | 'value' | 'item';
}

export interface SchemaExtension {
  readonly id: string;
  /** `stale`: accepts what the SDK emits; `tightening`: rejects what the original let through. */
  readonly kind: 'stale' | 'tightening';
  readonly summary: string;
  readonly evidence: readonly SchemaEvidence[];
  /** Where the evidence is not an SDK-generated document of the fixtures, why the change holds. */
  readonly rationale?: string;
  /** Extensions whose definitions this one refers to. */
  readonly requires?: readonly string[];
  readonly operations: readonly SchemaPatchOperation[];
}

/** Fixture files holding the evidence (copied verbatim from their sources, see test/fixtures/README.md). */
export const EVIDENCE_FILES = {
  example: 'pipeline-definition-example.json',
  lambdaExample: 'pipeline-definition-example-lambda-step.json',
  qualityCheck: 'pipeline-step-qualitycheck-sdk-unittest.json',
  registerModel: 'register-model-sdk-unittest.json',
  sdkUnitTests: 'sdk-unittest-expected-dsl.json',
} as const;

const ref = (definition: string): JsonObject => ({ $ref: `#/definitions/${definition}` });
const ARGUMENT_VALUE_ANY_OF: JsonValue = {
  anyOf: [
    ref('StringArgumentValue'),
    ref('BooleanArgumentValue'),
    ref('IntegerArgumentValue'),
    ref('FloatArgumentValue'),
  ],
};
const STRING_MAP: JsonObject = { type: 'object', patternProperties: { '.*': ref('StringArgumentValue') } };
const CONDITION_ITEMS = '/definitions/ConditionStep/properties/Arguments/properties/Conditions/items/oneOf';
const TRAINING_ARGUMENTS = '/definitions/TrainingStep/properties/Arguments/properties';
const REGISTER_ARGUMENTS = '/definitions/RegisterModelStep/properties/Arguments/properties';

export const SCHEMA_EXTENSIONS: readonly SchemaExtension[] = [
  {
    // Evidence: both SDK examples, /PipelineExperimentConfig ({ExperimentName, TrialName} as Gets).
    id: 'pipeline-experiment-config',
    kind: 'stale',
    summary: 'top-level PipelineExperimentConfig {ExperimentName, TrialName}',
    evidence: [
      { file: EVIDENCE_FILES.example, pointer: '/PipelineExperimentConfig', rejected: 'member' },
      { file: EVIDENCE_FILES.lambdaExample, pointer: '/PipelineExperimentConfig', rejected: 'member' },
    ],
    operations: [
      {
        op: 'add',
        path: '/properties/PipelineExperimentConfig',
        value: {
          type: 'object',
          properties: { ExperimentName: ref('StringArgumentValue'), TrialName: ref('StringArgumentValue') },
          additionalProperties: false,
        },
      },
    ],
  },
  {
    // Evidence: both SDK examples, /Steps/3/Arguments/Conditions/0/LeftValue (Std:JsonGet on a
    // property file); SDK unit test test_json_get_expressions.
    id: 'std-json-get',
    kind: 'stale',
    summary:
      'Std:JsonGet {PropertyFile: Get, Path} wherever a string, integer, float or boolean argument is taken',
    evidence: [
      {
        file: EVIDENCE_FILES.example,
        pointer: '/Steps/3/Arguments/Conditions/0/LeftValue',
        rejected: 'value',
      },
      {
        file: EVIDENCE_FILES.lambdaExample,
        pointer: '/Steps/3/Arguments/Conditions/0/LeftValue',
        rejected: 'value',
      },
      {
        file: EVIDENCE_FILES.sdkUnitTests,
        pointer: '/functions/test_json_get_expressions',
        rejected: 'value',
      },
    ],
    operations: [
      {
        op: 'add',
        path: '/definitions/JsonGetFunction',
        value: {
          type: 'object',
          properties: {
            'Std:JsonGet': {
              type: 'object',
              properties: { PropertyFile: ref('GetFunction'), Path: { type: 'string', minLength: 1 } },
              required: ['PropertyFile', 'Path'],
              additionalProperties: false,
            },
          },
          required: ['Std:JsonGet'],
          additionalProperties: false,
        },
      },
      { op: 'add', path: '/definitions/StringArgumentValue/oneOf/-', value: ref('JsonGetFunction') },
      { op: 'add', path: '/definitions/IntegerArgumentValue/oneOf/-', value: ref('JsonGetFunction') },
      { op: 'add', path: '/definitions/FloatArgumentValue/oneOf/-', value: ref('JsonGetFunction') },
      { op: 'add', path: '/definitions/BooleanArgumentValue/oneOf/-', value: ref('JsonGetFunction') },
    ],
  },
  {
    // Evidence: pipeline-definition-example.json /Steps/3/Arguments/ElseSteps/0/Arguments/ErrorMessage
    // (Std:Join with On); SDK unit tests test_join_primitives / test_join_expressions /
    // test_to_string_on_json_get (numbers, booleans, nested Join and JsonGet among Values) and
    // test_fail_step_with_join_fn_in_error_message. The original JoinFunction is unusable: it has
    // no On, and its Values sits where a keyword belongs, so no value can match it; nothing refers to it.
    id: 'std-join',
    kind: 'stale',
    summary:
      'Std:Join {On, Values} (values: literals, Get, Join, JsonGet) wherever a string argument is taken',
    requires: ['std-json-get'],
    evidence: [
      {
        file: EVIDENCE_FILES.example,
        pointer: '/Steps/3/Arguments/ElseSteps/0/Arguments/ErrorMessage',
        rejected: 'value',
      },
      { file: EVIDENCE_FILES.sdkUnitTests, pointer: '/functions/test_join_primitives', rejected: 'value' },
      { file: EVIDENCE_FILES.sdkUnitTests, pointer: '/functions/test_join_expressions', rejected: 'value' },
      {
        file: EVIDENCE_FILES.sdkUnitTests,
        pointer: '/functions/test_to_string_on_json_get',
        rejected: 'value',
      },
      {
        file: EVIDENCE_FILES.sdkUnitTests,
        pointer: '/failStepWithJoin/1/Arguments/ErrorMessage',
        rejected: 'value',
      },
    ],
    operations: [
      { op: 'test', path: '/definitions/JoinFunction/properties/Std:Join/Values/type', value: 'array' },
      {
        op: 'replace',
        path: '/definitions/JoinFunction',
        value: {
          type: 'object',
          properties: {
            'Std:Join': {
              type: 'object',
              properties: {
                On: { type: 'string' },
                Values: {
                  type: 'array',
                  items: {
                    oneOf: [
                      { type: 'string' },
                      { type: 'number' },
                      { type: 'boolean' },
                      ref('GetFunction'),
                      ref('JoinFunction'),
                      ref('JsonGetFunction'),
                    ],
                  },
                },
              },
              required: ['Values'],
              additionalProperties: false,
            },
          },
          required: ['Std:Join'],
          additionalProperties: false,
        },
      },
      { op: 'add', path: '/definitions/StringArgumentValue/oneOf/-', value: ref('JoinFunction') },
    ],
  },
  {
    // Evidence: SDK unit tests test_condition_in and test_condition_or: the SDK's ConditionIn
    // emits {Type: "In", QueryValue, Values}; the original only knows {Type, Value, In}.
    id: 'condition-in-query-value',
    kind: 'stale',
    summary: 'In condition as the SDK emits it: {Type: "In", QueryValue, Values}, also inside Or',
    evidence: [
      { file: EVIDENCE_FILES.sdkUnitTests, pointer: '/conditions/test_condition_in', rejected: 'item' },
      {
        file: EVIDENCE_FILES.sdkUnitTests,
        pointer: '/conditions/test_condition_or/Conditions/1',
        rejected: 'item',
      },
    ],
    operations: [
      {
        op: 'add',
        path: '/definitions/QueryValueInCondition',
        value: {
          type: 'object',
          properties: {
            Type: { type: 'string', enum: ['In'] },
            QueryValue: ARGUMENT_VALUE_ANY_OF,
            Values: { type: 'array', minItems: 1, items: ARGUMENT_VALUE_ANY_OF },
          },
          required: ['Type', 'QueryValue', 'Values'],
          additionalProperties: false,
        },
      },
      { op: 'add', path: `${CONDITION_ITEMS}/-`, value: ref('QueryValueInCondition') },
      {
        op: 'add',
        path: '/definitions/OrCondition/properties/Conditions/items/anyOf/-',
        value: ref('QueryValueInCondition'),
      },
    ],
  },
  {
    // Evidence: SDK unit tests test_condition_not and test_condition_not_in ({Type: "Not",
    // Expression}); the original has no Not condition.
    id: 'condition-not',
    kind: 'stale',
    summary: 'Not condition {Type: "Not", Expression: comparison or In}',
    requires: ['condition-in-query-value'],
    evidence: [
      { file: EVIDENCE_FILES.sdkUnitTests, pointer: '/conditions/test_condition_not', rejected: 'item' },
      { file: EVIDENCE_FILES.sdkUnitTests, pointer: '/conditions/test_condition_not_in', rejected: 'item' },
    ],
    operations: [
      {
        op: 'add',
        path: '/definitions/NotCondition',
        value: {
          type: 'object',
          properties: {
            Type: { type: 'string', enum: ['Not'] },
            Expression: {
              oneOf: [ref('BinaryCondition'), ref('InCondition'), ref('QueryValueInCondition')],
            },
          },
          required: ['Type', 'Expression'],
          additionalProperties: false,
        },
      },
      { op: 'add', path: `${CONDITION_ITEMS}/-`, value: ref('NotCondition') },
    ],
  },
  {
    // Evidence: pipeline-definition-example.json /Steps/3/Arguments/IfSteps/1 (a Model step) and
    // pipeline-definition-example-lambda-step.json /Steps/3/Arguments/IfSteps/0 (Model) and /1 (Lambda).
    id: 'condition-branch-step-types',
    kind: 'stale',
    summary: 'Model (CreateModel) and Lambda steps inside IfSteps/ElseSteps',
    evidence: [
      { file: EVIDENCE_FILES.example, pointer: '/Steps/3/Arguments/IfSteps/1', rejected: 'item' },
      { file: EVIDENCE_FILES.lambdaExample, pointer: '/Steps/3/Arguments/IfSteps/0', rejected: 'item' },
      { file: EVIDENCE_FILES.lambdaExample, pointer: '/Steps/3/Arguments/IfSteps/1', rejected: 'item' },
    ],
    operations: ['IfSteps', 'ElseSteps'].flatMap((branch): SchemaPatchOperation[] => [
      {
        op: 'add',
        path: `/definitions/ConditionStep/properties/Arguments/properties/${branch}/items/oneOf/-`,
        value: ref('CreateModelStep'),
      },
      {
        op: 'add',
        path: `/definitions/ConditionStep/properties/Arguments/properties/${branch}/items/oneOf/-`,
        value: ref('LambdaStep'),
      },
    ]),
  },
  {
    // Evidence: pipeline-definition-example.json /Steps/3/Arguments/IfSteps/1/Arguments/PrimaryContainer/ModelDataUrl
    // and the Lambda example's /Steps/3/Arguments/IfSteps/0/Arguments/PrimaryContainer/ModelDataUrl:
    // {"Get": "Steps.<train>.ModelArtifacts.S3ModelArtifacts"} where the original takes only a literal URL.
    id: 'container-model-data-url-get',
    kind: 'stale',
    summary: 'CreateModel container ModelDataUrl may be a Get (the training step artifact)',
    requires: ['condition-branch-step-types'],
    evidence: [
      {
        file: EVIDENCE_FILES.example,
        pointer: '/Steps/3/Arguments/IfSteps/1/Arguments/PrimaryContainer/ModelDataUrl',
        rejected: 'value',
      },
      {
        file: EVIDENCE_FILES.lambdaExample,
        pointer: '/Steps/3/Arguments/IfSteps/0/Arguments/PrimaryContainer/ModelDataUrl',
        rejected: 'value',
      },
    ],
    operations: [
      { op: 'test', path: '/definitions/ContainerDefinition/properties/ModelDataUrl/type', value: 'string' },
      {
        op: 'copy',
        from: '/definitions/ContainerDefinition/properties/ModelDataUrl',
        path: '/definitions/ModelDataUrlLiteral',
      },
      {
        op: 'replace',
        path: '/definitions/ContainerDefinition/properties/ModelDataUrl',
        value: { oneOf: [ref('ModelDataUrlLiteral'), ref('GetFunction')] },
      },
    ],
  },
  {
    // Evidence: pipeline-definition-example.json /Steps/3/Arguments/IfSteps/0/Arguments/ModelApprovalStatus
    // (a Get of a String parameter). Literals are limited to the CreateModelPackage API's values.
    id: 'register-model-approval-status',
    kind: 'stale',
    summary: 'RegisterModel ModelApprovalStatus (Approved, Rejected, PendingManualApproval or a Get)',
    evidence: [
      {
        file: EVIDENCE_FILES.registerModel,
        pointer: '/RegisterModelStep/Arguments/ModelApprovalStatus',
        rejected: 'member',
      },
      {
        file: EVIDENCE_FILES.example,
        pointer: '/Steps/3/Arguments/IfSteps/0/Arguments/ModelApprovalStatus',
        rejected: 'member',
      },
    ],
    operations: [
      {
        op: 'add',
        path: `${REGISTER_ARGUMENTS}/ModelApprovalStatus`,
        value: {
          oneOf: [
            { type: 'string', enum: ['Approved', 'Rejected', 'PendingManualApproval'] },
            ref('GetFunction'),
          ],
        },
      },
    ],
  },
  {
    // Evidence: pipeline-definition-example.json
    // /Steps/3/Arguments/IfSteps/0/Arguments/InferenceSpecification/Containers/0/Environment.
    id: 'register-model-container-environment',
    kind: 'stale',
    summary: 'RegisterModel inference container Environment (string map)',
    evidence: [
      {
        file: EVIDENCE_FILES.example,
        pointer: '/Steps/3/Arguments/IfSteps/0/Arguments/InferenceSpecification/Containers/0/Environment',
        rejected: 'member',
      },
    ],
    operations: [
      {
        op: 'add',
        path: `${REGISTER_ARGUMENTS}/InferenceSpecification/properties/Containers/items/properties/Environment`,
        value: STRING_MAP,
      },
    ],
  },
  {
    // No SDK-generated definition in the fixtures carries it. The SDK's own unit test
    // (tests/unit/sagemaker/workflow/test_model_step.py, test_request_compare_of_register_model_under_different_sessions)
    // asserts that a RegisterModel step's Arguments equal the CreateModelPackage request, and
    // CustomerMetadataProperties is a CreateModelPackage member (string-to-string map).
    id: 'register-model-customer-metadata',
    kind: 'stale',
    summary: 'RegisterModel CustomerMetadataProperties (string map)',
    evidence: [],
    rationale:
      'RegisterModel Arguments are the CreateModelPackage request (asserted by the SDK unit test ' +
      'test_request_compare_of_register_model_under_different_sessions); CustomerMetadataProperties ' +
      'is a member of that request.',
    operations: [{ op: 'add', path: `${REGISTER_ARGUMENTS}/CustomerMetadataProperties`, value: STRING_MAP }],
  },
  {
    // Evidence: both SDK examples and both QualityCheck steps, every processing input and output:
    // .../Arguments/ProcessingInputs/*/AppManaged, .../Arguments/ProcessingOutputConfig/Outputs/*/AppManaged.
    id: 'processing-app-managed',
    kind: 'stale',
    summary: 'Processing inputs and outputs: AppManaged',
    evidence: [
      {
        file: EVIDENCE_FILES.example,
        pointer: '/Steps/*/Arguments/ProcessingInputs/*/AppManaged',
        rejected: 'member',
      },
      {
        file: EVIDENCE_FILES.example,
        pointer: '/Steps/*/Arguments/ProcessingOutputConfig/Outputs/*/AppManaged',
        rejected: 'member',
      },
      {
        file: EVIDENCE_FILES.lambdaExample,
        pointer: '/Steps/*/Arguments/ProcessingInputs/*/AppManaged',
        rejected: 'member',
      },
      {
        file: EVIDENCE_FILES.lambdaExample,
        pointer: '/Steps/*/Arguments/ProcessingOutputConfig/Outputs/*/AppManaged',
        rejected: 'member',
      },
      ...['DataQualityCheckStep', 'ModelQualityCheckStep'].flatMap((step): SchemaEvidence[] => [
        {
          file: EVIDENCE_FILES.qualityCheck,
          pointer: `/${step}/Arguments/ProcessingInputs/*/AppManaged`,
          rejected: 'member',
        },
        {
          file: EVIDENCE_FILES.qualityCheck,
          pointer: `/${step}/Arguments/ProcessingOutputConfig/Outputs/*/AppManaged`,
          rejected: 'member',
        },
      ]),
    ],
    operations: [
      {
        op: 'add',
        path: '/definitions/ProcessingArgs/properties/ProcessingInputs/items/properties/AppManaged',
        value: ref('BooleanArgumentValue'),
      },
      {
        op: 'add',
        path: '/definitions/ProcessingArgs/properties/ProcessingOutputConfig/properties/Outputs/items/properties/AppManaged',
        value: ref('BooleanArgumentValue'),
      },
    ],
  },
  {
    // Evidence: both SDK examples, /Steps/2/PropertyFiles (the evaluation step's EvaluationReport).
    id: 'processing-property-files',
    kind: 'stale',
    summary: 'Processing step PropertyFiles [{PropertyFileName, OutputName, FilePath}]',
    evidence: [
      { file: EVIDENCE_FILES.example, pointer: '/Steps/2/PropertyFiles', rejected: 'member' },
      { file: EVIDENCE_FILES.lambdaExample, pointer: '/Steps/2/PropertyFiles', rejected: 'member' },
    ],
    operations: [
      {
        op: 'add',
        path: '/definitions/ProcessingStep/properties/PropertyFiles',
        value: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              PropertyFileName: { type: 'string', pattern: '^[A-Za-z0-9\\-_]{1,64}$' },
              OutputName: { type: 'string', minLength: 1 },
              FilePath: { type: 'string', minLength: 1 },
            },
            required: ['PropertyFileName', 'OutputName', 'FilePath'],
            additionalProperties: false,
          },
        },
      },
    ],
  },
  {
    // Evidence: both SDK examples, /Steps/1/Arguments/ProfilerConfig and
    // /Steps/1/Arguments/ProfilerRuleConfigurations. ProfilerConfig members are those of the
    // CreateTrainingJob API; profiler rules have the same members as DebugRuleConfigurations.
    id: 'training-profiler',
    kind: 'stale',
    summary: 'Training ProfilerConfig and ProfilerRuleConfigurations',
    evidence: [
      { file: EVIDENCE_FILES.example, pointer: '/Steps/1/Arguments/ProfilerConfig', rejected: 'member' },
      {
        file: EVIDENCE_FILES.example,
        pointer: '/Steps/1/Arguments/ProfilerRuleConfigurations',
        rejected: 'member',
      },
      {
        file: EVIDENCE_FILES.lambdaExample,
        pointer: '/Steps/1/Arguments/ProfilerConfig',
        rejected: 'member',
      },
      {
        file: EVIDENCE_FILES.lambdaExample,
        pointer: '/Steps/1/Arguments/ProfilerRuleConfigurations',
        rejected: 'member',
      },
    ],
    operations: [
      {
        op: 'add',
        path: `${TRAINING_ARGUMENTS}/ProfilerConfig`,
        value: {
          type: 'object',
          properties: {
            S3OutputPath: ref('StringArgumentValue'),
            ProfilingIntervalInMilliseconds: ref('IntegerArgumentValue'),
            ProfilingParameters: STRING_MAP,
            DisableProfiler: ref('BooleanArgumentValue'),
          },
          additionalProperties: false,
        },
      },
      {
        op: 'copy',
        from: `${TRAINING_ARGUMENTS}/DebugRuleConfigurations`,
        path: `${TRAINING_ARGUMENTS}/ProfilerRuleConfigurations`,
      },
    ],
  },
  {
    // Evidence: pipeline-step-qualitycheck-sdk-unittest.json /DataQualityCheckStep/FailOnViolation
    // and /ModelQualityCheckStep/FailOnViolation.
    id: 'quality-check-fail-on-violation',
    kind: 'stale',
    summary: 'QualityCheck step FailOnViolation',
    evidence: [
      {
        file: EVIDENCE_FILES.qualityCheck,
        pointer: '/DataQualityCheckStep/FailOnViolation',
        rejected: 'member',
      },
      {
        file: EVIDENCE_FILES.qualityCheck,
        pointer: '/ModelQualityCheckStep/FailOnViolation',
        rejected: 'member',
      },
    ],
    operations: [
      {
        op: 'add',
        path: '/definitions/QualityCheckStep/properties/FailOnViolation',
        value: ref('BooleanArgumentValue'),
      },
    ],
  },
  {
    // Evidence: register-model-sdk-unittest.json /RegisterModelStep/Arguments/DriftCheckBaselines (the
    // SDK's RegisterModel with drift_check_baselines). Members are those of the CreateModelPackage
    // API's DriftCheckBaselines: ModelQuality/ModelDataQuality {Statistics, Constraints}, Bias
    // {ConfigFile, PreTrainingConstraints, PostTrainingConstraints}, Explainability {Constraints,
    // ConfigFile}, each a MetricsSource/FileSource {ContentType, ContentDigest, S3Uri}.
    id: 'register-model-drift-check-baselines',
    kind: 'stale',
    summary: 'RegisterModel DriftCheckBaselines',
    evidence: [
      {
        file: EVIDENCE_FILES.registerModel,
        pointer: '/RegisterModelStep/Arguments/DriftCheckBaselines',
        rejected: 'member',
      },
    ],
    operations: [
      {
        op: 'add',
        path: `${REGISTER_ARGUMENTS}/DriftCheckBaselines`,
        value: { type: 'object', properties: {}, additionalProperties: false },
      },
      {
        op: 'copy',
        from: `${REGISTER_ARGUMENTS}/ModelMetrics/properties/ModelQuality`,
        path: `${REGISTER_ARGUMENTS}/DriftCheckBaselines/properties/ModelQuality`,
      },
      {
        op: 'copy',
        from: `${REGISTER_ARGUMENTS}/ModelMetrics/properties/ModelDataQuality`,
        path: `${REGISTER_ARGUMENTS}/DriftCheckBaselines/properties/ModelDataQuality`,
      },
      {
        op: 'add',
        path: `${REGISTER_ARGUMENTS}/DriftCheckBaselines/properties/Bias`,
        value: { type: 'object', properties: {}, additionalProperties: false },
      },
      ...['ConfigFile', 'PreTrainingConstraints', 'PostTrainingConstraints'].map(
        (member): SchemaPatchOperation => ({
          op: 'copy',
          from: `${REGISTER_ARGUMENTS}/ModelMetrics/properties/ModelQuality/properties/Statistics`,
          path: `${REGISTER_ARGUMENTS}/DriftCheckBaselines/properties/Bias/properties/${member}`,
        }),
      ),
      {
        op: 'add',
        path: `${REGISTER_ARGUMENTS}/DriftCheckBaselines/properties/Explainability`,
        value: { type: 'object', properties: {}, additionalProperties: false },
      },
      ...['Constraints', 'ConfigFile'].map((member): SchemaPatchOperation => ({
        op: 'copy',
        from: `${REGISTER_ARGUMENTS}/ModelMetrics/properties/ModelQuality/properties/Statistics`,
        path: `${REGISTER_ARGUMENTS}/DriftCheckBaselines/properties/Explainability/properties/${member}`,
      })),
    ],
  },
  {
    // Not staleness: the original lets a definition without Version through. Every SDK-generated
    // definition carries "Version": "2020-12-01", and it is the only version the schema allows.
    id: 'version-required',
    kind: 'tightening',
    summary: 'Version is required',
    evidence: [],
    rationale:
      'every SDK-generated definition (both examples) has Version "2020-12-01", the only value allowed',
    operations: [{ op: 'add', path: '/required/-', value: 'Version' }],
  },
];

// ---------------------------------------------------------------------------------------------
// JSON pointer patching
// ---------------------------------------------------------------------------------------------

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at a JSON pointer, or undefined when the path does not exist. */
export function valueAtPointer(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

function parentOf(document: JsonSchemaDocument, path: string): { parent: JsonValue; key: string } {
  const segments = pointerSegments(path);
  const key = segments.pop();
  if (key === undefined) throw new Error('cannot patch the document root');
  const parent = valueAtPointer(document, segments.length === 0 ? '' : `/${segments.join('/')}`);
  if (typeof parent !== 'object' || parent === null) {
    throw new Error(`no object or array at the parent of ${path}`);
  }
  return { parent: parent as JsonValue, key };
}

function applyOperation(document: JsonSchemaDocument, operation: SchemaPatchOperation): void {
  if (operation.op === 'test') {
    const actual = valueAtPointer(document, operation.path);
    if (JSON.stringify(actual) !== JSON.stringify(operation.value)) {
      throw new Error(`test failed at ${operation.path}: found ${JSON.stringify(actual)}`);
    }
    return;
  }
  const value: JsonValue =
    operation.op === 'copy' ? (valueAtPointer(document, operation.from) as JsonValue) : operation.value;
  if (value === undefined) {
    throw new Error(`nothing to copy at ${operation.op === 'copy' ? operation.from : ''}`);
  }
  const { parent, key } = parentOf(document, operation.path);
  const exists = Array.isArray(parent)
    ? key !== '-' && Number(key) < parent.length
    : Object.hasOwn(parent as object, key);
  if (operation.op === 'replace' && !exists) throw new Error(`replace: nothing at ${operation.path}`);
  if (operation.op !== 'replace' && exists) {
    throw new Error(`${operation.op}: ${operation.path} already exists`);
  }
  const copy = structuredClone(value);
  if (Array.isArray(parent)) {
    if (key === '-') parent.push(copy);
    else if (operation.op === 'replace') parent[Number(key)] = copy;
    else parent.splice(Number(key), 0, copy);
  } else {
    (parent as JsonObject)[key] = copy;
  }
}

/** A fresh copy of the official schema, as published. */
export function originalSchema(): JsonSchemaDocument {
  return structuredClone(originalSchemaDocument as unknown as JsonSchemaDocument);
}

/** The official schema with the given extensions applied (all of them by default), in order. */
export function extendedSchema(
  extensions: readonly SchemaExtension[] = SCHEMA_EXTENSIONS,
): JsonSchemaDocument {
  const schema = originalSchema();
  const applied = new Set<string>();
  for (const extension of extensions) {
    for (const required of extension.requires ?? []) {
      if (!applied.has(required)) {
        throw new Error(`schema extension ${extension.id} requires ${required} first`);
      }
    }
    for (const operation of extension.operations) {
      try {
        applyOperation(schema, operation);
      } catch (error) {
        throw new Error(`schema extension ${extension.id}: ${(error as Error).message}`);
      }
    }
    applied.add(extension.id);
  }
  return schema;
}
