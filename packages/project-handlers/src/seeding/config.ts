// Configuration of the repository-seeding CLI (run in a CodeBuild job), read from environment variables
// — its pick of the variables of @mlops-templates/project-contract (never declared here) — and
// validated with zod, plus the pure helpers derived
// from it: the connection ARN's parts and the git remote URL of a repository.
import { isAbsolute, resolve } from 'node:path';
import { type S3Location, tryParseS3Uri } from '@mlops-templates/metrics';
import { pickEnvironment, type ProjectVariable, readEnvironment } from '@mlops-templates/project-contract';
import { z } from 'zod';

/** Default branch seeded when REPOSITORY_BRANCH is not set. */
export const DEFAULT_SEED_BRANCH = 'main';
export const DEFAULT_GIT_AUTHOR_NAME = 'SageMaker project';
export const DEFAULT_GIT_AUTHOR_EMAIL = 'sagemaker-project@noreply.local';
/** Placeholder of GIT_REMOTE_URL_TEMPLATE replaced by the repository id (`owner/name`). */
export const REPOSITORY_ID_PLACEHOLDER = '{repositoryId}';

export type ConnectionService = 'codeconnections' | 'codestar-connections';

/** The parts of an AWS CodeConnections (or its former name, CodeStar Connections) connection ARN. */
export interface ConnectionArn {
  readonly arn: string;
  readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  readonly service: ConnectionService;
  readonly region: string;
  readonly account: string;
  readonly connectionId: string;
}

const CONNECTION_ARN_PATTERN =
  /^arn:(aws|aws-cn|aws-us-gov):(codeconnections|codestar-connections):([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):connection\/([A-Za-z0-9-]+)$/;

/** Parses a connection ARN; undefined when it is not one. */
export function parseConnectionArn(arn: string): ConnectionArn | undefined {
  const match = CONNECTION_ARN_PATTERN.exec(arn.trim());
  if (match === null) return undefined;
  return {
    arn: match[0],
    partition: match[1] as ConnectionArn['partition'],
    service: match[2] as ConnectionService,
    region: match[3],
    account: match[4],
    connectionId: match[5],
  };
}

/** Message when the connection is not in the project's region (undefined when it is). */
export function connectionRegionProblem(connection: ConnectionArn, region: string): string | undefined {
  if (connection.region === region) return undefined;
  return (
    `the connection ${connection.arn} is in ${connection.region} but the project is in ${region}: ` +
    `the connection must be in the project's region (create one in ${region})`
  );
}

/**
 * The connection's git-http endpoint for a repository:
 * `https://<service>.<region>.amazonaws.com/git-http/<account>/<region>/<connection-id>/<owner>/<repo>.git`
 * (`amazonaws.com.cn` in the China partition).
 */
export function connectionGitUrl(connection: ConnectionArn, repositoryId: string): string {
  const domain = connection.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return (
    `https://${connection.service}.${connection.region}.${domain}/git-http/` +
    `${connection.account}/${connection.region}/${connection.connectionId}/${repositoryId}.git`
  );
}

/** The remote URL of a repository: the template (tests, mirrors) or the connection's git-http endpoint. */
export function remoteUrlFor(
  repositoryId: string,
  connection: ConnectionArn,
  remoteUrlTemplate: string | undefined,
): string {
  if (remoteUrlTemplate === undefined) return connectionGitUrl(connection, repositoryId);
  return remoteUrlTemplate.split(REPOSITORY_ID_PLACEHOLDER).join(repositoryId);
}

/**
 * Whether `name` is usable as a branch name (the rules of `git check-ref-format --branch`, without
 * the `@{-N}` shorthands).
 */
export function isValidBranchName(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/')) {
    return false;
  }
  if (name.endsWith('.') || name.includes('..') || name.includes('//') || name.includes('@{')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/** One repository to seed. */
export interface SeedRepository {
  /** Short name used in logs and the report (e.g. `model-build`). */
  readonly name: string;
  /** Full repository id at the provider: `owner/name` (GitLab: `group/subgroup/name`). */
  readonly repositoryId: string;
  /** Absolute path of the folder whose files become the first commit. */
  readonly directory: string;
}

export interface SeedingConfig {
  readonly connection: ConnectionArn;
  readonly branch: string;
  readonly region: string;
  readonly repositories: readonly SeedRepository[];
  /** Where the report JSON is uploaded too (optional). */
  readonly reportS3?: { readonly bucket: string; readonly key: string };
  readonly remoteUrlTemplate?: string;
  readonly author: { readonly name: string; readonly email: string };
  readonly projectName?: string;
}

const REPOSITORY_SEGMENT = /^[A-Za-z0-9_.-]+$/;

const repositoryIdSchema = z
  .string()
  .trim()
  .refine((id) => {
    const parts = id.split('/');
    return (
      parts.length >= 2 &&
      parts.every((p) => REPOSITORY_SEGMENT.test(p) && p !== '.' && p !== '..') &&
      !id.endsWith('.git')
    );
  }, 'must be a full repository id "owner/name" (without .git)');

const seedRepositoriesSchema = z
  .array(
    z.object({
      name: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_.-]+$/, 'must be a short name (letters, digits, . _ -)'),
      repositoryId: repositoryIdSchema,
      directory: z.string().trim().min(1, 'must be a folder path'),
    }),
  )
  .min(1, 'must list at least one repository')
  .superRefine((repos, ctx) => {
    const seen = new Set<string>();
    for (const repo of repos) {
      if (seen.has(repo.name)) ctx.addIssue({ code: 'custom', message: `duplicate name "${repo.name}"` });
      seen.add(repo.name);
    }
    const ids = repos.map((r) => r.repositoryId.toLowerCase());
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', message: 'the same repositoryId is listed twice' });
    }
  });

/** Parses an object URI `s3://bucket/key` (the shared parser; the key must not be empty); undefined otherwise. */
export function parseS3ObjectUri(uri: string): S3Location | undefined {
  const location = tryParseS3Uri(uri);
  return location === undefined || location.key === '' ? undefined : location;
}

/** The contract variables the seeding script reads (@mlops-templates/project-contract). */
export const SEEDING_VARIABLES = [
  'CONNECTION_ARN',
  'REPOSITORY_BRANCH',
  'SEED_REPOSITORIES',
  'AWS_REGION',
  'SEED_REPORT_S3_URI',
  'GIT_REMOTE_URL_TEMPLATE',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'SAGEMAKER_PROJECT_NAME',
] as const satisfies readonly ProjectVariable[];

const picked = pickEnvironment(SEEDING_VARIABLES);

/**
 * The contract's schema of these variables: the connection ARN and the repositories parsed, the
 * branch checked (default main), the report URI parsed, the optional ones optional; then the
 * connection must be in the project's region.
 */
export const seedingEnvironmentSchema = picked
  .extend({
    CONNECTION_ARN: picked.shape.CONNECTION_ARN.transform((text, ctx) => {
      const parsed = parseConnectionArn(text);
      if (parsed === undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be a connection ARN arn:aws:codeconnections:<region>:<account>:connection/<id> ' +
            `(or codestar-connections), got "${text}"`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
    REPOSITORY_BRANCH: picked.shape.REPOSITORY_BRANCH.optional().transform((v, ctx) => {
      const branch = v ?? DEFAULT_SEED_BRANCH;
      if (!isValidBranchName(branch)) {
        ctx.addIssue({ code: 'custom', message: `must be a valid git branch name, got "${branch}"` });
        return z.NEVER;
      }
      return branch;
    }),
    SEED_REPOSITORIES: picked.shape.SEED_REPOSITORIES.transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: `must be a JSON array: ${(e as Error).message}` });
        return z.NEVER;
      }
    }).pipe(seedRepositoriesSchema),
    SEED_REPORT_S3_URI: picked.shape.SEED_REPORT_S3_URI.optional().transform((v, ctx) => {
      if (v === undefined) return undefined;
      const parsed = parseS3ObjectUri(v);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be s3://<bucket>/<key>, got "${v}"` });
        return z.NEVER;
      }
      return parsed;
    }),
    GIT_REMOTE_URL_TEMPLATE: picked.shape.GIT_REMOTE_URL_TEMPLATE.optional().refine(
      (v) => v === undefined || v.includes(REPOSITORY_ID_PLACEHOLDER),
      `must contain ${REPOSITORY_ID_PLACEHOLDER}`,
    ),
    GIT_AUTHOR_NAME: picked.shape.GIT_AUTHOR_NAME.optional().transform((v) => v ?? DEFAULT_GIT_AUTHOR_NAME),
    GIT_AUTHOR_EMAIL: picked.shape.GIT_AUTHOR_EMAIL.optional().transform(
      (v) => v ?? DEFAULT_GIT_AUTHOR_EMAIL,
    ),
    SAGEMAKER_PROJECT_NAME: picked.shape.SAGEMAKER_PROJECT_NAME.optional(),
  } satisfies Partial<Record<(typeof SEEDING_VARIABLES)[number], z.ZodType>>)
  .superRefine((env, ctx) => {
    const problem = connectionRegionProblem(env.CONNECTION_ARN, env.AWS_REGION);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['AWS_REGION'], message: problem });
  });

/** Error thrown for an invalid environment; the message names every invalid variable. */
export class SeedingConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid seed-repositories configuration: ${problems.join('; ')}`);
    this.name = 'SeedingConfigError';
  }
}

/**
 * Reads and validates the CLI's environment. Relative seed directories are resolved against `baseDir`
 * (the folder of the bundled script, which also holds `seed/<repo>/`).
 */
export function loadSeedingConfig(env: Record<string, string | undefined>, baseDir: string): SeedingConfig {
  const result = readEnvironment(seedingEnvironmentSchema, env);
  if (!result.success) throw new SeedingConfigError(result.problems);
  const e = result.data;
  return {
    connection: e.CONNECTION_ARN,
    branch: e.REPOSITORY_BRANCH,
    region: e.AWS_REGION,
    repositories: e.SEED_REPOSITORIES.map((r) => ({
      name: r.name,
      repositoryId: r.repositoryId,
      directory: isAbsolute(r.directory) ? r.directory : resolve(baseDir, r.directory),
    })),
    ...(e.SEED_REPORT_S3_URI !== undefined && { reportS3: e.SEED_REPORT_S3_URI }),
    ...(e.GIT_REMOTE_URL_TEMPLATE !== undefined && { remoteUrlTemplate: e.GIT_REMOTE_URL_TEMPLATE }),
    author: { name: e.GIT_AUTHOR_NAME, email: e.GIT_AUTHOR_EMAIL },
    ...(e.SAGEMAKER_PROJECT_NAME !== undefined && { projectName: e.SAGEMAKER_PROJECT_NAME }),
  };
}
