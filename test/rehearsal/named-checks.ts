// Named checks, each citing the AWS documentation it encodes:
//  - the loop's runtime calls (retrain, teardown, synthetic generator, deploy trigger) as the role the
//    product gives that code, with names read from the resolved function environment;
//  - service-side requirements (Scheduler + customer key, SageMaker auto-rollback alarms, PassRole);
//  - escalations that must stay denied for the launch role and the project roles.
import type { AwsRequest } from './engine';
import type { RolePrincipal } from './principals';
import type { ParameterSet } from './rehearsal';
import type { ResolvedResource, ResolvedTemplate } from './resolve';

/** One named check. */
export interface NamedCheck {
  /**
   * `launch`, `service:<service principal>` (only resource policies apply), or the logical-id prefix
   * of a product role (CDK adds an 8-hex suffix).
   */
  readonly principal: string;
  readonly kind: 'named' | 'escalation';
  readonly label: string;
  readonly request: AwsRequest;
  readonly expected: 'Allowed' | 'Denied';
  /** ARN whose resource policy (key, bucket or topic policy) also applies. */
  readonly resourcePolicyOf?: string;
}

interface Inputs {
  readonly product: ResolvedTemplate;
  readonly launch: RolePrincipal;
  readonly set: ParameterSet;
}

const byPrefix = (t: ResolvedTemplate, prefix: string, type?: string): ResolvedResource | undefined =>
  Object.values(t.resources).find(
    (r) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(r.logicalId) && (type === undefined || r.type === type),
  );

const envOf = (t: ResolvedTemplate, prefix: string): Record<string, string> =>
  (
    byPrefix(t, prefix, 'AWS::Lambda::Function')?.properties.Environment as {
      Variables?: Record<string, string>;
    }
  )?.Variables ?? {};

/**
 * The role the product's external data reads are granted to (the role of its S3DataSourceRead or
 * FeatureGroupOfflineStoreRead policy, by role name), as a logical-id prefix; the steps role when the
 * parameter set has neither policy (synthetic data).
 */
function dataReaderOf(product: ResolvedTemplate): string {
  const resources = Object.values(product.resources);
  const policy = resources.find(
    (r) =>
      r.type === 'AWS::IAM::Policy' &&
      /^(S3DataSourceRead|FeatureGroupOfflineStoreRead)[0-9A-F]{8}$/.test(r.logicalId),
  );
  const roleName = (policy?.properties.Roles as unknown[] | undefined)?.[0];
  const role = resources.find((r) => r.type === 'AWS::IAM::Role' && r.properties.RoleName === roleName);
  return role ? role.logicalId.replace(/[0-9A-F]{8}$/, '') : 'PipelineStepsRole';
}

/** The named checks for one resolved product. */
export function namedChecks({ product, launch, set }: Inputs): NamedCheck[] {
  const { account, region, partition } = product.context;
  const arn = (service: string, resource: string, r = region) =>
    `arn:${partition}:${service}:${r}:${account}:${resource}`;
  // SageMaker lower-cases resource names in ARNs (SageMaker developer guide, "Amazon Resource Names").
  const sm = (resource: string) => arn('sagemaker', resource.toLowerCase());
  const checks: NamedCheck[] = [];
  const allow = (principal: string, label: string, request: AwsRequest, resourcePolicyOf?: string) =>
    checks.push({ principal, kind: 'named', label, request, expected: 'Allowed', resourcePolicyOf });
  const deny = (principal: string, label: string, request: AwsRequest) =>
    checks.push({ principal, kind: 'escalation', label, request, expected: 'Denied' });

  const key = byPrefix(product, 'ProjectKey', 'AWS::KMS::Key');
  const retrain = envOf(product, 'RetrainHandlerFunction');
  // ------------------------------------------------------------- retrain decision (packages/retrain/src/*.ts)
  if (retrain.MODEL_BUILD_PIPELINE_NAME) {
    const pipeline = sm(`pipeline/${retrain.MODEL_BUILD_PIPELINE_NAME}`);
    allow('RetrainHandlerRole', 'retrain: StartPipelineExecution on the model-build pipeline', {
      action: 'sagemaker:StartPipelineExecution',
      resource: pipeline,
    });
    allow('RetrainHandlerRole', 'retrain: ListPipelineExecutions (cooldown)', {
      action: 'sagemaker:ListPipelineExecutions',
      resource: pipeline,
    });
    allow('RetrainHandlerRole', 'retrain: ListPipelineParametersForExecution', {
      action: 'sagemaker:ListPipelineParametersForExecution',
      resource: `${pipeline}/execution/abc123`,
    });
    allow('RetrainHandlerRole', 'retrain: DescribePipelineExecution', {
      action: 'sagemaker:DescribePipelineExecution',
      resource: `${pipeline}/execution/abc123`,
    });
  }
  if (retrain.MODEL_PACKAGE_GROUP_NAME) {
    // ListModelPackages is authorised on "*" (IAM Service Authorization Reference: Amazon SageMaker AI,
    // ListModelPackages has no required resource type, and SageMaker evaluates it without a resource).
    allow('RetrainHandlerRole', 'retrain: ListModelPackages (attempts since the newest package)', {
      action: 'sagemaker:ListModelPackages',
      resource: '*',
    });
  }
  if (retrain.ALARM_NAME_PREFIX) {
    // DescribeAlarms with AlarmNamePrefix: authorised on the alarm ARNs it returns; with a prefix,
    // CloudWatch checks the pattern arn:...:alarm:<prefix>* (CloudWatch user guide, "CloudWatch
    // permissions reference"): grant on the prefix.
    allow('RetrainHandlerRole', 'retrain: DescribeAlarms on the accuracy alarms', {
      action: 'cloudwatch:DescribeAlarms',
      resource: arn('cloudwatch', `alarm:${retrain.ALARM_NAME_PREFIX}staging`),
    });
  }
  // No PutMetricData: the Lambda publishes retrain_triggered / retrain_skipped as CloudWatch embedded
  // metric format through its log stream (Powertools Metrics; CloudWatch user guide, "Embedding metrics
  // within logs"), which needs no cloudwatch permission. Only the mlops-retrain CLI calls PutMetricData,
  // with the operator's credentials.
  if (retrain.NOTIFICATION_TOPIC_ARN) {
    allow('RetrainHandlerRole', 'retrain: Publish to the project topic', {
      action: 'sns:Publish',
      resource: retrain.NOTIFICATION_TOPIC_ARN,
    });
    if (key?.arn) {
      allow('RetrainHandlerRole', 'retrain: GenerateDataKey for the encrypted topic', {
        action: 'kms:GenerateDataKey',
        resource: key.arn,
      });
    }
  }
  if (retrain.GATE_THRESHOLD_PARAMETER_NAME) {
    allow('RetrainHandlerRole', 'retrain: GetParameter gate threshold', {
      action: 'ssm:GetParameter',
      resource: arn('ssm', `parameter/${retrain.GATE_THRESHOLD_PARAMETER_NAME.replace(/^\//, '')}`),
    });
  }

  // ---------------------------------------------------------------- teardown (packages/project-handlers/src/teardown/run.ts)
  // These list APIs accept only "*" (IAM Service Authorization Reference: AWS CloudFormation ListStacks,
  // Amazon EventBridge Scheduler ListSchedules, Amazon SageMaker AI ListModels / ListEndpointConfigs).
  for (const action of [
    'cloudformation:ListStacks',
    'scheduler:ListSchedules',
    'sagemaker:ListModels',
    'sagemaker:ListEndpointConfigs',
    'sagemaker:ListModelPackages',
  ]) {
    allow('TeardownHandlerRole', `teardown: ${action} (accepts only "*")`, { action, resource: '*' });
  }
  const bucket = byPrefix(product, 'ProjectBucket', 'AWS::S3::Bucket');
  if (bucket?.arn && set.parameters.DataRetention === 'Delete') {
    allow('TeardownHandlerRole', 'teardown: DeleteBucket with DataRetention=Delete', {
      action: 's3:DeleteBucket',
      resource: bucket.arn,
    });
  }

  // ---------------------------------------------------------------- service-side requirements
  // EventBridge Scheduler user guide, "Encryption at rest": with a customer managed key, the schedule's
  // execution role needs kms:Decrypt on that key.
  for (const [schedulePrefix, rolePrefix] of [
    ['RetrainRecheck', 'RetrainSchedulerRole'],
    ['SyntheticDataSchedule', 'SyntheticDataSchedulerRole'],
  ]) {
    const schedule = byPrefix(product, schedulePrefix, 'AWS::Scheduler::Schedule');
    const keyArn = schedule?.properties.KmsKeyArn;
    if (typeof keyArn === 'string') {
      allow(
        rolePrefix,
        `scheduler: ${schedulePrefix} execution role kms:Decrypt on the schedule's key (Scheduler "Encryption at rest")`,
        { action: 'kms:Decrypt', resource: keyArn },
        keyArn,
      );
    }
  }
  // SageMaker developer guide, "Auto-Rollback Configuration and Monitoring": the execution role needs
  // cloudwatch:DescribeAlarms on the rollback alarms of a blue/green update.
  allow('SageMakerExecutionRole', 'sagemaker: execution role DescribeAlarms on the auto-rollback alarms', {
    action: 'cloudwatch:DescribeAlarms',
    // The names model-deploy gives them (packages/model-deploy/src/deploy-stack.ts).
    resource: arn('cloudwatch', `alarm:sagemaker-${set.parameters.SageMakerProjectId}-staging-5xx`),
  });

  // ---------------------------------------------------------------- stack recovery (StackRecoveryProject)
  // The recovery build describes the pipeline's stage stacks and deletes one in ROLLBACK_COMPLETE;
  // CloudFormation then deletes it with the stack's own service role (CloudFormation User Guide,
  // "CloudFormation service role"), so no PassRole. It may touch no other stack.
  const recoveryStacks = Object.values(product.resources)
    .filter(
      (r) => r.type === 'AWS::CodeBuild::Project' && /StackRecoveryProject[0-9A-F]{8}$/.test(r.logicalId),
    )
    .flatMap((r) =>
      (
        (r.properties.Environment as { EnvironmentVariables?: Array<{ Name: string; Value: string }> })
          ?.EnvironmentVariables ?? []
      )
        .filter((v) => v.Name === 'STACK_NAMES')
        .flatMap((v) => v.Value.split(' ')),
    );
  for (const name of recoveryStacks) {
    for (const action of ['cloudformation:DescribeStacks', 'cloudformation:DeleteStack']) {
      allow('StackRecoveryRole', `stack recovery: ${action} on ${name}`, {
        action,
        resource: arn('cloudformation', `stack/${name}/0a1b2c3d-0000-4000-8000-000000000000`),
      });
    }
  }
  if (recoveryStacks.length > 0) {
    deny(
      'StackRecoveryRole',
      'stack recovery: delete a stack that is not a stage stack (the product stack)',
      {
        action: 'cloudformation:DeleteStack',
        resource: arn(
          'cloudformation',
          'stack/SC-123456789012-pp-abcdefghijklm/0a1b2c3d-0000-4000-8000-000000000000',
        ),
      },
    );
  }

  // ---------------------------------------------------------------- connections (CodeConnection provider)
  // CodePipeline (source action), CodeBuild (CODEBUILD_CLONE_REF clone) and the seeding build (push)
  // use the connection with their own role (CodePipeline User Guide, "CodeStarSourceConnection";
  // CodeBuild User Guide, "Connection permissions"). The owner tags it sagemaker=true (SageMaker
  // Developer Guide, "Use third-party Git repositories"); an untagged connection stays out of reach.
  const connection = set.parameters.CodeConnectionArn;
  if (connection) {
    for (const role of ['CodePipelineRole', 'CodeBuildRole', 'RepositorySeedingRole']) {
      allow(role, `${role}: UseConnection on the project's connection (tagged sagemaker=true)`, {
        action: 'codeconnections:UseConnection',
        resource: connection,
        context: { 'aws:ResourceTag/sagemaker': 'true' },
      });
      deny(role, `${role}: UseConnection on a connection not tagged for SageMaker`, {
        action: 'codeconnections:UseConnection',
        resource: connection,
        context: {},
      });
    }
    deny('launch', 'launch: pass a connection not tagged for SageMaker', {
      action: 'codeconnections:PassConnection',
      resource: connection,
      context: { 'codeconnections:PassedToService': 'codepipeline.amazonaws.com' },
    });
    deny('launch', 'launch: pass a connection to CodeBuild', {
      action: 'codeconnections:PassConnection',
      resource: connection,
      context: {
        'codeconnections:PassedToService': 'codebuild.amazonaws.com',
        'aws:ResourceTag/sagemaker': 'true',
      },
    });
    // The legacy prefix (#19 finding 5): its request carries codestar-connections:PassedToService
    // only, so a condition on the codeconnections key alone (or ForAllValues over an absent key)
    // would always hold; the launch role's legacy statement tests the legacy key.
    const legacy = connection.replace(':codeconnections:', ':codestar-connections:');
    allow('launch', 'launch: pass a tagged connection to CodePipeline (legacy action)', {
      action: 'codestar-connections:PassConnection',
      resource: legacy,
      context: {
        'codestar-connections:PassedToService': 'codepipeline.amazonaws.com',
        'aws:ResourceTag/sagemaker': 'true',
      },
    });
    deny('launch', 'launch: pass a connection to CodeBuild (legacy action)', {
      action: 'codestar-connections:PassConnection',
      resource: legacy,
      context: {
        'codestar-connections:PassedToService': 'codebuild.amazonaws.com',
        'aws:ResourceTag/sagemaker': 'true',
      },
    });
    for (const role of ['CodePipelineRole', 'CodeBuildRole', 'RepositorySeedingRole']) {
      deny(role, `${role}: no project role passes a connection (the boundary admits none)`, {
        action: 'codeconnections:PassConnection',
        resource: connection,
        context: {
          'codeconnections:PassedToService': 'codepipeline.amazonaws.com',
          'aws:ResourceTag/sagemaker': 'true',
        },
      });
    }
  }

  // ---------------------------------------------------------------- prod endpoint autoscaling (seeded deploy stack)
  // Application Auto Scaling checks at RegisterScalableTarget that the caller may describe and scale
  // the endpoint (Application Auto Scaling User Guide, "Identity and Access Management": permissions
  // for SageMaker AI targets), and the target-tracking policy's alarms are written with the caller's
  // permissions, named TargetTracking-<resource id>-… (User Guide, "Target tracking scaling policies").
  const prodEndpoint = `sagemaker-${set.parameters.SageMakerProjectId}-prod`;
  for (const action of ['sagemaker:DescribeEndpoint', 'sagemaker:UpdateEndpointWeightsAndCapacities']) {
    allow('CloudFormationDeployRole', `autoscaling: ${action} on the prod endpoint (permission validation)`, {
      action,
      resource: sm(`endpoint/${prodEndpoint}`),
    });
  }
  allow('CloudFormationDeployRole', "autoscaling: the target-tracking policy's alarm", {
    action: 'cloudwatch:PutMetricAlarm',
    resource: arn(
      'cloudwatch',
      `alarm:TargetTracking-endpoint/${prodEndpoint}/variant/AllTraffic-AlarmHigh-0a1b2c3d-0000-4000-8000-000000000000`,
    ),
  });

  // ---------------------------------------------------------------- external data (DataSourceType s3 / feature-group)
  // The role the product gives the data reads (JobRoles `externalDataReader`): DeepAR's prepare-data
  // step and collector read as the steps role, and Athena reads a Feature Group's offline store with the
  // caller's credentials (Athena User Guide, "Access to Amazon S3"); the tabular Processing jobs read as
  // the SageMaker execution role.
  const reader = dataReaderOf(product);
  const inAccount = { 'aws:ResourceAccount': account };
  const source = /^s3:\/\/([^/]+)\/?(.*)$/.exec(set.parameters.DataSourceLocation ?? '');
  if (set.parameters.DataSourceType === 's3' && source) {
    const [, bucketName, prefix] = source;
    allow(reader, 'data: list the DataSourceLocation bucket', {
      action: 's3:ListBucket',
      resource: `arn:${partition}:s3:::${bucketName}`,
      context: inAccount,
    });
    allow(reader, 'data: read an object under DataSourceLocation', {
      action: 's3:GetObject',
      resource: `arn:${partition}:s3:::${bucketName}/${prefix}2026/11/sales.csv`,
      context: inAccount,
    });
    deny(reader, 'data: read an object outside DataSourceLocation', {
      action: 's3:GetObject',
      resource: `arn:${partition}:s3:::unrelated-bucket/secret.csv`,
      context: inAccount,
    });
  }
  if (set.parameters.DataSourceType === 'feature-group') {
    const offline = `arn:${partition}:s3:::sagemaker-${region}-${account}/offline-store/sales-daily/data/part.parquet`;
    allow(reader, "data: the reader reads the feature group's offline store", {
      action: 's3:GetObject',
      resource: offline,
      context: inAccount,
    });
    deny(reader, "data: no read of another account's bucket", {
      action: 's3:GetObject',
      resource: offline,
      context: { 'aws:ResourceAccount': '999999999999' },
    });
  }

  // ---------------------------------------------------------------- services publishing to the encrypted topic
  // CloudWatch alarm actions and EventBridge rules publish as their service principal: the topic policy
  // must allow it (CloudWatch User Guide, "Using Amazon CloudWatch alarms"; EventBridge User Guide,
  // "Permissions for Amazon SNS"), and the key policy must let it use the topic's key (SNS Developer
  // Guide, "Configure AWS KMS permissions for AWS services": kms:GenerateDataKey*, kms:Decrypt).
  const topic = byPrefix(product, 'NotificationsTopic', 'AWS::SNS::Topic');
  // The monitoring stack's freshness alarm (seed monitoring src/infra/deployment-environment.ts).
  const freshnessAlarm = arn(
    'cloudwatch',
    `alarm:sagemaker-${set.parameters.SageMakerProjectName}-${set.parameters.SageMakerProjectId}-freshness-staging`,
  );
  if (topic?.arn) {
    allow('service:cloudwatch.amazonaws.com', "cloudwatch: a project alarm's action publishes to the topic", {
      action: 'sns:Publish',
      resource: topic.arn,
      context: {
        'aws:SourceArn': freshnessAlarm,
        'aws:SourceAccount': account,
        'aws:SecureTransport': 'true',
      },
    });
    deny('service:cloudwatch.amazonaws.com', "cloudwatch: another project's alarm may not publish", {
      action: 'sns:Publish',
      resource: topic.arn,
      context: {
        'aws:SourceArn': arn('cloudwatch', 'alarm:sagemaker-other-p-000000000000-freshness-staging'),
        'aws:SourceAccount': account,
        'aws:SecureTransport': 'true',
      },
    });
    allow('service:events.amazonaws.com', 'events: a project rule publishes to the topic', {
      action: 'sns:Publish',
      resource: topic.arn,
      context: { 'aws:SecureTransport': 'true' },
    });
    if (key?.arn) {
      for (const svc of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          allow(`service:${svc}`, `${svc}: ${action} on the topic's key`, { action, resource: key.arn });
        }
      }
    }
  }

  // ---------------------------------------------------------------- launch: the product template itself
  // Service Catalog Administrator Guide, "Launch constraints": the launch role reads the template
  // Service Catalog stores, tagged servicecatalog:provisioning=true, in a service-owned bucket.
  const stored = `arn:${partition}:s3:::cf-templates-servicecatalog-${region}/${account}/product.template.json`;
  allow('launch', 'launch: read the product template Service Catalog stores', {
    action: 's3:GetObject',
    resource: stored,
    context: { 's3:ExistingObjectTag/servicecatalog:provisioning': 'true' },
  });
  deny('launch', 'launch: read an object Service Catalog did not tag for provisioning', {
    action: 's3:GetObject',
    resource: `arn:${partition}:s3:::some-other-bucket/secret.json`,
    context: {},
  });

  // ---------------------------------------------------------------- escalations (must be denied)
  const p = `arn:${partition}:iam::${account}`;
  const boundaryArn = `${p}:policy/sagemaker-projects-role-boundary`;
  deny('launch', 'launch: attach AdministratorAccess to a project role', {
    action: 'iam:AttachRolePolicy',
    resource: `${p}:role/sagemaker-x-escalate`,
    context: {
      'iam:PolicyARN': `arn:${partition}:iam::aws:policy/AdministratorAccess`,
      'iam:PermissionsBoundary': boundaryArn,
    },
  });
  deny('launch', 'launch: create a role without the boundary', {
    action: 'iam:CreateRole',
    resource: `${p}:role/sagemaker-x-free`,
    context: {},
  });
  deny('launch', "launch: remove a role's boundary", {
    action: 'iam:DeleteRolePermissionsBoundary',
    resource: `${p}:role/sagemaker-x-free`,
  });
  deny('launch', 'launch: replace the boundary policy', {
    action: 'iam:CreatePolicyVersion',
    resource: boundaryArn,
  });
  deny('launch', 'launch: delete the boundary policy', { action: 'iam:DeletePolicy', resource: boundaryArn });
  deny('launch', 'launch: change its own trust policy', {
    action: 'iam:UpdateAssumeRolePolicy',
    resource: launch.arn,
  });
  deny('launch', 'launch: delete itself', {
    action: 'iam:DeleteRole',
    resource: launch.arn,
    context: { 'iam:PermissionsBoundary': boundaryArn },
  });
  deny('launch', 'launch: add a policy to itself', {
    action: 'iam:PutRolePolicy',
    resource: launch.arn,
    context: { 'iam:PermissionsBoundary': boundaryArn },
  });
  deny('launch', 'launch: pass a role that lacks the boundary', {
    action: 'iam:PassRole',
    resource: `${p}:role/Admin`,
    context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
  });
  for (const role of ['RetrainHandlerRole', 'CodeBuildRole', 'CloudFormationDeployRole']) {
    deny(role, `${role}: create a role without the boundary`, {
      action: 'iam:CreateRole',
      resource: `${p}:role/sagemaker-x-free`,
      context: {},
    });
    deny(role, `${role}: remove a boundary`, {
      action: 'iam:DeleteRolePermissionsBoundary',
      resource: `${p}:role/sagemaker-${set.parameters.SageMakerProjectId}-codebuild`,
    });
    deny(role, `${role}: attach AdministratorAccess`, {
      action: 'iam:AttachRolePolicy',
      resource: `${p}:role/sagemaker-${set.parameters.SageMakerProjectId}-codebuild`,
      context: {
        'iam:PolicyARN': `arn:${partition}:iam::aws:policy/AdministratorAccess`,
        'iam:PermissionsBoundary': boundaryArn,
      },
    });
  }
  return checks;
}
