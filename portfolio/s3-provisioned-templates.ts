// Optional S3-provisioned templates, the path SageMaker Developer Guide "Create custom project
// templates" (section "Using a template from an Amazon S3 bucket") recommends: every released
// (locked) template version — and, when asked, the current draft — is published to a templates
// bucket as `<prefix>/<template>/<version>.template.yaml` (YAML, see cloudformation-yaml.ts) with the
// object tag `sagemaker:studio-visibility=true`; the bucket carries the CORS rule and the bucket
// policy Studio needs, and the configured domains are tagged with
// `sagemaker:projectS3TemplatesLocation = s3://<bucket>/<prefix>/`.
//
// The YAML files are written while the app synthesizes (after the product stacks have written their
// templates, so a draft is always the template of this synth) and become file assets of the portfolio
// stack; a custom resource copies each into the templates bucket with its tag.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STUDIO_VISIBILITY_TAG, TemplateDefinition } from '@mlops-templates/constructs';
import {
  attachCustomSynthesis,
  Aws,
  FileAssetPackaging,
  ISynthesisSession,
  Lazy,
  RemovalPolicy,
  Stack,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as servicecatalog from 'aws-cdk-lib/aws-servicecatalog';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { toCloudFormationYaml } from './cloudformation-yaml';
import { readVersions, snapshotDirectory } from './versions';

/** Domain tag that points Studio at the templates (SageMaker Developer Guide, same section). */
export const S3_TEMPLATES_LOCATION_TAG = 'sagemaker:projectS3TemplatesLocation';

/** Object key of a published template version. */
export function templateObjectKey(prefix: string, template: string, version: string, draft: boolean): string {
  return `${prefix}/${template}/${version}${draft ? '-draft' : ''}.template.yaml`;
}

/** One template version to publish. */
interface PublishedVersion {
  readonly template: string;
  readonly version: string;
  readonly draft: boolean;
  readonly key: string;
  /** Reads the version's JSON template during synthesis. */
  readonly read: (session: ISynthesisSession) => string;
}

/** A template whose versions are published, with its current product stack. */
export interface PublishedTemplate {
  /** The template definition (name, folder with versions.json and the snapshots). */
  readonly definition: TemplateDefinition;
  /** The product stack of the current version (its synthesized template is the draft). */
  readonly productStack: servicecatalog.ProductStack;
}

/** Properties of {@link S3ProvisionedTemplates}. */
export interface S3ProvisionedTemplatesProps {
  /** Name of the templates bucket. */
  readonly bucketName: string;
  /** Bucket receiving the server access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** The templates whose released versions are published. */
  readonly templates: PublishedTemplate[];
  /**
   * The Studio principals (execution roles of the SageMaker domain's users) that list the templates
   * and read them with their tags. SageMaker Developer Guide, "Create custom project templates" (S3
   * templates): Studio reads the bucket with the user's own role, which needs s3:ListBucket,
   * s3:GetObject and s3:GetObjectTagging (a missing GetObjectTagging is the most common reason for
   * templates not showing, per AWS's S3-templates troubleshooting in aws-samples
   * sagemaker-custom-project-templates, s3_templates/README.md).
   */
  readonly readers: iam.IPrincipal[];
  /** The role that provisions projects of this path; it reads the templates it is given. */
  readonly provisioningRole: iam.IRole;
  /**
   * Key prefix of the templates (no leading or trailing slash).
   * @default 'templates'
   */
  readonly prefix?: string;
  /**
   * Publish the current unlocked version too, as `<version>-draft.template.yaml`.
   * @default false
   */
  readonly publishDraft?: boolean;
  /**
   * Origins allowed by the CORS rule.
   * @default - the SageMaker Studio origins of every region (`https://*.sagemaker.aws`)
   */
  readonly studioOrigins?: string[];
}

/** Publishes template versions to an S3 bucket that Studio reads. */
export class S3ProvisionedTemplates extends Construct {
  /** The templates bucket. */
  public readonly bucket: s3.Bucket;
  /** The key prefix of the templates. */
  public readonly prefix: string;
  /** Object keys published. */
  public readonly keys: string[] = [];
  /** The value of the domain tag `sagemaker:projectS3TemplatesLocation`. */
  public readonly location: string;

  constructor(scope: Construct, id: string, props: S3ProvisionedTemplatesProps) {
    super(scope, id);
    if (props.readers.length === 0) throw new Error('readers: at least one Studio principal is required');
    this.prefix = props.prefix ?? 'templates';
    if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/.test(this.prefix)) {
      throw new Error(
        `prefix: '${this.prefix}' must be lower-case path segments without leading or trailing slash`,
      );
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'templates/',
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: props.studioOrigins ?? ['https://*.sagemaker.aws'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
        },
      ],
    });
    this.location = `s3://${props.bucketName}/${this.prefix}/`;
    const objects = this.bucket.arnForObjects(`${this.prefix}/*`);

    // Read-only for the Studio principals; TLS is enforced by enforceSSL's deny statement.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'StudioListsTemplates',
        principals: props.readers,
        actions: ['s3:ListBucket'],
        // No s3:prefix condition: how Studio pages the listing is not documented.
        resources: [this.bucket.bucketArn],
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'StudioReadsTemplatesAndTags',
        principals: props.readers,
        actions: ['s3:GetObject', 's3:GetObjectTagging'],
        resources: [objects],
      }),
    );
    // CloudFormation reads a TemplateURL with the credentials of the stack operation's caller, here
    // the provisioning role (CloudFormation User Guide, "Upload local files to an S3 bucket": the
    // caller needs s3:GetObject on the template).
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ProvisioningRoleReadsTemplates',
        principals: [new iam.ArnPrincipal(props.provisioningRole.roleArn)],
        actions: ['s3:GetObject'],
        resources: [objects],
      }),
    );

    const versions = this.versionsToPublish(props);
    if (versions.length === 0) {
      // Nothing released yet (and no draft asked for): the bucket exists, Studio lists no template.
      return;
    }
    const publisher = new TemplatePublisherRole(this, 'Publisher');
    for (const v of versions) {
      this.keys.push(v.key);
      this.publish(v, publisher);
    }
  }

  private versionsToPublish(props: S3ProvisionedTemplatesProps): PublishedVersion[] {
    const out: PublishedVersion[] = [];
    for (const { definition, productStack } of props.templates) {
      const dir = snapshotDirectory(definition.directory);
      const all = readVersions(definition.directory);
      for (const [i, version] of all.entries()) {
        const draft = !version.locked;
        if (draft && !props.publishDraft) continue;
        const key = templateObjectKey(this.prefix, definition.name, version.name, draft);
        if (i === all.length - 1) {
          // The current version (the draft, or a just-released version whose snapshot this synth
          // writes) is this synth's product template, written by its ProductStack before us;
          // ProductStackHistory fails the synth if a locked current version differs from its snapshot.
          out.push({
            template: definition.name,
            version: version.name,
            draft,
            key,
            read: (session) =>
              fs.readFileSync(path.join(session.assembly.outdir, productStack.templateFile), 'utf8'),
          });
          continue;
        }
        const file = fs.readdirSync(dir).find((f) => f.endsWith(`.${version.name}.product.template.json`));
        if (!file) {
          throw new Error(
            `${definition.name}: snapshot of locked version ${version.name} is missing in ${dir}`,
          );
        }
        out.push({
          template: definition.name,
          version: version.name,
          draft,
          key,
          read: () => fs.readFileSync(path.join(dir, file), 'utf8'),
        });
      }
    }
    return out;
  }

  /** Writes the YAML file asset during synthesis and copies it to the bucket with its tag. */
  private publish(v: PublishedVersion, publisher: TemplatePublisherRole): void {
    const stack = Stack.of(this);
    const id = `${v.template}-${v.version}${v.draft ? '-draft' : ''}`;
    let asset: { bucketName: string; objectKey: string; hash: string } | undefined;
    const scope = new Construct(this, id);
    attachCustomSynthesis(scope, {
      onSynthesize: (session: ISynthesisSession) => {
        const yaml = toCloudFormationYaml(JSON.parse(v.read(session)), `${v.template} ${v.version}`);
        const hash = crypto.createHash('sha256').update(yaml).digest('hex');
        const fileName = `${stack.artifactId}.${id}.${hash.slice(0, 12)}.template.yaml`;
        fs.writeFileSync(path.join(session.assembly.outdir, fileName), yaml);
        const location = stack.synthesizer.addFileAsset({
          packaging: FileAssetPackaging.FILE,
          sourceHash: hash,
          fileName,
          displayName: `${this.node.path}/${id} Template`,
        });
        asset = { bucketName: location.bucketName, objectKey: location.objectKey, hash };
      },
    });
    // Uncached: the app's prepare phase resolves every token once (looking for cross-stack references)
    // before anything synthesizes; it gets a placeholder. The stack template itself is resolved after
    // the hook above (constructs synthesize children first), so it always gets the asset.
    const after = (f: (a: NonNullable<typeof asset>) => string): string =>
      Lazy.uncachedString({
        produce: () => (asset ? f(asset) : `<${this.node.path}/${id} not synthesized yet>`),
      });
    const sourceObject = after((a) => `arn:${Aws.PARTITION}:s3:::${a.bucketName}/${a.objectKey}`);
    new cr.AwsCustomResource(scope, 'Copy', {
      installLatestAwsSdk: false,
      role: publisher.role,
      logGroup: publisher.logGroup,
      onUpdate: {
        service: 'S3',
        action: 'copyObject',
        parameters: {
          Bucket: this.bucket.bucketName,
          Key: v.key,
          CopySource: after((a) => `${a.bucketName}/${a.objectKey}`),
          ContentType: 'application/yaml',
          MetadataDirective: 'REPLACE',
          Tagging: `${STUDIO_VISIBILITY_TAG}=true`,
          TaggingDirective: 'REPLACE',
        },
        physicalResourceId: cr.PhysicalResourceId.of(after((a) => `${v.key}@${a.hash}`)),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:GetObjectTagging'],
          resources: [sourceObject],
        }),
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:PutObjectTagging'],
          resources: [this.bucket.arnForObjects(v.key)],
        }),
      ]),
    });
  }
}

/** The role and log group of the function that copies templates (no AWS managed policy). */
export class TemplatePublisherRole extends Construct {
  /** The function's role. */
  public readonly role: iam.Role;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Publishes SageMaker project templates to the Studio templates bucket',
    });
    this.logGroup.grantWrite(this.role);
  }
}
