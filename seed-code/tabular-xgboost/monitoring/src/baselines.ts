// The Model Monitor baselines registered on a model package, read by the build: the S3 URIs of the
// data-quality statistics/constraints and the model-quality constraints (the package's
// DriftCheckBaselines, else its ModelMetrics — SageMaker API Reference, "DescribeModelPackage",
// "DriftCheckBaselines", "ModelMetrics"), the feature names of the statistics file and the
// model-quality alarm threshold of the constraints file (SageMaker Developer Guide, "Schema for
// Statistics (statistics.json file)" and "Create a model quality baseline"). Pure: no AWS call here.
import { tryParseS3Uri } from '@mlops-templates/metrics';
import { z } from 'zod';
import { CONSTRAINTS_SECTION, MODEL_QUALITY_METRICS, type ProblemType } from './problem-type';

/** The parts of a DescribeModelPackage response read here (the SDK's shape). */
export interface ModelPackageBaselineFields {
  readonly DriftCheckBaselines?: {
    readonly ModelDataQuality?: { readonly Statistics?: MetricsSource; readonly Constraints?: MetricsSource };
    readonly ModelQuality?: { readonly Statistics?: MetricsSource; readonly Constraints?: MetricsSource };
  };
  readonly ModelMetrics?: ModelPackageBaselineFields['DriftCheckBaselines'];
}
interface MetricsSource {
  readonly S3Uri?: string;
}

/** Baseline file URIs of a model package; a missing one is `undefined`. */
export interface BaselineUris {
  readonly dataQualityStatistics?: string;
  readonly dataQualityConstraints?: string;
  readonly modelQualityConstraints?: string;
}

/** The URIs, DriftCheckBaselines first, ModelMetrics second; anything not an s3:// URI is ignored. */
export function baselineUris(modelPackage: ModelPackageBaselineFields): BaselineUris {
  const pick = (
    kind: 'ModelDataQuality' | 'ModelQuality',
    file: 'Statistics' | 'Constraints',
  ): string | undefined =>
    [modelPackage.DriftCheckBaselines, modelPackage.ModelMetrics]
      .map((source) => source?.[kind]?.[file]?.S3Uri)
      .find((uri) => uri !== undefined && tryParseS3Uri(uri) !== undefined);
  return {
    dataQualityStatistics: pick('ModelDataQuality', 'Statistics'),
    dataQualityConstraints: pick('ModelDataQuality', 'Constraints'),
    modelQualityConstraints: pick('ModelQuality', 'Constraints'),
  };
}

const statisticsSchema = z.object({
  features: z.array(z.object({ name: z.string().min(1) })).min(1, 'lists no feature'),
});

/**
 * Feature names of a data-quality statistics file, in file order (the suffix of the
 * `feature_baseline_drift_<name>` metrics). Throws naming the file when it is not one.
 */
export function featureNames(document: unknown, where: string): string[] {
  const parsed = statisticsSchema.safeParse(document);
  if (!parsed.success) {
    throw new Error(`${where} is not a data-quality statistics file: ${z.prettifyError(parsed.error)}`);
  }
  const names = parsed.data.features.map((f) => f.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) throw new Error(`${where} repeats features ${[...new Set(repeated)].join(', ')}`);
  return names;
}

/** The model-quality alarm: which published metric, its threshold and the breaching side. */
export interface ModelQualityThreshold {
  readonly metric: string;
  readonly threshold: number;
  readonly comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
}

const constraintSchema = z.object({
  threshold: z.number().refine(Number.isFinite, 'must be finite'),
  comparison_operator: z.enum(['GreaterThanThreshold', 'LessThanThreshold']),
});

/**
 * The threshold of `metric` in a model-quality constraints file (section of the problem type), or a
 * reason why there is none. A comparison that contradicts the metric's direction (e.g. rmse
 * `LessThanThreshold`) is refused: the alarm would fire on a better model.
 */
export function modelQualityThreshold(
  document: unknown,
  problemType: ProblemType,
  metric: string,
): ModelQualityThreshold | { reason: string } {
  const direction = MODEL_QUALITY_METRICS[problemType][metric];
  if (direction === undefined) {
    return { reason: `${metric} is not a ${problemType} model-quality metric` };
  }
  const section = CONSTRAINTS_SECTION[problemType];
  const raw = (document as Record<string, Record<string, unknown> | undefined> | null)?.[section]?.[metric];
  if (raw === undefined) return { reason: `the constraints file has no ${section}.${metric}` };
  const parsed = constraintSchema.safeParse(raw);
  if (!parsed.success) {
    return { reason: `${section}.${metric} is malformed: ${z.prettifyError(parsed.error)}` };
  }
  const expected = direction === 'higher' ? 'LessThanThreshold' : 'GreaterThanThreshold';
  if (parsed.data.comparison_operator !== expected) {
    return {
      reason: `${section}.${metric} says ${parsed.data.comparison_operator}, but a ${direction} ${metric} is better (expected ${expected})`,
    };
  }
  return { metric, threshold: parsed.data.threshold, comparison: parsed.data.comparison_operator };
}
