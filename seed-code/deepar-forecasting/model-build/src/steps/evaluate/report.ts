// The evaluation report (evaluation.json) of a backtest: the gate metric, per-quantile and per-window
// figures and the data they come from. Read by people, by the model-deploy repository's threshold
// policy (`window_wql`) and attached to the registered model package.
import { EvaluationResult } from './evaluate';
import { BacktestManifest } from '../prepare-data/prepare';

export interface ReportContext {
  readonly manifest: BacktestManifest;
  readonly quantiles: readonly string[];
  readonly predictionsUri: string;
  readonly modelArtifacts?: string;
  readonly triggerReason?: string;
}

export const EVALUATION_REPORT_VERSION = 1;

export function evaluationReport(result: EvaluationResult, context: ReportContext): Record<string, unknown> {
  return {
    version: EVALUATION_REPORT_VERSION,
    gate_metric: 'mean_wQL',
    definitions: {
      'wQL[tau]':
        '2 * sum(tau * max(y - q_tau, 0) + (1 - tau) * max(q_tau - y, 0)) / sum(|y|) over observed points (Amazon Forecast)',
      mean_wQL: 'average over backtest windows of each window’s mean of wQL over the quantiles',
      rmse: 'root mean squared error of the mean forecast, all windows pooled',
    },
    mean_wQL: result.meanWql,
    mean_wQL_std_dev: result.meanWqlStdDev,
    wQL: result.wqlByQuantile,
    rmse: result.pooled.rmse,
    window_wql: result.windows.map((window) => window.mean_wQL),
    quantiles: context.quantiles,
    prediction_length: context.manifest.prediction_length,
    context_length: context.manifest.context_length,
    frequency: context.manifest.frequency,
    backtest_windows: context.manifest.backtest_windows,
    windows: result.windows,
    pooled: result.pooled,
    data: {
      source: context.manifest.data_source,
      window: context.manifest.data_window,
      train_end: context.manifest.train.end,
      series: context.manifest.items.length,
      skipped_series: context.manifest.skipped.length,
    },
    predictions_uri: context.predictionsUri,
    ...(context.modelArtifacts ? { model_artifacts: context.modelArtifacts } : {}),
    ...(context.triggerReason ? { trigger_reason: context.triggerReason } : {}),
  };
}
