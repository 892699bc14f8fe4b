// Seeds existing, empty third-party repositories (through an AWS CodeConnections connection) at
// project creation, and again when an update changes the connection, a repository id or the branch:
// a CodeBuild job pushes each seed folder (plus its vendored packages and the seed marker file) with
// the connection's git-http endpoint, only where the target branch does not exist (an existing branch
// is this seed — already-seeded — or a failure naming what was found), and a custom resource starts
// it and waits for it (bounded), failing the creation or update with the provider's message when
// seeding fails. It starts the build only once the build role's policies exist. Exists only when the
// provider is CodeConnection.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CustomResource, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { applyCondition } from './conditions';
import { ProjectFunction } from './project-function';
import { ProjectNames } from './project-names';
import { RepositoryProviderParameters } from './project-repositories';
import { seedCopies, VendoredPackage } from './seeded-repository';

/** A repository to seed. */
export interface RepositoryToSeed {
  /** Repository name within the template (e.g. `model-build`). */
  readonly name: string;
  /** Seed folder. */
  readonly seedDirectory: string;
  /** Workspace packages vendored into it. */
  readonly vendoredPackages: VendoredPackage[];
}

/** Properties of {@link ThirdPartyRepositorySeeding}. */
export interface ThirdPartyRepositorySeedingProps {
  /** The project's names. */
  readonly names: ProjectNames;
  /** The provider parameters (connection, repository ids, branch). */
  readonly provider: RepositoryProviderParameters;
  /** Repositories to seed. */
  readonly repositories: RepositoryToSeed[];
  /** Entry of the seeding script run in CodeBuild (`seed-repositories.ts`). */
  readonly scriptEntry: string;
  /** Entry of the custom resource handler (`seed-repositories-resource.ts`). */
  readonly resourceHandlerEntry: string;
  /** Bucket receiving the seeding report. */
  readonly reportBucket: s3.IBucket;
  /** The project key. */
  readonly key: kms.IKey;
}

/** CodeBuild seeding job + custom resource, conditional on the CodeConnection provider. */
export class ThirdPartyRepositorySeeding extends Construct {
  /** The seeding custom resource (its `Summary` attribute lists per-repository results). */
  public readonly resource: CustomResource;
  /** The CodeBuild project. */
  public readonly project: codebuild.Project;

  constructor(scope: Construct, id: string, props: ThirdPartyRepositorySeedingProps) {
    super(scope, id);
    const { names, provider } = props;
    const bundle = new s3assets.Asset(this, 'Bundle', {
      path: stageBundle(props.scriptEntry, props.repositories),
    });
    // Its own role, which exists only with the CodeConnection provider like everything it touches.
    const buildRole = new iam.Role(this, 'Role', {
      roleName: names.short('seed-repositories-build'),
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: 'Pushes the seed code into the third-party repositories of the project',
    });
    props.key.grantEncryptDecrypt(buildRole);
    // The bundle object only (the product asset bucket holds every product's assets).
    buildRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [bundle.bucket.arnForObjects(bundle.s3ObjectKey)],
      }),
    );
    buildRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:GetBucketAcl'],
        resources: [bundle.bucket.bucketArn],
      }),
    );
    const connectionPolicy = provider.grantUseConnection(buildRole);
    const reportKey = 'seeding/seed-report.json';
    props.reportBucket.grantPut(buildRole, reportKey);

    const projectName = names.seedingProject;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/codebuild/${projectName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const seedRepositories = Fn.toJsonString(
      props.repositories.map((r) => ({
        name: r.name,
        repositoryId: provider.repositoryIds[r.name].valueAsString,
        directory: `seed/${r.name}`,
      })),
    );
    this.project = new codebuild.Project(this, 'Project', {
      projectName,
      description:
        'Pushes the seed code into the empty third-party repositories of the project (once, at creation)',
      role: buildRole,
      encryptionKey: props.key,
      source: codebuild.Source.s3({ bucket: bundle.bucket, path: bundle.s3ObjectKey }),
      environment: {
        buildImage: codebuild.LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
        computeType: codebuild.ComputeType.SMALL,
        environmentVariables: {
          CONNECTION_ARN: { value: provider.connectionArn.valueAsString },
          REPOSITORY_BRANCH: { value: provider.branch.valueAsString },
          SEED_REPOSITORIES: { value: seedRepositories },
          SEED_REPORT_S3_URI: { value: `s3://${props.reportBucket.bucketName}/${reportKey}` },
          SAGEMAKER_PROJECT_NAME: { value: names.projectName },
        },
      },
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        phases: {
          install: {
            'runtime-versions': { nodejs: 20 },
            commands: [
              // SigV4 credentials (the build role) for the connection's git-http endpoint. AWS
              // documents reads through a connection (CodePipeline User Guide,
              // "CodeStarSourceConnection …": the full clone is for CodeBuild; CodeBuild User Guide,
              // "Access your source provider in CodeBuild"), not a push: the seeding's push is
              // undocumented, needs nothing beyond UseConnection, and a refusal fails the repository
              // with the provider's answer and the way around it (templates/deepar-forecasting/README.md,
              // "How the seed is pushed").
              "git config --global credential.helper '!aws codecommit credential-helper $@'",
              'git config --global credential.UseHttpPath true',
            ],
          },
          build: { commands: ['node seed-repositories.js'] },
        },
      }),
      timeout: Duration.minutes(20),
      logging: { cloudWatch: { logGroup } },
    });

    const handler = new ProjectFunction(this, 'Handler', {
      functionName: names.short('seed-repositories'),
      entry: props.resourceHandlerEntry,
      description: 'Runs the repository seeding job once at project creation and reports its result',
      encryptionKey: props.key,
      timeout: Duration.minutes(15),
    });
    handler.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RunSeedingJob',
        actions: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds', 'codebuild:StopBuild'],
        resources: [this.project.projectArn],
      }),
    );
    props.reportBucket.grantRead(handler.role, reportKey);
    // Lets a missing report read as "not found" rather than AccessDenied.
    handler.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SeeWhetherTheReportExists',
        actions: ['s3:ListBucket'],
        resources: [props.reportBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['seeding/*'] } },
      }),
    );
    props.key.grantDecrypt(handler.role);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.function.functionArn,
      resourceType: 'Custom::SageMakerProjectRepositorySeeding',
      serviceTimeout: Duration.minutes(20),
      properties: {
        ProjectName: this.project.projectName,
        ReportBucket: props.reportBucket.bucketName,
        ReportKey: reportKey,
        // Passed to the build as overrides; a change on update seeds the new targets first.
        ConnectionArn: provider.connectionArn.valueAsString,
        RepositoryBranch: provider.branch.valueAsString,
        SeedRepositories: seedRepositories,
      },
    });
    // The build runs with the role's policies: without this, CloudFormation may create the custom
    // resource (and start the build) before them, and the build fails with AccessDenied.
    this.resource.node.addDependency(buildRole, connectionPolicy);
    applyCondition(this, provider.useCodeConnection);
  }
}

/** Stages the seed folders and the bundled seeding script in a content-addressed folder. */
function stageBundle(scriptEntry: string, repositories: RepositoryToSeed[]): string {
  const script = buildSync({
    entryPoints: [scriptEntry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    write: false,
    logLevel: 'silent',
  }).outputFiles[0].contents;
  const copies = repositories.flatMap((r) =>
    seedCopies(r.seedDirectory, r.vendoredPackages).map((c) => ({
      from: c.from,
      to: path.join('seed', r.name, c.to),
    })),
  );
  const hash = crypto.createHash('sha256').update(script);
  for (const c of copies) hash.update(c.to).update(fs.readFileSync(c.from));
  const staged = path.join(os.tmpdir(), 'mlops-seeding-bundle', hash.digest('hex').slice(0, 32));
  if (!fs.existsSync(staged)) {
    const tmp = `${staged}.${process.pid}.tmp`;
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'seed-repositories.js'), script);
    for (const c of copies) {
      fs.mkdirSync(path.dirname(path.join(tmp, c.to)), { recursive: true });
      fs.copyFileSync(c.from, path.join(tmp, c.to));
    }
    try {
      fs.renameSync(tmp, staged);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return staged;
}
