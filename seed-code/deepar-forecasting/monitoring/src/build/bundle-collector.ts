// `npm run bundle`: bundles the collector Lambda (src/collector/handler.ts and its dependencies; the
// AWS SDK v3 clients are left to the Lambda runtime, as aws-cdk-lib's NodejsFunction does) with
// esbuild into dist/collector/index.js, and names its S3 key by content:
// <MONITORING_PREFIX>code/<sha256>.zip. Prints {"file","sha256","s3Key","bytes"} on stdout; the
// buildspec zips the file and uploads it under that key.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLLECTOR_BUNDLE_OPTIONS, contentAddressedCodeKey } from '@mlops-templates/metrics';
import { build } from 'esbuild';

export const COLLECTOR_ENTRY = path.resolve(__dirname, '..', 'collector', 'handler.ts');

export interface CollectorBundle {
  readonly file: string;
  readonly sha256: string;
  readonly s3Key: string;
  readonly bytes: number;
  readonly warnings: string[];
}

/** Bundles the collector into `outDir/index.js`. Throws on any esbuild error. */
export async function bundleCollector(
  outDir: string,
  monitoringPrefix = 'monitoring/',
): Promise<CollectorBundle> {
  const file = path.join(outDir, 'index.js');
  const result = await build({
    entryPoints: [COLLECTOR_ENTRY],
    outfile: file,
    ...COLLECTOR_BUNDLE_OPTIONS,
    external: [...COLLECTOR_BUNDLE_OPTIONS.external],
    keepNames: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const content = fs.readFileSync(file);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return {
    file,
    sha256,
    s3Key: contentAddressedCodeKey(monitoringPrefix, sha256),
    bytes: content.length,
    warnings: result.warnings.map((w) => w.text),
  };
}

if (require.main === module) {
  bundleCollector(path.resolve('dist', 'collector'), process.env.MONITORING_PREFIX || 'monitoring/')
    .then((bundle) => {
      for (const warning of bundle.warnings) process.stderr.write(`esbuild warning: ${warning}\n`);
      process.stdout.write(
        `${JSON.stringify({ file: bundle.file, sha256: bundle.sha256, s3Key: bundle.s3Key, bytes: bundle.bytes })}\n`,
      );
    })
    .catch((error: Error) => {
      process.stderr.write(`bundle failed: ${error.message}\n`);
      process.exit(1);
    });
}
