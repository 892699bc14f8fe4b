// The tabular loop's model side in the simulator (template tabular-xgboost): the records of the
// product's tabular generator (@mlops-templates/project-handlers), a stand-in for the XGBoost model
// (least squares on the standardised numeric features and one-hot categories, regression target),
// the data-quality baseline of a build, and Model Monitor's data-quality drift metric
// `feature_baseline_drift_<feature>` of one monitoring execution.
//
// The metric, as the SageMaker Developer Guide documents it:
// - "CloudWatch Metrics" (model-monitor-interpreting-cloudwatch): with `emit_metrics` Enabled the
//   built-in container emits, per feature, `feature_baseline_drift_<feature_name>` (Stat Sum) in the
//   namespace `/aws/sagemaker/Endpoints/data-metric` with the `Endpoint` and `MonitoringSchedule`
//   dimensions (no model version dimension);
// - "Schema for Constraints (constraints.json file)" (model-monitor-byoc-constraints):
//   `distribution_constraints.comparison_threshold` (default 0.1) and `comparison_method`
//   (`Simple` | `Robust`) for numerical features;
// - "Schema for Violations (constraint_violations.json file)" (model-monitor-interpreting-violations):
//   `baseline_drift_check` is flagged when the distribution distance computed between the current and
//   the baseline dataset exceeds `comparison_threshold`.
// The pages do not spell out the distance for numerical features beyond "distribution distance"
// between the baseline's and the current dataset's distributions (the statistics file keeps a KLL
// quantile sketch of each numerical feature): modelled here as the `Simple` method's L-infinity
// distance between the two cumulative distributions (the two-sample Kolmogorov–Smirnov statistic),
// computed exactly instead of over the sketch.
import {
  CATEGORICAL_FEATURES,
  CATEGORICAL_FEATURE_NAMES,
  NUMERIC_FEATURES,
  NUMERIC_FEATURE_NAMES,
  type NumericFeature,
  tabularRecord,
  type TabularParameters,
  type TabularRecord,
} from '@mlops-templates/project-handlers';

const HOUR_MS = 3_600_000;

/** The name Model Monitor gives a feature's drift metric. */
export function featureBaselineDriftMetric(feature: string): string {
  return `feature_baseline_drift_${feature}`;
}

/** CloudWatch namespace of Model Monitor's data-quality metrics for real-time endpoints. */
export const DATA_QUALITY_NAMESPACE = '/aws/sagemaker/Endpoints/data-metric';

/**
 * Model Monitor's distance for a numerical feature: the largest gap between the baseline's and the
 * current data's cumulative distributions (L-infinity; see the file header). `baseline` sorted ascending.
 */
export function baselineDrift(baseline: Float64Array, current: readonly number[]): number {
  if (baseline.length === 0 || current.length === 0) return Number.NaN;
  const x = [...current].sort((a, b) => a - b);
  const m = baseline.length;
  const n = x.length;
  /** Number of baseline values < v (strict) or ≤ v. */
  const countBelow = (v: number, inclusive: boolean): number => {
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (baseline[mid] < v || (inclusive && baseline[mid] === v)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let d = 0;
  let runStart = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && x[i] !== x[i - 1]) runStart = i;
    // Ties in the current sample: evaluate the CDF once past the last equal value.
    if (i + 1 < n && x[i + 1] === x[i]) continue;
    const first = runStart;
    const below = countBelow(x[i], false) / m;
    const atOrBelow = countBelow(x[i], true) / m;
    d = Math.max(d, Math.abs(first / n - below), Math.abs((i + 1) / n - atOrBelow));
  }
  return d;
}

/** The records of the simulated project, hour by hour (generated once; the generator is pure). */
export class TabularRecords {
  private readonly hours = new Map<number, TabularRecord[]>();

  constructor(
    private readonly params: TabularParameters,
    private readonly rowsPerHour: number,
  ) {}

  /** The records of the hour starting at `hourStart` (ms, on the hour). */
  hour(hourStart: number): TabularRecord[] {
    let records = this.hours.get(hourStart);
    if (records === undefined) {
      records = Array.from({ length: this.rowsPerHour }, (_, i) =>
        tabularRecord(this.params, hourStart, i, this.rowsPerHour),
      );
      this.hours.set(hourStart, records);
    }
    return records;
  }

  /** The records of the whole hours in [from, to) (`from` and `to` on the hour). */
  between(from: number, to: number): TabularRecord[] {
    const out: TabularRecord[] = [];
    for (let h = from; h < to; h += HOUR_MS) out.push(...this.hour(h));
    return out;
  }
}

/** The design row of a record: intercept, standardised numeric features, one-hot categories (first level dropped). */
function designRow(record: TabularRecord): number[] {
  const row = [1];
  for (const name of NUMERIC_FEATURE_NAMES) {
    const spec = NUMERIC_FEATURES[name];
    row.push((record.numeric[name] - spec.mean) / spec.sd);
  }
  for (const name of CATEGORICAL_FEATURE_NAMES) {
    const levels: readonly string[] = CATEGORICAL_FEATURES[name].levels;
    for (const level of levels.slice(1)) row.push(record.categorical[name] === level ? 1 : 0);
  }
  return row;
}

/** Solves the symmetric system `a x = b` (Gaussian elimination with partial pivoting); undefined if singular. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    if (Math.abs(m[pivot][c]) < 1e-9) return undefined;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** The stand-in model: least-squares coefficients over {@link designRow}. */
export interface TabularFit {
  readonly coefficients: readonly number[];
}

/** Fits the stand-in on the records (undefined: too few records or a singular design). */
export function fitTabular(records: readonly TabularRecord[]): TabularFit | undefined {
  if (records.length < 50) return undefined;
  const p = designRow(records[0]).length;
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (const record of records) {
    const row = designRow(record);
    for (let i = 0; i < p; i++) {
      xty[i] += row[i] * record.target;
      for (let j = 0; j < p; j++) xtx[i][j] += row[i] * row[j];
    }
  }
  const coefficients = solve(xtx, xty);
  return coefficients === undefined ? undefined : { coefficients };
}

export function predictTabular(fit: TabularFit, record: TabularRecord): number {
  const row = designRow(record);
  return row.reduce((sum, x, i) => sum + x * fit.coefficients[i], 0);
}

/** Root mean squared error of the fit on the records. */
export function rmse(fit: TabularFit, records: readonly TabularRecord[]): number {
  const sse = records.reduce((sum, r) => sum + (predictTabular(fit, r) - r.target) ** 2, 0);
  return Math.sqrt(sse / records.length);
}

/** What a tabular build produced. */
export interface TabularBuild {
  readonly fit: TabularFit;
  /** Evaluation metric of the gate: RMSE on the test split (the newest 20 % of the window). */
  readonly testRmse: number;
  /** The data-quality baseline: each numeric feature's values over the baseline window, sorted. */
  readonly baseline: Readonly<Record<NumericFeature, Float64Array>>;
}

/**
 * A build as model-build would run it: time-ordered split of the training window (train: the oldest
 * 80 %, test: the newest 20 %), the stand-in fitted on the train split and evaluated on the test split,
 * and the data-quality baseline (the built-in analyzer's statistics) over the newest
 * `baselineHours` of the window.
 */
export function buildTabular(
  records: TabularRecords,
  dataEnd: number,
  windowHours: number,
  baselineHours: number,
): TabularBuild | undefined {
  const end = Math.floor(dataEnd / HOUR_MS) * HOUR_MS;
  const window = records.between(end - windowHours * HOUR_MS, end);
  const cut = Math.floor(window.length * 0.8);
  const fit = fitTabular(window.slice(0, cut));
  if (fit === undefined || cut === window.length) return undefined;
  const baselineRecords = records.between(end - baselineHours * HOUR_MS, end);
  const baseline = {} as Record<NumericFeature, Float64Array>;
  for (const name of NUMERIC_FEATURE_NAMES) {
    baseline[name] = Float64Array.from(baselineRecords.map((r) => r.numeric[name])).sort();
  }
  return { fit, testRmse: rmse(fit, window.slice(cut)), baseline };
}
