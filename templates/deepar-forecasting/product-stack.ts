// Product stack of the "DeepAR forecasting" SageMaker project template: everything one project
// needs for the build → deploy → monitor → retrain loop, provisioned in one Service Catalog launch.
// It composes the shared loop (ProjectLoop of @mlops-templates/constructs: storage, loop parameters, the
// role families, the build environment, one construct per pipeline, the event wiring, the retrain loop
// and the teardown) with DeepAR's settings (loop-settings.ts), and adds the synthetic series source.
import {
  ProjectLoop,
  ProjectNames,
  ProjectNotifications,
  ProjectSourceRepository,
  ProductStackContext,
  RepositoryProviderParameters,
  RetrainLoop,
  SageMakerProjectProductStack,
  seededRepositorySpecs,
  SyntheticDataSource,
} from '@mlops-templates/constructs';
import { FIRST_DATA_RESOURCE_TYPE, PROJECT_HANDLER_ENTRIES } from '@mlops-templates/project-handlers';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import * as settings from './loop-settings';
import { LOOP_HANDLERS } from '../loop-handlers';
import { declareDeepArParameters, DeepArParameters } from './parameters';
import {
  SEEDED_REPOSITORIES,
  SeededRepositoryName,
  seedDirectoryOf,
  vendoredPackagesOf,
} from './seeded-repositories';

/** Retrain cooldown and attempts (documented in the README). */
export const RETRAIN_COOLDOWN = RetrainLoop.DEFAULT_COOLDOWN;
export const RETRAIN_MAX_ATTEMPTS = 3;

/** The DeepAR forecasting product stack. */
export class DeepArForecastingProductStack extends SageMakerProjectProductStack {
  /** Shared names of the project. */
  public readonly names: ProjectNames;
  /** Template parameters. */
  public readonly parameters: DeepArParameters;
  /** The composed loop (its parts by name). */
  public readonly loop: ProjectLoop;
  /** The project's data bucket. */
  public readonly projectBucket: s3.Bucket;
  /** The project's KMS key. */
  public readonly key: kms.Key;
  /** Seeded repositories by name. */
  public readonly repositories: Record<SeededRepositoryName, ProjectSourceRepository>;
  /** Where the repositories live (CodeCommit or a CodeConnections provider). */
  public readonly repositoryProvider: RepositoryProviderParameters;
  /** CodePipelines by repository name. */
  public readonly pipelines: Record<SeededRepositoryName, codepipeline.Pipeline>;
  /** The SageMaker execution role (pipelines, training, transform, endpoints). */
  public readonly sageMakerRole: iam.Role;
  /** Notifications. */
  public readonly notifications: ProjectNotifications;
  /** Retrain loop. */
  public readonly retrain: RetrainLoop;

  constructor(scope: Construct, id: string, context: ProductStackContext) {
    super(scope, id, {
      assetBucket: context.assetBucket,
      assetBucketNameExpression: context.assetBucketNameExpression,
      description:
        'SageMaker project: time-series forecasting with DeepAR (build, deploy, monitor, retrain).',
    });
    const names = new ProjectNames(this.project.projectName, this.project.projectId);
    this.names = names;
    const parameters = declareDeepArParameters(this);
    this.parameters = parameters;

    const loop = new ProjectLoop(this, {
      names,
      handlers: LOOP_HANDLERS,
      modelPackageGroupDescription: settings.deepArModelPackageGroupDescription(names),
      config: settings.deepArLoopConfig(names, parameters),
      configDescription: settings.DEEPAR_CONFIG_DESCRIPTION,
      gateThresholdDescription: settings.DEEPAR_GATE_THRESHOLD_DESCRIPTION,
      notificationEmail: {
        address: parameters.notificationEmail.valueAsString,
        condition: parameters.hasEmail,
      },
      dataSource: settings.deepArDataSource(parameters),
      repositories: seededRepositorySpecs(SEEDED_REPOSITORIES, seedDirectoryOf, vendoredPackagesOf),
      templateVariables: settings.deepArBuildVariables(parameters),
      buildDescription: settings.DEEPAR_BUILD_DESCRIPTION,
      endpointTestDescription: settings.DEEPAR_ENDPOINT_TEST_DESCRIPTION,
      retrainCooldown: RETRAIN_COOLDOWN,
      retrainMaxAttempts: RETRAIN_MAX_ATTEMPTS,
      dataRetention: parameters.dataRetention.valueAsString,
      // The model-build pipeline's Lambda steps (seed model-build, src/pipeline/names.ts).
      stepFunctionPrefix: names.stepFunctionPrefix,
    });
    this.loop = loop;
    this.key = loop.storage.key;
    this.projectBucket = loop.storage.projectBucket;
    this.notifications = loop.notifications;
    this.sageMakerRole = loop.jobRoles.sageMakerRole;
    this.repositoryProvider = loop.repositoryProvider;
    this.repositories = loop.repositories;
    this.pipelines = loop.pipelines;
    this.retrain = loop.retrain;

    // DeepAR's own part: the synthetic series, written before the first build runs.
    const synthetic = new SyntheticDataSource(this, 'SyntheticData', {
      names,
      key: this.key,
      bucket: this.projectBucket,
      condition: parameters.isSynthetic,
      entry: PROJECT_HANDLER_ENTRIES['synthetic-data'],
      firstDataResourceType: FIRST_DATA_RESOURCE_TYPE,
      description:
        'Writes a synthetic series (trend, seasonality, noise, optional level shift) into the project bucket',
      environment: settings.deepArSyntheticEnvironment(names, parameters),
      prefixes: [settings.SYNTHETIC_DATA_PREFIX],
    });
    synthetic.runsBefore(loop.modelBuild.pipeline);

    // Last: every grant of the stack exists now.
    loop.finish({ deletedBeforeTeardown: [synthetic], wildcardRules: synthetic.wildcardRules });
  }
}
