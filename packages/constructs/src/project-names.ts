// The names the parts of a project's MLOps loop must agree on, derived in one place from the
// SageMaker project name and id, and handed to every CodeBuild project and Lambda function as
// environment variables (see `environment()`; documented in the template README).
import { Aws } from 'aws-cdk-lib';
import { PROJECT_RESOURCE_PREFIX } from './permissions-boundary';

/** Deployment stages of a project, in promotion order. */
export const DEPLOYMENT_STAGES = ['staging', 'prod'] as const;
/** A deployment stage. */
export type DeploymentStage = (typeof DEPLOYMENT_STAGES)[number];

/** Bucket prefixes inside the project bucket. */
export const BUCKET_PREFIXES = {
  data: 'data/',
  training: 'training/',
  models: 'models/',
  dataCapture: 'data-capture/',
  groundTruth: 'ground-truth/',
  monitoring: 'monitoring/',
  artifacts: 'pipeline-artifacts/',
} as const;

/** Names of one project (values are CloudFormation tokens inside a product stack). */
export class ProjectNames {
  /** `sagemaker-<name>-<id>`: at most 59 characters; for names whose limit is ≥ 100. */
  public readonly longPrefix: string;
  /** `sagemaker-<id>`: at most 26 characters; for names limited to 63/64 characters. */
  public readonly shortPrefix: string;

  constructor(
    /** The SageMaker project name. */
    public readonly projectName: string,
    /** The SageMaker project id. */
    public readonly projectId: string,
  ) {
    this.longPrefix = `${PROJECT_RESOURCE_PREFIX}${projectName}-${projectId}`;
    this.shortPrefix = `${PROJECT_RESOURCE_PREFIX}${projectId}`;
  }

  /** Project bucket: `sagemaker-<id>-<account>` (≤ 39). */
  public get projectBucket(): string {
    return `${this.shortPrefix}-${Aws.ACCOUNT_ID}`;
  }
  /**
   * Model package group (≤ 63). Named from the id, never the project name: SageMaker lower-cases
   * names in its ARNs (SageMaker Developer Guide, "Amazon Resource Names (ARNs)") and IAM matches
   * ARNs case-sensitively, so a grant built from an upper-case project name would never apply.
   */
  public get modelPackageGroup(): string {
    return `${this.shortPrefix}-models`;
  }
  /** The model-build SageMaker pipeline (≤ 256); from the id, for the reason above. */
  public get modelBuildPipeline(): string {
    return `${this.shortPrefix}-model-build`;
  }
  /** The monitoring collector function of a stage (deployed by the monitoring stack, ≤ 64). */
  public collectorFunction(stage: DeploymentStage): string {
    return `${this.shortPrefix}-collect-${stage}`;
  }
  /** SageMaker endpoint of a stage (≤ 63). */
  public endpoint(stage: DeploymentStage): string {
    return `${this.shortPrefix}-${stage}`;
  }
  /** Every accuracy alarm of this project starts with this; the retrain rule matches it. */
  public get alarmNamePrefix(): string {
    return `${this.longPrefix}-accuracy-`;
  }
  /** CloudWatch namespace of the project's custom metrics. */
  public get metricNamespace(): string {
    return `SageMakerProjects/${this.projectName}-${this.projectId}`;
  }
  /** SSM parameter namespace, with a trailing slash. */
  public get ssmPrefix(): string {
    return `/sagemaker/${this.projectName}-${this.projectId}/`;
  }
  /** A seeded repository / its CodePipeline / its CodeBuild project (≤ 100). */
  public repository(repo: string): string {
    return `${this.longPrefix}-${repo}`;
  }
  /** CloudFormation stack of a model-deploy stage, created by the model-deploy pipeline. */
  public deployStack(stage: DeploymentStage): string {
    return `${this.longPrefix}-deploy-${stage}`;
  }
  /** CloudFormation stack of a monitoring stage, created by the monitoring pipeline. */
  public monitoringStack(stage: DeploymentStage): string {
    return `${this.longPrefix}-monitoring-${stage}`;
  }
  /** A Lambda function, IAM role, rule or schedule (≤ 64). */
  public short(purpose: string): string {
    return `${this.shortPrefix}-${purpose}`;
  }

  /**
   * The shared names as environment variables (the contract with seed repositories and Lambdas).
   * Stage-specific names are given for every stage.
   */
  public environment(): Record<string, string> {
    return {
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
      DATA_PREFIX: BUCKET_PREFIXES.data,
      TRAINING_PREFIX: BUCKET_PREFIXES.training,
      MODELS_PREFIX: BUCKET_PREFIXES.models,
      DATA_CAPTURE_PREFIX: BUCKET_PREFIXES.dataCapture,
      GROUND_TRUTH_PREFIX: BUCKET_PREFIXES.groundTruth,
      MONITORING_PREFIX: BUCKET_PREFIXES.monitoring,
      STAGING_DEPLOY_STACK_NAME: this.deployStack('staging'),
      PROD_DEPLOY_STACK_NAME: this.deployStack('prod'),
      STAGING_MONITORING_STACK_NAME: this.monitoringStack('staging'),
      PROD_MONITORING_STACK_NAME: this.monitoringStack('prod'),
    };
  }
}
