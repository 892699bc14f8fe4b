// `npm run collect -- --stage staging|prod`: runs one collection cycle from a shell (an operator's
// credentials, or CodeBuild), with the same core as the Lambda. Configuration: the project's contract
// variables (as CodeBuild receives them) and config/monitoring.json. Prints the cycle's summary (JSON)
// on stdout. The usual way to run the deployed collector on demand is `aws lambda invoke` (README).
import { readContractVariables } from './resolve-environment';
import { createCollectorClients } from '../collector/clients';
import { type CollectorEnvironment, runCollection } from '../collector/collect';
import { type ContractVariables, type Stage, STAGES, stageNames } from '../infra/deployment-environment';
import { loadMonitoringConfig, type MonitoringConfig } from '../infra/monitoring-config';

/** The collector environment of a stage, from the contract variables and the committed config. */
export function collectorEnvironmentFor(
  vars: ContractVariables,
  config: MonitoringConfig,
  stage: Stage,
): CollectorEnvironment {
  const names = stageNames(vars, stage);
  return {
    stage,
    endpointName: names.endpointName,
    bucket: vars.PROJECT_BUCKET,
    metricNamespace: vars.METRIC_NAMESPACE,
    configParameterName: vars.CONFIG_PARAMETER_NAME,
    thresholdParameterName: names.thresholdParameterName,
    monitoringPrefix: vars.MONITORING_PREFIX,
    groundTruthPrefix: vars.GROUND_TRUTH_PREFIX,
    dataCapturePrefix: vars.DATA_CAPTURE_PREFIX,
    settings: config.collector,
  };
}

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf('--stage');
  const stage = i >= 0 ? argv[i + 1] : undefined;
  if (!STAGES.includes(stage as Stage)) {
    process.stderr.write(
      'usage: npm run collect -- --stage staging|prod   (with the project variables exported)\n',
    );
    return 2;
  }
  try {
    const environment = collectorEnvironmentFor(
      readContractVariables(process.env),
      loadMonitoringConfig(),
      stage as Stage,
    );
    const log = (level: string) => (message: string, attributes?: Record<string, unknown>) =>
      void process.stderr.write(`${JSON.stringify({ level, message, ...attributes })}\n`);
    const summary = await runCollection({
      environment,
      clients: createCollectorClients(),
      logger: { info: log('INFO'), warn: log('WARN'), error: log('ERROR') },
    });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`collect failed: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
