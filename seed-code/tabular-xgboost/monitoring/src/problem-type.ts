// The problem types of a tabular project and what Model Monitor calls and measures for each: the
// job definitions' ProblemType (SageMaker API Reference, "ModelQualityAppSpecification"), the metric
// keys of the model-quality constraints file and of the CloudWatch metrics (SageMaker Developer Guide,
// "Model quality metrics and Amazon CloudWatch monitoring"), and how a ground-truth label is checked.
import type { ProjectEnvironment } from '@mlops-templates/project-contract';

/** The template's problem type (`PROBLEM_TYPE`). */
export type ProblemType = ProjectEnvironment['PROBLEM_TYPE'];

/** Model Monitor's name of each problem type. */
export const MODEL_MONITOR_PROBLEM_TYPE = {
  regression: 'Regression',
  binary: 'BinaryClassification',
  multiclass: 'MulticlassClassification',
} as const satisfies Record<ProblemType, string>;

/**
 * Why the built-in model-quality monitor cannot judge the problem type's served model, or `undefined`.
 * Model Monitor reads the prediction from the captured CSV response by column index
 * (`InferenceAttribute`, or `ProbabilityAttribute` for binary; SageMaker API Reference, "EndpointInput").
 * The built-in XGBoost answers `text/csv` (SageMaker Developer Guide, "XGBoost algorithm with Amazon
 * SageMaker AI", "Input/Output Interface") with, per record, the prediction for `reg:squarederror` and
 * the positive-class probability for `binary:logistic` — column "0" — but one probability per class for
 * `multi:softprob`, which model-build trains (the shapes model-deploy's endpoint test checks: its README,
 * "Staging test"): column "0" is then P(class 0), not the predicted class MulticlassClassification
 * needs, and no column holds it.
 */
export const MODEL_QUALITY_UNSUPPORTED: Record<ProblemType, string | undefined> = {
  regression: undefined,
  binary: undefined,
  multiclass:
    'the built-in XGBoost multi:softprob response holds one probability per class (CSV column 0 = P(class 0)), not the predicted class that Model Monitor MulticlassClassification reads as InferenceAttribute',
};

/** Key of the problem type's section in a model-quality constraints file. */
export const CONSTRAINTS_SECTION = {
  regression: 'regression_constraints',
  binary: 'binary_classification_constraints',
  multiclass: 'multiclass_classification_constraints',
} as const satisfies Record<ProblemType, string>;

/** Metrics the model-quality job publishes per problem type, and whether higher is better. */
export const MODEL_QUALITY_METRICS: Record<ProblemType, Record<string, 'higher' | 'lower'>> = {
  regression: { mae: 'lower', mse: 'lower', rmse: 'lower', r2: 'higher' },
  binary: {
    accuracy: 'higher',
    precision: 'higher',
    recall: 'higher',
    f0_5: 'higher',
    f1: 'higher',
    f2: 'higher',
    auc: 'higher',
    true_positive_rate: 'higher',
    true_negative_rate: 'higher',
    false_positive_rate: 'lower',
    false_negative_rate: 'lower',
  },
  multiclass: {
    accuracy: 'higher',
    weighted_precision: 'higher',
    weighted_recall: 'higher',
    weighted_f0_5: 'higher',
    weighted_f1: 'higher',
    weighted_f2: 'higher',
  },
};

/** Why a label is not valid for the problem type, or `undefined` when it is. */
export function labelProblem(problemType: ProblemType, label: string): string | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(label) || !Number.isFinite(Number(label))) {
    return `label ${JSON.stringify(label)} is not a number`;
  }
  const value = Number(label);
  if (problemType === 'binary' && value !== 0 && value !== 1) {
    return `label ${label} is not 0 or 1 (binary)`;
  }
  if (problemType === 'multiclass' && (!Number.isInteger(value) || value < 0)) {
    return `label ${label} is not a class index 0, 1, 2, … (multiclass)`;
  }
  return undefined;
}
