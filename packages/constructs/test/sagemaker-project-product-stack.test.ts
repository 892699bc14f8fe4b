// SageMakerProjectProductStack inside a parent stack: the project parameters, the project tags on
// every taggable resource, the permissions boundary on every role (unless turned off), the
// optional-parameter metadata Studio reads, file assets published to the portfolio's bucket, and
// the sentinel-default validation.
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENV, FIXTURE_HANDLER, productTemplate, testApp } from './support';
import { PROJECT_ROLES_BOUNDARY_POLICY_NAME } from '../src/permissions-boundary';
import {
  PARAMETER_RULES_METADATA_KEY,
  PROJECT_ID_TAG,
  PROJECT_NAME_TAG,
  SageMakerProjectProductStack,
} from '../src/sagemaker-project-product-stack';

describe('SageMakerProjectProductStack', () => {
  let app: App;
  let parent: Stack;
  let bounded: Template;
  let unbounded: Template;

  beforeAll(() => {
    app = testApp();
    parent = new Stack(app, 'Portfolio', { env: ENV });
    // Service Catalog product stacks publish their assets into a bucket with a physical name.
    const assetBucket = new s3.Bucket(parent, 'Assets', { bucketName: 'sagemaker-test-assets' });
    const stack = new SageMakerProjectProductStack(parent, 'Product', {
      assetBucket,
      description: 'A product for the tests',
    });
    new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new sns.Topic(stack, 'Topic');
    new s3assets.Asset(stack, 'File', { path: FIXTURE_HANDLER });
    stack.addOptionalParameter('NotificationEmail', {
      type: 'String',
      default: 'none',
      description: 'E-mail address, or none',
    });
    const other = new SageMakerProjectProductStack(parent, 'Unbounded', { applyPermissionsBoundary: false });
    new iam.Role(other, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    bounded = productTemplate(app, stack);
    unbounded = productTemplate(app, other);
  });

  test('declares the SageMaker project parameters and the description', () => {
    expect(Object.keys(bounded.findParameters('*'))).toEqual(
      expect.arrayContaining(['SageMakerProjectName', 'SageMakerProjectId', 'NotificationEmail']),
    );
    expect(bounded.toJSON().Description).toBe('A product for the tests');
  });

  test('tags taggable resources with the project name and id parameters', () => {
    bounded.hasResourceProperties('AWS::SNS::Topic', {
      Tags: Match.arrayWith([
        { Key: PROJECT_ID_TAG, Value: { Ref: 'SageMakerProjectId' } },
        { Key: PROJECT_NAME_TAG, Value: { Ref: 'SageMakerProjectName' } },
      ]),
    });
    bounded.hasResourceProperties('AWS::IAM::Role', {
      Tags: Match.arrayWith([{ Key: PROJECT_ID_TAG, Value: { Ref: 'SageMakerProjectId' } }]),
    });
  });

  test("every role carries the portfolio's permissions boundary", () => {
    bounded.hasResourceProperties('AWS::IAM::Role', {
      PermissionsBoundary: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            // A product stack is launched in the account of the provisioned product.
            { Ref: 'AWS::AccountId' },
            `:policy/${PROJECT_ROLES_BOUNDARY_POLICY_NAME}`,
          ],
        ],
      },
    });
  });

  test('applyPermissionsBoundary: false leaves roles unbounded', () => {
    unbounded.resourceCountIs('AWS::IAM::Role', 1);
    unbounded.hasResourceProperties('AWS::IAM::Role', { PermissionsBoundary: Match.absent() });
  });

  test('lists the optional parameters with their sentinel defaults in the template metadata', () => {
    expect(bounded.toJSON().Metadata[PARAMETER_RULES_METADATA_KEY]).toEqual({
      OptionalParameters: { NotificationEmail: { default: 'none', description: 'E-mail address, or none' } },
    });
    expect(unbounded.toJSON().Metadata[PARAMETER_RULES_METADATA_KEY]).toEqual({ OptionalParameters: {} });
    bounded.hasParameter('NotificationEmail', { Default: 'none' });
  });

  test("file assets are published to the portfolio's asset bucket (SSE AES256)", () => {
    const p = Template.fromStack(parent);
    p.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: Match.stringLikeRegexp('^Assets') },
    });
    expect(JSON.stringify(p.findResources('Custom::CDKBucketDeployment'))).toContain('AES256');
  });

  test('addOptionalParameter: an empty default is refused, naming the parameter and the property', () => {
    const stack = new SageMakerProjectProductStack(new Stack(new App(), 'P', { env: ENV }), 'Product');
    expect(() => stack.addOptionalParameter('Threshold', { type: 'String', default: '' })).toThrow(
      /addOptionalParameter\(Threshold\): 'default' must be a non-empty sentinel value/,
    );
  });

  test('addOptionalParameter: a default outside allowedValues is refused, naming both properties', () => {
    const stack = new SageMakerProjectProductStack(new Stack(new App(), 'P', { env: ENV }), 'Product');
    expect(() =>
      stack.addOptionalParameter('DataRetention', {
        type: 'String',
        allowedValues: ['Retain', 'Delete'],
        default: 'none',
      }),
    ).toThrow(
      /addOptionalParameter\(DataRetention\): 'default' 'none' is not one of 'allowedValues' \(Retain, Delete\)/,
    );
    expect(() =>
      stack.addOptionalParameter('Retention', {
        type: 'String',
        allowedValues: ['Retain', 'Delete'],
        default: 'Retain',
      }),
    ).not.toThrow();
  });
});
