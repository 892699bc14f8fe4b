// The environment schema: a doc line and a source per variable, the examples pass it, a seed's pick
// keeps only its variables, and problems name the variable.
import {
  PROJECT_VARIABLES,
  dataSourceUriProblem,
  describeVariable,
  exampleEnvironment,
  parseExampleEnvironment,
  pickEnvironment,
  projectEnvironmentSchema,
  readEnvironment,
  renderExampleEnvironment,
  requiredVariables,
  sourceOf,
} from '../src';

describe('environment schema', () => {
  test.each(PROJECT_VARIABLES)('%s has a doc line and a source', (name) => {
    expect(describeVariable(name).length).toBeGreaterThan(10);
    expect(['product', 'codebuild', 'pipeline-action', 'monitoring-stack', 'product-handler']).toContain(
      sourceOf(name),
    );
  });

  test('the example environment passes the whole schema', () => {
    const reading = readEnvironment(projectEnvironmentSchema, exampleEnvironment());
    expect(reading).toEqual({ success: true, data: expect.objectContaining({ PREDICTION_LENGTH: 24 }) });
  });

  test('a pick keeps exactly the variables picked, and they are all required', () => {
    const schema = pickEnvironment(['PROJECT_BUCKET', 'PREDICTION_LENGTH']);
    expect(Object.keys(schema.shape)).toEqual(['PROJECT_BUCKET', 'PREDICTION_LENGTH']);
    expect(requiredVariables(schema)).toEqual(['PROJECT_BUCKET', 'PREDICTION_LENGTH']);
    expect(requiredVariables(schema.partial({ PREDICTION_LENGTH: true }))).toEqual(['PROJECT_BUCKET']);
  });

  test('problems name the variable; blank counts as unset', () => {
    const schema = pickEnvironment(['PROJECT_BUCKET', 'PREDICTION_LENGTH', 'PROJECT_KMS_KEY_ARN']);
    const reading = readEnvironment(schema, {
      PROJECT_BUCKET: '  ',
      PREDICTION_LENGTH: '0',
      PROJECT_KMS_KEY_ARN: 'arn:aws:iam::123456789012:role/x',
    });
    expect(reading).toEqual({
      success: false,
      problems: [
        'PROJECT_BUCKET is not set',
        'PREDICTION_LENGTH: must be at least 1',
        'PROJECT_KMS_KEY_ARN: must be a KMS key ARN',
      ],
    });
  });

  test('a missing enum variable is "not set", a bad one names the allowed values', () => {
    const schema = pickEnvironment(['PROBLEM_TYPE']);
    expect(readEnvironment(schema, {})).toEqual({ success: false, problems: ['PROBLEM_TYPE is not set'] });
    expect(readEnvironment(schema, { PROBLEM_TYPE: 'ranking' })).toEqual({
      success: false,
      problems: ['PROBLEM_TYPE: must be "regression", "binary" or "multiclass"'],
    });
  });

  test('a rendered example holds the picked variables in order and parses back', () => {
    const text = renderExampleEnvironment(['SAGEMAKER_PROJECT_ID', 'PROJECT_BUCKET']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['$comment', 'SAGEMAKER_PROJECT_ID', 'PROJECT_BUCKET']);
    expect(parseExampleEnvironment(text)).toEqual({
      SAGEMAKER_PROJECT_ID: 'p-abcdefghijkl',
      PROJECT_BUCKET: 'sagemaker-p-abcdefghijkl-123456789012',
    });
  });
});

describe('DATA_SOURCE_URI', () => {
  const schema = pickEnvironment(['DATA_SOURCE_URI']);
  const read = (value: string) => readEnvironment(schema, { DATA_SOURCE_URI: value });

  test('an S3 URI or a Feature Group name; anything else names the variable', () => {
    expect(read('s3://data-bucket/tabular/').success).toBe(true);
    expect(read('customer_churn-features2').success).toBe(true);
    expect(read('bucket/prefix')).toEqual({
      success: false,
      problems: ['DATA_SOURCE_URI: must be an s3://bucket/prefix/ URI or a Feature Group name'],
    });
  });

  test('the pairing with DATA_SOURCE_TYPE: an S3 URI for synthetic and s3, a name for feature-group', () => {
    expect(dataSourceUriProblem('s3', 's3://data-bucket/tabular/')).toBeUndefined();
    expect(dataSourceUriProblem('synthetic', 's3://data-bucket/synthetic/')).toBeUndefined();
    expect(dataSourceUriProblem('feature-group', 'customer-churn')).toBeUndefined();
    expect(dataSourceUriProblem('s3', 'customer-churn')).toBe(
      'must be an s3://bucket/prefix/ URI when DATA_SOURCE_TYPE is s3',
    );
    expect(dataSourceUriProblem('feature-group', 's3://data-bucket/tabular/')).toMatch(
      /^must be a Feature Group name .* when DATA_SOURCE_TYPE is feature-group$/,
    );
    // 65 characters: one more than a Feature Group name may have.
    expect(dataSourceUriProblem('feature-group', 'a'.repeat(65))).toBeDefined();
    expect(dataSourceUriProblem('feature-group', 'a'.repeat(64))).toBeUndefined();
  });
});
