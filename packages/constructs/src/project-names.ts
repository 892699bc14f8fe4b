// The names the parts of a project's MLOps loop must agree on, as CloudFormation tokens: a thin
// wrapper of the name functions of @mlops-templates/project-contract (the seeded repositories read
// the same functions), handed to every CodeBuild project and Lambda function as environment
// variables (see `environment()`; documented in the template README).
import * as contract from '@mlops-templates/project-contract';
import { Aws } from 'aws-cdk-lib';

export { BUCKET_PREFIXES, DEPLOYMENT_STAGES } from '@mlops-templates/project-contract';
export type { DeploymentStage } from '@mlops-templates/project-contract';

/** Values of variables of the environment contract, keyed by the contract's variable names. */
export type ProjectEnvironmentValues = Partial<Record<contract.ProjectVariable, string>>;

/** Names of one project (values are CloudFormation tokens inside a product stack). */
export class ProjectNames {
  /** `sagemaker-<name>-<id>`: at most 59 characters; for names whose limit is ≥ 100. */
  public readonly longPrefix: string;
  /** `sagemaker-<id>`: at most 26 characters; for names limited to 63/64 characters. */
  public readonly shortPrefix: string;
  /** The identity the contract's name functions take. */
  private readonly identity: contract.ProjectIdentity;

  constructor(
    /** The SageMaker project name. */
    public readonly projectName: string,
    /** The SageMaker project id. */
    public readonly projectId: string,
  ) {
    this.identity = { projectName, projectId };
    this.longPrefix = contract.longPrefix(this.identity);
    this.shortPrefix = contract.shortPrefix(this.identity);
  }

  /** `sagemaker-<id>-`: what every short name starts with. */
  public get shortNamePrefix(): string {
    return contract.shortNamePrefix(this.identity);
  }
  /** `sagemaker-<id>-*`: the wildcard of every short name (IAM resource patterns). */
  public get shortNameWildcard(): string {
    return contract.shortNameWildcard(this.identity);
  }
  /** `sagemaker-<name>-<id>-*`: the wildcard of every long name (IAM resource patterns). */
  public get longNameWildcard(): string {
    return contract.longNameWildcard(this.identity);
  }
  /** Alias of the project's KMS key. */
  public get projectKeyAlias(): string {
    return contract.projectKeyAlias(this.identity);
  }
  /** Project bucket: `sagemaker-<id>-<account>` (≤ 39). */
  public get projectBucket(): string {
    return contract.projectBucket(this.identity, Aws.ACCOUNT_ID);
  }
  /** Model package group (≤ 63), from the id (see `modelPackageGroup` in the contract). */
  public get modelPackageGroup(): string {
    return contract.modelPackageGroup(this.identity);
  }
  /** The model-build SageMaker pipeline (≤ 256); from the id, for the reason above. */
  public get modelBuildPipeline(): string {
    return contract.modelBuildPipeline(this.identity);
  }
  /** The monitoring collector function of a stage (deployed by the monitoring stack, ≤ 64). */
  public collectorFunction(stage: contract.DeploymentStage): string {
    return contract.collectorFunction(this.identity, stage);
  }
  /** Prefix of the collector functions of every stage (the scheduler role may invoke only these). */
  public get collectorFunctionPrefix(): string {
    return contract.collectorFunctionPrefix(this.identity);
  }
  /** Prefix of the model-build pipeline's Lambda step functions (created by the model-build build). */
  public get stepFunctionPrefix(): string {
    return contract.stepFunctionPrefix(this.identity);
  }
  /** SageMaker endpoint of a stage (≤ 63). */
  public endpoint(stage: contract.DeploymentStage): string {
    return contract.endpoint(this.identity, stage);
  }
  /** Every accuracy alarm of this project starts with this; the retrain rule matches it. */
  public get alarmNamePrefix(): string {
    return contract.alarmNamePrefix(this.identity);
  }
  /** CloudWatch namespace of the project's custom metrics. */
  public get metricNamespace(): string {
    return contract.metricNamespace(this.identity);
  }
  /** SSM parameter namespace, with a trailing slash. */
  public get ssmPrefix(): string {
    return contract.ssmPrefix(this.identity);
  }
  /** Every parameter of the SSM namespace, as the resource of an SSM parameter ARN. */
  public get ssmParameterWildcard(): string {
    return contract.ssmParameterWildcard(this.identity);
  }
  /** The SSM parameter holding the project configuration (JSON). */
  public get configParameter(): string {
    return contract.configParameter(this.identity);
  }
  /** The SSM parameter holding the training gate threshold. */
  public get gateThresholdParameter(): string {
    return contract.gateThresholdParameter(this.identity);
  }
  /** The SSM parameter holding a stage's accuracy alarm threshold. */
  public alarmThresholdParameter(stage: contract.DeploymentStage): string {
    return contract.alarmThresholdParameter(this.identity, stage);
  }
  /** A seeded repository / its CodePipeline / its CodeBuild project (≤ 100). */
  public repository(repo: string): string {
    return contract.repository(this.identity, repo);
  }
  /** A CodeBuild project of a seeded repository: `<repository>-<purpose>`. */
  public codeBuildProject(repo: string, purpose: string): string {
    return contract.codeBuildProject(this.identity, repo, purpose);
  }
  /** CloudFormation stack of a model-deploy stage, created by the model-deploy pipeline. */
  public deployStack(stage: contract.DeploymentStage): string {
    return contract.deployStack(this.identity, stage);
  }
  /** CloudFormation stack of a monitoring stage, created by the monitoring pipeline. */
  public monitoringStack(stage: contract.DeploymentStage): string {
    return contract.monitoringStack(this.identity, stage);
  }
  /** Prefixes of the stacks the project's pipelines create (monitoring first), which the teardown deletes. */
  public get pipelineStackPrefixes(): string[] {
    return contract.pipelineStackPrefixes(this.identity);
  }
  /** The CodeBuild project that seeds third-party repositories at project creation. */
  public get seedingProject(): string {
    return contract.seedingProject(this.identity);
  }
  /** A Lambda function, IAM role, rule or schedule (≤ 64). */
  public short(purpose: string): string {
    return contract.shortName(this.identity, purpose);
  }

  /**
   * The shared names as environment variables (the contract with seed repositories and Lambdas;
   * each variable is documented in @mlops-templates/project-contract's environment schema).
   * Stage-specific names are given for every stage.
   */
  public environment(): ProjectEnvironmentValues {
    const names: ProjectEnvironmentValues = {
      SAGEMAKER_PROJECT_NAME: this.projectName,
      SAGEMAKER_PROJECT_ID: this.projectId,
      PROJECT_BUCKET: this.projectBucket,
      MODEL_PACKAGE_GROUP_NAME: this.modelPackageGroup,
      MODEL_BUILD_PIPELINE_NAME: this.modelBuildPipeline,
      STAGING_ENDPOINT_NAME: this.endpoint('staging'),
      PROD_ENDPOINT_NAME: this.endpoint('prod'),
      STAGING_COLLECTOR_FUNCTION_NAME: this.collectorFunction('staging'),
      PROD_COLLECTOR_FUNCTION_NAME: this.collectorFunction('prod'),
      ALARM_NAME_PREFIX: this.alarmNamePrefix,
      METRIC_NAMESPACE: this.metricNamespace,
      SSM_PREFIX: this.ssmPrefix,
      DATA_PREFIX: contract.BUCKET_PREFIXES.data,
      TRAINING_PREFIX: contract.BUCKET_PREFIXES.training,
      MODELS_PREFIX: contract.BUCKET_PREFIXES.models,
      DATA_CAPTURE_PREFIX: contract.BUCKET_PREFIXES.dataCapture,
      GROUND_TRUTH_PREFIX: contract.BUCKET_PREFIXES.groundTruth,
      MONITORING_PREFIX: contract.BUCKET_PREFIXES.monitoring,
      STAGING_DEPLOY_STACK_NAME: this.deployStack('staging'),
      PROD_DEPLOY_STACK_NAME: this.deployStack('prod'),
      STAGING_MONITORING_STACK_NAME: this.monitoringStack('staging'),
      PROD_MONITORING_STACK_NAME: this.monitoringStack('prod'),
    };
    return names;
  }
}
