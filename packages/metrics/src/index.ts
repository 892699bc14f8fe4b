// Public API of @mlops-templates/metrics: forecast accuracy (weighted quantile loss as Amazon
// Forecast defines it, RMSE, interval coverage), DeepAR / data-capture / ground-truth parsers,
// the capture-vs-ground-truth evaluation, the alarm-threshold policy, the series facts training
// and monitoring must share (frequency grammar, data window, resampling, S3 data layout), the shared
// primitives of the handlers and seeds (DeepAR request, S3 URIs, log port, DeepAR fixture) and the
// monitoring collector's pure cores.

export { MetricsInputError } from './errors';
export {
  DEFAULT_QUANTILES,
  normaliseQuantileKey,
  normaliseQuantileKeys,
  normaliseQuantileRecord,
  quantileLevel,
} from './quantiles';
export type {
  AccuracyResult,
  CentralInterval,
  ForecastObservation,
  IntervalCoverage,
  NumericSeries,
  WqlAccumulatorOptions,
} from './wql-accumulator';
export { WqlAccumulator } from './wql-accumulator';
export type { DeepArForecast } from './deepar';
export { parseDeepArBatchLine, parseDeepArResponse } from './deepar';
export type { CaptureEncoding, CapturedPayload, CaptureRecord } from './data-capture';
export { decodePayload, parseCaptureLine, parseCaptureRecord } from './data-capture';
export type { GroundTruthMergeRecord, GroundTruthRecord, LabelGroundTruthMergeRecord } from './ground-truth';
export {
  parseGroundTruthData,
  parseGroundTruthLine,
  parseGroundTruthRecord,
  toGroundTruthRecord,
  toLabelGroundTruthRecord,
} from './ground-truth';
export type { EvaluationOptions, EvaluationSummary, MalformedLine } from './evaluate';
export {
  evaluateDirectories,
  ForecastEvaluation,
  listJsonlFiles,
  QUANTILES_FROM_DATA,
  requestedQuantiles,
} from './evaluate';
export { evaluateWqlDocument, parseWqlInput } from './wql-input';
export { parseJsonAllowingNaN } from './json';
export * from './threshold-policy';
export * from './frequency';
export * from './data-window';
export * from './resample';
export * from './data-layout';
export * from './tabular-csv';
export * from './deepar-request';
export * from './s3-uri';
export * from './log-port';
export * from './monitoring';
export { DEEPAR_REQUEST_RESPONSE_EXAMPLE } from './fixtures/deepar-example';
export * from './model-monitor-image';
export * from './model-monitor-schedule';
