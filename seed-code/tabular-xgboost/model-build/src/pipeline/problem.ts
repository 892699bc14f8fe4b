// What the problem type decides, in one place: the built-in XGBoost objective and eval_metric (the
// SageMaker XGBoost hyperparameter reference), the Model Monitor model-quality problem type and the
// attributes of the predictions file, the metrics the evaluation computes and the direction of the gate.
import type { ModelQualityProblemType } from '@mlops-templates/pipeline-definition';

export const PROBLEM_TYPES = ['regression', 'binary', 'multiclass'] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];
export const GATE_METRICS = ['rmse', 'mae', 'auc', 'f1'] as const;
export type GateMetric = (typeof GATE_METRICS)[number];

export interface ProblemSettings {
  /** XGBoost `objective`. */
  readonly objective: 'reg:squarederror' | 'binary:logistic' | 'multi:softprob';
  /** XGBoost `eval_metric` on the validation channel (early stopping). */
  readonly evalMetric: 'rmse' | 'auc' | 'mlogloss';
  /** Whether training needs `num_class` (from the data: the prepare report). */
  readonly needsNumClass: boolean;
  /** The metrics evaluate.py writes under `metrics` (each `{ "value": … }`). */
  readonly metrics: readonly GateMetric[];
  /** Model Monitor's `problem_type`. */
  readonly modelQualityProblemType: ModelQualityProblemType;
  /** Columns of predictions.csv (its header), the analyzer's attributes. */
  readonly predictionColumns: readonly string[];
}

export const PROBLEM_SETTINGS: Readonly<Record<ProblemType, ProblemSettings>> = {
  regression: {
    objective: 'reg:squarederror',
    evalMetric: 'rmse',
    needsNumClass: false,
    metrics: ['rmse', 'mae'],
    modelQualityProblemType: 'Regression',
    predictionColumns: ['prediction', 'label'],
  },
  binary: {
    objective: 'binary:logistic',
    evalMetric: 'auc',
    needsNumClass: false,
    metrics: ['auc', 'f1'],
    modelQualityProblemType: 'BinaryClassification',
    predictionColumns: ['prediction', 'probability', 'label'],
  },
  multiclass: {
    objective: 'multi:softprob',
    evalMetric: 'mlogloss',
    needsNumClass: true,
    metrics: ['auc', 'f1'],
    modelQualityProblemType: 'MulticlassClassification',
    predictionColumns: ['prediction', 'label'],
  },
};

/** Lower is better for error metrics (the gate passes at ≤ threshold), higher for scores (≥). */
export function gateDirection(metric: GateMetric): 'at-most' | 'at-least' {
  return metric === 'rmse' || metric === 'mae' ? 'at-most' : 'at-least';
}

/** Why a gate metric does not suit a problem type, or undefined when it does. */
export function gateMetricProblem(problemType: ProblemType, metric: GateMetric): string | undefined {
  const metrics = PROBLEM_SETTINGS[problemType].metrics;
  return metrics.includes(metric)
    ? undefined
    : `"${metric}" is not a ${problemType} metric (expected ${metrics.join(' or ')})`;
}
