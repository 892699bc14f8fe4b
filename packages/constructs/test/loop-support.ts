// Shared set-up of the tests of the loop constructs (storage, loop parameters, roles, build
// environment, pipelines, events): a minimal product stack with the data source parameters a
// template declares, and the parts a pipeline is built from. No template is involved: each construct
// gets what a template would pass it.
import { CfnCondition, CfnParameter, CustomResource, Fn } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  bareStack,
  productStack,
  productTemplate as synthesize,
  SEED_FIXTURE,
  statementBySid,
} from './support';
import { BuildEnvironment, BuildEnvironmentProps } from '../src/build-environment';
import { DeliveryRoles } from '../src/delivery-roles';
import { PORTFOLIO_FEATURE_FLAGS } from '../src/feature-flags';
import { ExternalDataSource, JobRoles } from '../src/job-roles';
import { LoopParameters } from '../src/loop-parameters';
import { LOOP_REPOSITORIES, type LoopRepository } from '../src/project-loop';
import { ProjectNames } from '../src/project-names';
import { ProjectSourceRepository, RepositoryProviderParameters } from '../src/project-repositories';
import { ProjectStorage } from '../src/project-storage';
import { SageMakerProjectProductStack } from '../src/sagemaker-project-product-stack';
import { SeededRepositoryPipelineProps } from '../src/seeded-repository-pipeline';

export { statementBySid };

// The seeded repositories of the loop: ProjectLoop's own list.
export { LOOP_REPOSITORIES, type LoopRepository };

/** A product stack with a template's data source parameters. */
export interface ProductFixture {
  readonly app: ReturnType<typeof productStack>['app'];
  readonly stack: SageMakerProjectProductStack;
  readonly names: ProjectNames;
  /** The data source a template passes JobRoles. */
  readonly dataSource: ExternalDataSource;
  /** A configuration document a template passes LoopParameters. */
  readonly config: Record<string, string>;
}

/** A bare Stack in an App with the portfolio's feature flags (as the product stacks are built). */
export function loopStack(): ReturnType<typeof bareStack> {
  return bareStack({ context: PORTFOLIO_FEATURE_FLAGS });
}

/** A minimal product stack with DataSourceType / DataSourceLocation parameters and their conditions. */
export function productFixture(): ProductFixture {
  const { app, stack, names } = productStack({ bundling: false, context: PORTFOLIO_FEATURE_FLAGS });
  const type = new CfnParameter(stack, 'DataSourceType', {
    allowedValues: ['synthetic', 's3', 'feature-group'],
    default: 'synthetic',
  });
  const location = new CfnParameter(stack, 'DataSourceLocation', { default: 'none' });
  const isS3Source = new CfnCondition(stack, 'IsS3Source', { expression: Fn.conditionEquals(type, 's3') });
  const isFeatureGroupSource = new CfnCondition(stack, 'IsFeatureGroupSource', {
    expression: Fn.conditionEquals(type, 'feature-group'),
  });
  return {
    app,
    stack,
    names,
    dataSource: { location: location.valueAsString, isS3Source, isFeatureGroupSource },
    config: { dataSourceType: type.valueAsString, targetColumn: 'y' },
  };
}

/** Synthesizes the app and returns the product stack's template. */
export function productTemplate(f: ProductFixture): Template {
  return synthesize(f.app, f.stack);
}

/** The parts a pipeline is built from, in a product fixture. */
export interface PipelineFixture extends ProductFixture {
  readonly storage: ProjectStorage;
  readonly topic: sns.Topic;
  readonly deliveryRoles: DeliveryRoles;
  readonly repositories: Record<LoopRepository, ProjectSourceRepository>;
  /** The props the build environment was made with. */
  readonly buildEnvironmentProps: BuildEnvironmentProps;
  /** Props of the pipeline of `repo`. */
  pipelineProps(repo: LoopRepository): SeededRepositoryPipelineProps;
}

/** Storage, roles, build environment, repositories and a seeding stand-in, ready for a pipeline. */
export function pipelineFixture(): PipelineFixture {
  const f = productFixture();
  const { stack, names } = f;
  const storage = new ProjectStorage(stack, 'Storage', { names });
  const topic = new sns.Topic(stack, 'Topic');
  const jobRoles = new JobRoles(stack, 'JobRoles', { names, storage, dataSource: f.dataSource });
  const loopParameters = new LoopParameters(stack, 'LoopParameters', { names, config: f.config });
  const provider = new RepositoryProviderParameters(stack, 'RepositorySource', {
    repositories: [...LOOP_REPOSITORIES],
  });
  const repositories = Object.fromEntries(
    LOOP_REPOSITORIES.map((repo) => [
      repo,
      new ProjectSourceRepository(stack, `${repo}-repository`, {
        names,
        repository: repo,
        description: repo,
        seedDirectory: SEED_FIXTURE,
        vendoredPackages: [],
        provider,
      }),
    ]),
  ) as Record<LoopRepository, ProjectSourceRepository>;
  const buildEnvironmentProps: BuildEnvironmentProps = {
    names,
    storage,
    jobRoles,
    loopParameters,
    templateVariables: { FREQUENCY: '1H' },
    topic,
    repositoryProvider: provider,
  };
  const buildEnvironment = new BuildEnvironment(stack, 'BuildEnvironment', buildEnvironmentProps);
  const seeding = { resource: new CustomResource(stack, 'Seeding', { serviceToken: topic.topicArn }) };
  const deliveryRoles = new DeliveryRoles(stack, 'DeliveryRoles', { names, jobRoles, key: storage.key });
  return {
    ...f,
    storage,
    topic,
    deliveryRoles,
    repositories,
    buildEnvironmentProps,
    pipelineProps: (repo) => ({
      names,
      sourceRepository: repositories[repo],
      repositoryProvider: provider,
      seeding,
      deliveryRoles,
      buildEnvironment,
      artifactBucket: storage.projectBucket,
    }),
  };
}

/** A stage of a synthesized CodePipeline. */
export interface PipelineStage {
  readonly Name: string;
  readonly Actions: Array<{ Name: string }>;
}

/** The stages of the pipeline whose name contains `name`, in the fixture's synthesized template. */
export function stagesOf(f: ProductFixture, name: string): PipelineStage[] {
  const pipelines = productTemplate(f).findResources('AWS::CodePipeline::Pipeline');
  const found = Object.values(pipelines).find((p) => JSON.stringify(p.Properties.Name).includes(name));
  if (!found) throw new Error(`no pipeline ${name}`);
  return found.Properties.Stages as PipelineStage[];
}
