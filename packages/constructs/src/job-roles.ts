// The roles the seeded code passes (stacks created by the pipelines cannot create roles): the SageMaker
// execution role (pipelines, training, transform, endpoints), the role of the model-build pipeline's
// Lambda steps, and the role EventBridge Scheduler runs the monitoring collectors as. `grant…` methods
// give other roles the right to pass them, each only to the service that uses it.
import { ArnFormat, Aws, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { applyCondition } from './conditions';
import { LoopLayer } from './loop-layer';
import { ProjectNames } from './project-names';
import {
  dataKeyDecryptStatement,
  invokeOwnEndpointsStatement,
  projectParametersArn,
  servingModelLookupStatement,
} from './project-statements';
import { ProjectStorage } from './project-storage';
import {
  SAGEMAKER_JOB_KINDS,
  SageMakerJobKind,
  sageMakerExecutionStatements,
} from './sagemaker-execution-statements';

/** Properties of {@link JobRoles}. */
export interface JobRolesProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The project's key, bucket and model package group. */
  readonly storage: ProjectStorage;
  /** The external data source the pipeline steps read (the template's data source parameters). */
  readonly dataSource: ExternalDataSource;
  /**
   * The SageMaker job kinds the execution role may create, describe and stop (in policy order).
   * @default SAGEMAKER_JOB_KINDS (training, transform and processing jobs)
   */
  readonly sageMakerJobKinds?: readonly SageMakerJobKind[];
  /**
   * Athena workgroup the prepare-data step queries the Feature Store offline store in.
   * @default 'primary'
   */
  readonly athenaWorkGroup?: string;
  /**
   * Which role reads the external data source: the pipeline steps role (Lambda steps; a Feature Group
   * through Athena) or the SageMaker execution role (Processing jobs; a Feature Group's offline store
   * files directly, and no Athena grant).
   * @default 'pipeline-steps'
   */
  readonly externalDataReader?: 'pipeline-steps' | 'sagemaker-execution';
  /**
   * What the pipeline steps role's code calls besides the project bucket and its logs: the serving
   * model lookup (DescribeEndpoint → DescribeEndpointConfig → DescribeModel), its endpoints'
   * InvokeEndpoint, PutMetricData in the project namespace and the project's SSM parameters. A
   * template whose steps role runs only code that reads and writes the bucket (the tabular monitoring
   * collector) lists none.
   * @default all of PIPELINE_STEPS_GRANTS
   */
  readonly pipelineStepsGrants?: readonly PipelineStepsGrant[];
}

/** The optional grants of the pipeline steps role (JobRolesProps `pipelineStepsGrants`). */
export const PIPELINE_STEPS_GRANTS = [
  'serving-model-lookup',
  'invoke-endpoints',
  'publish-metrics',
  'read-parameters',
] as const;
export type PipelineStepsGrant = (typeof PIPELINE_STEPS_GRANTS)[number];

/** Where a project's data comes from when it is not synthetic: what the roles may read. */
export interface ExternalDataSource {
  /** `s3://bucket/prefix/` of the data (DataSourceType=s3), a template parameter's value. */
  readonly location: string;
  /** True when the data source is an S3 prefix. */
  readonly isS3Source: CfnCondition;
  /** True when the data source is a Feature Group (read through Athena from its offline store). */
  readonly isFeatureGroupSource: CfnCondition;
}

/** The SageMaker execution, pipeline steps and monitoring scheduler roles. */
export class JobRoles extends LoopLayer {
  /** SageMaker pipelines, training, transform and endpoints. */
  public readonly sageMakerRole: iam.Role;
  /** Lambda steps of the SageMaker pipelines (data preparation, evaluation, collection). */
  public readonly pipelineStepsRole: iam.Role;
  /** EventBridge Scheduler running the monitoring collectors. */
  public readonly monitoringSchedulerRole: iam.Role;

  constructor(scope: Construct, id: string, props: JobRolesProps) {
    super(scope, id);
    const athenaWorkGroup = props.athenaWorkGroup ?? 'primary';
    if (!/^[a-zA-Z0-9._-]{1,128}$/.test(athenaWorkGroup)) {
      throw new Error(`athenaWorkGroup: not an Athena workgroup name: '${athenaWorkGroup}'`);
    }
    const jobKinds = props.sageMakerJobKinds ?? SAGEMAKER_JOB_KINDS;
    if (jobKinds.length === 0 || new Set(jobKinds).size !== jobKinds.length) {
      throw new Error(
        `sageMakerJobKinds: must list each job kind once, at least one, got [${jobKinds.join(', ')}]`,
      );
    }
    const { names, storage } = props;
    const stack = Stack.of(this);

    this.sageMakerRole = new iam.Role(this.resourceScope, 'SageMakerExecutionRole', {
      roleName: names.short('sagemaker-execution'),
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'SageMaker pipelines, training, transform and endpoints of this project',
    });
    storage.grantReadWriteData(this.sageMakerRole);
    for (const st of sageMakerExecutionStatements(stack, names, storage.modelPackageGroup, jobKinds)) {
      this.sageMakerRole.addToPolicy(st);
    }

    this.pipelineStepsRole = new iam.Role(this.resourceScope, 'PipelineStepsRole', {
      roleName: names.short('pipeline-steps'),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        'Lambda steps of the project SageMaker pipelines (data preparation, evaluation, collection)',
    });
    this.grantStepsRole(props, athenaWorkGroup);
    this.grantExternalDataReads(
      props.dataSource,
      (props.externalDataReader ?? 'pipeline-steps') === 'pipeline-steps'
        ? this.pipelineStepsRole
        : this.sageMakerRole,
    );

    // EventBridge Scheduler runs the monitoring collectors the monitoring stacks deploy.
    this.monitoringSchedulerRole = new iam.Role(this.resourceScope, 'MonitoringSchedulerRole', {
      roleName: names.short('monitoring-scheduler'),
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Lets EventBridge Scheduler run the monitoring collectors of this project',
    });
    this.monitoringSchedulerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RunCollectors',
        actions: ['lambda:InvokeFunction'],
        resources: [
          stack.formatArn({
            service: 'lambda',
            resource: 'function',
            resourceName: `${names.collectorFunctionPrefix}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
  }

  /** Lets `grantee` pass the SageMaker execution role, to SageMaker only. */
  public grantPassToSageMaker(grantee: iam.IGrantable): iam.AddToPrincipalPolicyResult {
    return this.grantPass(grantee, 'PassProjectRoles', [this.sageMakerRole], ['sagemaker.amazonaws.com']);
  }

  /** Lets `grantee` pass the pipeline steps role, to Lambda only (it creates the step functions). */
  public grantPassToLambdaSteps(grantee: iam.IGrantable): iam.AddToPrincipalPolicyResult {
    return this.grantPass(grantee, 'PassStepRole', [this.pipelineStepsRole], ['lambda.amazonaws.com']);
  }

  /**
   * Lets `grantee` (the stage stacks' deploy role) pass all three roles, each service only its own:
   * endpoints (SageMaker), collector functions (Lambda) and their schedules (EventBridge Scheduler).
   */
  public grantPassToStageStacks(grantee: iam.IGrantable): iam.AddToPrincipalPolicyResult {
    return this.grantPass(
      grantee,
      'PassProjectRoles',
      [this.sageMakerRole, this.pipelineStepsRole, this.monitoringSchedulerRole],
      ['sagemaker.amazonaws.com', 'lambda.amazonaws.com', 'scheduler.amazonaws.com'],
    );
  }

  private grantPass(
    grantee: iam.IGrantable,
    sid: string,
    roles: iam.IRole[],
    services: string[],
  ): iam.AddToPrincipalPolicyResult {
    return grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid,
        actions: ['iam:PassRole'],
        resources: roles.map((r) => r.roleArn),
        conditions: {
          StringEquals: { 'iam:PassedToService': services.length === 1 ? services[0] : services },
        },
      }),
    );
  }

  private grantStepsRole(props: JobRolesProps, athenaWorkGroup: string): void {
    const { names, storage } = props;
    const stack = Stack.of(this);
    const role = this.pipelineStepsRole;
    storage.grantReadWriteData(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StepLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `/aws/lambda/${names.shortNameWildcard}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    if ((props.externalDataReader ?? 'pipeline-steps') === 'pipeline-steps') {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'FeatureStoreOfflineQueries',
          actions: [
            'athena:StartQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:StopQueryExecution',
            'glue:GetTable',
            'glue:GetDatabase',
            'glue:GetPartitions',
            'sagemaker:DescribeFeatureGroup',
          ],
          resources: [
            stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: athenaWorkGroup }),
            stack.formatArn({ service: 'glue', resource: 'catalog' }),
            stack.formatArn({
              service: 'glue',
              resource: 'database',
              resourceName: 'sagemaker_featurestore',
            }),
            stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'sagemaker_featurestore/*' }),
            stack.formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: '*' }),
          ],
        }),
      );
    }
    const grants = new Set<PipelineStepsGrant>(props.pipelineStepsGrants ?? PIPELINE_STEPS_GRANTS);
    if (grants.has('serving-model-lookup')) role.addToPolicy(servingModelLookupStatement(stack, names));
    if (grants.has('invoke-endpoints')) {
      role.addToPolicy(invokeOwnEndpointsStatement(stack, names, 'InvokeOwnEndpoints'));
    }
    if (grants.has('publish-metrics')) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'PublishProjectMetrics',
          actions: ['cloudwatch:PutMetricData'],
          // PutMetricData accepts only "*" as resource; limited to the project namespace.
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': names.metricNamespace } },
        }),
      );
    }
    if (grants.has('read-parameters')) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadProjectParameters',
          actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
          resources: [projectParametersArn(stack, names)],
        }),
      );
    }
  }

  /** External data (#13 finding 15): reads of the data source, each only under its DataSourceType. */
  private grantExternalDataReads(source: ExternalDataSource, reader: iam.Role): void {
    // DataSourceType=s3: the prepare-data step and the collector read the CSV/Parquet files under
    // DataSourceLocation (s3://bucket/prefix/) as the steps role.
    const location = source.location;
    const s3SourceRead = new iam.Policy(this.resourceScope, 'S3DataSourceRead', {
      roles: [reader],
      statements: [
        new iam.PolicyStatement({
          sid: 'ListDataSourceBucket',
          actions: ['s3:ListBucket'],
          resources: [Fn.join('', [`arn:${Aws.PARTITION}:s3:::`, Fn.select(2, Fn.split('/', location))])],
        }),
        new iam.PolicyStatement({
          sid: 'ReadDataSourceObjects',
          actions: ['s3:GetObject'],
          resources: [
            Fn.join('', [`arn:${Aws.PARTITION}:s3:::`, Fn.select(1, Fn.split('s3://', location)), '*']),
          ],
        }),
        dataKeyDecryptStatement('DecryptDataSourceObjects'),
      ],
    });
    applyCondition(s3SourceRead, source.isS3Source);
    // DataSourceType=feature-group: Athena reads the offline store with the caller's credentials
    // (Athena User Guide, "Access to Amazon S3"). Its bucket is the one the feature group was created
    // with (DescribeFeatureGroup OfflineStoreConfig.S3StorageConfig.S3Uri), unknown here: read-only,
    // buckets of this account only.
    const offlineStoreRead = new iam.Policy(this.resourceScope, 'FeatureGroupOfflineStoreRead', {
      roles: [reader],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadOfflineStore',
          actions: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
          resources: [`arn:${Aws.PARTITION}:s3:::*`],
          conditions: { StringEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID } },
        }),
        dataKeyDecryptStatement('DecryptOfflineStore'),
      ],
    });
    applyCondition(offlineStoreRead, source.isFeatureGroupSource);
  }
}
