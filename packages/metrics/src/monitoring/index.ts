// The monitoring collector's pure cores (moved out of the monitoring seed in #15 so the loop simulator
// and the collector run the same code): the series window, forecast maturity and ground truth, the
// window's accuracy, what is published, the forecast records and their keys, model version labels.
export * from './evaluation';
export * from './forecast-record';
export * from './forecast-response';
export * from './ground-truth';
export * from './model-version';
export * from './publication';
export * from './series';
export * from './time';
export * from './build';
