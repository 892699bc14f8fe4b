// Synthesizes the portfolio app in-process for the tests and gives access to every emitted
// template: the portfolio stack's and each product stack's (read from the cloud assembly, since
// Template.fromStack cannot load a ProductStack). `sharedCommittedSynth` synthesizes the committed
// configuration once per source state and shares it between test files and runs.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TemplateDefinition } from '@mlops-templates/constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { buildPortfolioApp } from '../../portfolio/app';
import {
  loadPortfolioConfig,
  parsePortfolioConfig,
  PortfolioConfig,
  PortfolioConfigInput,
} from '../../portfolio/config';
import { PortfolioStack } from '../../portfolio/portfolio-stack';
import { TEMPLATES } from '../../templates';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const COMMITTED_CONFIG = path.join(REPO_ROOT, 'portfolio', 'portfolio.config.json');

/** The committed example configuration. */
export function committedConfig(): PortfolioConfig {
  return loadPortfolioConfig(COMMITTED_CONFIG, Object.keys(TEMPLATES));
}

/** The committed configuration with changes applied (validated). */
export function configWith(changes: Partial<PortfolioConfigInput>, templates = TEMPLATES): PortfolioConfig {
  const raw = JSON.parse(fs.readFileSync(COMMITTED_CONFIG, 'utf8')) as PortfolioConfigInput;
  return parsePortfolioConfig({ ...raw, ...changes }, Object.keys(templates));
}

/** A synthesized portfolio. */
export interface SynthesizedPortfolio {
  readonly stack: PortfolioStack;
  readonly outdir: string;
  readonly portfolioTemplate: Template;
  readonly portfolioTemplateFile: string;
  /** Product template (current version) per template name. */
  readonly productTemplates: Record<string, Template>;
  readonly productTemplateFiles: Record<string, string>;
}

/** Synthesizes the app into a fresh temp directory. */
export function synthPortfolio(
  config: PortfolioConfig,
  options: { nag?: boolean; templates?: Readonly<Record<string, TemplateDefinition>> } = {},
): SynthesizedPortfolio {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'portfolio-synth-'));
  const { app, stack } = buildPortfolioApp({
    config,
    appProps: { outdir },
    nag: options.nag,
    templates: options.templates,
  });
  const assembly = app.synth();
  const portfolioTemplateFile = path.join(assembly.directory, stack.templateFile);
  const productTemplateFiles: Record<string, string> = {};
  const productTemplates: Record<string, Template> = {};
  for (const [name, product] of Object.entries(stack.products)) {
    const file = path.join(assembly.directory, product.productStack.templateFile);
    productTemplateFiles[name] = file;
    productTemplates[name] = Template.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return {
    stack,
    outdir,
    portfolioTemplate: Template.fromJSON(JSON.parse(fs.readFileSync(portfolioTemplateFile, 'utf8'))),
    portfolioTemplateFile,
    productTemplates,
    productTemplateFiles,
  };
}

/** A synthesized assembly shared between test files (no construct tree: read the templates). */
export interface SharedSynth {
  readonly outdir: string;
  readonly stackArtifactId: string;
  readonly portfolioTemplate: Template;
  readonly portfolioTemplateFile: string;
  readonly productTemplates: Record<string, Template>;
  readonly productTemplateFiles: Record<string, string>;
}

/** Folders whose content decides the synthesized templates (the current draft's snapshot excluded: synth writes it). */
const SYNTH_INPUTS = ['portfolio', 'templates', 'packages', 'seed-code'];
// packages/*/lib is an input: the seeded repositories vendor the built packages (a lib/ older than its
// src/ must not reuse an assembly synthesized from a newer build).
const SKIPPED = new Set(['node_modules', 'vendor', 'cdk.out', 'dist', 'versions', '.tmp', 'coverage']);

function* inputFiles(dir: string): Generator<string> {
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIPPED.has(entry.name)) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* inputFiles(file);
    else if (entry.isFile()) yield file;
  }
}

/** Hash of everything the committed synth depends on: sources, seeds, config, lock file. */
export function synthInputsHash(): string {
  const hash = crypto.createHash('sha256');
  const files = [
    ...SYNTH_INPUTS.flatMap((d) => [...inputFiles(path.join(REPO_ROOT, d))]),
    path.join(REPO_ROOT, 'package-lock.json'),
    path.join(REPO_ROOT, 'test', 'support', 'synth.ts'),
  ];
  for (const f of files) {
    hash.update(path.relative(REPO_ROOT, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

// Outside the repository: jest's module map would otherwise see the assemblies' vendored package copies.
const SHARED_ROOT = path.join(os.tmpdir(), 'mlops-templates-shared-synth');

/**
 * The committed configuration synthesized with cdk-nag, once per source state: the first test file to
 * ask synthesizes into `<tmpdir>/mlops-templates-shared-synth/<inputs hash>/` (a lock directory keeps the other jest
 * workers waiting), later files and later runs read it. Tests treat it as read-only.
 */
export function sharedCommittedSynth(): SharedSynth {
  const dir = path.join(SHARED_ROOT, synthInputsHash());
  const done = path.join(dir, 'shared-synth.json');
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 10 * 60_000;
  while (!fs.existsSync(done)) {
    let owner = false;
    try {
      fs.mkdirSync(SHARED_ROOT, { recursive: true });
      fs.mkdirSync(lock);
      owner = true;
    } catch {
      // Another worker synthesizes; wait for it (or take over a lock older than the deadline).
      if (Date.now() > deadline) throw new Error(`sharedCommittedSynth: ${lock} held for over 10 minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
      continue;
    }
    if (owner) {
      try {
        if (!fs.existsSync(done)) {
          fs.rmSync(dir, { recursive: true, force: true });
          const { app, stack } = buildPortfolioApp({
            config: committedConfig(),
            appProps: { outdir: dir },
            nag: true,
          });
          app.synth();
          const products = Object.fromEntries(
            Object.entries(stack.products).map(([name, p]) => [name, p.productStack.templateFile]),
          );
          fs.writeFileSync(
            done,
            JSON.stringify({ stackArtifactId: stack.artifactId, template: stack.templateFile, products }),
          );
        }
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
    }
  }
  const manifest = JSON.parse(fs.readFileSync(done, 'utf8')) as {
    stackArtifactId: string;
    template: string;
    products: Record<string, string>;
  };
  const portfolioTemplateFile = path.join(dir, manifest.template);
  const productTemplateFiles = Object.fromEntries(
    Object.entries(manifest.products).map(([name, f]) => [name, path.join(dir, f)]),
  );
  const load = (f: string) => Template.fromJSON(JSON.parse(fs.readFileSync(f, 'utf8')));
  return {
    outdir: dir,
    stackArtifactId: manifest.stackArtifactId,
    portfolioTemplate: load(portfolioTemplateFile),
    portfolioTemplateFile,
    productTemplates: Object.fromEntries(Object.entries(productTemplateFiles).map(([n, f]) => [n, load(f)])),
    productTemplateFiles,
  };
}
