// BuildEnvironment in a minimal product stack: the environment every build gets, the CodeBuild
// projects made from it (in the scope given), and the validation of the build timeout.
import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { pipelineFixture, productTemplate, statementBySid } from './loop-support';
import { BuildEnvironment } from '../src/build-environment';

describe('BuildEnvironment', () => {
  test('a project gets the shared environment, the build role, the project key and its own log group', () => {
    const f = pipelineFixture();
    const env = f.pipelineProps('model-build').buildEnvironment;
    for (const name of [
      'SAGEMAKER_EXECUTION_ROLE_ARN',
      'CONFIG_PARAMETER_NAME',
      'PROD_ALARM_THRESHOLD_PARAMETER_NAME',
      'FREQUENCY',
    ]) {
      expect(env.environment).toHaveProperty(name);
    }
    const project = env.project(f.stack, {
      repository: 'model-build',
      purpose: 'build',
      buildSpecFile: 'buildspec.yml',
      description: 'test',
    });
    expect(project.node.id).toBe('ModelBuildBuildProject');
    const t = productTemplate(f);
    t.hasResourceProperties('AWS::CodeBuild::Project', {
      TimeoutInMinutes: 120,
      Environment: {
        EnvironmentVariables: Match.arrayWith([Match.objectLike({ Name: 'SAGEMAKER_EXECUTION_ROLE_ARN' })]),
      },
      LogsConfig: { CloudWatchLogs: { GroupName: Match.anyValue() } },
    });
    t.resourceCountIs('AWS::Logs::LogGroup', 1);
    expect(statementBySid(t, 'PassStepRole')).toMatchObject({ Action: 'iam:PassRole' });
    expect(statementBySid(t, 'UpsertPipelineStepFunctions')).toBeDefined();
  });

  test.each([Duration.minutes(4), Duration.minutes(2161)])('rejects buildTimeout %s', (buildTimeout) => {
    const f = pipelineFixture();
    expect(
      () => new BuildEnvironment(f.stack, 'Other', { ...f.buildEnvironmentProps, buildTimeout }),
    ).toThrow(/buildTimeout: must be 5 to 2160 minutes \(CodeBuild\)/);
  });

  test('the template variables come after the shared ones; a shared one cannot be overridden', () => {
    const f = pipelineFixture();
    const env = f.pipelineProps('model-build').buildEnvironment.environment;
    expect(Object.keys(env).slice(-1)).toEqual(['FREQUENCY']);
    expect(env.FREQUENCY).toBe('1H');
    expect(
      () =>
        new BuildEnvironment(f.stack, 'Other', {
          ...f.buildEnvironmentProps,
          templateVariables: { PROJECT_KMS_KEY_ARN: 'x', FREQUENCY: '1D' },
        }),
    ).toThrow(/templateVariables: PROJECT_KMS_KEY_ARN are set by the build environment itself/);
  });
});
