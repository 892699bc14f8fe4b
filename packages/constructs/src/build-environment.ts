// The build environment of the seeded repositories' pipelines: the CodeBuild role, the environment
// every build gets (the project's names, roles, key, topic, SSM parameters and template parameters; the
// table "Build environment" of the README), and the CodeBuild projects made from them (each in the scope of the
// pipeline that runs it).
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { JobRoles } from './job-roles';
import { LoopLayer } from './loop-layer';
import { LoopParameters } from './loop-parameters';
import { toPascalCase } from './naming';
import { type ProjectEnvironmentValues, ProjectNames } from './project-names';
import { RepositoryProviderParameters } from './project-repositories';
import {
  invokeOwnEndpointsStatement,
  projectParametersArn,
  servingModelLookupStatement,
} from './project-statements';
import { ProjectStorage } from './project-storage';

/** Properties of {@link BuildEnvironment}. */
export interface BuildEnvironmentProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The project's key, bucket and model package group. */
  readonly storage: ProjectStorage;
  /** The roles the builds pass (and hand to the seeded code). */
  readonly jobRoles: JobRoles;
  /** The loop's SSM parameters. */
  readonly loopParameters: LoopParameters;
  /**
   * The template's own variables every build gets after the shared ones (names, roles, key, topic,
   * SSM parameters), e.g. DeepAR's DATA_SOURCE_TYPE, FREQUENCY, PREDICTION_LENGTH and
   * MONITORING_SCHEDULE from its template parameters. Keys are the contract's variable names.
   * @default {} (the shared variables only)
   */
  readonly templateVariables?: ProjectEnvironmentValues;
  /** The project's notification topic. */
  readonly topic: sns.ITopic;
  /** Where the repositories live: builds clone through the connection with RepositoryProvider=CodeConnection. */
  readonly repositoryProvider: RepositoryProviderParameters;
  /**
   * Timeout of each build: 5 minutes to 36 hours (AWS CodeBuild API Reference, CreateProject
   * `timeoutInMinutes`).
   * @default Duration.hours(2)
   */
  readonly buildTimeout?: Duration;
  /**
   * Whether the model-build pipeline has Lambda steps, which its build (pipeline:upsert) creates and
   * updates as `<stepFunctionPrefix>*` functions with the pipeline steps role: without them the build
   * role gets neither the function grants nor the right to pass the steps role to Lambda.
   * @default true
   */
  readonly lambdaSteps?: boolean;
}

/** One CodeBuild project of a seeded repository's pipeline. */
export interface BuildProjectOptions {
  /** The seeded repository whose pipeline runs the project (`model-build`…). */
  readonly repository: string;
  /** Purpose, the suffix of the project name (`build`, `test`…). */
  readonly purpose: string;
  /** The buildspec file in the repository. */
  readonly buildSpecFile: string;
  /** What the project does. */
  readonly description: string;
}

/** CodeBuild role, shared environment and the projects built from them. */
export class BuildEnvironment extends LoopLayer {
  /** The role of every CodeBuild project of the seeded repositories. */
  public readonly role: iam.Role;
  /** The variables every build gets (keyed by the contract's variable names). */
  public readonly environment: Readonly<ProjectEnvironmentValues>;
  /** ARN of the model-build SageMaker pipeline the builds upsert and start. */
  public readonly modelBuildPipelineArn: string;
  private readonly props: BuildEnvironmentProps;
  private readonly buildTimeout: Duration;

  constructor(scope: Construct, id: string, props: BuildEnvironmentProps) {
    super(scope, id);
    this.buildTimeout = props.buildTimeout ?? Duration.hours(2);
    const minutes = this.buildTimeout.toMinutes();
    if (minutes < 5 || minutes > 2160) {
      throw new Error(`buildTimeout: must be 5 to 2160 minutes (CodeBuild), got ${minutes}`);
    }
    this.props = props;
    const { names, storage, jobRoles, loopParameters } = props;
    const shared: ProjectEnvironmentValues = {
      ...names.environment(),
      AWS_ACCOUNT_ID: Aws.ACCOUNT_ID,
      SAGEMAKER_EXECUTION_ROLE_ARN: jobRoles.sageMakerRole.roleArn,
      PIPELINE_STEPS_ROLE_ARN: jobRoles.pipelineStepsRole.roleArn,
      MONITORING_SCHEDULER_ROLE_ARN: jobRoles.monitoringSchedulerRole.roleArn,
      PROJECT_KMS_KEY_ARN: storage.key.keyArn,
      NOTIFICATION_TOPIC_ARN: props.topic.topicArn,
      CONFIG_PARAMETER_NAME: loopParameters.config.parameterName,
      GATE_THRESHOLD_PARAMETER_NAME: loopParameters.gateThreshold.parameterName,
      STAGING_ALARM_THRESHOLD_PARAMETER_NAME: loopParameters.alarmThresholds.staging.parameterName,
      PROD_ALARM_THRESHOLD_PARAMETER_NAME: loopParameters.alarmThresholds.prod.parameterName,
    };
    const templateVariables = props.templateVariables ?? {};
    const overridden = Object.keys(templateVariables).filter((name) => name in shared);
    if (overridden.length > 0) {
      throw new Error(`templateVariables: ${overridden.join(', ')} are set by the build environment itself`);
    }
    this.environment = { ...shared, ...templateVariables };
    this.modelBuildPipelineArn = Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'pipeline',
      resourceName: names.modelBuildPipeline,
    });

    this.role = new iam.Role(this.resourceScope, 'CodeBuildRole', {
      roleName: names.short('codebuild'),
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: 'CodeBuild projects of the seeded repositories of this project',
    });
    this.grantBuildRole();
    // Builds clone the source with git history (CODEBUILD_CLONE_REF) through the connection.
    props.repositoryProvider.grantUseConnection(this.role);
  }

  /** A CodeBuild project (with its encrypted log group) of a seeded repository's pipeline, in `scope`. */
  public project(scope: Construct, options: BuildProjectOptions): codebuild.PipelineProject {
    const { names, storage } = this.props;
    const projectName = names.codeBuildProject(options.repository, options.purpose);
    const id = `${toPascalCase(options.repository)}${toPascalCase(options.purpose)}`;
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      logGroupName: `/aws/codebuild/${projectName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: storage.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return new codebuild.PipelineProject(scope, `${id}Project`, {
      projectName,
      description: options.description,
      role: this.role,
      encryptionKey: storage.key,
      buildSpec: codebuild.BuildSpec.fromSourceFilename(options.buildSpecFile),
      environment: {
        buildImage: codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
        computeType: codebuild.ComputeType.SMALL,
        environmentVariables: Object.fromEntries(
          Object.entries(this.environment).map(([k, value]) => [k, { value: value as string }]),
        ),
      },
      timeout: this.buildTimeout,
      logging: { cloudWatch: { logGroup } },
    });
  }

  private grantBuildRole(): void {
    const { names, storage, jobRoles } = this.props;
    const stack = Stack.of(this);
    const role = this.role;
    storage.grantReadWriteData(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'UpsertAndRunModelBuildPipeline',
        actions: [
          'sagemaker:CreatePipeline',
          'sagemaker:UpdatePipeline',
          'sagemaker:DescribePipeline',
          'sagemaker:StartPipelineExecution',
          'sagemaker:DescribePipelineExecution',
          'sagemaker:ListPipelineExecutionSteps',
          'sagemaker:ListPipelineExecutions',
          'sagemaker:AddTags',
        ],
        resources: [this.modelBuildPipelineArn, `${this.modelBuildPipelineArn}/execution/*`],
      }),
    );
    const lambdaSteps = this.props.lambdaSteps ?? true;
    if (lambdaSteps) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'UpsertPipelineStepFunctions',
          actions: [
            'lambda:CreateFunction',
            'lambda:UpdateFunctionCode',
            'lambda:UpdateFunctionConfiguration',
            'lambda:GetFunction',
            'lambda:TagResource',
          ],
          resources: [
            stack.formatArn({
              service: 'lambda',
              resource: 'function',
              resourceName: `${names.stepFunctionPrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
    }
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadModelRegistry',
        actions: [
          'sagemaker:DescribeModelPackage',
          'sagemaker:DescribeModelPackageGroup',
          'sagemaker:ListModelPackages',
        ],
        resources: [
          storage.modelPackageGroup.attrModelPackageGroupArn,
          stack.formatArn({
            service: 'sagemaker',
            resource: 'model-package',
            resourceName: `${names.modelPackageGroup}/*`,
          }),
        ],
      }),
    );
    role.addToPolicy(servingModelLookupStatement(stack, names));
    role.addToPolicy(invokeOwnEndpointsStatement(stack, names, 'TestStagingEndpoint'));
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ProjectParameters',
        actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:PutParameter'],
        resources: [projectParametersArn(stack, names)],
      }),
    );
    jobRoles.grantPassToSageMaker(role);
    if (lambdaSteps) jobRoles.grantPassToLambdaSteps(role);
  }
}
