// The synthetic traffic of a tabular project (DataSourceType=synthetic; project-handlers README
// "Tabular synthetic traffic"): a Lambda that sends the synthetic records to the staging and prod
// endpoints once they are InService (data capture then records them, so the data-quality and
// model-quality schedules have something to analyse) and writes their labels for the ground-truth
// collector, on an EventBridge Scheduler schedule. Every resource carries the synthetic condition.
import {
  applyCondition,
  BUCKET_PREFIXES,
  DEPLOYMENT_STAGES,
  functionVersionsWildcardRule,
  ownResourceWildcardRule,
  scheduleFunction,
  validateFunctionSchedule,
  ProjectFunction,
  ProjectNames,
  validateIntegerRange,
  WildcardRule,
} from '@mlops-templates/constructs';
import { stageResourcePrefix } from '@mlops-templates/project-contract';
import {
  PROJECT_HANDLER_ENTRIES,
  TABULAR_TRAFFIC_VARIABLES,
  trafficStateKey,
} from '@mlops-templates/project-handlers';
import { ArnFormat, Aws, CfnCondition, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

/** Properties of {@link SyntheticTraffic}. */
export interface SyntheticTrafficProps {
  /** Names of the project: function, roles, schedule, bucket, endpoints, model package group. */
  readonly names: ProjectNames;
  /** The project's key (bucket objects, function environment and logs, schedule). */
  readonly key: kms.IKey;
  /** The project bucket (`names.projectBucket`). */
  readonly bucket: s3.IBucket;
  /** DataSourceType=synthetic: every resource of this construct is created only under it. */
  readonly isSynthetic: CfnCondition;
  /** Target column of the data (template parameter TargetColumn): the labels sent, not a feature. */
  readonly targetColumn: string;
  /**
   * Key prefix of the tabular generator's data objects (its `DATA_PREFIX`), ending with `/`.
   * @default 'data/synthetic/'
   */
  readonly dataPrefix?: string;
  /**
   * Key prefix of the application labels the monitoring seed's ground-truth collector converts
   * (`LABELS_PREFIX`), ending with `/`; the sender writes `<labelsPrefix><stage>/yyyy/mm/dd/hh/*.jsonl`.
   * @default BUCKET_PREFIXES.labels ('labels/')
   */
  readonly labelsPrefix?: string;
  /**
   * Key prefix of model-build's run outputs (`TRAINING_PREFIX`), under which the prepare reports
   * (`<prefix><execution>/report/prepare.json`) the sender reads the model's feature columns from are.
   * @default BUCKET_PREFIXES.training ('training/')
   */
  readonly trainingPrefix?: string;
  /**
   * How often the sender runs (it catches up by itself): `rate(<n> minute[s]|hour[s])`.
   * @default 'rate(1 hour)'
   */
  readonly schedule?: string;
  /**
   * Most records one run sends to each endpoint (`SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN`), 1 to 20000.
   * @default 2000
   */
  readonly maxRowsPerRun?: number;
}

/** The contract's key prefix: segments ending with `/` (not checked for tokens). */
const KEY_PREFIX = /^([A-Za-z0-9!_.*'()-]+\/)+$/;

function validatePrefix(property: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!KEY_PREFIX.test(value)) {
    throw new Error(
      `${property}: must be an S3 key prefix ending with "/" such as "labels/", got '${value}'`,
    );
  }
}

/** The traffic sender, its role and schedule; all only with DataSourceType=synthetic. */
export class SyntheticTraffic extends Construct {
  private readonly trainingPrefix: string;
  private readonly bucket: s3.IBucket;
  /** The sender function. */
  public readonly sender: ProjectFunction;
  /** The schedule that runs it. */
  public readonly schedule: scheduler.CfnSchedule;

  constructor(scope: Construct, id: string, props: SyntheticTrafficProps) {
    super(scope, id);
    const schedule = props.schedule ?? 'rate(1 hour)';
    validateFunctionSchedule('schedule', schedule);
    // The contract's range of SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN.
    validateIntegerRange('maxRowsPerRun', props.maxRowsPerRun, 1, 20_000);
    const dataPrefix = props.dataPrefix ?? `${BUCKET_PREFIXES.data}synthetic/`;
    const labelsPrefix = props.labelsPrefix ?? BUCKET_PREFIXES.labels;
    const trainingPrefix = props.trainingPrefix ?? BUCKET_PREFIXES.training;
    this.trainingPrefix = trainingPrefix;
    this.bucket = props.bucket;
    validatePrefix('dataPrefix', dataPrefix);
    validatePrefix('labelsPrefix', labelsPrefix);
    validatePrefix('trainingPrefix', trainingPrefix);
    if (!Token.isUnresolved(dataPrefix) && !Token.isUnresolved(labelsPrefix)) {
      if (labelsPrefix.startsWith(dataPrefix) || dataPrefix.startsWith(labelsPrefix)) {
        throw new Error(
          `labelsPrefix: must not contain or be inside dataPrefix ('${dataPrefix}'), got '${labelsPrefix}'`,
        );
      }
    }
    const { names, key } = props;

    // Every variable the handler reads (a missing one fails the type check here).
    const environment: Record<(typeof TABULAR_TRAFFIC_VARIABLES)[number], string> = {
      PROJECT_BUCKET: names.projectBucket,
      DATA_PREFIX: dataPrefix,
      LABELS_PREFIX: labelsPrefix,
      TARGET_COLUMN: props.targetColumn,
      STAGING_ENDPOINT_NAME: names.endpoint('staging'),
      PROD_ENDPOINT_NAME: names.endpoint('prod'),
      SYNTHETIC_TRAFFIC_MAX_ROWS_PER_RUN: String(props.maxRowsPerRun ?? 2_000),
    };
    this.sender = new ProjectFunction(this, 'Sender', {
      functionName: names.short('synthetic-traffic'),
      entry: PROJECT_HANDLER_ENTRIES['tabular-synthetic-traffic'],
      description:
        'Sends the synthetic tabular records to the InService stage endpoints and writes their labels',
      encryptionKey: key,
      // 2 stages x the bound, one record per request, 4 in flight: well within 5 minutes.
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment,
    });
    this.grant(props, { dataPrefix, labelsPrefix, trainingPrefix });

    const fn = this.sender.function;
    this.schedule = scheduleFunction(this, {
      names,
      fn,
      key,
      purpose: 'synthetic-traffic',
      schedule,
      roleDescription: 'Lets EventBridge Scheduler run the synthetic traffic sender',
      scheduleDescription: 'Sends the synthetic records not sent yet to the InService endpoints',
    }).schedule;
    applyCondition(this, props.isSynthetic);
  }

  /** The sender role's permissions: its two endpoints, their models' packages, its S3 keys, the key. */
  private grant(
    props: SyntheticTrafficProps,
    prefixes: { dataPrefix: string; labelsPrefix: string; trainingPrefix: string },
  ): void {
    const { names, key, bucket } = props;
    const role = this.sender.role;
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({
        service: 'sagemaker',
        resource,
        resourceName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const identity = { projectName: names.projectName, projectId: names.projectId };
    const endpoints = DEPLOYMENT_STAGES.map((stage) => arn('endpoint', names.endpoint(stage)));
    // The model-deploy stage stacks name their endpoint configs and models `<stage prefix>-<hash>`.
    const stageResources = (resource: string) =>
      DEPLOYMENT_STAGES.map((stage) => arn(resource, `${stageResourcePrefix(identity, stage)}-*`));
    const statements = [
      // SageMaker Service Authorization Reference: InvokeEndpoint and DescribeEndpoint take the
      // endpoint resource; only the project's two stage endpoints.
      new iam.PolicyStatement({
        sid: 'InvokeStageEndpoints',
        actions: ['sagemaker:DescribeEndpoint', 'sagemaker:InvokeEndpoint'],
        resources: endpoints,
      }),
      new iam.PolicyStatement({
        sid: 'DescribeServedModels',
        actions: ['sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel'],
        resources: [...stageResources('endpoint-config'), ...stageResources('model')],
      }),
      new iam.PolicyStatement({
        sid: 'DescribeModelPackages',
        actions: ['sagemaker:DescribeModelPackage'],
        resources: [arn('model-package', `${names.modelPackageGroup}/*`)],
      }),
      new iam.PolicyStatement({
        sid: 'ListSyntheticData',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefixes.dataPrefix}*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'ReadSyntheticDataAndPrepareReports',
        actions: ['s3:GetObject'],
        resources: [
          bucket.arnForObjects(`${prefixes.dataPrefix}*`),
          bucket.arnForObjects(`${prefixes.trainingPrefix}*/report/prepare.json`),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'WriteStateAndLabels',
        actions: ['s3:PutObject'],
        resources: [
          bucket.arnForObjects(trafficStateKey(prefixes.dataPrefix)),
          ...DEPLOYMENT_STAGES.map((stage) => bucket.arnForObjects(`${prefixes.labelsPrefix}${stage}/*`)),
        ],
      }),
    ];
    for (const statement of statements) role.addToPolicy(statement);
    // The bucket's objects are encrypted with the project key (reading and writing them).
    key.grantEncryptDecrypt(role);
  }

  /**
   * Why the scheduler role's invoke grant has a wildcard (cdk-nag AwsSolutions-IAM5), bound to this
   * sender's ARN: `Resource::<SenderFunction….Arn>:*` (its versions and aliases).
   */
  public get wildcardRules(): WildcardRule[] {
    return [
      functionVersionsWildcardRule(this, this.sender.function),
      // The execution id in the report's key is known only from the model package the endpoint serves.
      ownResourceWildcardRule(
        this,
        this.bucket.bucketArn,
        `/${this.trainingPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\*/report/prepare\\.json`,
        "The prepare report of any model-build execution of this project's bucket (the execution id is read from the served model package)",
      ),
    ];
  }
}
