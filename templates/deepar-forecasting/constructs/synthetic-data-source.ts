// The synthetic data source of a DeepAR project (DataSourceType=synthetic, README "Synthetic data"): a
// generator Lambda that appends the observations that are due to `s3://<project bucket>/data/synthetic/`
// on a schedule, and runs once at creation as a custom resource so the first build finds data.
import {
  applyCondition,
  BUCKET_PREFIXES,
  functionVersionsWildcardRule,
  ProjectFunction,
  ProjectNames,
  WildcardRule,
} from '@mlops-templates/constructs';
import { FIRST_DATA_RESOURCE_TYPE, PROJECT_HANDLER_ENTRIES } from '@mlops-templates/project-handlers';
import { Aws, CustomResource, Duration, Fn, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct, IConstruct } from 'constructs';
import { DeepArParameters } from '../parameters';

/** Properties of {@link SyntheticDataSource}. */
export interface SyntheticDataSourceProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The project's key. */
  readonly key: kms.IKey;
  /** The project bucket the series is written to. */
  readonly bucket: s3.IBucket;
  /** The template parameters (frequency, horizon, columns, level shift, and the isSynthetic condition). */
  readonly parameters: DeepArParameters;
  /**
   * How often the generator runs (it catches up by itself): `rate(<n> minute[s]|hour[s])`.
   * @default 'rate(15 minutes)'
   */
  readonly schedule?: string;
}

/** Generator, its schedule and the first-data custom resource; all only with DataSourceType=synthetic. */
export class SyntheticDataSource extends Construct {
  /** The generator function. */
  public readonly generator: ProjectFunction;
  /** The generator's first run at creation. */
  public readonly firstData: CustomResource;
  private readonly isSyntheticLogicalId: string;

  constructor(scope: Construct, id: string, props: SyntheticDataSourceProps) {
    super(scope, id);
    const schedule = props.schedule ?? 'rate(15 minutes)';
    if (!/^rate\([1-9][0-9]* (minute|minutes|hour|hours)\)$/.test(schedule)) {
      throw new Error(`schedule: must be rate(<n> minute[s]|hour[s]), got '${schedule}'`);
    }
    const { names, key, parameters: params } = props;
    this.isSyntheticLogicalId = params.isSynthetic.logicalId;
    const prefix = `${BUCKET_PREFIXES.data}synthetic/`;
    this.generator = new ProjectFunction(this, 'Generator', {
      functionName: names.short('synthetic-data'),
      entry: PROJECT_HANDLER_ENTRIES['synthetic-data'],
      description:
        'Writes a synthetic series (trend, seasonality, noise, optional level shift) into the project bucket',
      encryptionKey: key,
      timeout: Duration.minutes(2),
      environment: {
        DATA_BUCKET: names.projectBucket,
        DATA_PREFIX: prefix,
        FREQUENCY: params.frequency.valueAsString,
        // The first run's backfill covers a build's data window for this horizon (issue #14).
        PREDICTION_LENGTH: params.predictionLength.valueAsString,
        TIMESTAMP_COLUMN: params.timestampColumn.valueAsString,
        TARGET_COLUMN: params.targetColumn.valueAsString,
        ITEM_ID_COLUMN: params.itemIdColumn.valueAsString,
        LEVEL_SHIFT_AT: params.syntheticLevelShiftAt.valueAsString,
      },
    });
    const fn = this.generator.function;
    props.bucket.grantReadWrite(this.generator.role, `${prefix}*`);
    key.grantEncryptDecrypt(this.generator.role);
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      roleName: names.short('synthetic-data-schedule'),
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Lets EventBridge Scheduler run the synthetic data generator',
    });
    fn.grantInvoke(schedulerRole);
    // EventBridge Scheduler User Guide, "Encryption at rest": with a customer managed key the
    // schedule's execution role needs kms:Decrypt on it.
    key.grantDecrypt(schedulerRole);
    new scheduler.CfnSchedule(this, 'Schedule', {
      name: names.short('synthetic-data'),
      description: 'Appends the synthetic observations that are due (the generator catches up by itself)',
      scheduleExpression: schedule,
      flexibleTimeWindow: { mode: 'OFF' },
      kmsKeyArn: key.keyArn,
      target: {
        arn: fn.functionArn,
        roleArn: schedulerRole.roleArn,
        retryPolicy: { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 900 },
      },
    });
    // The first data at creation (issue #14 finding 4): the generator runs once as a custom resource and
    // the model-build pipeline — whose first execution CodePipeline starts on creation — is created
    // after it (`runsBefore`), so the first build never races the schedule and finds empty data.
    this.firstData = new CustomResource(this, 'FirstData', {
      serviceToken: fn.functionArn,
      resourceType: FIRST_DATA_RESOURCE_TYPE,
      // The generator's timeout is 2 minutes; a function that never answers fails the creation soon.
      serviceTimeout: Duration.minutes(5),
    });
    applyCondition(this, params.isSynthetic);
  }

  /**
   * Creates `construct` after the first data was written, when there is synthetic data. A conditional
   * dependency (the resource exists only for synthetic data): a tag referencing it — a DependsOn on a
   * resource whose condition is false would keep `construct` from being created (CloudFormation
   * Template Reference, "Condition attribute").
   */
  public runsBefore(construct: IConstruct): void {
    Tags.of(construct).add(
      'sagemaker:first-data',
      Fn.conditionIf(this.isSyntheticLogicalId, this.firstData.ref, 'none').toString(),
    );
  }

  /**
   * Why the scheduler role's invoke grant has a wildcard (cdk-nag AwsSolutions-IAM5), bound to this
   * generator's ARN: `Resource::<GeneratorFunction….Arn>:*` (its versions and aliases).
   */
  public get wildcardRules(): WildcardRule[] {
    return [functionVersionsWildcardRule(this, this.generator.function)];
  }
}
