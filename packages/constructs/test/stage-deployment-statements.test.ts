// The CloudFormation deploy role's grants on a bare Stack: only this project's stacks, endpoints,
// collector functions and key; the three job roles passed, each to its own service.
import { CfnCondition, Fn } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { loopStack as bareStack } from './loop-support';
import { literalNames, statementBySid } from './support';
import { JobRoles } from '../src/job-roles';
import { ProjectStorage } from '../src/project-storage';
import { grantStageDeployments } from '../src/stage-deployment-statements';

describe('grantStageDeployments', () => {
  test('the stage stacks and their resources, all under the project prefixes', () => {
    const stack = bareStack();
    const names = literalNames();
    const storage = new ProjectStorage(stack, 'Storage', { names });
    const always = new CfnCondition(stack, 'Always', { expression: Fn.conditionEquals('a', 'a') });
    const jobRoles = new JobRoles(stack, 'JobRoles', {
      names,
      storage,
      dataSource: { location: 's3://b/p/', isS3Source: always, isFeatureGroupSource: always },
    });
    const role = new iam.Role(stack, 'Deploy', {
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
    });
    grantStageDeployments(role, names, jobRoles, storage.key);
    const t = Template.fromStack(stack);
    expect(JSON.stringify(statementBySid(t, 'OwnStacks').Resource)).toContain(
      'stack/sagemaker-demo-p-abc123def456-*',
    );
    expect(JSON.stringify(statementBySid(t, 'Endpoints').Resource)).toContain('sagemaker-p-abc123def456-*');
    expect(statementBySid(t, 'PassProjectRoles').Condition).toEqual({
      StringEquals: {
        'iam:PassedToService': ['sagemaker.amazonaws.com', 'lambda.amazonaws.com', 'scheduler.amazonaws.com'],
      },
    });
    expect(statementBySid(t, 'UseProjectKey')).toBeDefined();
  });
});
