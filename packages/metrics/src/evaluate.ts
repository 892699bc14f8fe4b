// Evaluation of DeepAR forecasts captured at an endpoint against their ground truth: joins
// ground-truth records (held in memory, compactly) to data-capture records (streamed line by line)
// on the Model Quality merge id and accumulates the metrics. Malformed lines are counted and
// described, never fatal.

import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { decodePayload, parseCaptureLine } from './data-capture';
import { parseDeepArResponse } from './deepar';
import { MetricsInputError } from './errors';
import { parseGroundTruthLine } from './ground-truth';
import { DEFAULT_QUANTILES } from './quantiles';
import type { AccuracyResult, CentralInterval, ForecastObservation } from './wql-accumulator';
import { WqlAccumulator } from './wql-accumulator';

/** A line that could not be used, and why. */
export interface MalformedLine {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly reason: string;
}

export interface EvaluationOptions {
  /** Quantile levels to evaluate; default {@link DEFAULT_QUANTILES}. Every forecast must have them. */
  readonly quantiles?: readonly string[];
  /** Interval for the coverage figure; default the lowest and highest level. */
  readonly interval?: CentralInterval;
  /** How many malformed lines to keep in the summary (default 10); all are counted. */
  readonly maxMalformedExamples?: number;
  /** Called for every malformed line (e.g. to log it). */
  readonly onMalformed?: (malformed: MalformedLine) => void;
  /**
   * Accumulate into this accumulator instead of a new one (e.g. one shared by the evaluations of
   * several time windows); `quantiles` and `interval` must then be left out.
   */
  readonly accumulator?: WqlAccumulator;
}

/** Outcome of an evaluation. */
export interface EvaluationSummary {
  /** Capture records joined to ground truth and evaluated. */
  readonly matched: number;
  /** Valid capture records with no ground-truth record (yet). */
  readonly unmatchedCapture: number;
  /** Valid ground-truth records no capture record joined to. */
  readonly unmatchedGroundTruth: number;
  /** Lines of either side that could not be used (bad JSON, bad record, shape mismatch, duplicate id). */
  readonly malformed: number;
  /** The first malformed lines, with file, line and reason. */
  readonly malformedExamples: readonly MalformedLine[];
  /** Metrics over all matched points. */
  readonly accuracy: AccuracyResult;
}

interface StoredGroundTruth {
  /** One array per request instance; NaN = not observed. */
  readonly targets: readonly Float64Array[];
  consumed: boolean;
}

/**
 * Joins ground truth to captured DeepAR responses and accumulates accuracy. Feed every
 * ground-truth line first, then stream the capture lines. Memory holds the ground truth (ids and
 * 8 bytes per target value) and the accumulator's sums; capture lines are not kept.
 */
export class ForecastEvaluation {
  private readonly accumulator: WqlAccumulator;
  private readonly groundTruth = new Map<string, StoredGroundTruth>();
  private readonly maxExamples: number;
  private readonly onMalformed: ((malformed: MalformedLine) => void) | undefined;
  private readonly examples: MalformedLine[] = [];
  private captureStarted = false;
  private matched = 0;
  private unmatchedCapture = 0;
  private malformed = 0;

  constructor(options: EvaluationOptions = {}) {
    if (options.accumulator && (options.quantiles || options.interval)) {
      throw new Error('give either an accumulator or quantiles/interval, not both');
    }
    this.accumulator =
      options.accumulator ??
      new WqlAccumulator({ quantiles: options.quantiles ?? DEFAULT_QUANTILES, interval: options.interval });
    this.maxExamples = options.maxMalformedExamples ?? 10;
    this.onMalformed = options.onMalformed;
  }

  /** Adds one line of a ground-truth file (blank lines are skipped). */
  addGroundTruthLine(line: string, file: string, lineNumber: number): void {
    if (this.captureStarted) throw new Error('ground truth must be added before the capture records');
    if (isBlank(line)) return;
    try {
      const record = parseGroundTruthLine(line);
      if (this.groundTruth.has(record.eventId)) {
        throw new MetricsInputError(
          `duplicate ground-truth eventId ${JSON.stringify(record.eventId)} (the first is kept)`,
        );
      }
      this.groundTruth.set(record.eventId, {
        targets: record.targets.map(toFloat64),
        consumed: false,
      });
    } catch (error) {
      this.recordMalformed(file, lineNumber, error);
    }
  }

  /** Adds one line of a data-capture file (blank lines are skipped). */
  addCaptureLine(line: string, file: string, lineNumber: number): void {
    this.captureStarted = true;
    if (isBlank(line)) return;
    try {
      const record = parseCaptureLine(line);
      const truth = this.groundTruth.get(record.joinId);
      if (truth === undefined) {
        this.unmatchedCapture++;
        return;
      }
      if (truth.consumed) {
        throw new MetricsInputError(
          `duplicate capture record for id ${JSON.stringify(record.joinId)} (already evaluated)`,
        );
      }
      truth.consumed = true;
      if (record.endpointOutput === undefined) {
        throw new MetricsInputError(`record ${JSON.stringify(record.joinId)} has no captured endpointOutput`);
      }
      const forecasts = parseDeepArResponse(decodePayload(record.endpointOutput));
      if (forecasts.length !== truth.targets.length) {
        throw new MetricsInputError(
          `record ${JSON.stringify(record.joinId)}: the response has ${forecasts.length} forecasts but the ground truth has ${truth.targets.length} target arrays`,
        );
      }
      const observations: ForecastObservation[] = forecasts.map((forecast, i) => {
        if (forecast.quantiles === undefined) {
          throw new MetricsInputError(
            `record ${JSON.stringify(record.joinId)}: predictions.${i} has no quantiles (the request's output_types must include "quantiles")`,
          );
        }
        const horizon = Object.values(forecast.quantiles)[0]?.length ?? 0;
        const target = truth.targets[i];
        if (target.length !== horizon) {
          throw new MetricsInputError(
            `record ${JSON.stringify(record.joinId)}: target array ${i} has ${target.length} values but the forecast horizon is ${horizon}`,
          );
        }
        return { target, quantiles: forecast.quantiles, mean: forecast.mean };
      });
      try {
        this.accumulator.addMany(observations);
      } catch (error) {
        throw new MetricsInputError(`record ${JSON.stringify(record.joinId)}: ${(error as Error).message}`);
      }
      this.matched++;
    } catch (error) {
      this.recordMalformed(file, lineNumber, error);
    }
  }

  /** Reads a ground-truth stream line by line. `name` labels its malformed lines. */
  async addGroundTruthStream(input: Readable, name: string): Promise<void> {
    await forEachLine(input, (line, n) => this.addGroundTruthLine(line, name, n));
  }

  /** Reads a data-capture stream line by line. `name` labels its malformed lines. */
  async addCaptureStream(input: Readable, name: string): Promise<void> {
    await forEachLine(input, (line, n) => this.addCaptureLine(line, name, n));
  }

  /** The counts and metrics so far. */
  summary(): EvaluationSummary {
    let unmatchedGroundTruth = 0;
    for (const truth of this.groundTruth.values()) if (!truth.consumed) unmatchedGroundTruth++;
    return {
      matched: this.matched,
      unmatchedCapture: this.unmatchedCapture,
      unmatchedGroundTruth,
      malformed: this.malformed,
      malformedExamples: [...this.examples],
      accuracy: this.accumulator.result(),
    };
  }

  private recordMalformed(file: string, line: number, error: unknown): void {
    if (!(error instanceof MetricsInputError)) throw error;
    const malformed: MalformedLine = { file, line, reason: error.message };
    this.malformed++;
    if (this.examples.length < this.maxExamples) this.examples.push(malformed);
    this.onMalformed?.(malformed);
  }
}

/**
 * Evaluates every `*.jsonl` file under `captureDir` (SageMaker data capture of a DeepAR endpoint)
 * against every `*.jsonl` file under `groundTruthDir` (Model Quality merge format), both searched
 * recursively and read in path order. Throws {@link MetricsInputError} when a folder does not exist.
 */
export async function evaluateDirectories(
  captureDir: string,
  groundTruthDir: string,
  options: EvaluationOptions = {},
): Promise<EvaluationSummary> {
  const groundTruthFiles = await listJsonlFiles(groundTruthDir, 'ground-truth');
  const captureFiles = await listJsonlFiles(captureDir, 'capture');
  const evaluation = new ForecastEvaluation(options);
  for (const file of groundTruthFiles) {
    await evaluation.addGroundTruthStream(openFile(file), file);
  }
  for (const file of captureFiles) {
    await evaluation.addCaptureStream(openFile(file), file);
  }
  return evaluation.summary();
}

/** Every `*.jsonl` file under a folder (recursively), sorted. */
export async function listJsonlFiles(dir: string, what = 'input'): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new MetricsInputError(`the ${what} folder ${JSON.stringify(dir)} does not exist`);
  }
  const files: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith('.jsonl')) files.push(full);
    }
  };
  await walk(dir);
  return files.sort();
}

function openFile(file: string): Readable {
  return createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 });
}

async function forEachLine(
  input: Readable,
  onLine: (line: string, lineNumber: number) => void,
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    onLine(line, lineNumber);
  }
}

/** A target row as a Float64Array, NaN for missing values (8 bytes per value). */
function toFloat64(row: readonly (number | null)[]): Float64Array {
  const out = new Float64Array(row.length);
  for (let i = 0; i < row.length; i++) {
    const y = row[i];
    out[i] = y === null ? NaN : y;
  }
  return out;
}

function isBlank(line: string): boolean {
  return line.length === 0 || line.trim().length === 0;
}
