// A CodeCommit repository created with its initial commit from a seed folder of this repository,
// plus the workspace packages the seed code depends on, vendored under `vendor/<name>/` (compiled
// `lib/`, `package.json`, README) so that `git clone && npm ci && npm test` works in the seeded
// repository with nothing but the npm registry.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import { Construct } from 'constructs';
import ignore from 'ignore';
import { CODECOMMIT_REPOSITORY_NAME, validateName } from './validation';

/** Folders and files never copied from a seed folder into its seeded repository. */
export const SEED_EXCLUDES = [
  'node_modules',
  'cdk.out',
  'coverage',
  'test-reports',
  'dist',
  'vendor',
  '.DS_Store',
];

/** A workspace package vendored into a seeded repository. */
export interface VendoredPackage {
  /** npm name of the package (e.g. `@mlops-templates/metrics`). */
  readonly name: string;
  /** Absolute path of the package folder (with a built `lib/`). */
  readonly directory: string;
}

/** Properties of {@link SeededRepository}. */
export interface SeededRepositoryProps {
  /** Repository name: 1–100 of letters, digits, `-`, `_` and `.`, not ending in `.git`. */
  readonly repositoryName: string;
  /** Repository description. */
  readonly description: string;
  /** Absolute path of the seed folder. */
  readonly seedDirectory: string;
  /**
   * Workspace packages to vendor under `vendor/<unscoped-name>/`.
   * @default - none
   */
  readonly vendoredPackages?: VendoredPackage[];
  /**
   * Branch of the initial commit.
   * @default 'main'
   */
  readonly branch?: string;
}

/** A CodeCommit repository seeded from a folder of this repository. */
export class SeededRepository extends Construct {
  /** The repository. */
  public readonly repository: codecommit.Repository;
  /** The branch the pipelines follow. */
  public readonly branch: string;
  /** The folder that was zipped as the initial commit. */
  public readonly stagedDirectory: string;

  constructor(scope: Construct, id: string, props: SeededRepositoryProps) {
    super(scope, id);
    validateName('repositoryName', props.repositoryName, CODECOMMIT_REPOSITORY_NAME);
    if (!fs.existsSync(path.join(props.seedDirectory, 'README.md'))) {
      throw new Error(`seedDirectory: ${props.seedDirectory} is not a seed folder (no README.md)`);
    }
    this.branch = props.branch ?? 'main';
    this.stagedDirectory = stageSeed(props.seedDirectory, props.vendoredPackages ?? []);
    this.repository = new codecommit.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      description: props.description,
      code: codecommit.Code.fromDirectory(this.stagedDirectory, this.branch),
    });
    // The data scientists' commits live here: never deleted by CloudFormation — not when the project
    // is deleted, not when an update replaces the repository or turns its condition false (provider
    // switch), since CloudFormation deletes a resource whose condition becomes false on update
    // (CloudFormation User Guide, "DeletionPolicy attribute", "UpdateReplacePolicy attribute").
    this.repository.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

/**
 * Files of a folder (relative paths, sorted), skipping the excluded names at any depth and what
 * the folder's own `.gitignore` ignores (local build outputs never reach a seeded repository).
 */
export function seedFiles(dir: string, excludes: string[] = SEED_EXCLUDES): string[] {
  const gitignore = path.join(dir, '.gitignore');
  const ignored = ignore().add(fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '');
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (excludes.includes(entry.name)) continue;
      const child = rel ? path.join(rel, entry.name) : entry.name;
      const posix = child.split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (!ignored.ignores(`${posix}/`)) walk(child);
      } else if (entry.isFile() && !ignored.ignores(posix)) {
        out.push(child);
      }
    }
  };
  walk('');
  return out.sort();
}

/** Files of a built workspace package that are vendored. */
export function packageFiles(dir: string): string[] {
  if (!fs.existsSync(path.join(dir, 'lib'))) {
    throw new Error(
      `vendoredPackages: ${dir}/lib does not exist; build the workspace packages first (npx projen packages:build)`,
    );
  }
  const built = ['lib', 'bin'].flatMap((sub) =>
    fs.existsSync(path.join(dir, sub))
      ? seedFiles(path.join(dir, sub), ['tsconfig.tsbuildinfo']).map((f) => path.join(sub, f))
      : [],
  );
  return [
    ...['package.json', 'README.md', 'LICENSE'].filter((f) => fs.existsSync(path.join(dir, f))),
    ...built,
  ];
}

/** Relative path of a vendored package inside a seeded repository: `vendor/<unscoped-name>`. */
export function vendorPath(packageName: string): string {
  return path.join('vendor', packageName.split('/').pop() as string);
}

/** The copies (source file → path in the seeded repository) that make up a seeded repository. */
export function seedCopies(
  seedDir: string,
  vendored: VendoredPackage[],
): Array<{ from: string; to: string }> {
  const copies: Array<{ from: string; to: string }> = seedFiles(seedDir).map((f) => ({
    from: path.join(seedDir, f),
    to: f,
  }));
  for (const pkg of vendored) {
    for (const f of packageFiles(pkg.directory)) {
      copies.push({ from: path.join(pkg.directory, f), to: path.join(vendorPath(pkg.name), f) });
    }
  }
  return copies;
}

/** Copies the seed folder and the vendored packages into a content-addressed staging folder. */
export function stageSeed(seedDir: string, vendored: VendoredPackage[]): string {
  const copies = seedCopies(seedDir, vendored);
  const hash = crypto.createHash('sha256');
  for (const c of copies) {
    hash.update(c.to);
    hash.update(fs.readFileSync(c.from));
  }
  const staged = path.join(os.tmpdir(), 'mlops-seed-staging', hash.digest('hex').slice(0, 32));
  if (!fs.existsSync(staged)) {
    const tmp = `${staged}.${process.pid}.tmp`;
    for (const c of copies) {
      fs.mkdirSync(path.dirname(path.join(tmp, c.to)), { recursive: true });
      fs.copyFileSync(c.from, path.join(tmp, c.to));
    }
    fs.mkdirSync(path.dirname(staged), { recursive: true });
    try {
      fs.renameSync(tmp, staged);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process staged the same content
    }
  }
  return staged;
}
