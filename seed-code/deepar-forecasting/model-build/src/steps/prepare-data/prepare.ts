// The data step's orchestration: validate the step arguments, choose the data window, read the
// observations (through an injected reader), resample, split into training and backtest windows,
// write the DeepAR JSON Lines and the manifest, and return the step's output parameters.
import {
  S3_URI_PATTERN,
  dataWindowSteps,
  type LogPort,
  parseS3Uri,
  formatS3Uri,
  parseFrequency,
  isoSeconds,
  type SeriesObservation,
} from '@mlops-templates/metrics';
import { z } from 'zod';
import { buildBacktest, PrepareDataError, resample, toJsonLines } from './series';
import { ColumnMapping } from './tabular';
import { MAX_BACKTEST_WINDOWS, RESAMPLE_AGGREGATIONS } from '../../config/pipeline-config';
import { asPrefixUri, joinKey } from '../common/s3';
import { parseTimestamp } from '../common/time';

const s3UriString = z.string().regex(S3_URI_PATTERN, 'an s3:// URI');
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === undefined || value === '' || value === 'none' ? undefined : value));

/** The event the pipeline's PrepareData Lambda step sends (see src/pipeline/definition.ts). */
export const prepareDataArgumentsSchema = z.object({
  data_source_type: z.enum(['synthetic', 's3', 'feature-group']),
  /** SSM parameter with the project's data configuration (location and columns). */
  config_parameter_name: optionalText,
  /** Overrides of the SSM configuration (local runs, tests). */
  data_source_location: optionalText,
  timestamp_column: optionalText,
  target_column: optionalText,
  item_id_column: z.string().trim().optional(),
  frequency: z.string().trim().min(1),
  prediction_length: z.coerce.number().int().min(1).max(500),
  context_length: z.coerce.number().int().min(1).max(2000),
  backtest_windows: z.coerce.number().int().min(1).max(MAX_BACKTEST_WINDOWS),
  training_window_days: z.coerce.number().int().min(1).max(3650),
  /** "latest" (now) or an ISO-8601 instant: the end (exclusive) of the data window. */
  data_window_end: z.string().trim().default('latest'),
  resample_aggregation: z.enum(RESAMPLE_AGGREGATIONS).default('mean'),
  output_uri: s3UriString,
  athena_output_uri: s3UriString.optional(),
  athena_work_group: z.string().trim().min(1).default('primary'),
  kms_key_arn: optionalText,
});
export type PrepareDataArguments = z.infer<typeof prepareDataArgumentsSchema>;

export function parsePrepareDataArguments(event: unknown): PrepareDataArguments {
  const parsed = prepareDataArgumentsSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`,
    );
    throw new PrepareDataError(`invalid PrepareData arguments: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Where the series is and which columns to read. */
export interface DataSource {
  readonly type: PrepareDataArguments['data_source_type'];
  /** s3://bucket/prefix/ for synthetic and s3, the Feature Group name for feature-group. */
  readonly location: string;
  readonly mapping: ColumnMapping;
}

export interface DataWindow {
  readonly startMs: number;
  readonly endMs: number;
}

export interface ReadResult {
  readonly observations: SeriesObservation[];
  readonly details: Record<string, unknown>;
}

export interface PrepareDataDependencies {
  readonly readObservations: (source: DataSource, window: DataWindow) => Promise<ReadResult>;
  readonly writeText: (uri: string, body: string, contentType: string) => Promise<void>;
  readonly now: () => number;
  readonly logger: LogPort;
}

/** The step's output parameters (names match the definition's OutputParameters). */
export interface PrepareDataOutput {
  readonly train_uri: string;
  readonly backtest_input_uri: string;
  readonly backtest_uri: string;
  readonly data_window_start: string;
  readonly data_window_end: string;
  readonly series_count: number;
  readonly skipped_series: number;
  readonly backtest_windows: number;
}

/** Contents of `backtest/manifest.json`, read by the evaluation step. */
export interface BacktestManifest {
  readonly version: 1;
  readonly frequency: string;
  readonly prediction_length: number;
  readonly context_length: number;
  readonly backtest_windows: number;
  readonly data_source: { readonly type: string; readonly location: string };
  readonly data_window: { readonly start: string; readonly end: string };
  readonly train: { readonly key: string; readonly end: string; readonly series: number };
  readonly items: string[];
  readonly skipped: { readonly itemId: string; readonly reason: string }[];
  readonly windows: {
    readonly index: number;
    readonly forecast_start: string;
    /** Transform input file, relative to the backtest prefix. */
    readonly input: string;
    /** History + actual values file, relative to the backtest prefix. */
    readonly test: string;
    readonly series: number;
  }[];
}

export const windowFileName = (index: number): string => `window-${String(index).padStart(2, '0')}.jsonl`;

/**
 * The training file, under `train_uri`. JSON Lines content with a `.json` name: DeepAR tells the
 * training input format from the file extension (`.json`, `.json.gz`, `.parquet`) when the channel has
 * no content type (SageMaker Developer Guide, "Use the SageMaker AI DeepAR forecasting algorithm",
 * section "Input/Output Interface for the DeepAR Algorithm"); a `.jsonl` name is none of them.
 */
export const TRAIN_DATA_FILE = 'train.json';

/**
 * The data window [end − length, end), end = now or `data_window_end`. Its length is the shared
 * `dataWindowSteps` (@mlops-templates/metrics): `training_window_days`, or longer when the frequency ×
 * the steps the build needs (context + horizon + K backtest horizons, plus slack) is longer — so a 1D
 * project with a 24-step horizon reads 146 days, not a fixed 90 that can never hold its 144 steps.
 */
export function dataWindow(args: PrepareDataArguments, nowMs: number): DataWindow {
  let endMs = nowMs;
  if (args.data_window_end !== 'latest') {
    const parsed = parseTimestamp(args.data_window_end);
    if (parsed === undefined) {
      throw new PrepareDataError(
        `data_window_end ${JSON.stringify(args.data_window_end)} is neither "latest" nor ISO-8601`,
      );
    }
    endMs = parsed;
  }
  const frequency = parseFrequency(args.frequency);
  const steps = dataWindowSteps({
    frequency,
    predictionLength: args.prediction_length,
    contextLength: args.context_length,
    backtestWindows: args.backtest_windows,
    minimumDays: args.training_window_days,
  });
  return { startMs: endMs - steps * frequency.stepMs, endMs };
}

export async function prepareData(
  args: PrepareDataArguments,
  source: DataSource,
  deps: PrepareDataDependencies,
): Promise<PrepareDataOutput> {
  const frequency = parseFrequency(args.frequency);
  const range = dataWindow(args, deps.now());
  const windowDays = (range.endMs - range.startMs) / 86_400_000;
  deps.logger.info('reading observations', {
    source: source.type,
    location: source.location,
    windowStart: isoSeconds(range.startMs),
    windowEnd: isoSeconds(range.endMs),
    windowDays,
    ...(windowDays > args.training_window_days
      ? { extendedFrom: args.training_window_days, reason: 'frequency × steps the build needs' }
      : {}),
  });
  const read = await deps.readObservations(source, range);
  deps.logger.info('observations read', { observations: read.observations.length, ...read.details });

  const resampled = resample(read.observations, {
    frequency,
    windowStartMs: range.startMs,
    windowEndMs: range.endMs,
    aggregation: args.resample_aggregation,
  });
  if (resampled.emptyItems.length > 0) {
    deps.logger.warn('series without any observed value in the window were left out', {
      items: resampled.emptyItems,
    });
  }
  const dataset = buildBacktest(resampled.series, resampled.endMs, {
    frequency,
    predictionLength: args.prediction_length,
    contextLength: args.context_length,
    backtestWindows: args.backtest_windows,
  });
  if (dataset.skipped.length > 0) {
    deps.logger.warn('series too short or empty were left out', {
      skipped: dataset.skipped.slice(0, 20),
      count: dataset.skipped.length,
    });
  }

  const output = parseS3Uri(asPrefixUri(args.output_uri));
  const uriOf = (...names: string[]): string =>
    formatS3Uri({ bucket: output.bucket, key: joinKey(output.key, ...names) });
  const jsonLines = 'application/jsonlines';
  await deps.writeText(uriOf('train', TRAIN_DATA_FILE), toJsonLines(dataset.train), jsonLines);
  for (const window of dataset.windows) {
    await deps.writeText(
      uriOf('backtest', 'input', windowFileName(window.index)),
      toJsonLines(window.inputs),
      jsonLines,
    );
    await deps.writeText(
      uriOf('backtest', 'test', windowFileName(window.index)),
      toJsonLines(window.tests),
      jsonLines,
    );
  }
  const dataStartMs = dataset.train.reduce((first, record) => Math.min(first, record.startMs), Infinity);
  const manifest: BacktestManifest = {
    version: 1,
    frequency: frequency.text,
    prediction_length: args.prediction_length,
    context_length: args.context_length,
    backtest_windows: args.backtest_windows,
    data_source: { type: source.type, location: source.location },
    data_window: { start: isoSeconds(dataStartMs), end: isoSeconds(dataset.endMs) },
    train: {
      key: `train/${TRAIN_DATA_FILE}`,
      end: isoSeconds(dataset.trainEndMs),
      series: dataset.train.length,
    },
    items: dataset.train.map((record) => record.itemId),
    skipped: dataset.skipped,
    windows: dataset.windows.map((window) => ({
      index: window.index,
      forecast_start: isoSeconds(window.forecastStartMs),
      input: `input/${windowFileName(window.index)}`,
      test: `test/${windowFileName(window.index)}`,
      series: window.inputs.length,
    })),
  };
  await deps.writeText(
    uriOf('backtest', 'manifest.json'),
    `${JSON.stringify(manifest, null, 2)}\n`,
    'application/json',
  );

  const result: PrepareDataOutput = {
    train_uri: `${uriOf('train')}/`,
    backtest_input_uri: `${uriOf('backtest', 'input')}/`,
    backtest_uri: `${uriOf('backtest')}/`,
    data_window_start: manifest.data_window.start,
    data_window_end: manifest.data_window.end,
    series_count: dataset.train.length,
    skipped_series: dataset.skipped.length,
    backtest_windows: dataset.windows.length,
  };
  deps.logger.info('training and backtest data written', { ...result });
  return result;
}
