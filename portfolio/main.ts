// Entry point of the portfolio CDK app (`npx projen synth`, `npx cdk deploy`).
// Config file: `-c config=<path>` or PORTFOLIO_CONFIG, default portfolio/portfolio.config.json.
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { TEMPLATES } from '../templates';
import { buildPortfolioApp } from './app';
import { loadPortfolioConfig, PortfolioConfigError } from './config';

// The CLI hands `-c` context to the app through its environment; read it before building.
const contextConfig: unknown = new App({ autoSynth: false }).node.tryGetContext('config');
const configFile = path.resolve(
  (typeof contextConfig === 'string' ? contextConfig : undefined) ??
    process.env.PORTFOLIO_CONFIG ??
    path.join(__dirname, 'portfolio.config.json'),
);

try {
  const config = loadPortfolioConfig(configFile, Object.keys(TEMPLATES));
  const { app } = buildPortfolioApp({ config });
  app.synth();
} catch (e) {
  if (e instanceof PortfolioConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
