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
