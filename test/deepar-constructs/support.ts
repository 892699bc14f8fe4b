// Shared set-up of the tests of the DeepAR template's constructs (templates/deepar-forecasting/
// constructs/): a bare Stack, a minimal product stack with the template's parameters (the parts that
// read them need a SageMakerProjectProductStack), and the parts a pipeline is built from.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ProjectNames,
  ProjectSourceRepository,
  RepositoryProviderParameters,
  SageMakerProjectProductStack,
} from '@mlops-templates/constructs';
import { App, CustomResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FEATURE_FLAGS } from '../../portfolio/app';
import {
  BuildEnvironment,
  BuildEnvironmentProps,
} from '../../templates/deepar-forecasting/constructs/build-environment';
import { DeliveryRoles } from '../../templates/deepar-forecasting/constructs/delivery-roles';
import { JobRoles } from '../../templates/deepar-forecasting/constructs/job-roles';
import { LoopParameters } from '../../templates/deepar-forecasting/constructs/loop-parameters';
import { ProjectStorage } from '../../templates/deepar-forecasting/constructs/project-storage';
import { SeededRepositoryPipelineProps } from '../../templates/deepar-forecasting/constructs/seeded-repository-pipeline';
import { declareDeepArParameters, DeepArParameters } from '../../templates/deepar-forecasting/parameters';
import {
  SeededRepositoryName,
  SEEDED_REPOSITORY_NAMES,
} from '../../templates/deepar-forecasting/seeded-repositories';

const ENV = { account: '123456789012', region: 'eu-west-1' } as const;
const SEED_FIXTURE = path.join(__dirname, 'fixtures', 'seed');

/** An App that skips asset bundling (`aws:cdk:bundling-stacks`): the bundles are not what these tests check. */
function testApp(): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'deepar-constructs-')),
    // The portfolio app's feature flags (access logs through a bucket policy...), as in the product.
    context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] },
  });
}

/** A bare Stack with a concrete environment. */
export function bareStack(): Stack {
  return new Stack(testApp(), 'Test', { env: ENV });
}

/** Names of a project with a literal name and id, for bare stacks. */
export function literalNames(): ProjectNames {
  return new ProjectNames('demo', 'p-abc123def456');
}

/** A product stack (inside a parent owning its asset bucket) with the DeepAR template's parameters. */
export interface ProductFixture {
  readonly app: App;
  readonly stack: SageMakerProjectProductStack;
  readonly names: ProjectNames;
  readonly parameters: DeepArParameters;
}

/** A minimal product stack with the DeepAR template's parameters. */
export function productFixture(): ProductFixture {
  const app = testApp();
  const parent = new Stack(app, 'Portfolio', { env: ENV });
  const assetBucket = new s3.Bucket(parent, 'Assets', { bucketName: 'sagemaker-test-assets' });
  const stack = new SageMakerProjectProductStack(parent, 'Product', { assetBucket });
  return {
    app,
    stack,
    names: new ProjectNames(stack.project.projectName, stack.project.projectId),
    parameters: declareDeepArParameters(stack),
  };
}

/** Synthesizes the app and returns the product stack's template (Template.fromStack cannot load a ProductStack). */
export function productTemplate(f: ProductFixture): Template {
  const assembly = f.app.synth();
  return Template.fromJSON(
    JSON.parse(fs.readFileSync(path.join(assembly.directory, f.stack.templateFile), 'utf8')),
  );
}

/** The parts a pipeline is built from, in a product fixture. */
export interface PipelineFixture extends ProductFixture {
  readonly storage: ProjectStorage;
  readonly topic: sns.Topic;
  readonly deliveryRoles: DeliveryRoles;
  readonly repositories: Record<SeededRepositoryName, ProjectSourceRepository>;
  /** The props the build environment was made with. */
  readonly buildEnvironmentProps: BuildEnvironmentProps;
  /** Props of the pipeline of `repo`. */
  pipelineProps(repo: SeededRepositoryName): SeededRepositoryPipelineProps;
}

/** Storage, roles, build environment, repositories and a seeding stand-in, ready for a pipeline. */
export function pipelineFixture(): PipelineFixture {
  const f = productFixture();
  const { stack, names, parameters } = f;
  const storage = new ProjectStorage(stack, 'Storage', { names });
  const topic = new sns.Topic(stack, 'Topic');
  const jobRoles = new JobRoles(stack, 'JobRoles', { names, storage, parameters });
  const loopParameters = new LoopParameters(stack, 'LoopParameters', { names, parameters });
  const provider = new RepositoryProviderParameters(stack, 'RepositorySource', {
    repositories: SEEDED_REPOSITORY_NAMES,
  });
  const repositories = Object.fromEntries(
    SEEDED_REPOSITORY_NAMES.map((repo) => [
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
  ) as Record<SeededRepositoryName, ProjectSourceRepository>;
  const buildEnvironmentProps: BuildEnvironmentProps = {
    names,
    storage,
    jobRoles,
    loopParameters,
    parameters,
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

/** The IAM statement with this Sid in the template (exactly one). */
export function statementBySid(template: Template, sid: string): Record<string, unknown> {
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
  );
  const found = statements.filter((s) => s.Sid === sid);
  if (found.length !== 1) throw new Error(`expected one statement with Sid ${sid}, found ${found.length}`);
  return found[0];
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
