// The tabular template's contract between model-build (which registers the model package) and
// model-deploy / monitoring (which read it): the problem types and the CustomerMetadataProperties
// keys a tabular model package carries. CustomerMetadataProperties is a string-to-string map of
// CreateModelPackage (SageMaker API reference, "CreateModelPackage").

/** Problem types of the tabular template (template parameter ProblemType). */
export const TABULAR_PROBLEM_TYPES = ['regression', 'binary', 'multiclass'] as const;
/** A problem type of the tabular template. */
export type TabularProblemType = (typeof TABULAR_PROBLEM_TYPES)[number];

/** CustomerMetadataProperties keys of a tabular model package (model-build writes them). */
export const TABULAR_MODEL_PACKAGE_METADATA = {
  /** The problem type the model was trained for (one of {@link TABULAR_PROBLEM_TYPES}). */
  problemType: 'problem_type',
  /** Number of classes of a multiclass model (`num_class` of XGBoost's multi:softprob), as a decimal string. */
  numClasses: 'num_class',
  /**
   * s3:// URI of a sample request: CSV rows of features only (no header, no target, in training
   * column order), as the built-in XGBoost endpoint takes them. The staging endpoint test sends it.
   */
  samplePayload: 'sample_payload',
  /**
   * s3:// URI of the folder holding model-build's prepare report ({@link TABULAR_PREPARE_REPORT_FILE}):
   * the encoded feature columns the model expects, in order, and the classes of the target. The
   * synthetic traffic sender encodes its requests with it.
   */
  prepareReport: 'prepare_report',
} as const;

/** Test-set metrics the tabular gate can compare, per problem type (template parameter GateMetric). */
export const TABULAR_GATE_METRICS = {
  regression: ['rmse', 'mae'],
  binary: ['auc', 'f1'],
  multiclass: ['auc', 'f1'],
} as const satisfies Readonly<Record<TabularProblemType, readonly string[]>>;
/** The prepare report's file name below {@link TABULAR_MODEL_PACKAGE_METADATA}.prepareReport. */
export const TABULAR_PREPARE_REPORT_FILE = 'prepare.json';
