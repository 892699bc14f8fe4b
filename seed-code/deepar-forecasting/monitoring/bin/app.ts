// `npx cdk synth` entry: the monitoring stacks of both stages, from the build's environment file
// (MONITORING_ENVIRONMENT_FILE) or, without one, from the committed example (announced on stderr).
// Account and region: CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION (no AWS call is made).
import { buildMonitoringApp } from '../src/infra/app';
import { loadDeploymentEnvironment } from '../src/infra/deployment-environment';
import { loadMonitoringConfig } from '../src/infra/monitoring-config';

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
if (!account || !region) {
  process.stderr.write(
    'monitoring: set CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (e.g. 123456789012 and eu-west-1)\n',
  );
  process.exit(1);
}
const { environment } = loadDeploymentEnvironment();
const { app } = buildMonitoringApp({
  deployment: environment,
  config: loadMonitoringConfig(),
  account,
  region,
});
app.synth();
