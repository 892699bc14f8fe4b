// The `mlops-retrain` CLI: replays an alarm event (`--event FILE`, `-` for stdin) or runs the scheduled
// re-check (`--recheck`) through the same core as the Lambda, and prints exactly one JSON line with the
// decision on stdout (logs go to stderr as JSON lines). Exit 0 for started/skipped/ignored (malformed
// events included), 1 for AWS errors after the SDK's retries, 2 for usage or configuration errors.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { createRetrainClients } from './clients';
import { ConfigError, loadConfig, type RetrainConfig } from './config';
import {
  type DecisionContext,
  type DecisionLogger,
  decisionMetrics,
  outcomeLine,
  type RetrainClients,
  type RetrainOutcome,
  SERVICE_NAME,
} from './decision';
import { decide, malformedEventOutcome, runRetrainDecision } from './orchestration';

/** Where the CLI reads and writes; defaults to the process. Tests pass their own. */
export interface CliIo {
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  readonly stdin?: AsyncIterable<string | Buffer> | Iterable<string | Buffer>;
  /** Variables the configuration is read from (the SDK itself always reads `process.env`). */
  readonly env?: Record<string, string | undefined>;
  readonly clients?: RetrainClients;
  readonly now?: () => Date;
}

export const USAGE = `Usage:
  mlops-retrain --event FILE     decide for one alarm event (FILE '-' reads stdin)
  mlops-retrain --recheck        run the scheduled re-check of the project's alarms in ALARM

Options:
  --no-metrics   do not publish retrain_triggered / retrain_skipped with CloudWatch PutMetricData
  --quiet        log errors only (logs are JSON lines on stderr)
  -h, --help     show this help

Prints one JSON line: {"decision":"started"|"skipped"|"ignored","reason":...,"pipelineExecutionArn":...}.
Configuration (environment): ALARM_NAME_PREFIX, MODEL_BUILD_PIPELINE_NAME, RETRAIN_COOLDOWN_MINUTES,
RETRAIN_MAX_ATTEMPTS, NOTIFICATION_TOPIC_ARN, MODEL_PACKAGE_GROUP_NAME, METRIC_NAMESPACE,
RECHECK_INTERVAL_MINUTES, GATE_THRESHOLD_PARAMETER_NAME; AWS_REGION, AWS_ENDPOINT_URL, AWS_MAX_ATTEMPTS as for any AWS SDK.
Exit status: 0 decision printed, 1 AWS error, 2 usage or configuration error.
`;

/** JSON-lines logger on stderr. */
function stderrLogger(stderr: { write(text: string): unknown }, quiet: boolean): DecisionLogger {
  const log =
    (level: 'INFO' | 'WARN' | 'ERROR') =>
    (message: string, attributes?: Record<string, unknown>): void => {
      if (quiet && level !== 'ERROR') return;
      stderr.write(
        `${JSON.stringify({ level, message, timestamp: new Date().toISOString(), service: SERVICE_NAME, ...attributes })}\n`,
      );
    };
  return { info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
}

async function readAll(stream: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

/** Publishes the run's metrics like the Lambda's EMF does (same names and dimensions). Never throws. */
async function putOutcomeMetrics(
  config: RetrainConfig,
  clients: RetrainClients,
  outcome: RetrainOutcome,
  logger: DecisionLogger,
): Promise<void> {
  const metrics = decisionMetrics(outcome);
  if (metrics.length === 0) return;
  try {
    await clients.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: config.metricNamespace,
        MetricData: metrics.map((metric) => ({
          MetricName: metric.name,
          Dimensions: [
            { Name: 'service', Value: SERVICE_NAME },
            ...Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
          ],
          Value: 1,
          Unit: 'Count' as StandardUnit,
        })),
      }),
    );
  } catch (error) {
    logger.error('publishing metrics failed; the decision stands', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}

/** Runs the CLI with `argv` (without node and script). Resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;

  let options: { event?: string; recheck?: boolean; 'no-metrics'?: boolean; quiet?: boolean; help?: boolean };
  try {
    options = parseArgs({
      args: [...argv],
      options: {
        event: { type: 'string', short: 'e' },
        recheck: { type: 'boolean' },
        'no-metrics': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    stderr.write(`mlops-retrain: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help === true) {
    stdout.write(USAGE);
    return 0;
  }
  if ((options.event === undefined) === (options.recheck !== true)) {
    stderr.write(`mlops-retrain: give exactly one of --event FILE or --recheck\n\n${USAGE}`);
    return 2;
  }

  let config: RetrainConfig;
  try {
    config = loadConfig(io.env ?? process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr.write(`mlops-retrain: ${error.message}\n`);
    return 2;
  }

  let eventText: string | undefined;
  if (options.event !== undefined) {
    try {
      eventText =
        options.event === '-'
          ? await readAll(io.stdin ?? process.stdin)
          : await readFile(options.event, 'utf8');
    } catch (error) {
      stderr.write(
        `mlops-retrain: cannot read ${options.event}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 2;
    }
  }

  const logger = stderrLogger(stderr, options.quiet === true);
  const clients = io.clients ?? createRetrainClients();
  const ctx: DecisionContext = { config, clients, logger, now: io.now };
  let outcome: RetrainOutcome;
  try {
    if (eventText === undefined) {
      outcome = await decide({ kind: 'recheck', delivery: 'cli' }, ctx);
    } else {
      let event: unknown;
      let jsonError: string | undefined;
      try {
        event = JSON.parse(eventText);
      } catch (error) {
        jsonError = `not JSON: ${error instanceof Error ? error.message : String(error)}`;
      }
      outcome =
        jsonError !== undefined
          ? malformedEventOutcome(jsonError, logger)
          : await runRetrainDecision(event, ctx);
    }
  } catch (error) {
    logger.error('retrain decision failed (AWS error after retries); nothing printed on stdout', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return 1;
  }
  if (options['no-metrics'] !== true) await putOutcomeMetrics(config, clients, outcome, logger);
  stdout.write(`${outcomeLine(outcome)}\n`);
  return 0;
}
