// Synthesizes the portfolio app in-process for the tests and gives access to every emitted
// template: the portfolio stack's and each product stack's (read from the cloud assembly, since
// Template.fromStack cannot load a ProductStack).
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
