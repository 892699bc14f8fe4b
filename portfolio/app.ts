// Builds the portfolio CDK app from a validated config: used by main.ts and by the tests.
import {
  AcknowledgeLambdaRoleDependsOn,
  PORTFOLIO_FEATURE_FLAGS,
  TemplateDefinition,
} from '@mlops-templates/constructs';
import { App, AppProps, Aspects, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TEMPLATES } from '../templates';
import { PortfolioConfig } from './config';
import { PortfolioStack } from './portfolio-stack';

/** Name of the portfolio stack. */
export const PORTFOLIO_STACK_NAME = 'SageMakerProjectsPortfolio';

/**
 * CDK feature flags the app relies on (set here so tests and `cdk synth` behave the same): the
 * constructs package's PORTFOLIO_FEATURE_FLAGS (its construct tests use them too).
 */
export const FEATURE_FLAGS: Readonly<Record<string, boolean>> = PORTFOLIO_FEATURE_FLAGS;

/** Options of {@link buildPortfolioApp}. */
export interface BuildPortfolioAppOptions {
  /** Validated configuration. */
  readonly config: PortfolioConfig;
  /** App properties (outdir, context). */
  readonly appProps?: AppProps;
  /**
   * Run cdk-nag's AWS Solutions checks.
   * @default true
   */
  readonly nag?: boolean;
  /**
   * Template registry.
   * @default TEMPLATES
   */
  readonly templates?: Readonly<Record<string, TemplateDefinition>>;
}

/** Creates the app, its portfolio stack and the cdk-nag plugin. */
export function buildPortfolioApp(options: BuildPortfolioAppOptions): { app: App; stack: PortfolioStack } {
  const registry = options.templates ?? TEMPLATES;
  const app = new App({
    ...options.appProps,
    context: { ...FEATURE_FLAGS, ...options.appProps?.context },
    // The same product template whether synthesized by the CLI or in-process (tests): locked
    // version snapshots are compared byte for byte.
    postCliContext: { 'aws:cdk:enable-path-metadata': true, ...options.appProps?.postCliContext },
    analyticsReporting: false,
  });
  const stack = new PortfolioStack(app, PORTFOLIO_STACK_NAME, {
    env: { account: options.config.environment.account, region: options.config.environment.region },
    description: 'SageMaker Projects custom templates portfolio (Service Catalog)',
    config: options.config,
    templates: options.config.templates.map((name) => registry[name]),
  });
  Aspects.of(app).add(new AcknowledgeLambdaRoleDependsOn());
  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { app, stack };
}
