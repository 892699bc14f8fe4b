// The tabular synthetic dataset (template tabular-xgboost): a pure, deterministic function of (seed,
// hour, index in the hour) — four numeric and two categorical features with fixed distributions, a
// target with a known relation to them plus noise (regression, binary or multiclass) — and optional
// drift from a chosen instant: covariate shift of one named feature (its distribution moves, the
// relation stays) or concept drift (the relation changes, the features stay).
import { createHash } from 'node:crypto';
import { compactTimestamp } from '@mlops-templates/metrics';

export const PROBLEM_TYPES = ['regression', 'binary', 'multiclass'] as const;
/** The problem type of the target (template parameter ProblemType). */
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** A numeric feature: normal(mean, sd), clipped to [min, max], rounded to `decimals`. */
export interface NumericFeatureSpec {
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly decimals: number;
  /** Weight of the standardised feature in the score. */
  readonly weight: number;
}

/** The numeric features (fixed: the data have a documented, testable shape). */
export const NUMERIC_FEATURES = {
  age: { mean: 42, sd: 12, min: 18, max: 90, decimals: 0, weight: 0.8 },
  income_k: { mean: 55, sd: 18, min: 5, max: 250, decimals: 2, weight: 1.5 },
  tenure_months: { mean: 36, sd: 20, min: 0, max: 240, decimals: 0, weight: 1.0 },
  usage_hours: { mean: 20, sd: 6, min: 0, max: 100, decimals: 1, weight: -0.7 },
} as const satisfies Record<string, NumericFeatureSpec>;

/** A categorical feature: its levels with their probabilities and their effect on the score. */
export interface CategoricalFeatureSpec {
  readonly levels: readonly string[];
  readonly probabilities: readonly number[];
  readonly effects: readonly number[];
}

export const CATEGORICAL_FEATURES = {
  region: {
    levels: ['north', 'south', 'east', 'west'],
    probabilities: [0.4, 0.3, 0.2, 0.1],
    effects: [0, 0.5, -0.5, 1],
  },
  plan: { levels: ['basic', 'plus', 'premium'], probabilities: [0.5, 0.35, 0.15], effects: [0, 0.8, 1.6] },
} as const satisfies Record<string, CategoricalFeatureSpec>;

export type NumericFeature = keyof typeof NUMERIC_FEATURES;
export type CategoricalFeature = keyof typeof CATEGORICAL_FEATURES;
export type TabularFeature = NumericFeature | CategoricalFeature;

export const NUMERIC_FEATURE_NAMES = Object.keys(NUMERIC_FEATURES) as NumericFeature[];
export const CATEGORICAL_FEATURE_NAMES = Object.keys(CATEGORICAL_FEATURES) as CategoricalFeature[];
/** Every feature, in CSV column order. */
export const TABULAR_FEATURE_NAMES: readonly TabularFeature[] = [
  ...NUMERIC_FEATURE_NAMES,
  ...CATEGORICAL_FEATURE_NAMES,
];

/** Regression target: `REGRESSION_INTERCEPT + REGRESSION_SCALE × score + N(0, REGRESSION_NOISE_SD)`. */
export const REGRESSION_INTERCEPT = 100;
export const REGRESSION_SCALE = 10;
export const REGRESSION_NOISE_SD = 5;
/** Binary: P(1) = sigmoid(score − BINARY_OFFSET). */
export const BINARY_OFFSET = 0.8;
/** Multiclass: latent = score + logistic noise; class 0 below the first cut, 1 below the second, else 2. */
export const MULTICLASS_CUTS = [0, 1.6] as const;

/** Drift from `at` on (inclusive). */
export type TabularDrift =
  | {
      /** The feature's distribution moves; the relation to the target does not. */
      readonly kind: 'covariate';
      readonly at: Date;
      readonly feature: TabularFeature;
      /**
       * Numeric feature: its mean moves by `magnitude` standard deviations. Categorical feature: the
       * level probabilities are reversed (the magnitude is not used).
       */
      readonly magnitude: number;
    }
  | {
      /** The relation changes: the numeric weights flip sign and the categorical effects reverse. */
      readonly kind: 'concept';
      readonly at: Date;
    };

export interface TabularParameters {
  readonly seed: number;
  readonly problemType: ProblemType;
  readonly drift?: TabularDrift;
}

/** One generated record. */
export interface TabularRecord {
  /** Unique per (hour, index): `<hour as 20240601T120000Z>-<index, 5 digits>`; fits an InferenceId. */
  readonly recordId: string;
  /** Event time of the record (ms): spread evenly over its hour. */
  readonly millis: number;
  readonly numeric: Readonly<Record<NumericFeature, number>>;
  readonly categorical: Readonly<Record<CategoricalFeature, string>>;
  /** The noise-free score the target is drawn from (not written; for tests and the simulator). */
  readonly score: number;
  /** The target: a number (regression) or a class label 0/1 (binary) or 0/1/2 (multiclass). */
  readonly target: number;
}

const HOUR = 3_600_000;
const TWO_POW_32 = 2 ** 32;

/** Sixteen uniforms in (0, 1) from one SHA-512 digest of the inputs (32 bits each; deterministic). */
function uniforms(...parts: (string | number)[]): number[] {
  const digest = createHash('sha512').update(parts.join('|')).digest();
  const out = new Array<number>(16);
  for (let i = 0; i < 16; i++) out[i] = (digest.readUInt32BE(i * 4) + 0.5) / TWO_POW_32;
  return out;
}

function gaussian(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function pick(levels: readonly string[], probabilities: readonly number[], u: number): number {
  let cumulative = 0;
  for (let i = 0; i < levels.length; i++) {
    cumulative += probabilities[i];
    if (u < cumulative) return i;
  }
  return levels.length - 1;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Whether the drift is in force at `millis`. */
export function driftActive(drift: TabularDrift | undefined, millis: number): boolean {
  return drift !== undefined && millis >= drift.at.getTime();
}

/**
 * The score of the features under the relation in force (`concept` = after a concept drift): the sum of
 * weight × standardised numeric feature plus the categorical effects.
 */
export function tabularScore(
  numeric: Readonly<Record<NumericFeature, number>>,
  categorical: Readonly<Record<CategoricalFeature, string>>,
  concept = false,
): number {
  let score = 0;
  for (const name of NUMERIC_FEATURE_NAMES) {
    const spec: NumericFeatureSpec = NUMERIC_FEATURES[name];
    score += (concept ? -spec.weight : spec.weight) * ((numeric[name] - spec.mean) / spec.sd);
  }
  for (const name of CATEGORICAL_FEATURE_NAMES) {
    const spec: CategoricalFeatureSpec = CATEGORICAL_FEATURES[name];
    const effects = concept ? [...spec.effects].reverse() : spec.effects;
    score += effects[spec.levels.indexOf(categorical[name])];
  }
  return score;
}

/** The last hour's compact timestamp (records are generated hour by hour: one conversion per hour). */
let lastHour: { millis: number; compact: string } | undefined;

/** The record id of record `index` of the hour starting at `hourMillis`. */
export function tabularRecordId(hourMillis: number, index: number): string {
  if (lastHour?.millis !== hourMillis) {
    lastHour = { millis: hourMillis, compact: compactTimestamp(hourMillis) };
  }
  return `${lastHour.compact}-${String(index).padStart(5, '0')}`;
}

/**
 * Record `index` (0-based) of `perHour` records of the hour starting at `hourMillis` (on the hour).
 * A pure function: the same inputs give the same record, whatever the batching.
 */
export function tabularRecord(
  params: TabularParameters,
  hourMillis: number,
  index: number,
  perHour: number,
): TabularRecord {
  const millis = hourMillis + Math.floor((index * HOUR) / perHour);
  const u = uniforms(params.seed, 'tabular', hourMillis, index);
  const drift = driftActive(params.drift, millis) ? params.drift : undefined;
  const covariate = drift?.kind === 'covariate' ? drift : undefined;

  const normals = [gaussian(u[0], u[1]), gaussian(u[2], u[3]), gaussian(u[4], u[5]), gaussian(u[6], u[7])];
  const numeric = {} as Record<NumericFeature, number>;
  NUMERIC_FEATURE_NAMES.forEach((name, i) => {
    const spec: NumericFeatureSpec = NUMERIC_FEATURES[name];
    const shift = covariate?.feature === name ? covariate.magnitude * spec.sd : 0;
    const value = spec.mean + shift + spec.sd * normals[i];
    numeric[name] = round(Math.min(spec.max, Math.max(spec.min, value)), spec.decimals);
  });
  const categorical = {} as Record<CategoricalFeature, string>;
  const categoricalUniforms = [u[8], u[9]];
  CATEGORICAL_FEATURE_NAMES.forEach((name, i) => {
    const spec: CategoricalFeatureSpec = CATEGORICAL_FEATURES[name];
    const probabilities =
      covariate?.feature === name ? [...spec.probabilities].reverse() : spec.probabilities;
    categorical[name] = spec.levels[pick(spec.levels, probabilities, categoricalUniforms[i])];
  });

  const score = tabularScore(numeric, categorical, drift?.kind === 'concept');
  const noise = [u[10], u[11]];
  let target: number;
  switch (params.problemType) {
    case 'regression':
      target = round(
        REGRESSION_INTERCEPT + REGRESSION_SCALE * score + REGRESSION_NOISE_SD * gaussian(noise[0], noise[1]),
        3,
      );
      break;
    case 'binary':
      target = noise[0] < sigmoid(score - BINARY_OFFSET) ? 1 : 0;
      break;
    case 'multiclass': {
      const latent = score + Math.log(noise[0] / (1 - noise[0]));
      target = latent < MULTICLASS_CUTS[0] ? 0 : latent < MULTICLASS_CUTS[1] ? 1 : 2;
      break;
    }
  }
  return { recordId: tabularRecordId(hourMillis, index), millis, numeric, categorical, score, target };
}

/** The records of the given hours (ms, on the hour), `perHour` each, in time order. */
export function generateTabularRecords(
  params: TabularParameters,
  hours: readonly number[],
  perHour: number,
): TabularRecord[] {
  const records: TabularRecord[] = [];
  for (const hour of hours) {
    for (let i = 0; i < perHour; i++) records.push(tabularRecord(params, hour, i, perHour));
  }
  return records;
}

/** The data CSV's columns: record id, event time, the features, the target. */
export function tabularDataHeader(columns: TabularColumns): string[] {
  return [columns.recordId, columns.eventTime, ...TABULAR_FEATURE_NAMES, columns.target];
}

/** The labels CSV's columns (ground truth by record id): record id, event time, the target. */
export function tabularLabelsHeader(columns: TabularColumns): string[] {
  return [columns.recordId, columns.eventTime, columns.target];
}

export interface TabularColumns {
  readonly recordId: string;
  readonly eventTime: string;
  readonly target: string;
}

/** The CSV fields of a record, in {@link tabularDataHeader} order. */
export function tabularDataRow(record: TabularRecord, isoTime: string): (string | number)[] {
  return [
    record.recordId,
    isoTime,
    ...NUMERIC_FEATURE_NAMES.map((n) => record.numeric[n]),
    ...CATEGORICAL_FEATURE_NAMES.map((n) => record.categorical[n]),
    record.target,
  ];
}
