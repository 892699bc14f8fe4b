// What the monitoring builds of every template share (the DeepAR and tabular monitoring seeds): the
// esbuild settings of the collector bundle and its content-addressed S3 key, the shape of the
// resolved-environment document `npm run resolve-environment` writes and `cdk synth` reads
// (MONITORING_ENVIRONMENT_FILE), and the account and region `cdk synth` builds for. No esbuild or CDK
// here: plain settings and zod schemas.
import { z } from 'zod';

/**
 * esbuild options of a collector Lambda bundle: one minified CommonJS file for Node 20+, the AWS SDK v3
 * left to the Lambda runtime (as aws-cdk-lib's NodejsFunction does). Add entryPoints and outfile.
 */
export const COLLECTOR_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  external: ['@aws-sdk/*'],
} as const;

/** S3 key of a code zip (the CloudFormation parameter's AllowedPattern too). */
export const CODE_KEY_PATTERN = /^[A-Za-z0-9!_.*'()/-]+\.zip$/;

/** `<monitoring prefix>code/<sha256>.zip`: new code, new key, a function update. */
export function contentAddressedCodeKey(monitoringPrefix: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`contentAddressedCodeKey: ${sha256} is not a sha256`);
  return `${monitoringPrefix}code/${sha256}.zip`;
}

/**
 * The resolved-environment document of a monitoring build: the contract variables the build read,
 * the collector's code key and what was resolved per stage (each template its own stage schema).
 */
export function monitoringEnvironmentSchema<E extends z.ZodType, S extends z.ZodType>(
  environment: E,
  stage: S,
) {
  return z.object({
    $comment: z.string().optional(),
    environment,
    /** S3 key of the collector bundle in PROJECT_BUCKET. */
    collectorCodeKey: z.string().regex(CODE_KEY_PATTERN, 'must be the S3 key of a .zip'),
    stages: z.object({ staging: stage, prod: stage }),
  });
}

/** Retention periods CloudWatch Logs accepts, in days (CloudWatch Logs API Reference, PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * The fields of a collector function's settings in a monitoring configuration: memory (MB), timeout (s,
 * at most Lambda's 900) and log retention (days CloudWatch Logs accepts). Spread into a `z.object`.
 */
export const COLLECTOR_FUNCTION_FIELDS = {
  memorySize: z.number().int().min(128).max(10240),
  timeoutSeconds: z.number().int().min(30).max(900),
  logRetentionDays: z
    .number()
    .int()
    .refine((d) => LOG_RETENTION_DAYS.includes(d), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`),
};

/** The account and region a monitoring repository's `cdk synth` entry builds its stacks for. */
export interface SynthTarget {
  readonly account: string;
  readonly region: string;
}

/**
 * The account and region of a monitoring repository's `cdk synth` entry (bin/app.ts): CDK_DEFAULT_ACCOUNT
 * and CDK_DEFAULT_REGION, which the CDK CLI sets from the AWS profile (AWS CDK v2 Developer Guide,
 * "Environments for the AWS CDK"); with either unset or empty, the message naming both instead.
 */
export function monitoringSynthTarget(
  env: Readonly<Record<string, string | undefined>>,
): SynthTarget | { readonly problem: string } {
  const account = env.CDK_DEFAULT_ACCOUNT;
  const region = env.CDK_DEFAULT_REGION;
  if (!account || !region) {
    return {
      problem: 'monitoring: set CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (e.g. 123456789012 and eu-west-1)',
    };
  }
  return { account, region };
}
