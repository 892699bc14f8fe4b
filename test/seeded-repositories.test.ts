// templates/deepar-forecasting/seeded-repositories.ts is what scripts and tests import instead of the
// product stack: it must load no CDK. Its runtime import graph (esbuild's, which drops type-only
// imports, as the compiled module does) reaches no aws-cdk-lib, constructs or workspace package; the
// same check on the product stack (negative control) finds them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import {
  SEED_DIRECTORY,
  SEEDED_REPOSITORIES,
  SEEDED_REPOSITORY_NAMES,
  seedDirectoryOf,
  vendoredPackagesOf,
} from '../templates/deepar-forecasting/seeded-repositories';

const TEMPLATE = path.join(__dirname, '..', 'templates', 'deepar-forecasting');
/** Packages a CDK-free module must not load at run time. */
const CDK = /^(aws-cdk-lib|constructs|@mlops-templates\/)/;

/** The packages (bare specifiers) `entry` and the local files it imports load at run time. */
function runtimePackages(entry: string): string[] {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
  return [...new Set(imports.filter((i) => i.external).map((i) => i.path))].sort();
}

describe('seeded-repositories.ts', () => {
  test('loads no CDK at run time (only Node built-ins)', () => {
    const packages = runtimePackages(path.join(TEMPLATE, 'seeded-repositories.ts'));
    expect(packages.filter((p) => CDK.test(p))).toEqual([]);
    expect(packages).toEqual(['node:path']);
  });

  test('negative control: the same check finds aws-cdk-lib in the product stack', () => {
    const packages = runtimePackages(path.join(TEMPLATE, 'product-stack.ts'));
    expect(packages).toEqual(
      expect.arrayContaining(['aws-cdk-lib', 'constructs', '@mlops-templates/constructs']),
    );
  });

  test('negative control: a value import of a CDK package is found, a type-only import is not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-free-'));
    const valueImport = path.join(dir, 'value.ts');
    const typeImport = path.join(dir, 'type.ts');
    fs.writeFileSync(
      valueImport,
      "import { Duration } from 'aws-cdk-lib';\nexport const d = Duration.days(1);\n",
    );
    fs.writeFileSync(
      typeImport,
      "import type { Duration } from 'aws-cdk-lib';\nexport let d: Duration | undefined;\n",
    );
    expect(runtimePackages(valueImport)).toEqual(['aws-cdk-lib']);
    expect(runtimePackages(typeImport)).toEqual([]);
  });

  test('every seeded repository has its seed folder and vendors built workspace packages', () => {
    expect(SEEDED_REPOSITORY_NAMES).toEqual(Object.keys(SEEDED_REPOSITORIES));
    for (const repo of SEEDED_REPOSITORY_NAMES) {
      expect(seedDirectoryOf(repo)).toBe(path.join(SEED_DIRECTORY, repo));
      expect(fs.existsSync(path.join(seedDirectoryOf(repo), 'package.json'))).toBe(true);
      for (const pkg of vendoredPackagesOf(repo)) {
        expect(pkg.name).toMatch(/^@mlops-templates\//);
        expect(JSON.parse(fs.readFileSync(path.join(pkg.directory, 'package.json'), 'utf8')).name).toBe(
          pkg.name,
        );
      }
    }
  });
});
