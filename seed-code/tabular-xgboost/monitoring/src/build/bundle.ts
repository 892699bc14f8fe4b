// `npm run bundle`: bundles the ground-truth collector (src/collector/handler.ts; the AWS SDK v3 is the
// Lambda runtime's) with esbuild into dist/collector/index.js and prints its content-addressed S3 key,
// `<MONITORING_PREFIX>code/<sha256>.zip`, alone on stdout (the buildspec zips and uploads it there).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLLECTOR_BUNDLE_OPTIONS, contentAddressedCodeKey } from '@mlops-templates/metrics';
import { build } from 'esbuild';

/** Bundles the collector into `<outDir>/index.js`; returns the file and its S3 key. */
export async function bundleCollector(
  outDir: string,
  monitoringPrefix: string,
): Promise<{ file: string; s3Key: string }> {
  const file = path.join(outDir, 'index.js');
  await build({
    entryPoints: [path.resolve(__dirname, '..', 'collector', 'handler.ts')],
    outfile: file,
    ...COLLECTOR_BUNDLE_OPTIONS,
    external: [...COLLECTOR_BUNDLE_OPTIONS.external],
    logLevel: 'error',
  });
  const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  return { file, s3Key: contentAddressedCodeKey(monitoringPrefix, sha256) };
}

if (require.main === module) {
  bundleCollector(path.resolve('dist', 'collector'), process.env.MONITORING_PREFIX || 'monitoring/').then(
    (b) => process.stdout.write(`${b.s3Key}\n`),
    (error: Error) => {
      process.stderr.write(`bundle failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
