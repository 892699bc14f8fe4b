// Product stack of the "tabular XGBoost" SageMaker project template: the same build → deploy → monitor →
// retrain loop as the DeepAR template (ProjectLoop of @mlops-templates/constructs, the same handler
// bundles), with the tabular settings (loop-settings.ts): the built-in XGBoost pipeline with Model
// Monitor baselines, data-quality and model-quality monitoring whose alarms start the same retrain
// Lambda, and the synthetic tabular data source with its endpoint traffic.
import {
  applyCondition,
  ProjectLoop,
  ProjectNames,
  ProductStackContext,
  SageMakerProjectProductStack,
  seededRepositorySpecs,
  SyntheticDataSource,
} from '@mlops-templates/constructs';
import { FIRST_DATA_RESOURCE_TYPE, PROJECT_HANDLER_ENTRIES } from '@mlops-templates/project-handlers';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SyntheticTraffic } from './constructs/synthetic-traffic';
import * as settings from './loop-settings';
import { declareTabularParameters, TabularParameters } from './parameters';
import { SEEDED_REPOSITORIES, seedDirectoryOf, vendoredPackagesOf } from './seeded-repositories';
import { LOOP_HANDLERS } from '../loop-handlers';

/** The tabular XGBoost product stack. */
export class TabularXgboostProductStack extends SageMakerProjectProductStack {
  /** Shared names of the project. */
  public readonly names: ProjectNames;
  /** Template parameters. */
  public readonly parameters: TabularParameters;
  /** The composed loop (its parts by name). */
  public readonly loop: ProjectLoop;
  /** The synthetic data source (DataSourceType=synthetic). */
  public readonly synthetic: SyntheticDataSource;
  /** The synthetic endpoint traffic and its labels (DataSourceType=synthetic). */
  public readonly traffic: SyntheticTraffic;

  constructor(scope: Construct, id: string, context: ProductStackContext) {
    super(scope, id, {
      assetBucket: context.assetBucket,
      assetBucketNameExpression: context.assetBucketNameExpression,
      description:
        'SageMaker project: tabular regression or classification with XGBoost (build, deploy, Model Monitor, retrain).',
    });
    const names = new ProjectNames(this.project.projectName, this.project.projectId);
    this.names = names;
    const parameters = declareTabularParameters(this);
    this.parameters = parameters;

    const loop = new ProjectLoop(this, {
      names,
      handlers: LOOP_HANDLERS,
      modelPackageGroupDescription: settings.tabularModelPackageGroupDescription(names),
      config: settings.tabularLoopConfig(names, parameters),
      configDescription: settings.TABULAR_CONFIG_DESCRIPTION,
      gateThresholdDescription: settings.TABULAR_GATE_THRESHOLD_DESCRIPTION,
      initialGateThreshold: parameters.gateThreshold.valueAsString,
      notificationEmail: {
        address: parameters.notificationEmail.valueAsString,
        condition: parameters.hasEmail,
      },
      dataSource: settings.tabularDataSource(parameters),
      sageMakerJobKinds: settings.TABULAR_JOB_KINDS,
      // The Processing jobs read the data (prepare.py), as the SageMaker execution role.
      externalDataReader: 'sagemaker-execution',
      // The steps role runs only the monitoring collector (seed monitoring src/collector/), which reads
      // and writes the project bucket: none of the optional grants.
      pipelineStepsGrants: [],
      repositories: seededRepositorySpecs(SEEDED_REPOSITORIES, seedDirectoryOf, vendoredPackagesOf),
      templateVariables: settings.tabularBuildVariables(names, parameters),
      buildDescription: settings.TABULAR_BUILD_DESCRIPTION,
      endpointTestDescription: settings.TABULAR_ENDPOINT_TEST_DESCRIPTION,
      // The tabular alarms take their thresholds from the registered baseline constraints.
      setThresholdAfterDeploy: false,
      retrainCooldown: settings.TABULAR_RETRAIN_COOLDOWN,
      retrainMaxAttempts: settings.TABULAR_RETRAIN_MAX_ATTEMPTS,
      dataRetention: parameters.dataRetention.valueAsString,
      // The monitoring stacks create a data-quality and a model-quality job definition per stage
      // (seed monitoring src/infra/monitoring-stack.ts).
      monitoringJobDefinitions: ['model-quality', 'data-quality'],
    });
    this.loop = loop;
    const { key, projectBucket: bucket } = loop.storage;

    // DataSourceType=feature-group: the model-build build resolves the group's offline store
    // (seed model-build src/pipeline/data-source.ts, DescribeFeatureGroup; SageMaker API Reference).
    const describeFeatureGroup = new iam.Policy(this, 'FeatureGroupSourceDescribe', {
      roles: [loop.buildEnvironment.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeDataSourceFeatureGroup',
          actions: ['sagemaker:DescribeFeatureGroup'],
          resources: [
            this.formatArn({
              service: 'sagemaker',
              resource: 'feature-group',
              resourceName: parameters.dataSourceLocation.valueAsString,
            }),
          ],
        }),
      ],
    });
    applyCondition(describeFeatureGroup, parameters.isFeatureGroupSource);

    // The tabular template's own part: synthetic records and their labels, written before the first build.
    this.synthetic = new SyntheticDataSource(this, 'SyntheticData', {
      names,
      key,
      bucket,
      condition: parameters.isSynthetic,
      entry: PROJECT_HANDLER_ENTRIES['tabular-synthetic-data'],
      firstDataResourceType: FIRST_DATA_RESOURCE_TYPE,
      description:
        'Writes synthetic tabular records (numeric and categorical features, target, optional drift) and their labels into the project bucket',
      environment: settings.tabularSyntheticEnvironment(names, parameters),
      prefixes: [settings.SYNTHETIC_DATA_PREFIX, settings.SYNTHETIC_LABELS_PREFIX],
      // Records are due hourly; the first run writes the whole backfill.
      schedule: 'rate(1 hour)',
      timeout: Duration.minutes(5),
      memorySize: 512,
    });
    this.synthetic.runsBefore(loop.modelBuild.pipeline);
    // Without it the endpoints of a synthetic project get no requests, capture nothing and the monitors
    // publish nothing: it sends the new records to each InService endpoint and writes their labels.
    this.traffic = new SyntheticTraffic(this, 'SyntheticTraffic', {
      names,
      key,
      bucket,
      isSynthetic: parameters.isSynthetic,
      targetColumn: parameters.targetColumn.valueAsString,
      dataPrefix: settings.SYNTHETIC_DATA_PREFIX,
    });

    // Last: every grant of the stack exists now.
    loop.finish({
      deletedBeforeTeardown: [this.synthetic, this.traffic],
      wildcardRules: [...this.synthetic.wildcardRules, ...this.traffic.wildcardRules],
    });
  }
}
