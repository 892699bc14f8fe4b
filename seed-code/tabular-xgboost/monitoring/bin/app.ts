// `npx cdk synth` entry: both stage stacks, from the build's environment file (MONITORING_ENVIRONMENT_FILE)
// or the committed example. Account and region: CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION (no AWS call).
import { monitoringSynthTarget } from '@mlops-templates/metrics';
import { loadMonitoringConfig } from '../src/config';
import { loadDeploymentEnvironment } from '../src/environment';
import { buildMonitoringApp } from '../src/infra/app';

const target = monitoringSynthTarget(process.env);
if ('problem' in target) {
  process.stderr.write(`${target.problem}\n`);
  process.exit(1);
}
const { account, region } = target;
buildMonitoringApp({
  deployment: loadDeploymentEnvironment(),
  config: loadMonitoringConfig(),
  account,
  region,
}).app.synth();
