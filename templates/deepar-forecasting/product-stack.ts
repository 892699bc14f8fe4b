// Product stack of the "DeepAR forecasting" SageMaker project template: everything one project
// needs for the build → deploy → monitor → retrain loop, provisioned in one Service Catalog launch.
// It composes the parts of the README's loop diagram (constructs/): storage, loop parameters, the role
// families, the build environment, one construct per pipeline, the event wiring, the retrain loop, the
// synthetic data source and the teardown.
import {
  acknowledgeWildcardsByRule,
  BuildEnvironment,
  DeliveryRoles,
  functionVersionsWildcardRule,
  JobRoles,
  LoopEvents,
  LoopParameters,
  ModelBuildPipeline,
  ModelDeployPipeline,
  MonitoringPipeline,
  PRODUCT_WILDCARD_RULES,
  ProductStackContext,
  ProjectNames,
  ProjectNotifications,
  ProjectSourceRepository,
  ProjectStorage,
  ProjectTeardown,
  RepositoryProviderParameters,
  RetrainLoop,
  SageMakerProjectProductStack,
  ThirdPartyRepositorySeeding,
} from '@mlops-templates/constructs';
import { PROJECT_HANDLER_ENTRIES } from '@mlops-templates/project-handlers';
import { RETRAIN_ENTRIES } from '@mlops-templates/retrain';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SyntheticDataSource } from './constructs/synthetic-data-source';
import * as settings from './loop-settings';
import { declareDeepArParameters, DeepArParameters } from './parameters';
import { SEEDED_REPOSITORY_NAMES, SeededRepositoryName } from './seeded-repositories';
import { deepArSourceRepositories, seedOf } from './source-repositories';

/** Retrain cooldown and attempts (documented in the README). */
export const RETRAIN_COOLDOWN = RetrainLoop.DEFAULT_COOLDOWN;
export const RETRAIN_MAX_ATTEMPTS = 3;

/** The DeepAR forecasting product stack. */
export class DeepArForecastingProductStack extends SageMakerProjectProductStack {
  /** Shared names of the project. */
  public readonly names: ProjectNames;
  /** Template parameters. */
  public readonly parameters: DeepArParameters;
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

    const storage = new ProjectStorage(this, 'Storage', {
      names,
      modelPackageGroupDescription: settings.deepArModelPackageGroupDescription(names),
    });
    const { key, projectBucket: bucket } = storage;
    this.key = key;
    this.projectBucket = bucket;
    const loopParameters = new LoopParameters(this, 'LoopParameters', {
      names,
      config: settings.deepArLoopConfig(names, parameters),
      configDescription: settings.DEEPAR_CONFIG_DESCRIPTION,
      gateThresholdDescription: settings.DEEPAR_GATE_THRESHOLD_DESCRIPTION,
    });
    this.notifications = new ProjectNotifications(this, 'Notifications', {
      names,
      key,
      email: { address: parameters.notificationEmail.valueAsString, condition: parameters.hasEmail },
    });
    const topic = this.notifications.topic;
    const jobRoles = new JobRoles(this, 'JobRoles', {
      names,
      storage,
      dataSource: settings.deepArDataSource(parameters),
    });
    this.sageMakerRole = jobRoles.sageMakerRole;

    // Seeded repositories: CodeCommit, or existing third-party ones seeded once at creation.
    const provider = new RepositoryProviderParameters(this, 'RepositorySource', {
      repositories: SEEDED_REPOSITORY_NAMES,
    });
    this.repositoryProvider = provider;
    this.repositories = deepArSourceRepositories(this, names, provider);
    const buildEnvironment = new BuildEnvironment(this, 'BuildEnvironment', {
      names,
      storage,
      jobRoles,
      loopParameters,
      templateVariables: settings.deepArBuildVariables(parameters),
      topic,
      repositoryProvider: provider,
    });
    const seeding = new ThirdPartyRepositorySeeding(this, 'RepositorySeeding', {
      names,
      provider,
      repositories: SEEDED_REPOSITORY_NAMES.map((repo) => ({ name: repo, ...seedOf(repo) })),
      scriptEntry: PROJECT_HANDLER_ENTRIES['seed-repositories'],
      resourceHandlerEntry: PROJECT_HANDLER_ENTRIES['seed-repositories-resource'],
      reportBucket: bucket,
      key,
    });

    // Pipelines: model-build → (approval) → model-deploy → (endpoints IN_SERVICE) → monitoring.
    const deliveryRoles = new DeliveryRoles(this, 'DeliveryRoles', { names, jobRoles, key });
    const pipelineProps = (repo: SeededRepositoryName) => ({
      names,
      sourceRepository: this.repositories[repo],
      repositoryProvider: provider,
      seeding,
      deliveryRoles,
      buildEnvironment,
      artifactBucket: bucket,
    });
    const modelBuild = new ModelBuildPipeline(this, 'ModelBuild', {
      ...pipelineProps('model-build'),
      buildDescription: settings.DEEPAR_BUILD_DESCRIPTION,
    });
    const modelDeploy = new ModelDeployPipeline(this, 'ModelDeploy', {
      ...pipelineProps('model-deploy'),
      approvalTopic: topic,
      endpointTestDescription: settings.DEEPAR_ENDPOINT_TEST_DESCRIPTION,
    });
    const monitoring = new MonitoringPipeline(this, 'Monitoring', pipelineProps('monitoring'));
    this.pipelines = {
      'model-build': modelBuild.pipeline,
      'model-deploy': modelDeploy.pipeline,
      monitoring: monitoring.pipeline,
    };
    const loopEvents = new LoopEvents(this, 'LoopEvents', {
      names,
      key,
      modelDeployPipeline: modelDeploy.pipeline,
      monitoringPipeline: monitoring.pipeline,
      eventsRole: deliveryRoles.eventsRole,
      notifications: this.notifications,
      modelBuildPipelineArn: buildEnvironment.modelBuildPipelineArn,
      startDeployHandlerEntry: PROJECT_HANDLER_ENTRIES['start-deploy-pipeline'],
      repositories: SEEDED_REPOSITORY_NAMES,
    });

    // Retrain: accuracy alarms start the model-build SageMaker pipeline again.
    this.retrain = new RetrainLoop(this, 'Retrain', {
      names,
      handlerEntry: RETRAIN_ENTRIES.handler,
      topic,
      key,
      cooldown: RETRAIN_COOLDOWN,
      maxAttempts: RETRAIN_MAX_ATTEMPTS,
      gateThresholdParameter: loopParameters.gateThreshold,
    });
    const synthetic = new SyntheticDataSource(this, 'SyntheticData', { names, key, bucket, parameters });
    synthetic.runsBefore(modelBuild.pipeline);

    const teardown = new ProjectTeardown(this, 'Teardown', {
      names,
      handlerEntry: PROJECT_HANDLER_ENTRIES['teardown-resource'],
      // Monitoring first: its schedules and collectors reference the endpoints of the deploy stacks.
      stackNamePrefixes: names.pipelineStackPrefixes,
      sageMakerPipelineNames: [names.modelBuildPipeline],
      dataBuckets: [bucket, storage.accessLogsBucket],
      dataRetention: parameters.dataRetention.valueAsString,
      key,
      deployRole: deliveryRoles.deployRole,
      codeCommitRepositories: {
        names: SEEDED_REPOSITORY_NAMES.map((repo) => this.repositories[repo].codeCommitRepositoryName),
        condition: provider.useCodeCommit,
      },
      repositoryProvider: provider.provider.valueAsString,
      // The model-build pipeline's Lambda steps (seed model-build, src/pipeline/names.ts).
      stepFunctionPrefix: names.stepFunctionPrefix,
      // Still needed while the teardown runs (the buckets are referenced by its properties already).
      dependsOn: [
        deliveryRoles.deployRole,
        this.sageMakerRole,
        jobRoles.pipelineStepsRole,
        buildEnvironment.role,
        storage.modelPackageGroup,
        key,
      ],
    });
    // Deleted before the teardown runs, so nothing redeploys or retrains while the project goes away.
    const pipelines = [modelBuild, modelDeploy, monitoring];
    const eventRules = [...pipelines.flatMap((p) => p.eventRules), ...loopEvents.rules];
    for (const c of [...pipelines.map((p) => p.pipeline), this.retrain, synthetic, ...eventRules]) {
      c.node.addDependency(teardown.resource);
    }

    // Last: every grant of the stack exists now. Rules of the parts are bound to their own resources.
    acknowledgeWildcardsByRule(this, [
      ...PRODUCT_WILDCARD_RULES,
      ...storage.wildcardRules,
      ...synthetic.wildcardRules,
      functionVersionsWildcardRule(this, this.retrain.handler.function),
    ]);
  }
}
