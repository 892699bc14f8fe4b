// Typed, validated configuration of the portfolio app (portfolio/portfolio.config.json by default).
// A bad config fails synth with a message naming the offending field.
import * as fs from 'node:fs';
import { z } from 'zod';

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** An existing account role, by ARN (default named by the option), with the launch policy attached unless told otherwise. */
const existingRoleSchema = z.strictObject({
  mode: z.literal('existing'),
  roleArn: z
    .string()
    .regex(IAM_ROLE_ARN, 'must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)')
    .optional(),
  attachLaunchPolicy: z.boolean().default(true),
});

const launchRoleSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('dedicated'),
    roleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'must be a valid IAM role name of at most 64 characters')
      .optional(),
  }),
  existingRoleSchema,
]);

/**
 * The role that provisions projects created from the S3 templates (the `RoleARN` Studio passes in
 * `CreateProject`'s `CfnTemplateProvider`, the IAM role CloudFormation uses to create the stack:
 * CloudFormation Template Reference, "AWS::SageMaker::Project CfnTemplateProviderDetail").
 * - `launch-role`: the portfolio's dedicated launch role, whose trust is extended to CloudFormation
 *   and the Studio principals (requires `launchRole.mode` `dedicated`);
 * - `existing`: an account role, by default `AmazonSageMakerProjectsLaunchRole` (the name AWS's
 *   S3-template guidance uses), with the portfolio's launch policy attached unless told otherwise.
 */
const provisioningRoleSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('launch-role') }),
  existingRoleSchema,
]);

export const portfolioConfigSchema = z.strictObject({
  environment: z.strictObject({
    account: z.string().regex(ACCOUNT, 'must be a 12-digit AWS account id'),
    region: z.string().regex(REGION, 'must be an AWS region such as eu-west-1'),
  }),
  portfolio: z.strictObject({
    displayName: z.string().min(1).max(100),
    providerName: z.string().min(1).max(50),
    description: z.string().max(2000).default(''),
  }),
  product: z
    .strictObject({
      owner: z.string().min(1).max(8191),
      distributor: z.string().max(8191).optional(),
      supportDescription: z.string().max(8191).optional(),
      supportEmail: z.email().optional(),
      supportUrl: z.url().optional(),
    })
    .describe('Owner and support information shown on every product'),
  studioPrincipals: z
    .array(z.string().regex(IAM_ROLE_ARN, 'must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)'))
    .min(1, 'at least one Studio execution role ARN is required'),
  templates: z.array(z.string().min(1)).min(1, 'at least one template must be published'),
  launchRole: launchRoleSchema.default({ mode: 'dedicated' }),
  tagOptions: z.record(z.string().min(1).max(127), z.array(z.string().min(1).max(255)).min(1)).optional(),
  assetBucketName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
    .optional(),
  s3Templates: z
    .strictObject({
      enabled: z.boolean(),
      bucketName: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
        .optional(),
      /** Key prefix of the templates; the domain tag is `s3://<bucket>/<prefix>/`. */
      prefix: z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/,
          'must be a key prefix of lower-case path segments without leading or trailing slash',
        )
        .max(200)
        .default('templates'),
      studioOrigins: z.array(z.url()).optional(),
      /** Also publish the current unlocked (draft) version, as `<version>-draft.template.yaml`. */
      publishDraft: z.boolean().default(false),
      /** SageMaker domains the portfolio tags with `sagemaker:projectS3TemplatesLocation`. */
      domainIds: z
        .array(z.string().regex(/^d-(-*[a-z0-9]){1,61}$/, 'must be a SageMaker domain id (d-...)'))
        .default([]),
      provisioningRole: provisioningRoleSchema.default({ mode: 'launch-role' }),
    })
    .default({
      enabled: false,
      prefix: 'templates',
      publishDraft: false,
      domainIds: [],
      provisioningRole: { mode: 'launch-role' },
    }),
});

/** The validated portfolio configuration. */
export type PortfolioConfig = z.infer<typeof portfolioConfigSchema>;
/** The configuration as written in the JSON file (defaults not yet applied). */
export type PortfolioConfigInput = z.input<typeof portfolioConfigSchema>;

/** Error raised for an invalid configuration; the message lists every invalid field. */
export class PortfolioConfigError extends Error {
  constructor(
    public readonly source: string,
    public readonly fieldErrors: string[],
  ) {
    super(`Invalid portfolio config (${source}):\n${fieldErrors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'PortfolioConfigError';
  }
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    return acc ? `${acc}.${String(seg)}` : String(seg);
  }, '');
}

/**
 * Validates a configuration object.
 * @param knownTemplates names of the templates under templates/
 */
export function parsePortfolioConfig(
  input: unknown,
  knownTemplates: string[],
  source = 'config',
): PortfolioConfig {
  const result = portfolioConfigSchema.safeParse(input);
  if (!result.success) {
    throw new PortfolioConfigError(
      source,
      result.error.issues.map((i) => `${fieldPath(i.path) || '(root)'}: ${i.message}`),
    );
  }
  const config = result.data;
  const errors: string[] = [];
  config.templates.forEach((name, i) => {
    if (!knownTemplates.includes(name)) {
      errors.push(`templates[${i}]: unknown template '${name}' (known: ${knownTemplates.join(', ')})`);
    }
    if (config.templates.indexOf(name) !== i) {
      errors.push(`templates[${i}]: template '${name}' is listed twice`);
    }
  });
  config.studioPrincipals.forEach((arn, i) => {
    const account = arn.split(':')[4];
    if (account !== config.environment.account) {
      errors.push(
        `studioPrincipals[${i}]: role is in account ${account}, the portfolio in ${config.environment.account}`,
      );
    }
  });
  if (
    config.s3Templates.enabled &&
    config.s3Templates.provisioningRole.mode === 'launch-role' &&
    config.launchRole.mode !== 'dedicated'
  ) {
    errors.push(
      's3Templates.provisioningRole: mode launch-role extends the dedicated launch role, but launchRole.mode is existing; use {"mode": "existing", "roleArn": ...}',
    );
  }
  if (!config.s3Templates.enabled) {
    const set = (['publishDraft', 'domainIds'] as const).filter((k) =>
      k === 'publishDraft' ? config.s3Templates.publishDraft : config.s3Templates.domainIds.length > 0,
    );
    for (const k of set) errors.push(`s3Templates.${k}: has no effect unless s3Templates.enabled is true`);
  }
  if (errors.length > 0) throw new PortfolioConfigError(source, errors);
  return config;
}

/** Reads and validates a JSON configuration file. */
export function loadPortfolioConfig(file: string, knownTemplates: string[]): PortfolioConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PortfolioConfigError(file, [`(file): cannot read JSON: ${(e as Error).message}`]);
  }
  return parsePortfolioConfig(raw, knownTemplates, file);
}
