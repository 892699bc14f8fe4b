// The statements two roles grant alike, on a bare Stack: only this project's endpoint configs, models,
// endpoints and SSM namespace; the data-key decrypt only through S3.
import { bareStack, literalNames } from './support';
import {
  dataKeyDecryptStatement,
  invokeOwnEndpointsStatement,
  projectParametersArn,
  servingModelLookupStatement,
} from '../src/project-statements';

describe('project statements', () => {
  test("serving model lookup: the project's endpoint configs and models", () => {
    const stack = bareStack();
    const st = stack.resolve(servingModelLookupStatement(stack, literalNames()).toStatementJson());
    expect(st.Sid).toBe('ResolveServingModelVersion');
    expect(JSON.stringify(st.Resource)).toContain('endpoint-config/sagemaker-p-abc123def456-*');
    expect(JSON.stringify(st.Resource)).toContain(':model/sagemaker-p-abc123def456-*');
  });

  test('own endpoints: one per stage, under the sid given', () => {
    const stack = bareStack();
    const st = stack.resolve(invokeOwnEndpointsStatement(stack, literalNames(), 'Invoke').toStatementJson());
    expect(st.Sid).toBe('Invoke');
    expect(st.Resource).toHaveLength(2);
    expect(JSON.stringify(st.Resource)).toContain('endpoint/sagemaker-p-abc123def456-staging');
    expect(JSON.stringify(st.Resource)).toContain('endpoint/sagemaker-p-abc123def456-prod');
  });

  test("the SSM namespace ARN is the contract's wildcard", () => {
    const stack = bareStack();
    expect(JSON.stringify(stack.resolve(projectParametersArn(stack, literalNames())))).toContain(
      ':parameter/sagemaker/demo-p-abc123def456/*',
    );
  });

  test('data-key decrypt only through S3 in the region', () => {
    const stack = bareStack();
    const st = stack.resolve(dataKeyDecryptStatement('Decrypt').toStatementJson());
    expect(st).toMatchObject({ Sid: 'Decrypt', Action: 'kms:Decrypt' });
    expect(JSON.stringify(st.Condition)).toContain('kms:ViaService');
  });
});
