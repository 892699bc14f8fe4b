// The monitoring collector's pure cores, as the simulator uses them: maturity and grace, warm-up by model
// version, freshness, the series window and time helpers. They live in @mlops-templates/metrics (moved
// out of the monitoring seed in #15), the package the collector itself imports as a vendored copy, so
// the simulator and the collector run the same code.
export {
  buildSeriesWindow,
  contextTarget,
  decidePublication,
  evaluateWindow,
  forecastMaturity,
  isoSeconds,
  latestObservation,
  parseFrequency,
  parseThresholdParameter,
  type MaturedForecast,
  type Observation,
  type Publication,
  type StoredForecast,
} from '@mlops-templates/metrics';

// The seeds' committed settings the simulator uses as defaults (committed JSON data of the seeds, read
// at build time; no seed code): the collector and
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
