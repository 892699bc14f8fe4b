// The whole build → deploy → monitor → retrain loop of one SageMaker project, composed from the parts of
// the README's loop diagram: storage, loop parameters, notifications, the role families, the seeded
// repositories (CodeCommit or a CodeConnection), the build environment, one pipeline per repository, the
// event wiring, the retrain loop and the teardown. Every template's product stack composes it with its own
// settings (configuration, data source, variables, descriptions, retrain policy) and adds what only it
// has (a synthetic data source). The parts are created in the stack's own scope, under the construct ids
// the DeepAR stack has always used, so its logical ids stay the same (see loop-layer.ts).
import { CfnCondition, Duration } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { IConstruct } from 'constructs';
import { BuildEnvironment } from './build-environment';
import { DeliveryRoles } from './delivery-roles';
import { ExternalDataSource, JobRoles, type PipelineStepsGrant } from './job-roles';
import { LoopEvents } from './loop-events';
import { LoopParameters } from './loop-parameters';
import { ModelBuildPipeline } from './model-build-pipeline';
import { ModelDeployPipeline } from './model-deploy-pipeline';
import { MonitoringPipeline } from './monitoring-pipeline';
import { acknowledgeWildcardsByRule, WildcardRule } from './nag-acknowledgements';
import { ProjectEnvironmentValues, ProjectNames } from './project-names';
import { ProjectNotifications } from './project-notifications';
import {
  ProjectSourceRepository,
  projectSourceRepositories,
  RepositoryProviderParameters,
  SeededRepositorySpec,
} from './project-repositories';
import { ProjectStorage } from './project-storage';
import { ProjectTeardown } from './project-teardown';
import { RetrainLoop } from './retrain-loop';
import { SageMakerJobKind } from './sagemaker-execution-statements';
import { SageMakerProjectProductStack } from './sagemaker-project-product-stack';
import type { MonitoringJobDefinitionKind } from './stage-deployment-statements';
import { ThirdPartyRepositorySeeding } from './third-party-repository-seeding';
import { functionVersionsWildcardRule, PRODUCT_WILDCARD_RULES } from './wildcard-rules';

/** The seeded repositories every loop has, in pipeline order. */
export const LOOP_REPOSITORIES = ['model-build', 'model-deploy', 'monitoring'] as const;
/** A seeded repository of the loop. */
export type LoopRepository = (typeof LOOP_REPOSITORIES)[number];

/** Entry files of the Lambda functions and scripts the loop runs (each template passes the same ones). */
export interface LoopHandlerEntries {
  /** `PROJECT_HANDLER_ENTRIES['seed-repositories']` (the seeding CodeBuild script). */
  readonly seedRepositories: string;
  /** `PROJECT_HANDLER_ENTRIES['seed-repositories-resource']`. */
  readonly seedRepositoriesResource: string;
  /** `PROJECT_HANDLER_ENTRIES['start-deploy-pipeline']`. */
  readonly startDeployPipeline: string;
  /** `PROJECT_HANDLER_ENTRIES['teardown-resource']`. */
  readonly teardownResource: string;
  /** `RETRAIN_ENTRIES.handler` of @mlops-templates/retrain. */
  readonly retrain: string;
}

/** Properties of {@link ProjectLoop}. */
export interface ProjectLoopProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The entries of the shared handlers (the same bundles for every template). */
  readonly handlers: LoopHandlerEntries;
  /** Description of the model package group. */
  readonly modelPackageGroupDescription: string;
  /** The configuration document (LoopParameters `config`). */
  readonly config: Readonly<Record<string, string>>;
  /** Description of the configuration parameter. */
  readonly configDescription: string;
  /** Description of the gate threshold parameter. */
  readonly gateThresholdDescription: string;
  /**
   * Initial gate threshold (`default` or a number; may be a template parameter's value).
   * @default 'default'
   */
  readonly initialGateThreshold?: string;
  /** The notification e-mail parameter's value and the condition that it is set. */
  readonly notificationEmail: { readonly address: string; readonly condition: CfnCondition };
  /** The external data source the roles may read. */
  readonly dataSource: ExternalDataSource;
  /**
   * The SageMaker job kinds the execution role may run.
   * @default SAGEMAKER_JOB_KINDS
   */
  readonly sageMakerJobKinds?: readonly SageMakerJobKind[];
  /**
   * Which role reads the external data (JobRoles `externalDataReader`).
   * @default 'pipeline-steps'
   */
  readonly externalDataReader?: 'pipeline-steps' | 'sagemaker-execution';
  /**
   * The pipeline steps role's optional grants (JobRoles `pipelineStepsGrants`).
   * @default all of PIPELINE_STEPS_GRANTS
   */
  readonly pipelineStepsGrants?: readonly PipelineStepsGrant[];
  /** The template's seeded repositories, one per {@link LOOP_REPOSITORIES} entry. */
  readonly repositories: readonly (SeededRepositorySpec & { readonly name: LoopRepository })[];
  /** The template's own build variables (BuildEnvironment `templateVariables`). */
  readonly templateVariables: ProjectEnvironmentValues;
  /** Description of the model-build build project. */
  readonly buildDescription: string;
  /** Description of the staging endpoint test project. */
  readonly endpointTestDescription: string;
  /**
   * Whether the model-deploy pipeline sets each stage's alarm threshold after its deploy
   * (ModelDeployPipeline `setThresholdAfterDeploy`).
   * @default true
   */
  readonly setThresholdAfterDeploy?: boolean;
  /** Retrain cooldown. */
  readonly retrainCooldown: Duration;
  /** Retrains without an approved model per attempt window. */
  readonly retrainMaxAttempts: number;
  /** The DataRetention parameter's value (`Retain` or `Delete`). */
  readonly dataRetention: string;
  /**
   * Prefix of the Lambda functions the model-build pipeline creates as steps (the teardown deletes them).
   * @default - the pipeline creates no Lambda function
   */
  readonly stepFunctionPrefix?: string;
  /**
   * The Model Monitor job definition kinds the seeded monitoring stacks create (DeliveryRoles
   * `monitoringJobDefinitions`).
   * @default ['model-quality']
   */
  readonly monitoringJobDefinitions?: readonly MonitoringJobDefinitionKind[];
}

/** The composed loop of a product stack, its parts by name. */
export class ProjectLoop {
  public readonly storage: ProjectStorage;
  public readonly loopParameters: LoopParameters;
  public readonly notifications: ProjectNotifications;
  public readonly jobRoles: JobRoles;
  public readonly repositoryProvider: RepositoryProviderParameters;
  public readonly repositories: Record<LoopRepository, ProjectSourceRepository>;
  public readonly buildEnvironment: BuildEnvironment;
  public readonly seeding: ThirdPartyRepositorySeeding;
  public readonly deliveryRoles: DeliveryRoles;
  public readonly modelBuild: ModelBuildPipeline;
  public readonly modelDeploy: ModelDeployPipeline;
  public readonly monitoring: MonitoringPipeline;
  public readonly loopEvents: LoopEvents;
  public readonly retrain: RetrainLoop;
  private readonly stack: SageMakerProjectProductStack;
  private readonly props: ProjectLoopProps;
  private finished?: ProjectTeardown;

  constructor(stack: SageMakerProjectProductStack, props: ProjectLoopProps) {
    const given = props.repositories.map((r) => r.name).join(',');
    if (given !== LOOP_REPOSITORIES.join(',')) {
      throw new Error(`repositories: must be ${LOOP_REPOSITORIES.join(', ')} in this order, got ${given}`);
    }
    this.stack = stack;
    const { names } = props;
    this.storage = new ProjectStorage(stack, 'Storage', {
      names,
      modelPackageGroupDescription: props.modelPackageGroupDescription,
    });
    const { key, projectBucket: bucket } = this.storage;
    this.loopParameters = new LoopParameters(stack, 'LoopParameters', {
      names,
      config: props.config,
      configDescription: props.configDescription,
      gateThresholdDescription: props.gateThresholdDescription,
      ...(props.initialGateThreshold !== undefined
        ? { initialGateThreshold: props.initialGateThreshold }
        : {}),
    });
    this.notifications = new ProjectNotifications(stack, 'Notifications', {
      names,
      key,
      email: props.notificationEmail,
    });
    const topic = this.notifications.topic;
    this.jobRoles = new JobRoles(stack, 'JobRoles', {
      names,
      storage: this.storage,
      dataSource: props.dataSource,
      ...(props.sageMakerJobKinds !== undefined ? { sageMakerJobKinds: props.sageMakerJobKinds } : {}),
      ...(props.externalDataReader !== undefined ? { externalDataReader: props.externalDataReader } : {}),
      ...(props.pipelineStepsGrants !== undefined ? { pipelineStepsGrants: props.pipelineStepsGrants } : {}),
    });

    // Seeded repositories: CodeCommit, or existing third-party ones seeded once at creation.
    const provider = new RepositoryProviderParameters(stack, 'RepositorySource', {
      repositories: [...LOOP_REPOSITORIES],
    });
    this.repositoryProvider = provider;
    this.repositories = projectSourceRepositories(stack, names, provider, props.repositories);
    this.buildEnvironment = new BuildEnvironment(stack, 'BuildEnvironment', {
      names,
      storage: this.storage,
      jobRoles: this.jobRoles,
      loopParameters: this.loopParameters,
      templateVariables: props.templateVariables,
      topic,
      repositoryProvider: provider,
      // Lambda steps exist only where the pipeline creates step functions (stepFunctionPrefix).
      lambdaSteps: props.stepFunctionPrefix !== undefined,
    });
    this.seeding = new ThirdPartyRepositorySeeding(stack, 'RepositorySeeding', {
      names,
      provider,
      repositories: [...props.repositories],
      scriptEntry: props.handlers.seedRepositories,
      resourceHandlerEntry: props.handlers.seedRepositoriesResource,
      reportBucket: bucket,
      key,
    });

    // Pipelines: model-build → (approval) → model-deploy → (endpoints IN_SERVICE) → monitoring.
    this.deliveryRoles = new DeliveryRoles(stack, 'DeliveryRoles', {
      names,
      jobRoles: this.jobRoles,
      key,
      ...(props.monitoringJobDefinitions !== undefined
        ? { monitoringJobDefinitions: props.monitoringJobDefinitions }
        : {}),
    });
    const pipelineProps = (repo: LoopRepository) => ({
      names,
      sourceRepository: this.repositories[repo],
      repositoryProvider: provider,
      seeding: this.seeding,
      deliveryRoles: this.deliveryRoles,
      buildEnvironment: this.buildEnvironment,
      artifactBucket: bucket,
    });
    this.modelBuild = new ModelBuildPipeline(stack, 'ModelBuild', {
      ...pipelineProps('model-build'),
      buildDescription: props.buildDescription,
    });
    this.modelDeploy = new ModelDeployPipeline(stack, 'ModelDeploy', {
      ...pipelineProps('model-deploy'),
      approvalTopic: topic,
      endpointTestDescription: props.endpointTestDescription,
      ...(props.setThresholdAfterDeploy !== undefined
        ? { setThresholdAfterDeploy: props.setThresholdAfterDeploy }
        : {}),
    });
    this.monitoring = new MonitoringPipeline(stack, 'Monitoring', pipelineProps('monitoring'));
    this.loopEvents = new LoopEvents(stack, 'LoopEvents', {
      names,
      key,
      modelDeployPipeline: this.modelDeploy.pipeline,
      monitoringPipeline: this.monitoring.pipeline,
      eventsRole: this.deliveryRoles.eventsRole,
      notifications: this.notifications,
      modelBuildPipelineArn: this.buildEnvironment.modelBuildPipelineArn,
      startDeployHandlerEntry: props.handlers.startDeployPipeline,
      repositories: LOOP_REPOSITORIES,
    });

    // Retrain: the accuracy alarms (named with the retrain prefix) start the model-build pipeline again.
    this.retrain = new RetrainLoop(stack, 'Retrain', {
      names,
      handlerEntry: props.handlers.retrain,
      topic,
      key,
      cooldown: props.retrainCooldown,
      maxAttempts: props.retrainMaxAttempts,
      gateThresholdParameter: this.loopParameters.gateThreshold,
    });

    this.props = props;
  }

  /** CodePipelines by repository name. */
  public get pipelines(): Record<LoopRepository, codepipeline.Pipeline> {
    return {
      'model-build': this.modelBuild.pipeline,
      'model-deploy': this.modelDeploy.pipeline,
      monitoring: this.monitoring.pipeline,
    };
  }

  /** The gate threshold parameter (the retrain Lambda passes its value to each retrain). */
  public get gateThreshold(): ssm.StringParameter {
    return this.loopParameters.gateThreshold;
  }

  /** The teardown custom resource (created by {@link finish}). */
  public get teardown(): ProjectTeardown {
    if (this.finished === undefined) throw new Error('ProjectLoop: finish() has not run yet');
    return this.finished;
  }

  /**
   * The last step of a product stack, once every grant exists: creates the teardown (after the
   * template's own parts, so their resources keep their place in the template); the pipelines, the
   * retrain loop, the event rules and the template's `deletedBeforeTeardown` parts (a synthetic data
   * source) are deleted before the teardown runs, so nothing redeploys or retrains while the project
   * goes away; and every wildcard of the stack is acknowledged by rule (the template adds its parts').
   */
  public finish(options: {
    readonly deletedBeforeTeardown: IConstruct[];
    readonly wildcardRules: WildcardRule[];
  }): ProjectTeardown {
    if (this.finished !== undefined) throw new Error('ProjectLoop: finish() runs once');
    const { props } = this;
    const { names } = props;
    const { key, projectBucket: bucket } = this.storage;
    const provider = this.repositoryProvider;
    const teardown = new ProjectTeardown(this.stack, 'Teardown', {
      names,
      handlerEntry: props.handlers.teardownResource,
      // Monitoring first: its schedules and collectors reference the endpoints of the deploy stacks.
      stackNamePrefixes: names.pipelineStackPrefixes,
      sageMakerPipelineNames: [names.modelBuildPipeline],
      dataBuckets: [bucket, this.storage.accessLogsBucket],
      dataRetention: props.dataRetention,
      key,
      deployRole: this.deliveryRoles.deployRole,
      codeCommitRepositories: {
        names: LOOP_REPOSITORIES.map((repo) => this.repositories[repo].codeCommitRepositoryName),
        condition: provider.useCodeCommit,
      },
      repositoryProvider: provider.provider.valueAsString,
      ...(props.stepFunctionPrefix !== undefined ? { stepFunctionPrefix: props.stepFunctionPrefix } : {}),
      // Still needed while the teardown runs (the buckets are referenced by its properties already).
      dependsOn: [
        this.deliveryRoles.deployRole,
        this.jobRoles.sageMakerRole,
        this.jobRoles.pipelineStepsRole,
        this.buildEnvironment.role,
        this.storage.modelPackageGroup,
        key,
      ],
    });
    this.finished = teardown;
    const pipelines = [this.modelBuild, this.modelDeploy, this.monitoring];
    const eventRules = [...pipelines.flatMap((p) => p.eventRules), ...this.loopEvents.rules];
    for (const c of [
      ...pipelines.map((p) => p.pipeline),
      this.retrain,
      ...options.deletedBeforeTeardown,
      ...eventRules,
    ]) {
      c.node.addDependency(teardown.resource);
    }
    acknowledgeWildcardsByRule(this.stack, [
      ...PRODUCT_WILDCARD_RULES,
      ...this.storage.wildcardRules,
      ...options.wildcardRules,
      functionVersionsWildcardRule(this.stack, this.retrain.handler.function),
    ]);
    return teardown;
  }
}
