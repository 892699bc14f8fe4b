// SyntheticTraffic on a bare stack: sender, schedule and roles, all under the synthetic condition; the
// sender's environment covers what its handler requires; its role may invoke and describe the two stage
// endpoints only, describe the stage models and the group's packages, list and read the data prefix and
// the prepare reports, and write only its state object and the stage label folders; validation names
// the property.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProjectNames } from '@mlops-templates/constructs';
import { requiredVariables } from '@mlops-templates/project-contract';
import { tabularTrafficEnvironmentSchema } from '@mlops-templates/project-handlers';
import { App, CfnCondition, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  SyntheticTraffic,
  type SyntheticTrafficProps,
} from '../../templates/tabular-xgboost/constructs/synthetic-traffic';

const ENV = { account: '123456789012', region: 'eu-west-1' } as const;
const NAMES = new ProjectNames('churn', 'p-abc123');

interface Fixture {
  readonly stack: Stack;
  readonly props: SyntheticTrafficProps;
}

/** A bare stack (asset bundling skipped: the bundle is not what these tests check). */
function fixture(): Fixture {
  const app = new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'tabular-constructs-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new Stack(app, 'Product', { env: ENV });
  const source = new CfnParameter(stack, 'DataSourceType', { allowedValues: ['synthetic', 's3'] });
  const isSynthetic = new CfnCondition(stack, 'IsSynthetic', {
    expression: Fn.conditionEquals(source.valueAsString, 'synthetic'),
  });
  const target = new CfnParameter(stack, 'TargetColumn', { default: 'churned' });
  return {
    stack,
    props: {
      names: NAMES,
      key: new kms.Key(stack, 'Key'),
      bucket: s3.Bucket.fromBucketName(stack, 'Bucket', NAMES.projectBucket),
      isSynthetic,
      targetColumn: target.valueAsString,
    },
  };
}

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** The statements of the sender role's policy, resolved to plain JSON. */
function senderStatements(t: Template): Statement[] {
  const policies = t.findResources('AWS::IAM::Policy');
  const sender = Object.values(policies).find((p) =>
    JSON.stringify(p.Properties.Roles).includes('SenderRole'),
  ) as { Properties: { PolicyDocument: { Statement: Statement[] } } };
  return sender.Properties.PolicyDocument.Statement;
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** A resolved value as text: `Fn::Join` joined, `{Ref: X}` as `<X>` (how the tests compare ARNs). */
function render(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(render);
  if (typeof value !== 'object' || value === null) return value;
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return `<${String(v.Ref)}>`;
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x)]));
}

const BUCKET = 'sagemaker-p-abc123-<AWS::AccountId>';
const sagemakerArn = (resource: string) =>
  `arn:<AWS::Partition>:sagemaker:eu-west-1:123456789012:${resource}`;
const objectArn = (key: string) => `arn:<AWS::Partition>:s3:::${BUCKET}/${key}`;

describe('SyntheticTraffic', () => {
  test('function, roles and an hourly schedule, every resource under the synthetic condition', () => {
    const f = fixture();
    new SyntheticTraffic(f.stack, 'Traffic', f.props);
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: NAMES.short('synthetic-traffic'),
      ScheduleExpression: 'rate(1 hour)',
    });
    const condition = f.stack.resolve(f.props.isSynthetic.logicalId);
    const ours = Object.entries(
      t.toJSON().Resources as Record<string, { Type: string; Condition?: string }>,
    ).filter(([, r]) => !['AWS::KMS::Key'].includes(r.Type));
    expect(ours.map(([, r]) => r.Type)).toEqual(
      expect.arrayContaining([
        'AWS::Lambda::Function',
        'AWS::Scheduler::Schedule',
        'AWS::IAM::Role',
        'AWS::IAM::Policy',
      ]),
    );
    for (const [id, r] of ours) expect([id, r.Condition]).toEqual([id, condition]);
  });

  test('the environment holds every variable the handler requires', () => {
    const f = fixture();
    new SyntheticTraffic(f.stack, 'Traffic', { ...f.props, maxRowsPerRun: 500 });
    const t = Template.fromStack(f.stack);
    const [fn] = Object.values(t.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    }[];
    const variables = render(fn.Properties.Environment.Variables) as Record<string, unknown>;
    for (const name of requiredVariables(tabularTrafficEnvironmentSchema)) {
      expect(variables).toHaveProperty(name);
    }
    expect(variables).toMatchObject({
      PROJECT_BUCKET: BUCKET,
      DATA_PREFIX: 'data/synthetic/',
      LABELS_PREFIX: 'labels/',
      TARGET_COLUMN: '<TargetColumn>',
      STAGING_ENDPOINT_NAME: NAMES.endpoint('staging'),
      PROD_ENDPOINT_NAME: NAMES.endpoint('prod'),
      SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: '500',
    });
  });

  test('IAM: invoke and describe the two stage endpoints only; describe their models and the group packages', () => {
    const f = fixture();
    new SyntheticTraffic(f.stack, 'Traffic', f.props);
    const statements = render(f.stack.resolve(senderStatements(Template.fromStack(f.stack)))) as Statement[];
    const invoking = statements.filter((s) =>
      actions(s).some((a) => a === 'sagemaker:InvokeEndpoint' || a === 'sagemaker:*'),
    );
    expect(invoking).toEqual([
      {
        Sid: 'InvokeStageEndpoints',
        Effect: 'Allow',
        Action: ['sagemaker:DescribeEndpoint', 'sagemaker:InvokeEndpoint'],
        Resource: [
          sagemakerArn('endpoint/sagemaker-p-abc123-staging'),
          sagemakerArn('endpoint/sagemaker-p-abc123-prod'),
        ],
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel'],
        Resource: [
          sagemakerArn('endpoint-config/sagemaker-p-abc123-staging-*'),
          sagemakerArn('endpoint-config/sagemaker-p-abc123-prod-*'),
          sagemakerArn('model/sagemaker-p-abc123-staging-*'),
          sagemakerArn('model/sagemaker-p-abc123-prod-*'),
        ],
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'sagemaker:DescribeModelPackage',
        Resource: sagemakerArn(`model-package/${NAMES.modelPackageGroup}/*`),
      }),
    );
    // Negative control: no other SageMaker action anywhere in the policy.
    const sagemakerActions = statements
      .flatMap(actions)
      .filter((a) => a.startsWith('sagemaker:'))
      .sort();
    expect(sagemakerActions).toEqual([
      'sagemaker:DescribeEndpoint',
      'sagemaker:DescribeEndpointConfig',
      'sagemaker:DescribeModel',
      'sagemaker:DescribeModelPackage',
      'sagemaker:InvokeEndpoint',
    ]);
  });

  test('IAM: read the data prefix and the prepare reports; write only the state object and the stage labels', () => {
    const f = fixture();
    new SyntheticTraffic(f.stack, 'Traffic', f.props);
    const statements = render(f.stack.resolve(senderStatements(Template.fromStack(f.stack)))) as Statement[];
    const s3Statements = statements.filter((s) => actions(s).some((a) => a.startsWith('s3:')));
    expect(s3Statements).toEqual([
      {
        Sid: 'ListSyntheticData',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: `arn:<AWS::Partition>:s3:::${BUCKET}`,
        Condition: { StringLike: { 's3:prefix': ['data/synthetic/*'] } },
      },
      {
        Sid: 'ReadSyntheticDataAndPrepareReports',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [objectArn('data/synthetic/*'), objectArn('training/*/report/prepare.json')],
      },
      {
        Sid: 'WriteStateAndLabels',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: [
          objectArn('data/synthetic/_traffic-state.json'),
          objectArn('labels/staging/*'),
          objectArn('labels/prod/*'),
        ],
      },
    ]);
    // The project key: encrypt/decrypt for the bucket's objects.
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']) }),
    );
  });

  test('custom prefixes, schedule and bound', () => {
    const f = fixture();
    new SyntheticTraffic(f.stack, 'Traffic', {
      ...f.props,
      dataPrefix: 'data/tabular/',
      labelsPrefix: 'app-labels/',
      schedule: 'rate(15 minutes)',
    });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ DATA_PREFIX: 'data/tabular/', LABELS_PREFIX: 'app-labels/' }),
      },
    });
  });

  test('wildcardRules: versions of its own sender only', () => {
    const f = fixture();
    const traffic = new SyntheticTraffic(f.stack, 'Traffic', f.props);
    const [rule] = traffic.wildcardRules;
    const fn = f.stack.resolve((traffic.sender.function.node.defaultChild as CfnResource).logicalId);
    expect(rule.finding.test(`Resource::<${fn}.Arn>:*`)).toBe(true);
    expect(rule.finding.test('Resource::<OtherFunction12345678.Arn>:*')).toBe(false);
  });

  test.each([
    [{ schedule: 'cron(0 * * * ? *)' }, /schedule: must be rate\(<n> minute\[s\]\|hour\[s\]\)/],
    [{ schedule: 'rate(1 day)' }, /schedule: must be rate/],
    [{ maxRowsPerRun: 0 }, /maxRowsPerRun: must be a whole number from 1 to 20000, got 0/],
    [{ maxRowsPerRun: 1.5 }, /maxRowsPerRun: must be a whole number/],
    [{ dataPrefix: 'data' }, /dataPrefix: must be an S3 key prefix ending with "\/"/],
    [{ labelsPrefix: '/labels/' }, /labelsPrefix: must be an S3 key prefix/],
    [{ trainingPrefix: '' }, /trainingPrefix: must be an S3 key prefix/],
    [{ labelsPrefix: 'data/synthetic/labels/' }, /labelsPrefix: must not contain or be inside dataPrefix/],
  ])('rejects %p', (override, message) => {
    const f = fixture();
    expect(() => new SyntheticTraffic(f.stack, 'Traffic', { ...f.props, ...override })).toThrow(message);
  });
});
