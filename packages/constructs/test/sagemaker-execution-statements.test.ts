// The SageMaker execution role's statements on a bare Stack: the job kinds given (and only those),
// tagged with the project id; the wildcard-only ECR token; passing only itself, to SageMaker.
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { bareStack, literalNames } from './support';
import { SAGEMAKER_JOB_KINDS, sageMakerExecutionStatements } from '../src/sagemaker-execution-statements';

function statements(kinds?: Parameters<typeof sageMakerExecutionStatements>[3]) {
  const stack = bareStack();
  const group = new sagemaker.CfnModelPackageGroup(stack, 'Group', { modelPackageGroupName: 'g' });
  const list = sageMakerExecutionStatements(stack, literalNames(), group, kinds);
  return list.map((s) => stack.resolve(s.toStatementJson()));
}

describe('sageMakerExecutionStatements', () => {
  test('by default training, transform and processing jobs: create, describe, stop, in that order', () => {
    const jobs = statements().find((s) => s.Sid === 'ProjectSageMakerJobs');
    expect(SAGEMAKER_JOB_KINDS).toEqual(['training-job', 'transform-job', 'processing-job']);
    expect(jobs.Action.slice(0, 9)).toEqual([
      'sagemaker:CreateTrainingJob',
      'sagemaker:DescribeTrainingJob',
      'sagemaker:StopTrainingJob',
      'sagemaker:CreateTransformJob',
      'sagemaker:DescribeTransformJob',
      'sagemaker:StopTransformJob',
      'sagemaker:CreateProcessingJob',
      'sagemaker:DescribeProcessingJob',
      'sagemaker:StopProcessingJob',
    ]);
    expect(jobs.Condition).toEqual({
      StringEqualsIfExists: { 'aws:ResourceTag/sagemaker:project-id': 'p-abc123def456' },
    });
  });

  test('only the job kinds given', () => {
    const jobs = statements(['processing-job']).find((s) => s.Sid === 'ProjectSageMakerJobs');
    expect(jobs.Action.filter((a: string) => a.endsWith('Job'))).toEqual([
      'sagemaker:CreateProcessingJob',
      'sagemaker:DescribeProcessingJob',
      'sagemaker:StopProcessingJob',
    ]);
    expect(JSON.stringify(jobs.Resource)).not.toContain('training-job');
  });

  test('passes only itself, to SageMaker only', () => {
    const pass = statements().find((s) => s.Sid === 'PassOwnRoleToJobs');
    expect(JSON.stringify(pass.Resource)).toContain('role/sagemaker-p-abc123def456-sagemaker-execution');
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
  });
});
