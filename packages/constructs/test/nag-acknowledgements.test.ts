// The cdk-nag IAM5 acknowledgement helpers: finding ids rendered the way cdk-nag renders them
// (checked against cdk-nag itself, with an unacknowledged policy as negative control), and an
// unexplained wildcard is an error naming the statement or the finding.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { bareStack } from './support';
import {
  acknowledgeWildcards,
  acknowledgeWildcardsByRule,
  renderForNag,
  resolvedStatementFindings,
  wildcardFindings,
} from '../src/nag-acknowledgements';

describe('renderForNag', () => {
  test('strings as they are, Ref as <Id>, GetAtt as <Id.Attr>, Join joined', () => {
    expect(renderForNag('arn:aws:s3:::sagemaker-*')).toBe('arn:aws:s3:::sagemaker-*');
    expect(renderForNag({ Ref: 'AWS::Partition' })).toBe('<AWS::Partition>');
    expect(renderForNag({ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] })).toBe('<Bucket83908E77.Arn>');
    expect(
      renderForNag({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { 'Fn::GetAtt': ['B', 'Arn'] }, '/*']],
      }),
    ).toBe('arn:<AWS::Partition>:s3:::<B.Arn>/*');
  });

  test('other intrinsics as their JSON', () => {
    const value = { 'Fn::If': ['C', 'a', '*'] } as unknown as Parameters<typeof renderForNag>[0];
    expect(renderForNag(value)).toBe('{"Fn::If":["C","a","*"]}');
  });
});

describe('resolvedStatementFindings', () => {
  test('every action and resource containing * (single values and lists), nothing else', () => {
    expect(
      resolvedStatementFindings({
        Action: ['s3:GetObject*', 's3:PutObject'],
        Resource: ['arn:aws:s3:::sagemaker-a', 'arn:aws:s3:::sagemaker-a/*'],
      }),
    ).toEqual(['Action::s3:GetObject*', 'Resource::arn:aws:s3:::sagemaker-a/*']);
    expect(resolvedStatementFindings({ Action: 'sns:Publish', Resource: '*' })).toEqual(['Resource::*']);
    expect(
      resolvedStatementFindings({ Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-west-1:1:t' }),
    ).toEqual([]);
    expect(resolvedStatementFindings({})).toEqual([]);
  });
});

describe('wildcardFindings', () => {
  test('resolves tokens of the statement in its stack', () => {
    const stack = bareStack();
    const bucket = new s3.Bucket(stack, 'Data');
    const logicalId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const st = new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] });
    expect(wildcardFindings(stack, st)).toEqual([`Resource::<${logicalId}.Arn>/*`]);
  });
});

describe('acknowledgeWildcards / acknowledgeWildcardsByRule validation', () => {
  test('a wildcard statement without a reason is an error naming its sid', () => {
    const stack = bareStack();
    const policy = new iam.ManagedPolicy(stack, 'P');
    const st = new iam.PolicyStatement({ sid: 'Unexplained', actions: ['s3:Get*'], resources: ['*'] });
    expect(() => acknowledgeWildcards(policy, [st], { Other: 'reason' })).toThrow(
      /statement 'Unexplained' has wildcards but no reason/,
    );
    const noSid = new iam.PolicyStatement({ actions: ['s3:Get*'], resources: ['*'] });
    expect(() => acknowledgeWildcards(policy, [noSid], {})).toThrow(/statement '\(no sid\)'/);
  });

  test('a statement without wildcards needs no reason', () => {
    const stack = bareStack();
    const policy = new iam.ManagedPolicy(stack, 'P');
    const st = new iam.PolicyStatement({
      actions: ['sns:Publish'],
      resources: ['arn:aws:sns:eu-west-1:1:t'],
    });
    expect(() => acknowledgeWildcards(policy, [st], {})).not.toThrow();
  });

  test('a finding no rule explains is an error naming the finding and the policy', () => {
    const stack = bareStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: ['arn:aws:logs:*'] }),
    );
    expect(() => acknowledgeWildcardsByRule(stack, [{ finding: /^Action::/, reason: 'actions' }])).toThrow(
      /no rule explains Resource::arn:aws:logs:\* in Test\/Role\/DefaultPolicy\/Resource/,
    );
  });
});

describe('acknowledgements as cdk-nag reads them', () => {
  let report: string;

  beforeAll(() => {
    const app = new App();
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const bucket = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    const role = (id: string) =>
      new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // By statement: the managed policy's wildcards, each with its statement's reason.
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadProject',
        actions: ['s3:GetObject*'],
        resources: [bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'NoResourceLevel',
        actions: ['sts:GetCallerIdentity'],
        resources: ['*'],
      }),
    ];
    const managed = new iam.ManagedPolicy(stack, 'Managed', { statements, roles: [role('ManagedUser')] });
    acknowledgeWildcards(managed, statements, {
      ReadProject: 'objects of the project bucket',
      NoResourceLevel: 'accepts only *',
    });

    // By rule: every inline policy under a scope.
    const ruled = role('Ruled');
    ruled.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('out/*')] }),
    );
    acknowledgeWildcardsByRule(ruled, [
      { finding: /^Resource::<.*\.Arn>\/out\/\*$/, reason: 'the out/ prefix' },
    ]);

    // Negative control: the same kind of grant, acknowledged by nobody.
    role('Unacknowledged').addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects('tmp/*')] }),
    );
    try {
      app.synth();
      report = '';
    } catch (e) {
      report = String(e);
    }
  });

  const iam5Errors = (): string[] =>
    report
      .split('\n')
      .filter((l) => l.includes("Acknowledge with 'AwsSolutions::AwsSolutions-IAM5["))
      .map((l) => l.trim());

  test('the unacknowledged wildcard is reported (negative control)', () => {
    expect(iam5Errors()).toEqual([
      expect.stringMatching(/AwsSolutions-IAM5\[Resource::<Data[0-9A-F]+\.Arn>\/tmp\/\*\]/),
    ]);
  });

  test('every acknowledged finding (by statement and by rule) is suppressed', () => {
    expect(report).not.toMatch(/IAM5\[Action::s3:GetObject\*\]/);
    expect(report).not.toMatch(/IAM5\[Resource::\*\]/);
    expect(report).not.toMatch(/IAM5\[Resource::<Data[0-9A-F]+\.Arn>\/\*\]/);
    expect(report).not.toMatch(/IAM5\[Resource::<Data[0-9A-F]+\.Arn>\/out\/\*\]/);
    // The report exists (the negative control failed the synth), so the absence above is meaningful.
    expect(report).toMatch(/ValidationFailed/);
  });
});
