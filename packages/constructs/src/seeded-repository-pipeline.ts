// Base of the three pipelines of a project (model-build, model-deploy, monitoring): a CodePipeline
// V2 named after its seeded repository, on the project bucket, run as the shared pipeline role, created
// only once the third-party repositories were seeded, with the repository's Source stage first.
import { Fn, Tags } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BuildEnvironment } from './build-environment';
import { DeliveryRoles } from './delivery-roles';
import { LoopLayer } from './loop-layer';
import { toPascalCase } from './naming';
import { ProjectNames } from './project-names';
import { ProjectSourceRepository, RepositoryProviderParameters } from './project-repositories';
import { ThirdPartyRepositorySeeding } from './third-party-repository-seeding';

/** Properties of every {@link SeededRepositoryPipeline}. */
export interface SeededRepositoryPipelineProps {
  /** Names of the project. */
  readonly names: ProjectNames;
  /** The seeded repository the pipeline follows (its Source stage). */
  readonly sourceRepository: ProjectSourceRepository;
  /** Where the repositories live. */
  readonly repositoryProvider: RepositoryProviderParameters;
  /** The seeding of third-party repositories (its custom resource): the pipeline is created after it. */
  readonly seeding: Pick<ThirdPartyRepositorySeeding, 'resource'>;
  /** Pipeline, deploy and events roles. */
  readonly deliveryRoles: DeliveryRoles;
  /** The CodeBuild role, environment and project factory. */
  readonly buildEnvironment: BuildEnvironment;
  /** The artifact bucket (the project bucket). */
  readonly artifactBucket: s3.IBucket;
}

/** A pipeline of one seeded repository. */
export abstract class SeededRepositoryPipeline extends LoopLayer {
  /** The CodePipeline. */
  public readonly pipeline: codepipeline.Pipeline;
  /** The Source stage's output. */
  public readonly source: codepipeline.Artifact;
  /** Rules that start this pipeline (the CodeCommit push trigger, when there is one). */
  public readonly eventRules: events.Rule[] = [];

  constructor(
    scope: Construct,
    id: string,
    repository: string,
    props: SeededRepositoryPipelineProps,
    variables?: codepipeline.Variable[],
  ) {
    super(scope, id);
    const { names } = props;
    if (props.sourceRepository.codeCommitRepositoryName !== names.repository(repository)) {
      throw new Error(
        `sourceRepository: must be the ${repository} repository, got ${props.sourceRepository.node.path}`,
      );
    }
    this.pipeline = new codepipeline.Pipeline(this.resourceScope, `${toPascalCase(repository)}Pipeline`, {
      pipelineName: names.repository(repository),
      pipelineType: codepipeline.PipelineType.V2,
      role: props.deliveryRoles.pipelineRole,
      usePipelineRoleForActions: true,
      artifactBucket: props.artifactBucket,
      restartExecutionOnUpdate: false,
      variables,
    });
    // Created after the third-party repositories were seeded (the first execution finds code).
    Tags.of(this.pipeline).add(
      'sagemaker:seeding',
      Fn.conditionIf(
        props.repositoryProvider.useCodeConnection.logicalId,
        props.seeding.resource.ref,
        'none',
      ).toString(),
    );
    this.source = props.sourceRepository.addSourceStage(this.pipeline, props.deliveryRoles.eventsRole);
    if (props.sourceRepository.pushRule) this.eventRules.push(props.sourceRepository.pushRule);
  }
}
