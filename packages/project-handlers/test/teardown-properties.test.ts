// Validation of the teardown custom resource properties.
import { VALID_PROPERTIES } from './support/teardown-fixtures';
import { parseTeardownProperties, TeardownPropertiesError } from '../src/teardown/properties';

describe('parseTeardownProperties', () => {
  it('accepts valid properties and ignores ServiceToken', () => {
    const props = parseTeardownProperties(VALID_PROPERTIES);
    expect(props.DataRetention).toBe('Retain');
    expect(props.StackNamePrefixes).toHaveLength(2);
    expect(props).not.toHaveProperty('ServiceToken');
  });

  it.each([
    ['ProjectId', { ProjectId: undefined }],
    ['DataRetention', { DataRetention: 'Keep' }],
    ['StackNamePrefixes', { StackNamePrefixes: 'sagemaker-demo-p-abc123-deploy-' }],
    ['DataBuckets.0', { DataBuckets: [''] }],
    ['ResourceNameFilter', { ResourceNameFilter: ' ' }],
    ['StackNamePrefixes.1', { StackNamePrefixes: ['sagemaker-demo-p-abc123-deploy-', 'sagemaker-'] }],
    ['ScheduleNamePrefix', { ScheduleNamePrefix: 'synthetic-' }],
  ])('names the offending property %s', (property, override) => {
    let caught: unknown;
    try {
      parseTeardownProperties({ ...VALID_PROPERTIES, ...override });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TeardownPropertiesError);
    expect((caught as Error).message).toContain(`${property}:`);
  });

  it('rejects a missing properties object', () => {
    expect(() => parseTeardownProperties(undefined)).toThrow(/Invalid teardown resource properties/);
  });
});
