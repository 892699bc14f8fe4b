// Lambda entry of the EvaluateBacktest pipeline step (function sagemaker-<project-id>-step-evaluate):
// reads the backtest manifest, each window's test file and its transform output, evaluates them with
// evaluate.ts, writes evaluation.json and the model-quality metrics file, and returns mean_wql.
import { S3Client } from '@aws-sdk/client-s3';
import {
  S3_URI_PATTERN,
  powertoolsLogPort,
  type LogPort,
  parseS3Uri,
  formatS3Uri,
} from '@mlops-templates/metrics';
import { z } from 'zod';
import {
  evaluateBacktest,
  EvaluationError,
  modelQualityMetrics,
  splitLines,
  WindowInput,
  windowWqlJson,
} from './evaluate';
import { evaluationReport } from './report';
import { createStepLogger } from '../common/logger';
import { asPrefixUri, joinKey, putObjectText, getObjectText } from '../common/s3';
import { BacktestManifest } from '../prepare-data/prepare';

const s3UriString = z.string().regex(S3_URI_PATTERN, 'an s3:// URI');

export const evaluateArgumentsSchema = z.object({
  /** The data step's backtest prefix (manifest.json, input/, test/). */
  backtest_uri: s3UriString,
  /** The transform job's S3OutputPath. */
  predictions_uri: s3UriString,
  /** Quantile levels evaluated (a list, or a comma-separated string). */
  quantiles: z
    .union([z.array(z.string()), z.string()])
    .transform((value) =>
      (Array.isArray(value) ? value : value.split(',')).map((q) => q.trim()).filter((q) => q !== ''),
    ),
  prediction_length: z.coerce.number().int().min(1),
  /** Where evaluation.json and model-quality.json are written. */
  output_uri: s3UriString,
  kms_key_arn: z.string().trim().optional(),
  model_artifacts: z.string().trim().optional(),
  trigger_reason: z.string().optional(),
});
export type EvaluateArguments = z.infer<typeof evaluateArgumentsSchema>;

/** The step's output parameters (names match the definition's OutputParameters). */
export interface EvaluateOutput {
  readonly mean_wql: number;
  readonly rmse: number;
  readonly window_wql: string;
  readonly evaluation_uri: string;
  readonly model_quality_uri: string;
  readonly points: number;
}

export interface EvaluateDependencies {
  readonly readText: (uri: string) => Promise<string>;
  readonly writeText: (uri: string, body: string, contentType: string) => Promise<void>;
  readonly logger: LogPort;
}

export function parseEvaluateArguments(event: unknown): EvaluateArguments {
  const parsed = evaluateArgumentsSchema.safeParse(event);
  if (!parsed.success) {
    throw new EvaluationError(
      `invalid EvaluateBacktest arguments: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** The transform output of an input file: `<S3OutputPath>/<input file name>.out`. */
export function transformOutputUri(predictionsUri: string, inputFile: string): string {
  const base = parseS3Uri(asPrefixUri(predictionsUri));
  return formatS3Uri({
    bucket: base.bucket,
    key: joinKey(base.key, `${inputFile.slice(inputFile.lastIndexOf('/') + 1)}.out`),
  });
}

export async function runEvaluation(
  args: EvaluateArguments,
  deps: EvaluateDependencies,
): Promise<EvaluateOutput> {
  const backtest = parseS3Uri(asPrefixUri(args.backtest_uri));
  const at = (relative: string): string =>
    formatS3Uri({ bucket: backtest.bucket, key: joinKey(backtest.key, relative) });
  const manifest = JSON.parse(await deps.readText(at('manifest.json'))) as BacktestManifest;
  if (manifest.prediction_length !== args.prediction_length) {
    throw new EvaluationError(
      `the backtest data has prediction_length ${manifest.prediction_length}, the evaluation expects ${args.prediction_length}`,
    );
  }
  const windows: WindowInput[] = [];
  for (const window of manifest.windows) {
    windows.push({
      index: window.index,
      forecastStart: window.forecast_start,
      testLines: splitLines(await deps.readText(at(window.test))),
      forecastLines: splitLines(await deps.readText(transformOutputUri(args.predictions_uri, window.input))),
    });
  }
  const result = evaluateBacktest({
    windows,
    quantiles: args.quantiles,
    predictionLength: args.prediction_length,
  });
  const rmse = result.pooled.rmse;
  if (rmse === null) {
    throw new EvaluationError('no forecast has a mean (the transform output_types must include "mean")');
  }

  const output = parseS3Uri(asPrefixUri(args.output_uri));
  const evaluationUri = formatS3Uri({ bucket: output.bucket, key: joinKey(output.key, 'evaluation.json') });
  const modelQualityUri = formatS3Uri({
    bucket: output.bucket,
    key: joinKey(output.key, 'model-quality.json'),
  });
  const report = evaluationReport(result, {
    manifest,
    quantiles: args.quantiles,
    predictionsUri: args.predictions_uri,
    modelArtifacts: args.model_artifacts,
    triggerReason: args.trigger_reason,
  });
  await deps.writeText(evaluationUri, `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  await deps.writeText(
    modelQualityUri,
    `${JSON.stringify(modelQualityMetrics(result), null, 2)}\n`,
    'application/json',
  );
  const out: EvaluateOutput = {
    mean_wql: result.meanWql,
    rmse,
    window_wql: windowWqlJson(result),
    evaluation_uri: evaluationUri,
    model_quality_uri: modelQualityUri,
    points: result.pooled.points,
  };
  deps.logger.info('backtest evaluated', { ...out });
  return out;
}

const logger = createStepLogger('deepar-evaluate');
const s3 = new S3Client({});

export async function handler(event: unknown): Promise<EvaluateOutput> {
  try {
    const args = parseEvaluateArguments(event);
    return await runEvaluation(args, {
      readText: (uri) => getObjectText(s3, parseS3Uri(uri)),
      writeText: (uri, body, contentType) =>
        putObjectText(s3, parseS3Uri(uri), body, contentType, args.kms_key_arn || undefined),
      logger: powertoolsLogPort(logger),
    });
  } catch (error) {
    logger.error('EvaluateBacktest failed', error as Error);
    throw error;
  }
}
