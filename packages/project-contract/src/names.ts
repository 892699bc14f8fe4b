// The names of one SageMaker project, as plain functions of its name and id (and, for the bucket, the
// account): the one place the product stack (through ProjectNames in @mlops-templates/constructs,
// with CloudFormation tokens as arguments) and the seeded repositories (with the values of their
// environment) read them from. No CDK here: the seeded repositories vendor this package.

/** Prefix of every project resource name (the portfolio's permissions boundary is written against it). */
export const PROJECT_RESOURCE_PREFIX = 'sagemaker-';

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
  /** Ground-truth labels written by the application (tabular-xgboost), before conversion. */
  labels: 'labels/',
} as const;

/** What every name is derived from. */
export interface ProjectIdentity {
  /** The SageMaker project name (`SAGEMAKER_PROJECT_NAME`). */
  readonly projectName: string;
  /** The SageMaker project id (`SAGEMAKER_PROJECT_ID`). */
  readonly projectId: string;
}

/** The Lambda functions the model-build pipeline runs as steps (upserted by the model-build build). */
export type StepFunctionPurpose = 'prepare-data' | 'evaluate';

/** `sagemaker-<name>-<id>`: at most 59 characters; for names whose limit is ≥ 100. */
export function longPrefix(p: ProjectIdentity): string {
  return `${PROJECT_RESOURCE_PREFIX}${p.projectName}-${p.projectId}`;
}

/** `sagemaker-<id>`: at most 26 characters; for names limited to 63/64 characters. */
export function shortPrefix(p: ProjectIdentity): string {
  return `${PROJECT_RESOURCE_PREFIX}${p.projectId}`;
}

/** `sagemaker-<id>-`: what every short name starts with (e.g. the teardown's schedule name prefix). */
export function shortNamePrefix(p: ProjectIdentity): string {
  return `${shortPrefix(p)}-`;
}

/** `sagemaker-<id>-*`: the wildcard of every short name, for IAM resource patterns. */
export function shortNameWildcard(p: ProjectIdentity): string {
  return `${shortNamePrefix(p)}*`;
}

/** `sagemaker-<name>-<id>-`: what every long name starts with. */
export function longNamePrefix(p: ProjectIdentity): string {
  return `${longPrefix(p)}-`;
}

/** `sagemaker-<name>-<id>-*`: the wildcard of every long name, for IAM resource patterns. */
export function longNameWildcard(p: ProjectIdentity): string {
  return `${longNamePrefix(p)}*`;
}

/** A Lambda function, IAM role, rule, topic or schedule: `sagemaker-<id>-<purpose>` (≤ 64). */
export function shortName(p: ProjectIdentity, purpose: string): string {
  return `${shortNamePrefix(p)}${purpose}`;
}

/** Alias of the project's KMS key: `alias/sagemaker-<name>-<id>`. */
export function projectKeyAlias(p: ProjectIdentity): string {
  return `alias/${longPrefix(p)}`;
}

/** Project bucket: `sagemaker-<id>-<account>` (≤ 39). */
export function projectBucket(p: ProjectIdentity, accountId: string): string {
  return `${shortPrefix(p)}-${accountId}`;
}

/**
 * Model package group (≤ 63). Named from the id, never the project name: SageMaker lower-cases
 * names in its ARNs (SageMaker Developer Guide, "Amazon Resource Names (ARNs)") and IAM matches
 * ARNs case-sensitively, so a grant built from an upper-case project name would never apply.
 */
export function modelPackageGroup(p: ProjectIdentity): string {
  return `${shortPrefix(p)}-models`;
}

/** The model-build SageMaker pipeline (≤ 256); from the id, for the reason above. */
export function modelBuildPipeline(p: ProjectIdentity): string {
  return `${shortPrefix(p)}-model-build`;
}

/** SageMaker endpoint of a stage (≤ 63). */
export function endpoint(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${shortPrefix(p)}-${stage}`;
}

/**
 * Prefix of the resources a model-deploy stage stack names (models, endpoint configurations, rollback
 * alarms, scaling policy): `sagemaker-<id>-<stage>`, under the product's `sagemaker-<id>-*` grants.
 */
export function stageResourcePrefix(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${shortPrefix(p)}-${stage}`;
}

/** Prefix of the monitoring collector functions (the scheduler role may invoke only these). */
export function collectorFunctionPrefix(p: ProjectIdentity): string {
  return `${shortPrefix(p)}-collect-`;
}

/** The monitoring collector function of a stage, and its schedule (deployed by the monitoring stack, ≤ 64). */
export function collectorFunction(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${collectorFunctionPrefix(p)}${stage}`;
}

/** Prefix of the model-build pipeline's step functions (the CodeBuild role may create only these). */
export function stepFunctionPrefix(p: ProjectIdentity): string {
  return `${shortPrefix(p)}-step-`;
}

/** A Lambda step function of the model-build pipeline: `sagemaker-<id>-step-<purpose>`. */
export function stepFunction(p: ProjectIdentity, purpose: StepFunctionPurpose): string {
  return `${stepFunctionPrefix(p)}${purpose}`;
}

/** Every accuracy alarm of the project starts with this; the retrain rule matches it. */
export function alarmNamePrefix(p: ProjectIdentity): string {
  return `${longPrefix(p)}-accuracy-`;
}

/** The accuracy alarm of a stage (`<alarm name prefix><stage>`): its ALARM starts a retrain. */
export function accuracyAlarm(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${alarmNamePrefix(p)}${stage}`;
}

/** The freshness alarm of a stage: notifies only, so it never starts with the alarm name prefix. */
export function freshnessAlarm(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${longPrefix(p)}-freshness-${stage}`;
}

/** The monitoring dashboard of a stage. */
export function dashboard(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${shortPrefix(p)}-${stage}`;
}

/** The built-in Model Quality monitoring schedule of a stage. */
export function modelQualitySchedule(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${shortPrefix(p)}-model-quality-${stage}`;
}

/** Prefix of a stage's Model Quality job definition names (a content hash is appended). */
export function modelQualityJobDefinitionPrefix(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${shortPrefix(p)}-mq-${stage}`;
}

/** The built-in Data Quality monitoring schedule of a stage (tabular-xgboost). */
export function dataQualitySchedule(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${shortPrefix(p)}-data-quality-${stage}`;
}

/** Prefix of a stage's Data Quality job definition names (a content hash is appended). */
export function dataQualityJobDefinitionPrefix(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${shortPrefix(p)}-dq-${stage}`;
}

/**
 * A feature-drift alarm of a stage (tabular-xgboost): `<alarm name prefix><stage>-data-drift-<group>`,
 * one per group of at most 10 features; its ALARM starts a retrain like every alarm with the prefix.
 */
export function dataDriftAlarm(p: ProjectIdentity, stage: DeploymentStage, group: number): string {
  return `${alarmNamePrefix(p)}${stage}-data-drift-${group}`;
}

/** The model-quality alarm of a stage (tabular-xgboost): `<alarm name prefix><stage>-model-quality`. */
export function modelQualityAlarm(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${alarmNamePrefix(p)}${stage}-model-quality`;
}

/** CloudWatch namespace of the project's custom metrics. */
export function metricNamespace(p: ProjectIdentity): string {
  return `SageMakerProjects/${p.projectName}-${p.projectId}`;
}

/** SSM parameter namespace, with a trailing slash. */
export function ssmPrefix(p: ProjectIdentity): string {
  return `/sagemaker/${p.projectName}-${p.projectId}/`;
}

/** Every parameter of the namespace, as the resource of an SSM parameter ARN (no leading slash). */
export function ssmParameterWildcard(p: ProjectIdentity): string {
  return `${ssmPrefix(p).slice(1)}*`;
}

/** The SSM parameter holding the project configuration (JSON). */
export function configParameter(p: ProjectIdentity): string {
  return `${ssmPrefix(p)}config`;
}

/** The SSM parameter holding the training gate threshold. */
export function gateThresholdParameter(p: ProjectIdentity): string {
  return `${ssmPrefix(p)}gate-threshold`;
}

/** The SSM parameter holding a stage's accuracy alarm threshold. */
export function alarmThresholdParameter(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${ssmPrefix(p)}${stage}/alarm-threshold`;
}

/** A seeded repository, its CodePipeline and the prefix of its CodeBuild projects (≤ 100). */
export function repository(p: ProjectIdentity, repo: string): string {
  return `${longPrefix(p)}-${repo}`;
}

/** A CodeBuild project of a seeded repository: `sagemaker-<name>-<id>-<repo>-<purpose>`. */
export function codeBuildProject(p: ProjectIdentity, repo: string, purpose: string): string {
  return `${repository(p, repo)}-${purpose}`;
}

/** Prefix of the model-deploy stage stacks (the teardown deletes the stacks with it). */
export function deployStackPrefix(p: ProjectIdentity): string {
  return `${longPrefix(p)}-deploy-`;
}

/** CloudFormation stack of a model-deploy stage, created by the model-deploy pipeline. */
export function deployStack(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${deployStackPrefix(p)}${stage}`;
}

/** Prefix of the monitoring stage stacks (the teardown deletes the stacks with it). */
export function monitoringStackPrefix(p: ProjectIdentity): string {
  return `${longPrefix(p)}-monitoring-`;
}

/** CloudFormation stack of a monitoring stage, created by the monitoring pipeline. */
export function monitoringStack(p: ProjectIdentity, stage: DeploymentStage): string {
  return `${monitoringStackPrefix(p)}${stage}`;
}

/**
 * The stacks the project's pipelines create, which the teardown deletes (monitoring first: it
 * watches the endpoints the deploy stacks hold).
 */
export function pipelineStackPrefixes(p: ProjectIdentity): string[] {
  return [monitoringStackPrefix(p), deployStackPrefix(p)];
}

/** The CodeBuild project that seeds third-party repositories at project creation (≤ 255). */
export function seedingProject(p: ProjectIdentity): string {
  return `${longPrefix(p)}-seed-repositories`;
}
