// Where a project's seeded repositories live: CodeCommit (created and seeded by the product) or
// existing GitHub/GitLab/Bitbucket repositories reached through an AWS CodeConnections
// connection, chosen by the `RepositoryProvider` parameter. `ProjectSourceRepository` hides the
// difference from the pipelines: one source action whose provider and configuration follow the
// parameter, CodeCommit resources that exist only for CodeCommit, and connection permissions
// scoped to the given connection ARN.
import { Arn, ArnFormat, CfnCondition, CfnParameter, CfnRule, Fn, Lazy, Stack, Tags } from 'aws-cdk-lib';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { applyCondition } from './conditions';
import { toPascalCase } from './naming';
import { ProjectNames } from './project-names';
import { SageMakerProjectProductStack } from './sagemaker-project-product-stack';
import { SeededRepository, VendoredPackage } from './seeded-repository';

/** Values of the `RepositoryProvider` parameter. */
export const REPOSITORY_PROVIDERS = ['CodeCommit', 'CodeConnection'] as const;

/** Pattern of a CodeConnections (or legacy CodeStar Connections) connection ARN, or `none` (CodeCommit). */
export const CONNECTION_ARN_PATTERN =
  '^none$|^arn:aws(-cn|-us-gov)?:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[A-Za-z0-9-]+$';
/**
 * Default of the connection ARN parameter: `none` (Studio rejects empty defaults). No ARN literal
 * may land in the template (an `arn:aws:` default is rejected by IAM in the aws-cn and aws-us-gov
 * partitions); every statement that names the connection lives in a policy that exists only under
 * the `UseCodeConnection` condition, and the Rule refuses `none` for CodeConnection.
 */
export const UNUSED_CONNECTION_ARN = 'none';
/** Pattern of a full repository id (`owner/name`, GitLab groups allowed), or `none`. */
export const REPOSITORY_ID_PATTERN = '^(none|[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+)$';

/** Properties of {@link RepositoryProviderParameters}. */
export interface RepositoryProviderParametersProps {
  /** Names of the seeded repositories (e.g. `model-build`); one repository-id parameter each. */
  readonly repositories: string[];
}

/** The repository provider parameters, their conditions and cross-parameter Rules. */
export class RepositoryProviderParameters extends Construct {
  /** `CodeCommit` or `CodeConnection`. */
  public readonly provider: CfnParameter;
  /** The connection ARN (`none` for CodeCommit). */
  public readonly connectionArn: CfnParameter;
  /** Branch the pipelines follow and seeding writes. */
  public readonly branch: CfnParameter;
  /** Full repository id (`owner/name`) per repository name. */
  public readonly repositoryIds: Record<string, CfnParameter>;
  /** True for CodeCommit. */
  public readonly useCodeCommit: CfnCondition;
  /** True for a CodeConnections provider. */
  public readonly useCodeConnection: CfnCondition;
  private readonly connectionPolicies = new Map<iam.IRole, iam.Policy>();

  constructor(stack: SageMakerProjectProductStack, id: string, props: RepositoryProviderParametersProps) {
    super(stack, id);
    if (props.repositories.length === 0) throw new Error('repositories: at least one repository is required');
    this.provider = stack.addOptionalParameter('RepositoryProvider', {
      type: 'String',
      description:
        'Where the seeded repositories live: CodeCommit (created by the project) or CodeConnection (existing, empty GitHub/GitLab/Bitbucket repositories).',
      allowedValues: [...REPOSITORY_PROVIDERS],
      default: 'CodeCommit',
    });
    this.connectionArn = stack.addOptionalParameter('CodeConnectionArn', {
      type: 'String',
      description:
        'CodeConnection provider only: ARN of an AVAILABLE AWS CodeConnections connection in this region, tagged sagemaker=true (keep none for CodeCommit).',
      allowedPattern: CONNECTION_ARN_PATTERN,
      constraintDescription: 'none, or a codeconnections/codestar-connections connection ARN',
      default: UNUSED_CONNECTION_ARN,
    });
    this.branch = stack.addOptionalParameter('RepositoryBranch', {
      type: 'String',
      description:
        'CodeConnection provider only: branch the pipelines follow and the seed code is pushed to.',
      allowedPattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$',
      default: 'main',
    });
    this.repositoryIds = Object.fromEntries(
      props.repositories.map((repo) => [
        repo,
        stack.addOptionalParameter(`${toPascalCase(repo)}RepositoryId`, {
          type: 'String',
          description: `CodeConnection provider only: full id (owner/name) of the existing, empty ${repo} repository.`,
          allowedPattern: REPOSITORY_ID_PATTERN,
          constraintDescription: 'none or owner/name',
          default: 'none',
        }),
      ]),
    );
    this.useCodeCommit = new CfnCondition(stack, 'UseCodeCommit', {
      expression: Fn.conditionEquals(this.provider.valueAsString, 'CodeCommit'),
    });
    this.useCodeConnection = new CfnCondition(stack, 'UseCodeConnection', {
      expression: Fn.conditionEquals(this.provider.valueAsString, 'CodeConnection'),
    });
    new CfnRule(stack, 'CodeConnectionNeedsConnectionAndRepositories', {
      ruleCondition: Fn.conditionEquals(this.provider.valueAsString, 'CodeConnection'),
      assertions: [
        {
          assert: Fn.conditionNot(
            Fn.conditionEquals(this.connectionArn.valueAsString, UNUSED_CONNECTION_ARN),
          ),
          assertDescription: 'CodeConnectionArn is required when RepositoryProvider is CodeConnection',
        },
        ...props.repositories.map((repo) => ({
          assert: Fn.conditionNot(Fn.conditionEquals(this.repositoryIds[repo].valueAsString, 'none')),
          assertDescription: `${toPascalCase(repo)}RepositoryId (owner/name) is required when RepositoryProvider is CodeConnection`,
        })),
      ],
    });
  }

  /**
   * Lets a role use the given connection, and only that one. The statement lives in one policy per
   * role that exists only with the `UseCodeConnection` condition (with CodeCommit there is no
   * connection to name). Returns that policy, so that what needs the permission at creation can
   * depend on it. No project role is granted PassConnection: the permissions boundary admits none
   * (it would be capped away); the launch role passes the connection to CodePipeline.
   */
  public grantUseConnection(role: iam.IRole): iam.Policy {
    const existing = this.connectionPolicies.get(role);
    if (existing) return existing;
    const policy = new iam.Policy(this, `ConnectionUse${this.connectionPolicies.size + 1}`, {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'],
          resources: this.connectionArns(),
        }),
      ],
    });
    this.connectionPolicies.set(role, policy);
    applyCondition(policy, this.useCodeConnection);
    return policy;
  }

  /**
   * Makes `scope` (e.g. a pipeline, whose first execution starts at creation) wait for every
   * connection grant: a tag that names the conditional policies under the same condition (a
   * DependsOn on a conditional resource is invalid, cfn-lint E3005).
   */
  public dependOnConnectionGrants(scope: Construct): void {
    Tags.of(scope).add(
      'sagemaker:connection-grants',
      Lazy.string({
        produce: () =>
          Fn.conditionIf(
            this.useCodeConnection.logicalId,
            Fn.join(
              ' ',
              [...this.connectionPolicies.values()].map((p) => (p.node.defaultChild as iam.CfnPolicy).ref),
            ),
            'none',
          ).toString(),
      }),
    );
  }

  /**
   * The connection named by the parameter, in both service prefixes (CodeConnections User Guide:
   * connections created under either prefix answer to both), rebuilt from its id in this
   * partition, region and account: a connection elsewhere is out of reach, and no partition
   * literal lands in the template.
   */
  private connectionArns(): string[] {
    const id = Fn.select(1, Fn.split('connection/', this.connectionArn.valueAsString));
    const stack = Stack.of(this);
    return ['codeconnections', 'codestar-connections'].map((service) =>
      stack.formatArn({
        service,
        resource: 'connection',
        resourceName: id,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    );
  }
}

/** Properties of {@link ProjectSourceRepository}. */
export interface ProjectSourceRepositoryProps {
  /** The project's names. */
  readonly names: ProjectNames;
  /** Repository name within the template (e.g. `model-build`). */
  readonly repository: string;
  /** Repository description. */
  readonly description: string;
  /** Seed folder (CodeCommit initial commit; pushed by the seeding job for CodeConnection). */
  readonly seedDirectory: string;
  /**
   * Workspace packages vendored into the repository.
   * @default - none
   */
  readonly vendoredPackages?: VendoredPackage[];
  /** The provider parameters. */
  readonly provider: RepositoryProviderParameters;
}

/** One seeded repository, whatever the provider, and the source stage of its pipeline. */
export class ProjectSourceRepository extends Construct {
  /** Name of the CodeCommit repository (exists only when CodeCommit is the provider). */
  public readonly codeCommitRepositoryName: string;
  /** The CodeCommit repository (conditional). */
  public readonly codeCommit: SeededRepository;
  /** The CodeCommit push trigger (conditional), once `addSourceStage` ran. */
  public pushRule?: events.Rule;
  private readonly props: ProjectSourceRepositoryProps;

  constructor(scope: Construct, id: string, props: ProjectSourceRepositoryProps) {
    super(scope, id);
    this.props = props;
    const { names, provider } = props;
    if (!Object.hasOwn(provider.repositoryIds, props.repository)) {
      throw new Error(
        `repository: '${props.repository}' is not one of the provider's repositories (${Object.keys(provider.repositoryIds).join(', ')})`,
      );
    }
    this.codeCommitRepositoryName = names.repository(props.repository);
    const codeCommitOnly = new Construct(this, 'CodeCommit');
    this.codeCommit = new SeededRepository(codeCommitOnly, 'Seeded', {
      repositoryName: this.codeCommitRepositoryName,
      description: props.description,
      seedDirectory: props.seedDirectory,
      vendoredPackages: props.vendoredPackages,
    });
    // Studio lists registered Git repositories: CodeCommit needs no credentials secret.
    new sagemaker.CfnCodeRepository(codeCommitOnly, 'StudioRepository', {
      codeRepositoryName: names.short(props.repository),
      gitConfig: {
        repositoryUrl: this.codeCommit.repository.repositoryCloneUrlHttp,
        branch: this.codeCommit.branch,
      },
    });
    applyCondition(codeCommitOnly, provider.useCodeCommit);
  }

  /**
   * Adds the Source stage (first stage) to a pipeline: a CodeCommit source action for CodeCommit,
   * a CodeStarSourceConnection action for a connection, both with CODEBUILD_CLONE_REF output (git
   * history for the builds), and the push trigger.
   */
  public addSourceStage(pipeline: codepipeline.Pipeline, eventsRole: iam.IRole): codepipeline.Artifact {
    const { names, provider } = this.props;
    if (pipeline.stageCount !== 0) {
      throw new Error('addSourceStage: the Source stage must be the first stage');
    }
    const output = new codepipeline.Artifact('Source');
    const stack = Stack.of(this);
    // Imported by name: no reference to the conditional repository resource.
    const byName = codecommit.Repository.fromRepositoryName(this, 'ByName', this.codeCommitRepositoryName);
    pipeline.addStage({
      stageName: 'Source',
      actions: [
        new actions.CodeCommitSourceAction({
          actionName: 'Source',
          repository: byName,
          branch: this.codeCommit.branch,
          output,
          trigger: actions.CodeCommitTrigger.NONE,
          codeBuildCloneOutput: true,
        }),
      ],
    });
    const cfnPipeline = pipeline.node.defaultChild as codepipeline.CfnPipeline;
    const repositoryId = provider.repositoryIds[this.props.repository].valueAsString;
    cfnPipeline.addPropertyOverride(
      'Stages.0.Actions.0.ActionTypeId.Provider',
      Fn.conditionIf(provider.useCodeCommit.logicalId, 'CodeCommit', 'CodeStarSourceConnection'),
    );
    cfnPipeline.addPropertyOverride(
      'Stages.0.Actions.0.Configuration',
      Fn.conditionIf(
        provider.useCodeCommit.logicalId,
        {
          RepositoryName: this.codeCommitRepositoryName,
          BranchName: this.codeCommit.branch,
          PollForSourceChanges: false,
          OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
        },
        {
          ConnectionArn: provider.connectionArn.valueAsString,
          FullRepositoryId: repositoryId,
          BranchName: provider.branch.valueAsString,
          OutputArtifactFormat: 'CODEBUILD_CLONE_REF',
          DetectChanges: true,
        },
      ),
    );
    // UseConnection only: CodePipeline uses the connection with the pipeline role (CodePipeline User
    // Guide, "CodeStarSourceConnection …", service role permissions). PassConnection is the launch
    // role's (CloudFormation passes the connection when it creates the pipeline); the boundary admits
    // no PassConnection for project roles, so a grant here would be capped away (dead).
    provider.grantUseConnection(pipeline.role);
    // The pipeline is created (and its first execution started) once its role, and the build role
    // its actions run with, may use the connection.
    provider.dependOnConnectionGrants(pipeline);
    // The pipeline is created after its CodeCommit repository (or records the external repository).
    Tags.of(pipeline).add(
      'sagemaker:source-repository',
      Fn.conditionIf(
        provider.useCodeCommit.logicalId,
        this.codeCommit.repository.repositoryName,
        repositoryId,
      ).toString(),
    );

    this.pushRule = new events.Rule(this, 'PushRule', {
      ruleName: names.short(`${this.props.repository}-push`),
      description: `Runs the ${this.props.repository} pipeline on every push to ${this.codeCommit.branch}`,
      eventPattern: {
        source: ['aws.codecommit'],
        detailType: ['CodeCommit Repository State Change'],
        resources: [Arn.format({ service: 'codecommit', resource: this.codeCommitRepositoryName }, stack)],
        detail: {
          event: ['referenceCreated', 'referenceUpdated'],
          referenceType: ['branch'],
          referenceName: [this.codeCommit.branch],
        },
      },
      targets: [new targets.CodePipeline(pipeline, { eventRole: eventsRole })],
    });
    applyCondition(this.pushRule, provider.useCodeCommit);
    return output;
  }
}

/** One seeded repository of a template, as its CDK-free `seeded-repositories.ts` describes it. */
export interface SeededRepositorySpec {
  /** Repository name within the template (e.g. `model-build`). */
  readonly name: string;
  /** Repository description. */
  readonly description: string;
  /** Seed folder. */
  readonly seedDirectory: string;
  /** Workspace packages vendored into the repository. */
  readonly vendoredPackages: VendoredPackage[];
}

/**
 * The seeded repositories of a project, by name: one {@link ProjectSourceRepository} per spec, with the
 * construct id `<Repo>Repository` in `scope` (the ids both templates' stacks have always used).
 */
export function projectSourceRepositories<Name extends string>(
  scope: Construct,
  names: ProjectNames,
  provider: RepositoryProviderParameters,
  specs: readonly (SeededRepositorySpec & { readonly name: Name })[],
): Record<Name, ProjectSourceRepository> {
  return Object.fromEntries(
    specs.map((spec) => [
      spec.name,
      new ProjectSourceRepository(scope, `${toPascalCase(spec.name)}Repository`, {
        names,
        repository: spec.name,
        description: spec.description,
        seedDirectory: spec.seedDirectory,
        vendoredPackages: spec.vendoredPackages,
        provider,
      }),
    ]),
  ) as Record<Name, ProjectSourceRepository>;
}

/**
 * The specs of a template's seeded repositories, in the order of its table (`SEEDED_REPOSITORIES` of
 * its CDK-free `seeded-repositories.ts`, with that module's folder and vendoring functions).
 */
export function seededRepositorySpecs<Name extends string>(
  repositories: Readonly<Record<Name, { readonly description: string }>>,
  seedDirectoryOf: (name: Name) => string,
  vendoredPackagesOf: (name: Name) => VendoredPackage[],
): (SeededRepositorySpec & { readonly name: Name })[] {
  return (Object.keys(repositories) as Name[]).map((name) => ({
    name,
    description: repositories[name].description,
    seedDirectory: seedDirectoryOf(name),
    vendoredPackages: vendoredPackagesOf(name),
  }));
}
