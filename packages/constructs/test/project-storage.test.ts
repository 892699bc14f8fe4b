// ProjectStorage on a bare Stack: the key, the buckets and the model package group, the rule bound to
// its own buckets, and the validation of its properties.
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { loopStack as bareStack } from './loop-support';
import { literalNames } from './support';
import { ProjectStorage } from '../src/project-storage';

describe('ProjectStorage', () => {
  test('a rotating key, a KMS-encrypted versioned bucket logging to the access-log bucket, the model package group', () => {
    const stack = bareStack();
    new ProjectStorage(stack, 'Storage', { names: literalNames() });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, PendingWindowInDays: 7 });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['sagemaker-p-abc123def456-', { Ref: 'AWS::AccountId' }]] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { LogFilePrefix: 'project-bucket/' },
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['sagemaker-p-abc123def456-', { Ref: 'AWS::AccountId' }, '-logs']] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
    });
    t.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'sagemaker-p-abc123def456-models',
    });
  });

  test('its resources keep the ids of the stack it was split from (created next to the part)', () => {
    const stack = bareStack();
    const storage = new ProjectStorage(stack, 'Storage', { names: literalNames() });
    expect(storage.key.node.path).toBe('Test/ProjectKey');
    expect(stack.resolve(storage.modelPackageGroup.logicalId)).toBe('ModelPackageGroup');
  });

  test('wildcard rules name its own buckets, not any bucket', () => {
    const stack = bareStack();
    const storage = new ProjectStorage(stack, 'Storage', { names: literalNames() });
    const other = new s3.Bucket(stack, 'OtherBucket');
    const [projectRule] = storage.wildcardRules;
    const own = `Resource::<${stack.resolve((storage.projectBucket.node.defaultChild as s3.CfnBucket).logicalId)}.Arn>/data/*`;
    const foreign = `Resource::<${stack.resolve((other.node.defaultChild as s3.CfnBucket).logicalId)}.Arn>/data/*`;
    expect(projectRule.finding.test(own)).toBe(true);
    expect(projectRule.finding.test(foreign)).toBe(false);
  });

  test.each([
    [
      { keyPendingWindow: Duration.days(6) },
      /keyPendingWindow: must be 7 to 30 days \(AWS KMS\), got 6 days/,
    ],
    [
      { keyPendingWindow: Duration.days(31) },
      /keyPendingWindow: must be 7 to 30 days \(AWS KMS\), got 31 days/,
    ],
    [
      { accessLogExpiration: Duration.hours(12) },
      /accessLogExpiration: must be a whole number of days, at least 1, got 12 hours/,
    ],
  ])('rejects %o', (props, message) => {
    expect(() => new ProjectStorage(bareStack(), 'Storage', { names: literalNames(), ...props })).toThrow(
      message,
    );
  });
});

test('grantReadWriteData: the bucket and the key', () => {
  const stack = bareStack();
  const storage = new ProjectStorage(stack, 'Storage', { names: literalNames() });
  const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  storage.grantReadWriteData(role);
  const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: string[] }>,
  );
  const actions = statements.flatMap((s) => s.Action);
  expect(actions).toEqual(
    expect.arrayContaining(['s3:PutObject', 's3:GetObject*', 'kms:Decrypt', 'kms:Encrypt']),
  );
});

describe('ProjectStorage model package group description', () => {
  test("the model package group description: generic by default, the template's when given", () => {
    const stack = bareStack();
    new ProjectStorage(stack, 'Storage', { names: literalNames() });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupDescription: 'Models of SageMaker project demo',
    });
    const other = bareStack();
    new ProjectStorage(other, 'Storage', {
      names: literalNames(),
      modelPackageGroupDescription: 'XGBoost models',
    });
    Template.fromStack(other).hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupDescription: 'XGBoost models',
    });
  });

  test.each([' ', 'x'.repeat(1025)])(
    'rejects modelPackageGroupDescription %p',
    (modelPackageGroupDescription) => {
      expect(
        () =>
          new ProjectStorage(bareStack(), 'Storage', { names: literalNames(), modelPackageGroupDescription }),
      ).toThrow(/modelPackageGroupDescription: must be 1 to 1024 characters/);
    },
  );
});
