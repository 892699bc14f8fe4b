// The DeepAR forecasting product template, synthesized once with cdk-nag: every item of the
// template (parameters, storage, seeded repositories, three pipelines, event wiring, retrain
// loop, notifications, IAM, teardown) asserted on the product template, and its event patterns
// checked against real AWS sample events through EventBridge (moto) routing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PROJECT_ROLES_BOUNDARY_POLICY_NAME, seedCopies } from '@mlops-templates/constructs';
import {
  FREQUENCY_ALLOWED_PATTERN,
  MONITORING_SCHEDULE_ALLOWED_PATTERN,
  supportedFrequencies,
} from '@mlops-templates/metrics';
import { describeWithTool, MOTO_SERVER, useMotoServer } from '@mlops-templates/test-harness';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { sharedCommittedSynth, type SharedSynth } from './support/synth';
import {
  SEED_DIRECTORY,
  SEEDED_REPOSITORIES,
  SeededRepositoryName,
  vendoredPackagesOf,
} from '../templates/deepar-forecasting/seeded-repositories';

type Json = Record<string, unknown>;
type Resource = {
  Type: string;
  Properties: Json;
  DependsOn?: string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

let synth: SharedSynth;
let t: Template;
let json: {
  Resources: Record<string, Resource>;
  Parameters: Record<string, Json>;
  Rules: Json;
  Metadata: Json;
};
beforeAll(() => {
  synth = sharedCommittedSynth();
  t = synth.productTemplates['deepar-forecasting'];
  json = JSON.parse(fs.readFileSync(synth.productTemplateFiles['deepar-forecasting'], 'utf8'));
});

const resourcesOf = (type: string): Array<[string, Resource]> =>
  Object.entries(json.Resources).filter(([, r]) => r.Type === type);

/** Example values for the tokens of the product template (a project "demo", id "p-abc123"). */
const EXAMPLE = {
  SageMakerProjectName: 'demo',
  SageMakerProjectId: 'p-abc123',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
} as Record<string, string>;

/** Replaces Ref/Fn::Join of the project parameters and pseudo parameters by example values. */
function concrete(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(concrete);
  if (value && typeof value === 'object') {
    const v = value as Json;
    if (typeof v.Ref === 'string' && v.Ref in EXAMPLE) return EXAMPLE[v.Ref];
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => concrete(p) as string).join(sep);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, concrete(x)]));
  }
  return value;
}

function ruleNamed(suffix: string): Json {
  const found = resourcesOf('AWS::Events::Rule').find(([, r]) =>
    (concrete(r.Properties.Name) as string).endsWith(suffix),
  );
  if (!found) throw new Error(`no rule named *${suffix}`);
  return concrete(found[1].Properties.EventPattern) as Json;
}

describe('parameters', () => {
  test('project parameters plus validated data, model and monitoring parameters, all optional ones listed for Studio', () => {
    const p = json.Parameters;
    expect(Object.keys(p).sort()).toEqual(
      [
        'SageMakerProjectName',
        'SageMakerProjectId',
        'DataSourceType',
        'DataSourceLocation',
        'TargetColumn',
        'TimestampColumn',
        'ItemIdColumn',
        'Frequency',
        'PredictionLength',
        'MonitoringSchedule',
        'StagingInstanceType',
        'ProdInstanceType',
        'NotificationEmail',
        'SyntheticLevelShiftAt',
        'DataRetention',
        'RepositoryProvider',
        'CodeConnectionArn',
        'RepositoryBranch',
        'ModelBuildRepositoryId',
        'ModelDeployRepositoryId',
        'MonitoringRepositoryId',
        'BootstrapVersion',
      ]
        .filter((k) => k in p)
        .sort(),
    );
    expect(p.DataSourceType.AllowedValues).toEqual(['synthetic', 's3', 'feature-group']);
    expect(p.PredictionLength).toMatchObject({ Type: 'Number', MinValue: 1, MaxValue: 500 });
    expect(p.DataRetention.AllowedValues).toEqual(['Retain', 'Delete']);
    const re = (name: string) => new RegExp(p[name].AllowedPattern as string);
    expect(
      re('Frequency').test('1H') && re('Frequency').test('5min') && !re('Frequency').test('hourly'),
    ).toBe(true);
    // The one frequency grammar (issue #14 finding 3): exactly the values every consumer handles.
    expect(p.Frequency.AllowedPattern).toBe(FREQUENCY_ALLOWED_PATTERN);
    expect(supportedFrequencies().filter((f) => !re('Frequency').test(f))).toEqual([]);
    for (const rejected of ['1W', 'W', '3D', '57H', '100min', '1h', '0H']) {
      expect({ rejected, accepted: re('Frequency').test(rejected) }).toEqual({ rejected, accepted: false });
    }
    expect(
      re('MonitoringSchedule').test('rate(1 hour)') && re('MonitoringSchedule').test('cron(0 * * * ? *)'),
    ).toBe(true);
    expect(re('MonitoringSchedule').test('every hour')).toBe(false);
    // At most 56 hours between collector runs (3 alarm periods within CloudWatch's 7 days, issue #14).
    expect(p.MonitoringSchedule.AllowedPattern).toBe(MONITORING_SCHEDULE_ALLOWED_PATTERN);
    expect(
      re('MonitoringSchedule').test('rate(2 days)') && re('MonitoringSchedule').test('rate(56 hours)'),
    ).toBe(true);
    expect(
      re('MonitoringSchedule').test('rate(3 days)') || re('MonitoringSchedule').test('rate(57 hours)'),
    ).toBe(false);
    expect(re('NotificationEmail').test('none') && re('NotificationEmail').test('ds@example.com')).toBe(true);
    expect(
      re('DataSourceLocation').test('s3://my-bucket/series/') && re('DataSourceLocation').test('sales-fg'),
    ).toBe(true);
    expect(re('StagingInstanceType').test('ml.m5.large') && !re('StagingInstanceType').test('m5.large')).toBe(
      true,
    );
    const optional = (json.Metadata.SagemakerTemplateParameterRules as { OptionalParameters: Json })
      .OptionalParameters;
    for (const [name, param] of Object.entries(p)) {
      if (name.startsWith('SageMakerProject') || name === 'BootstrapVersion') continue;
      expect(optional).toHaveProperty(name);
      expect(param.Default).not.toBe('');
    }
  });

  test('cross-parameter rules: external sources need a location, synthetic needs none, level shift only for synthetic', () => {
    expect(Object.keys(json.Rules).sort()).toEqual([
      'CodeConnectionNeedsConnectionAndRepositories',
      'ExternalDataSourceNeedsLocation',
      'LevelShiftOnlyForSyntheticData',
      'SyntheticDataSourceHasNoLocation',
    ]);
  });
});

describe('storage', () => {
  test('project key with rotation; project bucket KMS-encrypted, versioned, private, SSL-only, with lifecycle rules', () => {
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const [[bucketId, bucket]] = resourcesOf('AWS::S3::Bucket').filter(([, r]) =>
      JSON.stringify(r.Properties.BucketEncryption).includes('aws:kms'),
    );
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Array<{ Prefix?: string }> }).Rules;
    expect(
      rules
        .map((r) => r.Prefix)
        .filter(Boolean)
        .sort(),
    ).toEqual(['data-capture/', 'ground-truth/', 'monitoring/', 'pipeline-artifacts/']);
    const policy = resourcesOf('AWS::S3::BucketPolicy').find(([, r]) =>
      JSON.stringify(r.Properties.Bucket).includes(bucketId),
    );
    expect(JSON.stringify(policy?.[1].Properties)).toContain('"aws:SecureTransport":"false"');
    for (const [, b] of resourcesOf('AWS::S3::Bucket')) {
      expect(b.Properties.PublicAccessBlockConfiguration).toBeDefined();
      expect(b.Properties.BucketEncryption).toBeDefined();
    }
  });

  test('model package group and the SSM parameters of the loop under /sagemaker/<name>-<id>/', () => {
    t.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 1);
    expect(
      concrete(resourcesOf('AWS::SageMaker::ModelPackageGroup')[0][1].Properties.ModelPackageGroupName),
    ).toBe('sagemaker-p-abc123-models');
    const names = resourcesOf('AWS::SSM::Parameter')
      .map(([, r]) => concrete(r.Properties.Name))
      .sort();
    expect(names).toEqual([
      '/sagemaker/demo-p-abc123/config',
      '/sagemaker/demo-p-abc123/gate-threshold',
      '/sagemaker/demo-p-abc123/prod/alarm-threshold',
      '/sagemaker/demo-p-abc123/staging/alarm-threshold',
    ]);
  });

  test('the notification topic is KMS-encrypted with the project key and SSL-only', () => {
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProjectKey'), 'Arn'] },
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const [[, sub]] = resourcesOf('AWS::SNS::Subscription');
    expect(sub.Condition).toBe('HasNotificationEmail');
  });
});

describe('seeded repositories', () => {
  test('three CodeCommit repositories with their initial code from the product asset bucket', () => {
    const repos = resourcesOf('AWS::CodeCommit::Repository');
    // Retained on project deletion, replacement and a provider switch (#19 finding 1).
    for (const [, repo] of repos) {
      expect([repo.DeletionPolicy, repo.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    }
    expect(repos.map(([, r]) => concrete(r.Properties.RepositoryName)).sort()).toEqual([
      'sagemaker-demo-p-abc123-model-build',
      'sagemaker-demo-p-abc123-model-deploy',
      'sagemaker-demo-p-abc123-monitoring',
    ]);
    for (const [, r] of repos) {
      expect(r.Properties.Code).toMatchObject({
        BranchName: 'main',
        // The assets bucket over the pseudo parameters: no account or region literal (#19).
        S3: { Bucket: { 'Fn::Sub': 'sagemaker-projects-assets-${AWS::AccountId}-${AWS::Region}' } },
      });
    }
  });

  test.each(Object.keys(SEEDED_REPOSITORIES) as SeededRepositoryName[])(
    'the %s zip staged in the cloud assembly is the seed folder plus the vendored workspace packages',
    (repo) => {
      const [, resource] = resourcesOf('AWS::CodeCommit::Repository').find(([, r]) =>
        (concrete(r.Properties.RepositoryName) as string).endsWith(`-${repo}`),
      ) as [string, Resource];
      const key = (resource.Properties.Code as { S3: { Key: string } }).S3.Key;
      const assetDir = path.join(synth.outdir, `asset.${key.replace(/\.zip$/, '')}`);
      expect(fs.existsSync(assetDir)).toBe(true);
      const expected = seedCopies(path.join(SEED_DIRECTORY, repo), vendoredPackagesOf(repo));
      const staged: string[] = [];
      const walk = (rel: string): void => {
        for (const e of fs.readdirSync(path.join(assetDir, rel), { withFileTypes: true })) {
          const child = path.join(rel, e.name);
          if (e.isDirectory()) walk(child);
          else staged.push(child);
        }
      };
      walk('');
      expect(staged.sort()).toEqual(expected.map((c) => c.to).sort());
      for (const c of expected) {
        expect(fs.readFileSync(path.join(assetDir, c.to))).toEqual(fs.readFileSync(c.from));
      }
      expect(staged.some((f) => f.startsWith(`vendor${path.sep}metrics${path.sep}lib${path.sep}`))).toBe(
        true,
      );
      expect(staged.some((f) => f.includes('node_modules'))).toBe(false);
    },
  );
});

describe('pipelines', () => {
  const stagesOf = (suffix: string) => {
    const [, p] = resourcesOf('AWS::CodePipeline::Pipeline').find(([, r]) =>
      (concrete(r.Properties.Name) as string).endsWith(suffix),
    ) as [string, Resource];
    return p;
  };
  const actionsOf = (p: Resource) =>
    (
      p.Properties.Stages as Array<{
        Name: string;
        Actions: Array<{ Name: string; ActionTypeId: { Category: string; Provider: string } }>;
      }>
    ).map((s) => [
      s.Name,
      s.Actions.map((a) => {
        // The source provider follows RepositoryProvider: {"Fn::If": [cond, CodeCommit, CodeStarSourceConnection]}.
        const provider = a.ActionTypeId.Provider as unknown;
        const name =
          typeof provider === 'string'
            ? provider
            : (provider as { 'Fn::If': string[] })['Fn::If'].slice(1).join('|');
        return `${a.ActionTypeId.Category}:${name}`;
      }),
    ]);

  test('model-build: source → CodeBuild (test, upsert, start)', () => {
    expect(actionsOf(stagesOf('-model-build'))).toEqual([
      ['Source', ['Source:CodeCommit|CodeStarSourceConnection']],
      ['Build', ['Build:CodeBuild']],
    ]);
  });

  test('model-deploy (V2, variables from the triggering event): build → staging deploy + endpoint test + threshold → approval → prod', () => {
    const p = stagesOf('-model-deploy');
    expect(p.Properties.PipelineType).toBe('V2');
    expect((p.Properties.Variables as Array<{ Name: string }>).map((v) => v.Name)).toEqual([
      'MODEL_PACKAGE_ARN',
      'TRIGGER',
    ]);
    expect(actionsOf(p)).toEqual([
      ['Source', ['Source:CodeCommit|CodeStarSourceConnection']],
      ['Build', ['Build:CodeBuild', 'Build:CodeBuild']],
      ['DeployStaging', ['Deploy:CloudFormation', 'Build:CodeBuild', 'Build:CodeBuild']],
      ['ApproveProd', ['Approval:Manual']],
      ['DeployProd', ['Deploy:CloudFormation', 'Build:CodeBuild']],
    ]);
    expect(JSON.stringify(p.Properties.Stages)).toContain('#{variables.MODEL_PACKAGE_ARN}');
  });

  test('monitoring: build → one CloudFormation stack per stage', () => {
    expect(actionsOf(stagesOf('-monitoring'))).toEqual([
      ['Source', ['Source:CodeCommit|CodeStarSourceConnection']],
      ['Build', ['Build:CodeBuild', 'Build:CodeBuild']],
      ['MonitorStaging', ['Deploy:CloudFormation']],
      ['MonitorProd', ['Deploy:CloudFormation']],
    ]);
    const stacks = JSON.stringify(concrete(stagesOf('-monitoring').Properties.Stages));
    expect(stacks).toContain('sagemaker-demo-p-abc123-monitoring-staging');
    expect(stacks).toContain('sagemaker-demo-p-abc123-monitoring-prod');
  });

  test('the deploying pipelines first delete their own stage stacks left in ROLLBACK_COMPLETE, as a role that may do nothing else', () => {
    const recoveryOf = (suffix: string) => {
      const build = (
        stagesOf(suffix).Properties.Stages as Array<{
          Name: string;
          Actions: Array<{ Name: string; RunOrder: number; Configuration: { ProjectName: Json } }>;
        }>
      ).find((st) => st.Name === 'Build');
      const action = build?.Actions.find((a) => a.Name === 'RecoverRolledBackStacks');
      const [, project] = resourcesOf('AWS::CodeBuild::Project').find(
        ([id]) => JSON.stringify(action?.Configuration.ProjectName) === JSON.stringify({ Ref: id }),
      ) as [string, Resource];
      const env = (
        project.Properties.Environment as { EnvironmentVariables: Array<{ Name: string; Value: Json }> }
      ).EnvironmentVariables;
      return {
        runOrder: action?.RunOrder,
        stacks: concrete(env.find((v) => v.Name === 'STACK_NAMES')?.Value),
      };
    };
    expect(recoveryOf('-model-deploy')).toEqual({
      runOrder: 1,
      stacks: 'sagemaker-demo-p-abc123-deploy-staging sagemaker-demo-p-abc123-deploy-prod',
    });
    expect(recoveryOf('-monitoring')).toEqual({
      runOrder: 1,
      stacks: 'sagemaker-demo-p-abc123-monitoring-staging sagemaker-demo-p-abc123-monitoring-prod',
    });
    const [[roleId]] = resourcesOf('AWS::IAM::Role').filter(
      ([, r]) => concrete(r.Properties.RoleName) === 'sagemaker-p-abc123-stack-recovery',
    );
    const actions = resourcesOf('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        ([, p]) =>
          (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[] }> }).Statement,
      )
      .flatMap((st) => [st.Action].flat())
      .filter((a) => a.startsWith('cloudformation:') || a.startsWith('iam:'));
    expect(new Set(actions)).toEqual(
      new Set(['cloudformation:DescribeStacks', 'cloudformation:DeleteStack']),
    );
  });

  test('every CodeBuild project that runs a seeded buildspec gets the shared names as environment variables', () => {
    // The stack-recovery projects run the product's own script and need none of them.
    const pipelineProjects = resourcesOf('AWS::CodeBuild::Project').filter(
      ([id, r]) => r.Condition === undefined && !/StackRecoveryProject[0-9A-F]{8}$/.test(id),
    );
    expect(pipelineProjects).toHaveLength(5);
    for (const [, project] of pipelineProjects) {
      const env = Object.fromEntries(
        (
          project.Properties.Environment as { EnvironmentVariables: Array<{ Name: string; Value: unknown }> }
        ).EnvironmentVariables.map((v) => [v.Name, concrete(v.Value)]),
      );
      expect(env).toMatchObject({
        MODEL_BUILD_PIPELINE_NAME: 'sagemaker-p-abc123-model-build',
        STAGING_ENDPOINT_NAME: 'sagemaker-p-abc123-staging',
        PROD_ENDPOINT_NAME: 'sagemaker-p-abc123-prod',
        ALARM_NAME_PREFIX: 'sagemaker-demo-p-abc123-accuracy-',
        METRIC_NAMESPACE: 'SageMakerProjects/demo-p-abc123',
        SSM_PREFIX: '/sagemaker/demo-p-abc123/',
        DATA_CAPTURE_PREFIX: 'data-capture/',
        GROUND_TRUTH_PREFIX: 'ground-truth/',
      });
    }
  });
});

describe('first data at creation (issue #14 finding 4)', () => {
  test('the generator runs once as a custom resource before the model-build pipeline exists (synthetic only)', () => {
    const firstData = resourcesOf('Custom::SageMakerProjectSyntheticFirstData');
    expect(firstData).toHaveLength(1);
    const [firstDataId, resource] = firstData[0];
    expect(resource.Condition).toBe('IsSyntheticDataSource');
    const generator = resourcesOf('AWS::Lambda::Function').find(([id]) =>
      id.startsWith('SyntheticDataGeneratorFunction'),
    );
    expect(generator).toBeDefined();
    expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [generator![0], 'Arn'] });
    expect(resource.Properties.ServiceTimeout).toBe('300');
    // The model-build pipeline references it (a tag, conditional: DependsOn on a resource whose
    // condition is false would keep the pipeline from being created), so CloudFormation creates the
    // pipeline — and CodePipeline starts its first execution — only after the first data exist.
    const pipelines = resourcesOf('AWS::CodePipeline::Pipeline').filter(
      ([, r]) => concrete(r.Properties.Name) === 'sagemaker-demo-p-abc123-model-build',
    );
    expect(pipelines).toHaveLength(1);
    const tags = pipelines[0][1].Properties.Tags as { Key: string; Value: unknown }[];
    expect(tags.find((tag) => tag.Key === 'sagemaker:first-data')?.Value).toEqual({
      'Fn::If': ['IsSyntheticDataSource', { Ref: firstDataId }, 'none'],
    });
    // The generator's first run covers a build's data window for the project's horizon.
    const env = (generator![1].Properties.Environment as { Variables: Json }).Variables;
    expect(env.PREDICTION_LENGTH).toEqual({ Ref: 'PredictionLength' });
  });
});

describe('retrain loop', () => {
  test('the retrain function is configured from the shared names and may start only the model-build pipeline', () => {
    const [[fnId, fn]] = resourcesOf('AWS::Lambda::Function').filter(
      ([, r]) => concrete(r.Properties.FunctionName) === 'sagemaker-p-abc123-retrain',
    );
    expect(concrete((fn.Properties.Environment as { Variables: Json }).Variables)).toMatchObject({
      ALARM_NAME_PREFIX: 'sagemaker-demo-p-abc123-accuracy-',
      MODEL_BUILD_PIPELINE_NAME: 'sagemaker-p-abc123-model-build',
      RETRAIN_COOLDOWN_MINUTES: '360',
      RETRAIN_MAX_ATTEMPTS: '3',
    });
    // No reserved concurrency: it fails the launch in accounts with a reduced concurrency quota; the
    // request token de-duplicates concurrent starts (templates/deepar-forecasting/README.md).
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    const starts = Object.values(json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap(
        (r) =>
          (
            r.Properties.PolicyDocument as {
              Statement: Array<{ Action: string | string[]; Resource: unknown }>;
            }
          ).Statement,
      )
      .filter((s) => [s.Action].flat().includes('sagemaker:StartPipelineExecution'));
    for (const s of starts) {
      for (const r of [s.Resource].flat()) {
        expect(concrete(r)).toMatch(/:pipeline\/sagemaker-p-abc123-model-build(\/execution\/\*)?$/);
      }
    }
    const [[, schedule]] = resourcesOf('AWS::Scheduler::Schedule').filter(
      ([, r]) => concrete(r.Properties.Name) === 'sagemaker-p-abc123-retrain-recheck',
    );
    expect(schedule.Properties.ScheduleExpression).toBe('rate(60 minutes)');
    expect(JSON.parse((schedule.Properties.Target as { Input: string }).Input)).toEqual({
      action: 'recheck',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    expect(JSON.stringify((schedule.Properties.Target as { Arn: unknown }).Arn)).toContain(fnId);
  });

  test('alarm rule: CloudWatch Alarm State Change to ALARM for alarm names with the project prefix', () => {
    expect(ruleNamed('-retrain-on-alarm')).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: [{ prefix: 'sagemaker-demo-p-abc123-accuracy-' }], state: { value: ['ALARM'] } },
    });
  });
});

describe('IAM', () => {
  const policies = () =>
    Object.entries(json.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(
        ([, r]) =>
          (
            r.Properties.PolicyDocument as {
              Statement: Array<{
                Effect: string;
                Action: string | string[];
                Resource: unknown;
                Condition?: Json;
              }>;
            }
          ).Statement,
      );

  test('every role carries the portfolio permissions boundary and a project-derived name', () => {
    const roles = resourcesOf('AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(8);
    for (const [, role] of roles) {
      expect(JSON.stringify(role.Properties.PermissionsBoundary)).toContain(
        `:policy/${PROJECT_ROLES_BOUNDARY_POLICY_NAME}`,
      );
      expect(concrete(role.Properties.RoleName)).toMatch(/^sagemaker-p-abc123-/);
    }
  });

  test('one role per service principal for the pipelines, with the right trust', () => {
    const trust = (name: string) => {
      const [, r] = resourcesOf('AWS::IAM::Role').find(
        ([, x]) => concrete(x.Properties.RoleName) === `sagemaker-p-abc123-${name}`,
      ) as [string, Resource];
      return (
        r.Properties.AssumeRolePolicyDocument as { Statement: Array<{ Principal: { Service: string } }> }
      ).Statement.map((s) => s.Principal.Service);
    };
    expect(trust('codebuild')).toEqual(['codebuild.amazonaws.com']);
    expect(trust('codepipeline')).toEqual(['codepipeline.amazonaws.com']);
    expect(trust('cfn-deploy')).toEqual(['cloudformation.amazonaws.com']);
    expect(trust('sagemaker-execution')).toEqual(['sagemaker.amazonaws.com']);
    expect(trust('events')).toEqual(['events.amazonaws.com']);
  });

  test('no "*" action, no service-wide wildcard, PassRole only with iam:PassedToService, "*" resources only where the API has no ARN', () => {
    const statements = policies();
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => /^[a-z0-9-]+:\*$/.test(a))).toEqual([]);
    // No role can create or change roles; the only IAM write is the endpoint-autoscaling
    // service-linked role, limited to that AWS service.
    const iamWrites = statements.filter((st) =>
      [st.Action]
        .flat()
        .some((a) => a.startsWith('iam:Create') || a.startsWith('iam:Put') || a.startsWith('iam:Attach')),
    );
    expect(iamWrites.map((st) => [[st.Action].flat(), st.Condition])).toEqual([
      [
        ['iam:CreateServiceLinkedRole'],
        { StringEquals: { 'iam:AWSServiceName': 'sagemaker.application-autoscaling.amazonaws.com' } },
      ],
    ]);
    for (const s of statements.filter((x) => [x.Action].flat().includes('iam:PassRole'))) {
      expect(JSON.stringify(s.Condition)).toContain('iam:PassedToService');
    }
    const allowedStar = new Set([
      'ecr:GetAuthorizationToken',
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:BatchCheckLayerAvailability',
      'cloudwatch:PutMetricData',
      'sagemaker:ListModelPackages',
      'cloudformation:ListStacks',
      'sagemaker:ListModels',
      'sagemaker:ListEndpointConfigs',
      'scheduler:ListSchedules',
      // The teardown finds the pipeline step functions (Service Authorization Reference: AWS Lambda,
      // ListFunctions defines no resource type).
      'lambda:ListFunctions',
      'application-autoscaling:RegisterScalableTarget',
      'application-autoscaling:DeregisterScalableTarget',
      'application-autoscaling:PutScalingPolicy',
      'application-autoscaling:DeleteScalingPolicy',
      'application-autoscaling:DescribeScalableTargets',
      'application-autoscaling:DescribeScalingPolicies',
      // CloudFormation's handlers for the seeded stacks (deploy role; no resource type in the SAR).
      'application-autoscaling:DescribeScheduledActions',
      'logs:DescribeLogGroups',
      // Moved off the stack ARNs aws-cdk-lib grants it on (accepts only "*"): CodePipelineRole.
      'cloudformation:ValidateTemplate',
      // aws-cdk-lib CodeBuild report-group and CodePipeline grants, SNS/CodeStar default: none expected
    ]);
    const starActions = statements
      .filter((s) => JSON.stringify(s.Resource) === '"*"')
      .flatMap((s) => [s.Action].flat());
    expect(starActions.filter((a) => !allowedStar.has(a))).toEqual([]);
  });
});

describe('teardown', () => {
  test('a teardown custom resource knows every out-of-stack resource and runs before the pipelines disappear', () => {
    const [[teardownId, teardown]] = resourcesOf('Custom::SageMakerProjectTeardown');
    expect(concrete(teardown.Properties)).toMatchObject({
      StackNamePrefixes: ['sagemaker-demo-p-abc123-monitoring-', 'sagemaker-demo-p-abc123-deploy-'],
      SageMakerPipelineNames: ['sagemaker-p-abc123-model-build'],
      ModelPackageGroupName: 'sagemaker-p-abc123-models',
      DataRetention: { Ref: 'DataRetention' },
      ResourceNameFilter: 'p-abc123',
    });
    for (const [, p] of resourcesOf('AWS::CodePipeline::Pipeline')) expect(p.DependsOn).toContain(teardownId);
    expect(
      resourcesOf('AWS::Events::Rule').filter(([, r]) => (r.DependsOn ?? []).includes(teardownId)).length,
    ).toBeGreaterThanOrEqual(5);
    const deployRoleId = resourcesOf('AWS::IAM::Role').find(
      ([, r]) => concrete(r.Properties.RoleName) === 'sagemaker-p-abc123-cfn-deploy',
    )?.[0];
    expect(json.Resources[teardownId].DependsOn).toEqual(expect.arrayContaining([deployRoleId]));
  });

  test('repositories follow DataRetention: named to the teardown under UseCodeCommit, DeleteRepository granted on exactly them only with CodeCommit and Delete (#19)', () => {
    const [[, teardown]] = resourcesOf('Custom::SageMakerProjectTeardown');
    const repositories = [
      'sagemaker-demo-p-abc123-model-build',
      'sagemaker-demo-p-abc123-model-deploy',
      'sagemaker-demo-p-abc123-monitoring',
    ];
    const props = concrete(teardown.Properties) as Json;
    expect(props.CodeCommitRepositories).toEqual({ 'Fn::If': ['UseCodeCommit', repositories, []] });
    expect(props.RepositoryProvider).toEqual({ Ref: 'RepositoryProvider' });
    expect(props.StepFunctionPrefix).toBe('sagemaker-p-abc123-step-');
    const grants = resourcesOf('AWS::IAM::Policy').filter(([, r]) =>
      JSON.stringify(r.Properties.PolicyDocument).includes('codecommit:DeleteRepository'),
    );
    expect(grants).toHaveLength(1);
    const [[grantId, grant]] = grants;
    const condition = (json as unknown as { Conditions: Record<string, Json> }).Conditions[
      grant.Condition as string
    ];
    expect(JSON.stringify(condition)).toMatch(
      /"Fn::And".*"Condition":"UseCodeCommit".*"Ref":"DataRetention"\},"Delete"/,
    );
    const statements = (grant.Properties.PolicyDocument as { Statement: Json[] }).Statement;
    expect(concrete(statements)).toEqual([
      {
        Sid: 'DeleteProjectRepositories',
        Effect: 'Allow',
        Action: 'codecommit:DeleteRepository',
        Resource: repositories.map((r) => `arn:aws:codecommit:us-east-1:123456789012:${r}`),
      },
    ]);
    // Deleted only after the teardown ran: the resource names the grant under the same condition.
    expect(props.RepositoryDeletionGrant).toEqual({
      'Fn::If': [grant.Condition, { Ref: grantId }, 'none'],
    });
    // No other policy may delete a repository.
    expect(JSON.stringify(resourcesOf('AWS::IAM::Policy').filter(([id]) => id !== grantId))).not.toMatch(
      /codecommit:Delete/,
    );
  });

  test('the teardown may delete only the pipeline step functions and their log groups (#14 finding 10)', () => {
    const statements = resourcesOf('AWS::IAM::Policy')
      .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Json[] }).Statement)
      .filter((s) => s.Sid === 'DeletePipelineStepFunctions' || s.Sid === 'DeletePipelineStepLogGroups');
    expect(concrete(statements)).toEqual([
      expect.objectContaining({
        Action: 'lambda:DeleteFunction',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:sagemaker-p-abc123-step-*',
      }),
      expect.objectContaining({
        Action: 'logs:DeleteLogGroup',
        Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/sagemaker-p-abc123-step-*',
      }),
    ]);
  });

  test('the project buckets are retained by CloudFormation (the teardown deletes them only when DataRetention=Delete)', () => {
    for (const [, b] of resourcesOf('AWS::S3::Bucket')) {
      expect((b as unknown as { DeletionPolicy: string }).DeletionPolicy).toBe('Retain');
    }
  });
});

describeWithTool(
  MOTO_SERVER,
  'event patterns against real AWS sample events (EventBridge routing in moto)',
  () => {
    useMotoServer();
    const fixture = (name: string): Json =>
      JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'events', name), 'utf8'));

    /** Puts `event` on a bus where `pattern` routes to a queue; true when the queue received it. */
    async function routes(pattern: Json, event: Json): Promise<boolean> {
      const eb = new EventBridgeClient({});
      const sqs = new SQSClient({});
      const id = Math.random().toString(36).slice(2, 10);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `q-${id}` }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await eb.send(new PutRuleCommand({ Name: `r-${id}`, EventPattern: JSON.stringify(pattern) }));
      await eb.send(
        new PutTargetsCommand({ Rule: `r-${id}`, Targets: [{ Id: 'q', Arn: Attributes?.QueueArn }] }),
      );
      await eb.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: event.source as string,
              DetailType: event['detail-type'] as string,
              Resources: event.resources as string[],
              Detail: JSON.stringify(event.detail),
            },
          ],
        }),
      );
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0, MaxNumberOfMessages: 1 }),
      );
      return (Messages ?? []).length > 0;
    }
    const withDetail = (event: Json, detail: Json): Json => ({
      ...event,
      detail: { ...(event.detail as Json), ...detail },
    });

    test("retrain rule: matches this project's accuracy alarm entering ALARM (single metric and metric math), nothing else", async () => {
      const pattern = ruleNamed('-retrain-on-alarm');
      for (const name of [
        'cloudwatch-alarm-state-change-single-metric.json',
        'cloudwatch-alarm-state-change-metric-math.json',
      ]) {
        const sample = fixture(name);
        const ours = withDetail(sample, {
          alarmName: 'sagemaker-demo-p-abc123-accuracy-prod',
          state: { ...((sample.detail as Json).state as Json), value: 'ALARM' },
        });
        expect(await routes(pattern, ours)).toBe(true);
        expect(await routes(pattern, withDetail(ours, { state: { value: 'OK' } }))).toBe(false);
        expect(
          await routes(pattern, withDetail(ours, { alarmName: 'sagemaker-demo-p-abc123-freshness-prod' })),
        ).toBe(false);
        expect(
          await routes(pattern, withDetail(ours, { alarmName: 'sagemaker-other-p-zzz-accuracy-prod' })),
        ).toBe(false);
        expect(await routes(pattern, sample)).toBe(false);
      }
    });

    test("model-approved rule: this group's package becoming Approved, not pending, not another group", async () => {
      const pattern = ruleNamed('-model-approved');
      const sample = fixture('sagemaker-model-package-state-change.normalized.json');
      const ours = withDetail(sample, {
        ModelPackageGroupName: 'sagemaker-p-abc123-models',
        ModelApprovalStatus: 'Approved',
      });
      expect(await routes(pattern, ours)).toBe(true);
      expect(await routes(pattern, withDetail(ours, { ModelApprovalStatus: 'PendingManualApproval' }))).toBe(
        false,
      );
      expect(await routes(pattern, sample)).toBe(false);
      expect(
        await routes(
          ruleNamed('-model-pending-approval'),
          withDetail(ours, { ModelApprovalStatus: 'PendingManualApproval' }),
        ),
      ).toBe(true);
    });

    test("endpoint rule: this project's staging/prod endpoint IN_SERVICE only", async () => {
      const pattern = ruleNamed('-endpoint-in-service');
      const sample = fixture('sagemaker-endpoint-state-change.json');
      expect(await routes(pattern, withDetail(sample, { EndpointName: 'sagemaker-p-abc123-staging' }))).toBe(
        true,
      );
      expect(await routes(pattern, withDetail(sample, { EndpointName: 'sagemaker-p-abc123-prod' }))).toBe(
        true,
      );
      expect(
        await routes(
          pattern,
          withDetail(sample, { EndpointName: 'sagemaker-p-abc123-prod', EndpointStatus: 'UPDATING' }),
        ),
      ).toBe(false);
      expect(await routes(pattern, sample)).toBe(false);
    });

    test("failure rule: this project's model-build SageMaker pipeline execution Failed", async () => {
      const pattern = ruleNamed('-sagemaker-pipeline-failed');
      const sample = fixture('sagemaker-pipeline-execution-status-change.json');
      const arn = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/sagemaker-p-abc123-model-build';
      expect(
        await routes(
          pattern,
          withDetail(sample, { pipelineArn: arn, currentPipelineExecutionStatus: 'Failed' }),
        ),
      ).toBe(true);
      expect(await routes(pattern, withDetail(sample, { pipelineArn: arn }))).toBe(false);
      expect(await routes(pattern, withDetail(sample, { currentPipelineExecutionStatus: 'Failed' }))).toBe(
        false,
      );
    });
  },
);

describe('repository provider (CodeCommit or CodeConnection)', () => {
  test('parameters and the cross-parameter Rule', () => {
    const p = json.Parameters;
    expect(p.RepositoryProvider).toMatchObject({
      AllowedValues: ['CodeCommit', 'CodeConnection'],
      Default: 'CodeCommit',
    });
    const arn = new RegExp(p.CodeConnectionArn.AllowedPattern as string);
    expect(
      arn.test(
        'arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666',
      ),
    ).toBe(true);
    expect(arn.test('arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d')).toBe(true);
    expect(arn.test('arn:aws:codecommit:eu-west-1:123456789012:repo') || arn.test('')).toBe(false);
    // `none` (Studio rejects empty defaults) is the CodeCommit value; the Rule refuses it for a connection.
    expect(p.CodeConnectionArn.Default).toBe('none');
    expect(arn.test('none')).toBe(true);
    const repoId = new RegExp(p.ModelBuildRepositoryId.AllowedPattern as string);
    expect(
      repoId.test('acme/model-build') && repoId.test('group/sub/repo') && !repoId.test('just-a-name'),
    ).toBe(true);
    const rule = json.Rules.CodeConnectionNeedsConnectionAndRepositories as {
      RuleCondition: unknown;
      Assertions: Array<{ AssertDescription: string }>;
    };
    expect(rule.RuleCondition).toEqual({ 'Fn::Equals': [{ Ref: 'RepositoryProvider' }, 'CodeConnection'] });
    expect(JSON.stringify(rule.Assertions[0])).toContain(
      '{"Fn::Equals":[{"Ref":"CodeConnectionArn"},"none"]}',
    );
    expect(rule.Assertions.map((a) => a.AssertDescription)).toEqual([
      'CodeConnectionArn is required when RepositoryProvider is CodeConnection',
      'ModelBuildRepositoryId (owner/name) is required when RepositoryProvider is CodeConnection',
      'ModelDeployRepositoryId (owner/name) is required when RepositoryProvider is CodeConnection',
      'MonitoringRepositoryId (owner/name) is required when RepositoryProvider is CodeConnection',
    ]);
  });

  test('CodeCommit provider: repositories, Studio registrations and push rules exist only under UseCodeCommit', () => {
    const conditionOf = (type: string) => resourcesOf(type).map(([, r]) => r.Condition);
    expect(conditionOf('AWS::CodeCommit::Repository')).toEqual([
      'UseCodeCommit',
      'UseCodeCommit',
      'UseCodeCommit',
    ]);
    expect(conditionOf('AWS::SageMaker::CodeRepository')).toEqual([
      'UseCodeCommit',
      'UseCodeCommit',
      'UseCodeCommit',
    ]);
    const pushRules = resourcesOf('AWS::Events::Rule').filter(([, r]) =>
      (concrete(r.Properties.Name) as string).endsWith('-push'),
    );
    expect(pushRules.map(([, r]) => r.Condition)).toEqual([
      'UseCodeCommit',
      'UseCodeCommit',
      'UseCodeCommit',
    ]);
  });

  test('CodeConnection provider: the seeding job, its function and custom resource exist only under UseCodeConnection', () => {
    const seeding = Object.entries(json.Resources).filter(([id]) => id.startsWith('RepositorySeeding'));
    expect(seeding.map(([, r]) => r.Type).sort()).toEqual(
      expect.arrayContaining([
        'AWS::CodeBuild::Project',
        'AWS::Lambda::Function',
        'Custom::SageMakerProjectRepositorySeeding',
      ]),
    );
    for (const [, r] of seeding) expect(r.Condition).toBe('UseCodeConnection');
    const [[, project]] = seeding.filter(([, r]) => r.Type === 'AWS::CodeBuild::Project');
    expect(concrete(project.Properties.Name)).toBe('sagemaker-demo-p-abc123-seed-repositories');
  });

  test('the seeding custom resource starts the build only once the build role policies exist (#19)', () => {
    const [[, resource]] = resourcesOf('Custom::SageMakerProjectRepositorySeeding');
    const [[projectId, project]] = Object.entries(json.Resources).filter(
      ([id, r]) => id.startsWith('RepositorySeeding') && r.Type === 'AWS::CodeBuild::Project',
    );
    const roleRef = (project.Properties.ServiceRole as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    // Every policy attached to the build role (its default policy and the connection-use policy).
    const rolePolicies = resourcesOf('AWS::IAM::Policy')
      .filter(([, r]) => JSON.stringify(r.Properties.Roles).includes(`"${roleRef}"`))
      .map(([id]) => id);
    expect(rolePolicies.length).toBe(2);
    expect(resource.DependsOn).toEqual(expect.arrayContaining([roleRef, ...rolePolicies]));
    // The build's targets come from the event (overrides), so an update seeds what it names.
    expect(resource.Properties).toMatchObject({
      ProjectName: { Ref: projectId },
      ConnectionArn: { Ref: 'CodeConnectionArn' },
      RepositoryBranch: { Ref: 'RepositoryBranch' },
    });
    expect(JSON.stringify(resource.Properties.SeedRepositories)).toMatch(/ModelBuildRepositoryId/);
  });

  test('one source action per pipeline whose provider and configuration follow the parameter, with git history', () => {
    for (const [, p] of resourcesOf('AWS::CodePipeline::Pipeline')) {
      const [source] = p.Properties.Stages as Array<{ Name: string; Actions: Array<Json> }>;
      expect(source.Name).toBe('Source');
      expect((source.Actions[0].ActionTypeId as Json).Provider).toEqual({
        'Fn::If': ['UseCodeCommit', 'CodeCommit', 'CodeStarSourceConnection'],
      });
      const [, codeCommit, connection] = (
        source.Actions[0].Configuration as { 'Fn::If': [string, Json, Json] }
      )['Fn::If'];
      expect(codeCommit).toMatchObject({
        BranchName: 'main',
        OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
        PollForSourceChanges: false,
      });
      expect(connection).toMatchObject({
        ConnectionArn: { Ref: 'CodeConnectionArn' },
        BranchName: { Ref: 'RepositoryBranch' },
        OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
        DetectChanges: true,
      });
      expect(JSON.stringify(connection.FullRepositoryId)).toMatch(
        /"Ref":"(ModelBuild|ModelDeploy|Monitoring)RepositoryId"/,
      );
    }
  });

  test('connection permissions only on the given connection ARN, only under UseCodeConnection; no project role passes a connection', () => {
    const connectionPolicies = Object.values(json.Resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties.PolicyDocument).match(/"(codeconnections|codestar-connections):/),
    );
    // CodePipelineRole, CodeBuildRole and the seeding build role; none with CodeCommit (#19 finding 2:
    // no partition literal and no connection ARN in any policy of a CodeCommit project).
    expect(connectionPolicies.length).toBe(3);
    for (const p of connectionPolicies) expect(p.Condition).toBe('UseCodeConnection');
    const statements = connectionPolicies.flatMap(
      (r) =>
        (
          r.Properties.PolicyDocument as {
            Statement: Array<{ Action: string | string[]; Resource: unknown; Condition?: Json }>;
          }
        ).Statement,
    );
    // Rebuilt from the connection id in this partition, region and account, in both service prefixes.
    const fromId = (service: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:${service}:`,
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':connection/',
          { 'Fn::Select': [1, { 'Fn::Split': ['connection/', { Ref: 'CodeConnectionArn' }] }] },
        ],
      ],
    });
    for (const s of statements) {
      expect(s.Resource).toEqual([fromId('codeconnections'), fromId('codestar-connections')]);
    }
    // Every pipeline waits for the connection grants (a tag naming them under the same condition).
    for (const [, pipeline] of resourcesOf('AWS::CodePipeline::Pipeline')) {
      const tag = (pipeline.Properties.Tags as Array<{ Key: string; Value: Json }>).find(
        (entry) => entry.Key === 'sagemaker:connection-grants',
      );
      expect(JSON.stringify(tag?.Value)).toMatch(
        /^\{"Fn::If":\["UseCodeConnection",\{"Fn::Join":\[" ",\[\{"Ref":"[^"]+"\},\{"Ref"/,
      );
    }
    // No project role passes a connection (#19 finding 5): the boundary admits no PassConnection, so
    // such a grant would be capped away; the launch role passes it (portfolio test, named checks).
    const pass = statements.filter((s) => [s.Action].flat().some((a) => a.endsWith(':PassConnection')));
    expect(pass).toEqual([]);
    // No other policy names a connection (the default policies stay valid in every partition).
    expect(JSON.stringify(json.Resources)).not.toMatch(/arn:aws:|000000000000/);
  });
});
