// The monitoring collector's pure cores, as the simulator uses them: maturity and grace
// (ground-truth.ts), warm-up by model version (evaluation.ts, publication.ts), freshness
// (publication.ts), the series window (series.ts) and time helpers (time.ts).
//
// TEMPORARY EXCEPTION (#14): imported from the monitoring seed by relative path. Seeds consume packages
// as vendored copies, so the right home of these pure modules is a package the seed imports (e.g.
// packages/metrics); the move was not made in #14 because other work on the same collector files
// (#14 findings 5 and 6) was in flight. This file is the only place that reaches into seed-code, so
// the move changes this file only. The package is not compiled to lib/ because of it (its bin runs
// the sources with ts-node).
export { forecastMaturity } from '../../../seed-code/deepar-forecasting/monitoring/src/collector/ground-truth';
export {
  evaluateWindow,
  type MaturedForecast,
} from '../../../seed-code/deepar-forecasting/monitoring/src/collector/evaluation';
export {
  decidePublication,
  parseThresholdParameter,
  type Publication,
} from '../../../seed-code/deepar-forecasting/monitoring/src/collector/publication';
export {
  buildSeriesWindow,
  contextTarget,
  latestObservation,
  type Observation,
} from '../../../seed-code/deepar-forecasting/monitoring/src/collector/series';
export {
  isoSeconds,
  parseFrequency,
} from '../../../seed-code/deepar-forecasting/monitoring/src/collector/time';
export type { StoredForecast } from '../../../seed-code/deepar-forecasting/monitoring/src/collector/forecast-store';

// The seeds' committed settings the simulator uses as defaults (same exception): the collector and
// alarm settings of the monitoring repository, the data window, backtest and gate of model-build.
import pipelineConfig from '../../../seed-code/deepar-forecasting/model-build/config/pipeline.json';
import monitoringConfig from '../../../seed-code/deepar-forecasting/monitoring/config/monitoring.json';

export const MONITORING_CONFIG = {
  collector: monitoringConfig.collector,
  accuracyAlarm: monitoringConfig.accuracyAlarm,
  freshnessAlarm: monitoringConfig.freshnessAlarm,
} as const;

export const MODEL_BUILD_CONFIG = {
  trainingWindowDays: pipelineConfig.data.trainingWindowDays,
  backtestWindows: pipelineConfig.data.backtestWindows,
  defaultGateThreshold: pipelineConfig.gate.defaultThreshold,
} as const;
