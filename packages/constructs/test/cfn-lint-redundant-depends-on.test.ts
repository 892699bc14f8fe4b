// AcknowledgeLambdaRoleDependsOn on a bare Stack: the W3005 exception goes exactly to functions
// and pipelines whose role is a Fn::GetAtt of a role in the template; a function with an imported
// role ARN (a string) and every other resource keep the check.
import { Aspects } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { bareStack } from './support';
import { AcknowledgeLambdaRoleDependsOn } from '../src/cfn-lint-redundant-depends-on';

/** A minimal valid pipeline body (two stages, an artifact store). */
const PIPELINE = {
  artifactStore: { type: 'S3', location: 'sagemaker-artifacts' },
  stages: [
    {
      name: 'Source',
      actions: [
        {
          name: 'Source',
          actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
          configuration: { S3Bucket: 'sagemaker-source', S3ObjectKey: 'source.zip' },
          outputArtifacts: [{ name: 'Source' }],
        },
      ],
    },
    {
      name: 'Approve',
      actions: [
        {
          name: 'Approve',
          actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
        },
      ],
    },
  ],
};

const W3005 = { 'cfn-lint': { config: { ignore_checks: ['W3005'] } } };

describe('AcknowledgeLambdaRoleDependsOn', () => {
  let template: Template;

  beforeAll(() => {
    const stack = bareStack();
    const code = lambda.Code.fromInline('exports.handler = async () => {};');
    new lambda.Function(stack, 'OwnRole', {
      code,
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
    });
    new lambda.Function(stack, 'ImportedRole', {
      code,
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      role: iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/sagemaker-existing', {
        mutable: false,
      }),
    });
    new codepipeline.CfnPipeline(stack, 'Pipeline', {
      roleArn: new iam.Role(stack, 'PipelineRole', {
        assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com'),
      }).roleArn,
      ...PIPELINE,
    });
    new codepipeline.CfnPipeline(stack, 'PipelineWithLiteralRole', {
      roleArn: 'arn:aws:iam::123456789012:role/sagemaker-pipeline',
      ...PIPELINE,
    });
    Aspects.of(stack).add(new AcknowledgeLambdaRoleDependsOn());
    template = Template.fromStack(stack);
  });

  /** Metadata of the resource whose logical id is `id` (L1) or starts with `id` (L2). */
  const metadataOf = (type: string, id: string): Record<string, unknown> => {
    const resources = template.findResources(type);
    const entry =
      resources[id] ?? Object.entries(resources).find(([logicalId]) => logicalId.startsWith(id))?.[1];
    if (!entry) throw new Error(`no ${type} ${id}`);
    return (entry.Metadata ?? {}) as Record<string, unknown>;
  };

  test('a function whose role is a GetAtt gets the W3005 exception', () => {
    expect(metadataOf('AWS::Lambda::Function', 'OwnRole')).toMatchObject(W3005);
  });

  test('a pipeline whose role is a GetAtt gets it', () => {
    expect(metadataOf('AWS::CodePipeline::Pipeline', 'Pipeline')).toMatchObject(W3005);
  });

  test('a function or pipeline whose role is a literal ARN keeps the check (negative control)', () => {
    expect(metadataOf('AWS::Lambda::Function', 'ImportedRole')).not.toHaveProperty('cfn-lint');
    expect(metadataOf('AWS::CodePipeline::Pipeline', 'PipelineWithLiteralRole')).not.toHaveProperty(
      'cfn-lint',
    );
  });

  test('other resources (the roles themselves) are left alone', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect((role.Metadata ?? {}) as object).not.toHaveProperty('cfn-lint');
    }
  });
});
