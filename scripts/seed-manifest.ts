// The workspace packages a seed folder vendors, read from its own package.json (its
// `file:vendor/<pkg>` dependencies), for the seed folders of templates whose product stack does not
// declare them yet (the DeepAR template's are templates/deepar-forecasting/seeded-repositories.ts).
// CDK-free: the vendoring script and the fresh-copy tests use it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { VendoredPackage } from '@mlops-templates/constructs';

/** Repository root (scripts → ..). */
const REPO_ROOT = path.resolve(__dirname, '..');

/** The seed folder of a template's repository: `seed-code/<template>/<repo>`. */
export function seedFolder(template: string, repo: string): string {
  return path.join(REPO_ROOT, 'seed-code', template, repo);
}

/** The `file:vendor/<pkg>` dependencies (and devDependencies) of a seed's package.json, as workspace packages. */
export function vendoredPackagesFromManifest(seedDir: string): VendoredPackage[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(seedDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const entries = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies });
  return entries
    .filter(([, spec]) => spec.startsWith('file:vendor/'))
    .map(([name, spec]) => {
      const pkg = spec.slice('file:vendor/'.length);
      if (name !== `@mlops-templates/${pkg}`) {
        throw new Error(
          `${seedDir}/package.json: ${name} points at ${spec}, not vendor/${name.split('/')[1]}`,
        );
      }
      return { name, directory: path.dirname(require.resolve(`${name}/package.json`)) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Seed folders (with a package.json) of the templates other than `except`. */
export function otherTemplateSeedFolders(except: readonly string[]): string[] {
  const root = path.join(REPO_ROOT, 'seed-code');
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((t) => t.isDirectory() && !except.includes(t.name))
    .flatMap((t) =>
      fs
        .readdirSync(path.join(root, t.name), { withFileTypes: true })
        .filter((r) => r.isDirectory() && fs.existsSync(path.join(root, t.name, r.name, 'package.json')))
        .map((r) => path.join(root, t.name, r.name)),
    )
    .sort();
}
