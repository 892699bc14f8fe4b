// A project-owned Lambda function: TypeScript handler bundled with esbuild (local, no Docker),
// named from the project, with its own least-privilege role (bounded by the portfolio's
// permissions boundary through the product stack) and a log group with retention.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_FUNCTION_NAME, validateIntegerRange, validateName } from './validation';

/** Properties of {@link ProjectFunction}. */
export interface ProjectFunctionProps {
  /** Function name (1–64 of `[a-zA-Z0-9-_]`); also names its role and log group. */
  readonly functionName: string;
  /** Absolute path of the TypeScript entry file. */
  readonly entry: string;
  /**
   * Exported handler name.
   * @default 'handler'
   */
  readonly handler?: string;
  /** What the function does. */
  readonly description: string;
  /**
   * Environment variables.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Timeout.
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB: 128 to 10,240 (Lambda Developer Guide, "Configure Lambda function memory").
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Key encrypting the environment variables and the logs.
   * @default - AWS managed keys
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Reserved concurrency.
   * @default - unreserved
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Log retention.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/** A bundled, named Lambda function with its own role and log group. */
export class ProjectFunction extends Construct {
  /** The function. */
  public readonly function: nodejs.NodejsFunction;
  /** Its execution role. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);
    validateName('functionName', props.functionName, LAMBDA_FUNCTION_NAME);
    // Lambda Developer Guide, "Configure Lambda function memory": 128 MB to 10,240 MB in 1-MB increments.
    validateIntegerRange('memorySize', props.memorySize, 128, 10_240);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.functionName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${this.logGroup.logGroupArn}`],
      }),
    );
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: props.entry,
      handler: props.handler ?? 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.minutes(1),
      role: this.role,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logGroup: this.logGroup,
      environment: props.environment,
      environmentEncryption: props.encryptionKey,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: {
        minify: true,
        sourceMap: false,
        target: 'node22',
        format: nodejs.OutputFormat.CJS,
        // Bundle the AWS SDK too: the versions the tests ran against are the ones deployed.
        externalModules: [],
        forceDockerBundling: false,
      },
    });
  }
}
