// ProjectFunction on a bare Stack: a bundled (esbuild, local), named Node.js function on arm64
// with JSON logs, its own role named like it that may write only to its own log group, a log
// group with retention that is deleted with the stack, and the key on environment and logs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { bareStack, ENV, FIXTURE_HANDLER, policyStatements, testApp } from './support';
import { ProjectFunction } from '../src/project-function';

describe('ProjectFunction', () => {
  let app: App;
  let template: Template;
  let defaults: Template;

  beforeAll(() => {
    app = testApp();
    const stack = new Stack(app, 'Test', { env: ENV });
    new ProjectFunction(stack, 'Fn', {
      functionName: 'sagemaker-p-abc123def456-retrain',
      entry: FIXTURE_HANDLER,
      description: 'Starts a retrain',
      environment: { MODEL_PACKAGE_GROUP_NAME: 'sagemaker-p-abc123def456-models' },
      timeout: Duration.minutes(2),
      memorySize: 512,
      encryptionKey: new kms.Key(stack, 'Key'),
      reservedConcurrentExecutions: 2,
      logRetention: logs.RetentionDays.ONE_MONTH,
    });
    const plain = new Stack(app, 'Defaults', { env: ENV });
    new ProjectFunction(plain, 'Fn', {
      functionName: 'sagemaker-p-abc123def456-plain',
      entry: FIXTURE_HANDLER,
      description: 'Defaults',
    });
    template = Template.fromStack(stack);
    defaults = Template.fromStack(plain);
  });

  test('the function: name, runtime, architecture, JSON logs, environment encrypted with the key', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sagemaker-p-abc123def456-retrain',
      Description: 'Starts a retrain',
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 120,
      ReservedConcurrentExecutions: 2,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^FnLogs') } },
      Environment: { Variables: { MODEL_PACKAGE_GROUP_NAME: 'sagemaker-p-abc123def456-models' } },
      KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
  });

  test('defaults: 256 MiB, 1 minute, no reserved concurrency, no key, 3 months of logs', () => {
    defaults.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 256,
      Timeout: 60,
      ReservedConcurrentExecutions: Match.absent(),
      KmsKeyArn: Match.absent(),
      Environment: Match.absent(),
    });
    defaults.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90, KmsKeyId: Match.absent() });
  });

  test('the log group: named for the function, retention, encrypted, deleted with the stack', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/aws/lambda/sagemaker-p-abc123def456-retrain',
        RetentionInDays: 30,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });

  test('the role: named like the function, trusted by Lambda only, writing only its own log group', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'sagemaker-p-abc123def456-retrain',
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
      },
      ManagedPolicyArns: Match.absent(),
    });
    const own = policyStatements(defaults);
    expect(own).toEqual([
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FnLogs/), 'Arn'] },
      },
    ]);
  });

  test("the function is created after its role and the role's policy", () => {
    const [fn] = Object.values(defaults.findResources('AWS::Lambda::Function'));
    expect(fn.DependsOn).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^FnRoleDefaultPolicy/),
        expect.stringMatching(/^FnRole/),
      ]),
    );
  });

  test('the handler is bundled locally with its imports inlined (no Docker, no external modules)', () => {
    const [fn] = Object.values(defaults.findResources('AWS::Lambda::Function'));
    const hash = (fn.Properties.Code.S3Key as string).replace(/\.zip$/, '');
    const code = fs.readFileSync(path.join(app.outdir, `asset.${hash}`, 'index.js'), 'utf8');
    expect(code).toContain('bundled-greeting-for-');
    expect(code).not.toMatch(/require\(["']\.\/greeting["']\)/);
  });

  describe('validation', () => {
    const fn = (override: { functionName?: string; memorySize?: number }) => () =>
      new ProjectFunction(bareStack({ bundling: false }), 'Fn', {
        functionName: 'sagemaker-fn',
        entry: FIXTURE_HANDLER,
        description: 'validation',
        ...override,
      });

    // AWS Lambda API Reference, "CreateFunction": a function name is 1-64 of [a-zA-Z0-9-_]. Before
    // this check, a long name was refused by aws-cdk-lib's role-name check, naming roleName.
    test.each([
      [`sagemaker-${'x'.repeat(55)}`, /functionName: a Lambda function name has 1–64 characters, got 65/],
      ['', /functionName: a Lambda function name has 1–64 characters, got 0/],
      ['sagemaker.fn', /functionName: 'sagemaker\.fn' is not a Lambda function name/],
      ['sagemaker fn', /functionName: 'sagemaker fn' is not a Lambda function name/],
    ])('functionName %p is refused', (functionName, message) => {
      expect(fn({ functionName })).toThrow(message);
    });

    // Lambda Developer Guide, "Configure Lambda function memory": 128 MB to 10,240 MB in 1-MB increments.
    test.each([127, 10_241, 0, 512.5])('memorySize %p is refused', (memorySize) => {
      expect(fn({ memorySize })).toThrow(/memorySize: must be a whole number from 128 to 10240/);
    });

    test('the limits themselves, and a token name, are accepted', () => {
      expect(fn({ functionName: `s${'x'.repeat(63)}`, memorySize: 128 })).not.toThrow();
      expect(fn({ memorySize: 10_240 })).not.toThrow();
      expect(fn({ functionName: `sagemaker-${Aws.STACK_NAME}` })).not.toThrow();
    });
  });
});
