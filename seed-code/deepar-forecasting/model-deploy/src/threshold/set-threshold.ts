// Post-deploy step (`npm run threshold:set`, buildspec-post-deploy.yml, DEPLOYMENT_STAGE=staging|prod):
// the stage's accuracy alarm threshold is set by the threshold policy of @mlops-templates/metrics
// (decideThreshold) from the deployed model's backtest, and written to the stage's SSM parameter
// with the model version — only once the endpoint is verified InService with this deployment's
// endpoint config. Never before the deploy: the pipeline runs it after the deploy action, and a
// failed or rolled-back deploy leaves the endpoint on another config, so nothing is written.
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  decideThreshold,
  ThresholdDecision,
  ThresholdPolicyOptions,
  ThresholdState,
} from '@mlops-templates/metrics';
import type { ProjectVariable } from '@mlops-templates/project-contract';
import { z } from 'zod';
import {
  ConfigError,
  type DeploymentRecordFile,
  describeStageEndpoint,
  endpointMismatch,
  type Log,
  type Stage,
  STAGES,
} from '@mlops-templates/model-deploy';
import { readEvaluationReport, ThresholdError } from './evaluation-report';

/** The value written to the stage's threshold parameter (JSON). */
export interface ThresholdParameterValue {
  readonly threshold: number;
  /** The model package version the threshold belongs to (warm-up compares it with the serving one). */
  readonly modelVersion: string;
  readonly modelPackageArn: string;
  readonly stage: Stage;
  readonly policy: string;
  readonly reason: string;
  readonly backtestWindows: number;
  readonly setAt: string;
}

/** The contract variable holding each stage's threshold parameter name (see src/environment.ts). */
export const THRESHOLD_PARAMETER_ENV: Record<Stage, ProjectVariable> = {
  staging: 'STAGING_ALARM_THRESHOLD_PARAMETER_NAME',
  prod: 'PROD_ALARM_THRESHOLD_PARAMETER_NAME',
};

const storedSchema = z.object({
  threshold: z.number().nonnegative().nullable(),
  modelVersion: z.union([z.string(), z.number()]).nullable().optional(),
});

/**
 * The threshold in force from the parameter's value: "unset" (the template's initial value) or
 * empty → none; the JSON this step writes; a bare number (set by hand) → that threshold, no version.
 * Anything else is reported and treated as no threshold (it is about to be replaced).
 */
export function parseThresholdParameter(value: string | undefined, stage: Stage, log: Log): ThresholdState {
  const none: ThresholdState = { stage, modelVersion: null, threshold: null };
  const text = (value ?? '').trim();
  if (text === '' || text === 'unset') return none;
  if (/^\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text))
    return { stage, modelVersion: null, threshold: Number(text) };
  try {
    const parsed = storedSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const version = parsed.data.modelVersion;
      return {
        stage,
        modelVersion: version === null || version === undefined ? null : String(version),
        threshold: parsed.data.threshold,
      };
    }
  } catch {
    // reported below
  }
  log.warn(
    `the current threshold value ${JSON.stringify(text.slice(0, 200))} is not readable: treated as no threshold`,
  );
  return none;
}

function optionalNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}

/** Optional policy settings: THRESHOLD_PERCENTILE, THRESHOLD_TOLERANCE, THRESHOLD_MIN_BACKTEST_WINDOWS. */
export function policyOptionsFromEnv(env: NodeJS.ProcessEnv): ThresholdPolicyOptions {
  const percentile = optionalNumber(env, 'THRESHOLD_PERCENTILE');
  const tolerance = optionalNumber(env, 'THRESHOLD_TOLERANCE');
  const minBacktestWindows = optionalNumber(env, 'THRESHOLD_MIN_BACKTEST_WINDOWS');
  return {
    ...(percentile !== undefined ? { percentile } : {}),
    ...(tolerance !== undefined ? { tolerance } : {}),
    ...(minBacktestWindows !== undefined ? { minBacktestWindows } : {}),
  };
}

export interface SetThresholdOptions {
  readonly stage: string;
  readonly env: NodeJS.ProcessEnv;
  /** The build step's record (deploy/model-package.json of the StageParameters artifact). */
  readonly record: DeploymentRecordFile;
  readonly sagemaker: SageMakerClient;
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly log: Log;
  readonly now?: () => Date;
}

export interface SetThresholdResult {
  readonly written: boolean;
  readonly parameterName: string;
  readonly decision: ThresholdDecision;
}

/** Verifies the deploy, decides the threshold and writes it. Throws with the reason otherwise. */
export async function setStageThreshold(options: SetThresholdOptions): Promise<SetThresholdResult> {
  const { env, record, log } = options;
  if (!(STAGES as readonly string[]).includes(options.stage)) {
    throw new ConfigError(
      `DEPLOYMENT_STAGE must be one of ${STAGES.join(', ')}, got ${JSON.stringify(options.stage)}`,
    );
  }
  const stage = options.stage as Stage;
  const parameterName = env[THRESHOLD_PARAMETER_ENV[stage]]?.trim();
  if (!parameterName) throw new ConfigError(`missing environment variable ${THRESHOLD_PARAMETER_ENV[stage]}`);
  const policyOptions = policyOptionsFromEnv(env);
  const version = String(record.modelPackage.version);

  // 1. The deploy of this stage succeeded: the endpoint serves this deployment's endpoint config.
  const expected = record.stages[stage];
  const described = await describeStageEndpoint(options.sagemaker, expected.endpointName);
  const mismatch = endpointMismatch(described, record, stage);
  if (mismatch) throw new ThresholdError(`not setting the ${stage} threshold: ${mismatch}`);
  log.info(
    `${expected.endpointName} is InService with ${expected.endpointConfigName} (model package ${record.modelPackage.arn})`,
  );

  // 2. The deployed version's backtest.
  const reportUri = record.modelPackage.evaluationReportUri ?? record.modelPackage.modelQualityStatisticsUri;
  if (reportUri === undefined) {
    throw new ThresholdError(
      `model package ${record.modelPackage.arn} has no evaluation report (CustomerMetadataProperties.evaluation_report or ModelMetrics.ModelQuality.Statistics): no threshold can be derived`,
    );
  }
  const windowWql = await readEvaluationReport(options.s3, reportUri);
  log.info(
    `Backtest of version ${version}: ${windowWql.length} window(s), mean wQL ${windowWql.map((w) => (w === null ? 'null' : w.toFixed(4))).join(', ')}`,
  );

  // 3. The policy.
  let currentValue: string | undefined;
  try {
    currentValue = (await options.ssm.send(new GetParameterCommand({ Name: parameterName }))).Parameter
      ?.Value;
  } catch (error) {
    const e = error as Error;
    throw new ConfigError(`cannot read ${parameterName}: ${e.name}: ${e.message}`);
  }
  const current = parseThresholdParameter(currentValue, stage, log);
  const gateThreshold = gateThresholdOf(record, log);
  let decision: ThresholdDecision;
  try {
    decision = decideThreshold({
      stage,
      current,
      deployment: { modelVersion: version, stage, status: 'Succeeded' },
      backtest: { modelVersion: version, windowWql },
      // The alarm threshold never exceeds the gate this version passed (#14 finding 8).
      ...(gateThreshold !== undefined ? { gateThreshold } : {}),
      options: policyOptions,
    });
  } catch (error) {
    throw new ThresholdError(`the threshold policy rejected its input: ${(error as Error).message}`);
  }
  if (!decision.changed || decision.threshold === null) {
    if (current.modelVersion === version && current.threshold !== null) {
      log.info(`${parameterName} unchanged: ${decision.reason}`);
      return { written: false, parameterName, decision };
    }
    throw new ThresholdError(`no threshold for version ${version} on ${stage}: ${decision.reason}`);
  }

  if (!(decision.threshold > 0)) {
    // Only a backtest with perfect forecasts gives 0; an alarm at 0 would fire on any error.
    throw new ThresholdError(
      `the derived threshold ${decision.threshold} is not positive: ${decision.reason}`,
    );
  }

  // 4. Write it, with the model version.
  const value: ThresholdParameterValue = {
    threshold: decision.threshold,
    modelVersion: version,
    modelPackageArn: record.modelPackage.arn,
    stage,
    policy: decision.policy,
    reason: decision.reason,
    backtestWindows: windowWql.filter((w) => w !== null).length,
    setAt: (options.now ?? (() => new Date()))().toISOString(),
  };
  try {
    await options.ssm.send(
      new PutParameterCommand({
        Name: parameterName,
        Value: JSON.stringify(value),
        Type: 'String',
        Overwrite: true,
      }),
    );
  } catch (error) {
    const e = error as Error;
    throw new ConfigError(`cannot write ${parameterName}: ${e.name}: ${e.message}`);
  }
  log.info(
    `${parameterName} = ${decision.threshold} for model version ${version} (was ${current.threshold ?? 'unset'}${current.modelVersion ? ` of version ${current.modelVersion}` : ''}): ${decision.reason}`,
  );
  return { written: true, parameterName, decision };
}

/**
 * The model-build gate the package passed (its `gate_threshold` CustomerMetadataProperty, written by
 * RegisterDeepAR); `undefined` (no cap, with a warning) when absent or not a positive number.
 */
export function gateThresholdOf(record: DeploymentRecordFile, log: Log): number | undefined {
  const text = record.modelPackage.customerMetadata.gate_threshold;
  const value = text === undefined ? Number.NaN : Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    log.warn(
      `model package ${record.modelPackage.arn} has no usable gate_threshold (${JSON.stringify(text ?? null)}): the alarm threshold is not capped at the gate`,
    );
    return undefined;
  }
  return value;
}
