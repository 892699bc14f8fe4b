// `npx cdk synth` entry: both stage stacks, from the build's environment file (MONITORING_ENVIRONMENT_FILE)
// or the committed example. Account and region: CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION (no AWS call).
import { loadMonitoringConfig } from '../src/config';
import { loadDeploymentEnvironment } from '../src/environment';
import { buildMonitoringApp } from '../src/infra/app';

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
if (!account || !region) {
  process.stderr.write(
    'monitoring: set CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (e.g. 123456789012 and eu-west-1)\n',
  );
  process.exit(1);
}
buildMonitoringApp({
  deployment: loadDeploymentEnvironment(),
  config: loadMonitoringConfig(),
  account,
  region,
}).app.synth();
