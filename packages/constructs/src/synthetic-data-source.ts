// The synthetic data source of a project (DataSourceType=synthetic): a generator Lambda that appends the
// data that are due under the project bucket on an EventBridge Scheduler schedule, and runs once at
// creation as a custom resource so the first build finds data. Each template passes its generator entry
// (@mlops-templates/project-handlers) and the environment the generator reads.
import { CfnCondition, CustomResource, Duration, Fn, Tags } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { applyCondition } from './conditions';
import { scheduleFunction, validateFunctionSchedule } from './function-schedule';
import { ProjectFunction } from './project-function';
import { ProjectNames } from './project-names';
import { WildcardRule } from './nag-acknowledgements';
import { functionVersionsWildcardRule } from './wildcard-rules';

/** Properties of {@link SyntheticDataSource}. */
export interface SyntheticDataSourceProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The project's key. */
  readonly key: kms.IKey;
  /** The project bucket the data are written to. */
  readonly bucket: s3.IBucket;
  /** The condition every resource is created under (DataSourceType = synthetic). */
  readonly condition: CfnCondition;
  /** Absolute path of the generator's entry (`PROJECT_HANDLER_ENTRIES` of @mlops-templates/project-handlers). */
  readonly entry: string;
  /**
   * Resource type of the first-data custom resource the generator answers (`FIRST_DATA_RESOURCE_TYPE`
   * of @mlops-templates/project-handlers; this package does not depend on the handlers).
   */
  readonly firstDataResourceType: string;
  /** What the generator writes (the function's description). */
  readonly description: string;
  /** The generator's environment (the contract's variables it reads). */
  readonly environment: Readonly<Record<string, string>>;
  /** Key prefixes of the bucket the generator reads and writes (each ends with `/`). */
  readonly prefixes: readonly string[];
  /**
   * How often the generator runs (it catches up by itself): `rate(<n> minute[s]|hour[s])`.
   * @default 'rate(15 minutes)'
   */
  readonly schedule?: string;
  /**
   * Timeout of one run (the first run's backfill included).
   * @default Duration.minutes(2)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the generator.
   * @default 256 (ProjectFunction's default)
   */
  readonly memorySize?: number;
}

/** Generator, its schedule and the first-data custom resource; all only under `condition`. */
export class SyntheticDataSource extends Construct {
  /** The generator function. */
  public readonly generator: ProjectFunction;
  /** The generator's first run at creation. */
  public readonly firstData: CustomResource;
  private readonly conditionLogicalId: string;

  constructor(scope: Construct, id: string, props: SyntheticDataSourceProps) {
    super(scope, id);
    const schedule = props.schedule ?? 'rate(15 minutes)';
    validateFunctionSchedule('schedule', schedule);
    if (props.prefixes.length === 0) throw new Error('prefixes: must name at least one key prefix');
    const badPrefix = props.prefixes.find((p) => !/^[^*]+\/$/.test(p));
    if (badPrefix !== undefined) {
      throw new Error(`prefixes: each must end with '/' and hold no '*', got '${badPrefix}'`);
    }
    if (!/^Custom::[A-Za-z0-9_@-]{1,60}$/.test(props.firstDataResourceType)) {
      // CloudFormation User Guide, "Custom resources": Custom:: followed by up to 60 of [A-Za-z0-9_@-].
      throw new Error(
        `firstDataResourceType: must be Custom::<name> (up to 60 of A-Za-z0-9_@-), got '${props.firstDataResourceType}'`,
      );
    }
    const timeout = props.timeout ?? Duration.minutes(2);
    // Lambda CreateFunction: Timeout is at most 900 seconds.
    if (!timeout.isUnresolved() && (timeout.toSeconds() < 1 || timeout.toSeconds() > 900)) {
      throw new Error(`timeout: must be 1 to 900 seconds (Lambda), got ${timeout.toSeconds()}`);
    }
    const { names, key } = props;
    this.conditionLogicalId = props.condition.logicalId;
    this.generator = new ProjectFunction(this, 'Generator', {
      functionName: names.short('synthetic-data'),
      entry: props.entry,
      description: props.description,
      encryptionKey: key,
      timeout,
      ...(props.memorySize !== undefined ? { memorySize: props.memorySize } : {}),
      environment: { ...props.environment },
    });
    const fn = this.generator.function;
    for (const prefix of props.prefixes) props.bucket.grantReadWrite(this.generator.role, `${prefix}*`);
    key.grantEncryptDecrypt(this.generator.role);
    scheduleFunction(this, {
      names,
      fn,
      key,
      purpose: 'synthetic-data',
      schedule,
      roleDescription: 'Lets EventBridge Scheduler run the synthetic data generator',
      scheduleDescription:
        'Appends the synthetic observations that are due (the generator catches up by itself)',
    });
    // The first data at creation (issue #14 finding 4): the generator runs once as a custom resource and
    // the model-build pipeline — whose first execution CodePipeline starts on creation — is created
    // after it (`runsBefore`), so the first build never races the schedule and finds empty data.
    this.firstData = new CustomResource(this, 'FirstData', {
      serviceToken: fn.functionArn,
      resourceType: props.firstDataResourceType,
      // A function that never answers fails the creation soon (its own timeout plus the response).
      serviceTimeout: Duration.minutes(Math.max(5, Math.ceil(timeout.toMinutes({ integral: false })) + 3)),
    });
    applyCondition(this, props.condition);
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
      Fn.conditionIf(this.conditionLogicalId, this.firstData.ref, 'none').toString(),
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
