// ProjectRolesPermissionsBoundary on a bare Stack: the ceiling names its services' project resources
// (no account-and-region wildcard over every service), one statement per service.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ProjectRolesPermissionsBoundary } from '../src/permissions-boundary';

type Statement = { Sid: string; Effect: string; Action: string | string[]; Resource: unknown };

function statements(): Statement[] {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ProjectRolesPermissionsBoundary(stack, 'Boundary');
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
  return policy.Properties.PolicyDocument.Statement as Statement[];
}

describe('ProjectRolesPermissionsBoundary', () => {
  test('no Allow statement spans every service of the account and region', () => {
    for (const s of statements().filter((st) => st.Effect === 'Allow')) {
      for (const r of [s.Resource].flat()) {
        // The old ceiling arn:<partition>:*:<region>:<account>:* (any service): its service part
        // is the Fn::Join segment ":*:".
        expect(JSON.stringify(r)).not.toContain('":*:"');
      }
    }
  });

  test('each project service statement holds only that service, on resources of that service', () => {
    const project = statements().filter((s) => /^Project[A-Z]/.test(s.Sid));
    expect(project.map((s) => s.Sid)).toEqual(
      expect.arrayContaining(['ProjectSagemaker', 'ProjectLambda', 'ProjectLogs']),
    );
    for (const s of project) {
      const services = new Set([s.Action].flat().map((a) => a.split(':')[0]));
      expect(services.size).toBe(1);
      const [service] = [...services];
      for (const r of [s.Resource].flat()) expect(JSON.stringify(r)).toContain(`:${service}:`);
    }
    const lambda = project.find((s) => s.Sid === 'ProjectLambda');
    expect(JSON.stringify(lambda?.Resource)).toContain(':function:sagemaker-*');
  });
});
