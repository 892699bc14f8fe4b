// `npx cdk synth` entry: the monitoring stacks of both stages, from the build's environment file
// (MONITORING_ENVIRONMENT_FILE) or, without one, from the committed example (announced on stderr).
// Account and region: CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION (no AWS call is made).
import { monitoringSynthTarget } from '@mlops-templates/metrics';
import { buildMonitoringApp } from '../src/infra/app';
import { loadDeploymentEnvironment } from '../src/infra/deployment-environment';
import { loadMonitoringConfig } from '../src/infra/monitoring-config';

const target = monitoringSynthTarget(process.env);
if ('problem' in target) {
  process.stderr.write(`${target.problem}\n`);
  process.exit(1);
}
const { account, region } = target;
const { environment } = loadDeploymentEnvironment();
const { app } = buildMonitoringApp({
  deployment: environment,
  config: loadMonitoringConfig(),
  account,
  region,
});
app.synth();
