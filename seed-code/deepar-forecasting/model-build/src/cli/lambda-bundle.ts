// Bundles a Lambda step handler (TypeScript) with esbuild into one CommonJS file and zips it in
// memory, deterministically (fixed file time), so an unchanged handler gives the same CodeSha256
// and the upsert leaves the function alone.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { StepFunctionPurpose } from '../pipeline/names';

/** Repository root (src/cli → ../..). */
const ROOT = path.join(__dirname, '..', '..');

/** The handler source of each Lambda step function. */
export const STEP_HANDLER_ENTRIES: Record<StepFunctionPurpose, string> = {
  'prepare-data': path.join(ROOT, 'src', 'steps', 'prepare-data', 'handler.ts'),
  evaluate: path.join(ROOT, 'src', 'steps', 'evaluate', 'handler.ts'),
};

/** Lambda's `Handler` setting for the bundles: `index.js`, export `handler`. */
export const BUNDLE_HANDLER = 'index.handler';

export interface LambdaBundle {
  readonly zip: Uint8Array;
  /** base64 SHA-256 of the zip, as Lambda reports `CodeSha256`. */
  readonly codeSha256: string;
  /** Size of the bundled JavaScript. */
  readonly codeBytes: number;
}

/** Local time on purpose: fflate writes DOS times from local fields, so this is the same everywhere. */
const FIXED_MTIME = new Date(1980, 0, 1, 12, 0, 0);

/**
 * Bundles `entry` for a Lambda Node.js runtime (`nodejs22.x` → target node22). The AWS SDK v3 is
 * left out (`@aws-sdk/*` external): the Lambda runtime provides it, as with CDK's NodejsFunction.
 * Any esbuild warning fails the bundle.
 */
export async function bundleHandler(entry: string, runtime: string): Promise<LambdaBundle> {
  const nodeVersion = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  if (nodeVersion === undefined) throw new Error(`unsupported Lambda runtime ${JSON.stringify(runtime)}`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${nodeVersion}`,
    external: ['@aws-sdk/*'],
    write: false,
    outfile: 'index.js',
    legalComments: 'none',
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) {
    throw new Error(`esbuild warnings for ${entry}: ${result.warnings.map((w) => w.text).join('; ')}`);
  }
  const code = result.outputFiles[0].contents;
  const zip = zipSync({ 'index.js': [code, { mtime: FIXED_MTIME }] }, { level: 9, mtime: FIXED_MTIME });
  return { zip, codeSha256: createHash('sha256').update(zip).digest('base64'), codeBytes: code.byteLength };
}
