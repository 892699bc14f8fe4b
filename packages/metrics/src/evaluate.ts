// Evaluation of DeepAR forecasts captured at an endpoint against their ground truth: joins
// data-capture records to ground-truth records on the Model Quality merge id and accumulates the
// metrics, holding the smaller side in memory (compactly) and streaming the other in large chunks.
// The quantile levels are given, or read from each record's request. Malformed lines are counted
// and described, never fatal.

import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { CapturedPayload, CaptureRecord } from './data-capture';
import { decodePayload, parseCaptureRecord, tryCaptureRecord } from './data-capture';
import type { DeepArForecast } from './deepar';
import { parseDeepArResponse } from './deepar';
import { MetricsInputError } from './errors';
import { parseGroundTruthRecord, tryCompactGroundTruthRecord } from './ground-truth';
import { GroundTruthStore } from './ground-truth-store';
import { parseJsonAllowingNaN } from './json';
import { forEachLineOfFiles, forEachLineOfStream } from './line-reader';
import { DEFAULT_QUANTILES, normaliseQuantileKey, normaliseQuantileKeys } from './quantiles';
import type { AccuracyResult, CentralInterval, ForecastObservation } from './wql-accumulator';
import { WqlAccumulator } from './wql-accumulator';

/** A line that could not be used, and why. */
export interface MalformedLine {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly reason: string;
}

/**
 * `quantiles: QUANTILES_FROM_DATA` evaluates the levels each record's request asked for
 * (`endpointInput` → `configuration.quantiles`), else the keys of its response; every evaluated
 * record of one evaluation must have the same set (the first evaluated record sets it).
 */
export const QUANTILES_FROM_DATA = 'from-data';

export interface EvaluationOptions {
  /**
   * Quantile levels to evaluate (every forecast must have them; other levels are ignored), or
   * {@link QUANTILES_FROM_DATA}. Default {@link DEFAULT_QUANTILES}.
   */
  readonly quantiles?: readonly string[] | typeof QUANTILES_FROM_DATA;
  /** Interval for the coverage figure; default the lowest and highest level. */
  readonly interval?: CentralInterval;
  /** How many malformed lines to keep in the summary (default 10); all are counted. */
  readonly maxMalformedExamples?: number;
  /** Called for every malformed line (e.g. to log it), in the order the lines are read. */
  readonly onMalformed?: (malformed: MalformedLine) => void;
  /**
   * Accumulate into this accumulator instead of a new one (e.g. one shared by the evaluations of
   * several time windows); `quantiles` and `interval` must then be left out.
   */
  readonly accumulator?: WqlAccumulator;
  /**
   * {@link evaluateDirectories} only: which side is held in memory while the other is streamed.
   * Default `'smaller'`: the side with fewer bytes of `*.jsonl` files.
   */
  readonly inMemory?: 'smaller' | 'ground-truth' | 'capture';
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
  /** The first malformed lines (ground truth first, then capture, each in file and line order). */
  readonly malformedExamples: readonly MalformedLine[];
  /** Metrics over all matched points. */
  readonly accuracy: AccuracyResult;
}

/** The levels a record's request asked for, `undefined` (none asked) or why they are unusable. */
type RequestedLevels = readonly string[] | undefined | MetricsInputError;

/** A capture record held in memory until its ground truth arrives (the capture side is smaller). */
interface HeldCapture {
  readonly file: string;
  readonly line: number;
  readonly joinId: string;
  readonly endpointOutput: CapturedPayload | undefined;
  readonly requested: RequestedLevels;
  consumed: boolean;
}

const GROUND_TRUTH_SIDE = 0;
const CAPTURE_SIDE = 1;

interface RankedMalformed {
  readonly side: number;
  readonly malformed: MalformedLine;
}

/**
 * Joins ground truth to captured DeepAR responses and accumulates accuracy. Feed every
 * ground-truth line first, then stream the capture lines: memory holds the ground truth (ids and
 * 8 bytes per target value) and the accumulator's sums; capture lines are not kept.
 * ({@link evaluateDirectories} uses the reverse order, `holdCaptureLine` then
 * `joinGroundTruthLine`, when the capture is the smaller side.)
 */
export class ForecastEvaluation {
  private accumulator: WqlAccumulator | undefined;
  private readonly levelsFromData: boolean;
  private readonly interval: CentralInterval | undefined;
  /** From-data mode: the levels of the first evaluated record. */
  private runLevels: readonly string[] | undefined;
  /** Ground truth held (the usual order). */
  private readonly groundTruth = new GroundTruthStore();
  /** Ground truth streamed (capture held): transient arrays. */
  private readonly slabs = new Float64Slabs();
  private readonly held = new Map<string, HeldCapture | HeldCapture[]>();
  private mode: 'ground-truth-first' | 'capture-first' | undefined;
  private readonly maxExamples: number;
  private readonly onMalformed: ((malformed: MalformedLine) => void) | undefined;
  private readonly examples: RankedMalformed[] = [];
  /** The streamed side has started (capture in the usual order, ground truth when capture is held). */
  private streamStarted = false;
  private matched = 0;
  private unmatchedCapture = 0;
  private unmatchedGroundTruth = 0;
  private malformed = 0;

  constructor(options: EvaluationOptions = {}) {
    if (options.accumulator && (options.quantiles || options.interval)) {
      throw new Error('give either an accumulator or quantiles/interval, not both');
    }
    this.levelsFromData = options.quantiles === QUANTILES_FROM_DATA;
    this.interval = options.interval;
    if (options.accumulator) {
      this.accumulator = options.accumulator;
    } else if (!this.levelsFromData) {
      const quantiles =
        options.quantiles === undefined ? DEFAULT_QUANTILES : (options.quantiles as readonly string[]);
      this.accumulator = new WqlAccumulator({ quantiles, interval: options.interval });
    }
    this.maxExamples = options.maxMalformedExamples ?? 10;
    this.onMalformed = options.onMalformed;
  }

  /** Adds one line of a ground-truth file (blank lines are skipped). */
  addGroundTruthLine(line: string, file: string, lineNumber: number): void {
    if (this.streamStarted) throw new Error('ground truth must be added before the capture records');
    this.enterMode('ground-truth-first');
    if (isBlank(line)) return;
    try {
      const record = parseGroundTruth(line, this.groundTruth);
      if (this.groundTruth.has(record.eventId)) {
        throw new MetricsInputError(
          `duplicate ground-truth eventId ${JSON.stringify(record.eventId)} (the first is kept)`,
        );
      }
      this.groundTruth.add(record.eventId);
    } catch (error) {
      this.groundTruth.discard();
      this.recordMalformed(GROUND_TRUTH_SIDE, file, lineNumber, error);
    }
  }

  /** Adds one line of a data-capture file (blank lines are skipped). */
  addCaptureLine(line: string, file: string, lineNumber: number): void {
    this.streamStarted = true;
    this.enterMode('ground-truth-first');
    if (isBlank(line)) return;
    try {
      const record = parseCapture(line);
      const targets = this.groundTruth.take(record.joinId);
      if (targets === undefined) {
        this.unmatchedCapture++;
        return;
      }
      if (targets === null) {
        throw new MetricsInputError(
          `duplicate capture record for id ${JSON.stringify(record.joinId)} (already evaluated)`,
        );
      }
      const requested = this.levelsFromData ? requestedLevelsOf(record.endpointInput) : undefined;
      this.evaluateMatch(record.joinId, record.endpointOutput, requested, targets);
    } catch (error) {
      this.recordMalformed(CAPTURE_SIDE, file, lineNumber, error);
    }
  }

  /** Reads a ground-truth stream line by line. `name` labels its malformed lines. */
  async addGroundTruthStream(input: Readable, name: string): Promise<void> {
    await forEachLineOfStream(input, (line, n) => this.addGroundTruthLine(line, name, n));
  }

  /** Reads a data-capture stream line by line. `name` labels its malformed lines. */
  async addCaptureStream(input: Readable, name: string): Promise<void> {
    await forEachLineOfStream(input, (line, n) => this.addCaptureLine(line, name, n));
  }

  /**
   * Capture first (when the capture side is the smaller one): holds one line of a data-capture
   * file until its ground truth arrives (the output payload is kept as it is, not decoded).
   * @internal
   */
  holdCaptureLine(line: string, file: string, lineNumber: number): void {
    if (this.streamStarted) throw new Error('capture records must be held before the ground truth is joined');
    this.enterMode('capture-first');
    if (isBlank(line)) return;
    try {
      const record = parseCapture(line);
      const requested = this.levelsFromData ? requestedLevelsOf(record.endpointInput) : undefined;
      const held: HeldCapture = {
        file,
        line: lineNumber,
        joinId: record.joinId,
        endpointOutput: record.endpointOutput,
        requested,
        consumed: false,
      };
      const previous = this.held.get(record.joinId);
      if (previous === undefined) this.held.set(record.joinId, held);
      else if (Array.isArray(previous)) previous.push(held);
      else this.held.set(record.joinId, [previous, held]);
    } catch (error) {
      this.recordMalformed(CAPTURE_SIDE, file, lineNumber, error);
    }
  }

  /**
   * Capture first: joins one line of a ground-truth file to the held capture record(s) of its id.
   * @internal
   */
  joinGroundTruthLine(line: string, file: string, lineNumber: number): void {
    this.enterMode('capture-first');
    this.streamStarted = true;
    if (isBlank(line)) return;
    let held: HeldCapture | HeldCapture[] | undefined;
    try {
      const record = parseGroundTruth(line, this.slabs);
      held = this.held.get(record.eventId);
      if (held === undefined) {
        this.unmatchedGroundTruth++;
        return;
      }
      const first = Array.isArray(held) ? held[0] : held;
      if (first.consumed) {
        throw new MetricsInputError(
          `duplicate ground-truth eventId ${JSON.stringify(record.eventId)} (the first is kept)`,
        );
      }
      first.consumed = true;
      try {
        this.evaluateMatch(first.joinId, first.endpointOutput, first.requested, record.targets);
      } catch (error) {
        this.recordMalformed(CAPTURE_SIDE, first.file, first.line, error);
      }
      if (Array.isArray(held)) {
        for (const duplicate of held.slice(1)) {
          duplicate.consumed = true;
          this.recordMalformed(
            CAPTURE_SIDE,
            duplicate.file,
            duplicate.line,
            new MetricsInputError(
              `duplicate capture record for id ${JSON.stringify(duplicate.joinId)} (already evaluated)`,
            ),
          );
        }
      }
      // Keep a consumed marker only (for duplicate ground truth of this id); drop the payload.
      this.held.set(record.eventId, {
        ...first,
        endpointOutput: undefined,
        requested: undefined,
      });
    } catch (error) {
      this.recordMalformed(GROUND_TRUTH_SIDE, file, lineNumber, error);
    }
  }

  /** The counts and metrics so far. */
  summary(): EvaluationSummary {
    const unmatchedGroundTruth = this.unmatchedGroundTruth + this.groundTruth.untaken();
    let unmatchedCapture = this.unmatchedCapture;
    for (const held of this.held.values()) {
      for (const h of Array.isArray(held) ? held : [held]) if (!h.consumed) unmatchedCapture++;
    }
    return {
      matched: this.matched,
      unmatchedCapture,
      unmatchedGroundTruth,
      malformed: this.malformed,
      malformedExamples: this.examples.map((e) => e.malformed),
      accuracy: (this.accumulator ?? new WqlAccumulator({ interval: this.interval })).result(),
    };
  }

  private enterMode(mode: 'ground-truth-first' | 'capture-first'): void {
    if (this.mode === undefined) {
      this.mode = mode;
    } else if (this.mode !== mode) {
      throw new Error(
        `this evaluation reads ${this.mode === 'capture-first' ? 'capture' : 'ground truth'} first`,
      );
    }
  }

  /** Evaluates one capture record against its ground truth; throws MetricsInputError if it cannot. */
  private evaluateMatch(
    joinId: string,
    endpointOutput: CapturedPayload | undefined,
    requested: RequestedLevels,
    targets: readonly Float64Array[],
  ): void {
    // The fast path accumulates a plainly valid record straight from the parsed response; any
    // doubt and nothing is added, and the full path below validates it again and says what is wrong.
    if (!this.tryEvaluateMatch(endpointOutput, requested, targets)) {
      this.evaluateMatchFully(joinId, endpointOutput, requested, targets);
    }
    this.matched++;
  }

  /** The fast path of {@link evaluateMatch}: `false` (and nothing added) when in any doubt. */
  private tryEvaluateMatch(
    endpointOutput: CapturedPayload | undefined,
    requested: RequestedLevels,
    targets: readonly Float64Array[],
  ): boolean {
    if (endpointOutput === undefined || requested instanceof MetricsInputError) return false;
    let document: unknown;
    try {
      document = JSON.parse(decodePayload(endpointOutput));
    } catch {
      return false;
    }
    if (!isObject(document)) return false;
    const predictions = document.predictions;
    if (!Array.isArray(predictions) || predictions.length !== targets.length) return false;
    const observations = new Array<ForecastObservation>(predictions.length);
    let keyCount = -1;
    for (let i = 0; i < predictions.length; i++) {
      const forecast: unknown = predictions[i];
      if (!isObject(forecast)) return false;
      const { quantiles, mean } = forecast;
      if (!isObject(quantiles) || !(mean === undefined || Array.isArray(mean))) return false;
      const target = targets[i];
      let keys = 0;
      for (const key in quantiles) {
        const values = quantiles[key];
        if (!isCanonicalQuantileKey(key) || !Array.isArray(values)) return false;
        if (keys === 0 && values.length !== target.length) return false;
        keys++;
      }
      if (keyCount !== -1 && keys !== keyCount) return false;
      keyCount = keys;
      observations[i] = {
        target,
        quantiles: quantiles as Record<string, number[]>,
        mean: mean as number[] | undefined,
      };
    }
    let accumulator = this.accumulator;
    let levels: readonly string[] | undefined;
    if (this.levelsFromData) {
      levels = requested;
      if (levels === undefined) {
        // The response's levels: those of predictions.0, the same in every instance.
        if (observations.length === 0) return false;
        levels = normaliseQuantileKeys(Object.keys(observations[0].quantiles));
        for (const observation of observations) {
          for (const level of levels) if (!(level in observation.quantiles)) return false;
        }
      }
      if (this.runLevels !== undefined && !sameLevels(levels, this.runLevels)) return false;
      if (accumulator === undefined) {
        try {
          accumulator = new WqlAccumulator({ quantiles: levels, interval: this.interval });
        } catch {
          return false;
        }
      }
    }
    if (accumulator === undefined) return false;
    const evaluated = accumulator.quantiles;
    if (evaluated === undefined) return false;
    if (keyCount !== evaluated.length) {
      // Levels that are not evaluated must still be finite numbers (as the response parser requires).
      for (const observation of observations) {
        for (const key in observation.quantiles) {
          if (!evaluated.includes(key) && !isFiniteArray(observation.quantiles[key])) return false;
        }
      }
    }
    if (accumulator.tryAddMany(observations) === undefined) return false;
    if (this.accumulator === undefined) {
      this.accumulator = accumulator;
      this.runLevels = levels;
    }
    return true;
  }

  /** The full path of {@link evaluateMatch}: every check, with the message of the first that fails. */
  private evaluateMatchFully(
    joinId: string,
    endpointOutput: CapturedPayload | undefined,
    requested: RequestedLevels,
    targets: readonly Float64Array[],
  ): void {
    const id = JSON.stringify(joinId);
    if (endpointOutput === undefined) {
      throw new MetricsInputError(`record ${id} has no captured endpointOutput`);
    }
    const forecasts = parseDeepArResponse(decodePayload(endpointOutput));
    if (forecasts.length !== targets.length) {
      throw new MetricsInputError(
        `record ${id}: the response has ${forecasts.length} forecasts but the ground truth has ${targets.length} target arrays`,
      );
    }
    const observations = new Array<ForecastObservation>(forecasts.length);
    for (let i = 0; i < forecasts.length; i++) {
      const { quantiles, mean } = forecasts[i];
      if (quantiles === undefined) {
        throw new MetricsInputError(
          `record ${id}: predictions.${i} has no quantiles (the request's output_types must include "quantiles")`,
        );
      }
      const horizon = Object.values(quantiles)[0]?.length ?? 0;
      const target = targets[i];
      if (target.length !== horizon) {
        throw new MetricsInputError(
          `record ${id}: target array ${i} has ${target.length} values but the forecast horizon is ${horizon}`,
        );
      }
      observations[i] = { target, quantiles, mean };
    }
    let levels: readonly string[] | undefined;
    if (this.levelsFromData) {
      if (requested instanceof MetricsInputError) {
        throw new MetricsInputError(`record ${id}: ${requested.message}`);
      }
      levels = requested ?? responseLevels(id, forecasts);
      if (this.runLevels !== undefined && !sameLevels(levels, this.runLevels)) {
        const source =
          requested !== undefined ? "its request's configuration.quantiles" : "its response's quantile keys";
        throw new MetricsInputError(
          `record ${id}: ${source} ${describeLevels(levels)} differ from this evaluation's quantile set ${describeLevels(this.runLevels)} (set by the first evaluated record; --quantiles chooses the levels)`,
        );
      }
    }
    try {
      // From-data mode: the first evaluated record sets the levels (a rejected one does not).
      const accumulator =
        this.accumulator ?? new WqlAccumulator({ quantiles: levels, interval: this.interval });
      accumulator.addMany(observations);
      if (this.accumulator === undefined) {
        this.accumulator = accumulator;
        this.runLevels = levels;
      }
    } catch (error) {
      throw new MetricsInputError(`record ${id}: ${(error as Error).message}`);
    }
  }

  private recordMalformed(side: number, file: string, line: number, error: unknown): void {
    if (!(error instanceof MetricsInputError)) throw error;
    const malformed: MalformedLine = { file, line, reason: error.message };
    this.malformed++;
    this.keepExample({ side, malformed });
    this.onMalformed?.(malformed);
  }

  /** Keeps the first examples in (side, file, line) order, whatever order they arrive in. */
  private keepExample(example: RankedMalformed): void {
    const examples = this.examples;
    if (this.mode !== 'capture-first') {
      if (examples.length < this.maxExamples) examples.push(example);
      return;
    }
    let at = examples.length;
    while (at > 0 && compareExamples(example, examples[at - 1]) < 0) at--;
    if (at >= this.maxExamples) return;
    examples.splice(at, 0, example);
    if (examples.length > this.maxExamples) examples.pop();
  }
}

/**
 * Evaluates every `*.jsonl` file under `captureDir` (SageMaker data capture of a DeepAR endpoint)
 * against every `*.jsonl` file under `groundTruthDir` (Model Quality merge format), both searched
 * recursively and read in path order. The side with fewer bytes is held in memory and the other
 * streamed (see `inMemory`). Throws {@link MetricsInputError} when a folder does not exist.
 */
export async function evaluateDirectories(
  captureDir: string,
  groundTruthDir: string,
  options: EvaluationOptions = {},
): Promise<EvaluationSummary> {
  const groundTruthFiles = await listJsonlFiles(groundTruthDir, 'ground-truth');
  const captureFiles = await listJsonlFiles(captureDir, 'capture');
  const inMemory = options.inMemory ?? 'smaller';
  const captureFirst =
    inMemory === 'capture' ||
    (inMemory === 'smaller' && (await totalBytes(captureFiles)) < (await totalBytes(groundTruthFiles)));
  const evaluation = new ForecastEvaluation(options);
  const readAll = (files: readonly string[], add: (line: string, file: string, n: number) => void) =>
    forEachLineOfFiles(files, (line, n, fileIndex) => add.call(evaluation, line, files[fileIndex], n));
  if (captureFirst) {
    await readAll(captureFiles, evaluation.holdCaptureLine);
    await readAll(groundTruthFiles, evaluation.joinGroundTruthLine);
  } else {
    await readAll(groundTruthFiles, evaluation.addGroundTruthLine);
    await readAll(captureFiles, evaluation.addCaptureLine);
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
    const folders: Promise<void>[] = [];
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) folders.push(walk(full));
      else if (entry.isFile() && entry.name.endsWith('.jsonl')) files.push(full);
    }
    await Promise.all(folders);
  };
  await walk(dir);
  return files.sort();
}

async function totalBytes(files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Parses a capture line: the fast check first, the validator (with its located message) otherwise. */
function parseCapture(line: string): CaptureRecord {
  const document = parseLine(line);
  return tryCaptureRecord(document) ?? parseCaptureRecord(document);
}

/** Where the target arrays of the ground-truth record being read go. */
interface TargetAllocator {
  readonly allocate: (length: number) => Float64Array;
  /** Forgets the arrays allocated for the record being read. */
  discard(): void;
}

/** Parses a ground-truth line into Float64Array targets (NaN = not observed) from `allocator`. */
function parseGroundTruth(
  line: string,
  allocator: TargetAllocator,
): { eventId: string; targets: Float64Array[] } {
  const document = parseLine(line);
  const compact = tryCompactGroundTruthRecord(document, allocator.allocate);
  if (compact !== undefined) return compact;
  // Not plainly valid JSON targets (e.g. CSV data, or an error to describe): the full parser.
  allocator.discard();
  const record = parseGroundTruthRecord(document);
  return {
    eventId: record.eventId,
    targets: record.targets.map((row) => {
      const out = allocator.allocate(row.length);
      for (let t = 0; t < row.length; t++) {
        const y = row[t];
        out[t] = y === null ? NaN : y;
      }
      return out;
    }),
  };
}

const SLAB_VALUES = 128 * 1024;

/**
 * Hands out Float64Array views of 1 MiB slabs (for ground truth that is streamed, not held): a
 * few large buffers rather than one small buffer per instance. A slab is freed when no view is left.
 */
class Float64Slabs {
  private slab = new Float64Array(0);
  private used = 0;

  readonly allocate = (length: number): Float64Array => {
    if (length > SLAB_VALUES / 8) return new Float64Array(length);
    if (this.used + length > this.slab.length) {
      this.slab = new Float64Array(SLAB_VALUES);
      this.used = 0;
    }
    const view = this.slab.subarray(this.used, this.used + length);
    this.used += length;
    return view;
  };

  /** Nothing to forget: a slab is freed with its last view. */
  discard(): void {}
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new MetricsInputError(`not valid JSON: ${(error as Error).message}`);
  }
}

const requestLevelsCache = new Map<string, readonly string[]>();
/** Levels (or `null`: none asked) by the text of a request from its top-level `configuration` on. */
const configurationTailCache = new Map<string, readonly string[] | null>();
const CACHE_LIMIT = 256;
const CONFIGURATION_KEY = '"configuration"';
/** The configuration member (see {@link configurationTail}) last read, and its levels. */
let lastConfiguration: { readonly tail: string; readonly levels: readonly string[] | undefined } | undefined;

/** A copy of a string that does not share the memory of the string it was sliced from. */
function flatCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
const MAX_TAIL = 4096;

/**
 * The quantile levels a DeepAR request asked for (`configuration.quantiles`), canonical and sorted;
 * `undefined` when the request is absent, not JSON or asks for none. Throws
 * {@link MetricsInputError} when `configuration.quantiles` is there but is not a list of levels.
 *
 * When the request's last member is its top-level `configuration` (as DeepAR requests are written:
 * instances first), only that member is read, and its levels are remembered by its text, so the
 * (long) instances are not parsed again for every record; the request is then not checked to be
 * valid JSON as a whole.
 */
export function requestedQuantiles(
  endpointInput: CapturedPayload | undefined,
): readonly string[] | undefined {
  if (endpointInput === undefined || endpointInput.encoding === 'CSV') return undefined;
  let text: string;
  try {
    text = decodePayload(endpointInput);
  } catch {
    return undefined;
  }
  // The usual case: the same configuration as the previous request (compared in place).
  const last = lastConfiguration;
  if (
    last !== undefined &&
    text.length > last.tail.length &&
    text.endsWith(last.tail) &&
    text.charCodeAt(text.length - last.tail.length - 1) !== 92 /* \ */
  ) {
    return last.levels;
  }
  if (!text.includes('"quantiles"')) return undefined;
  const tail = configurationTail(text);
  if (tail !== undefined) {
    const cached = configurationTailCache.get(tail);
    if (cached !== undefined) {
      lastConfiguration = { tail: flatCopy(tail), levels: cached ?? undefined };
      return cached ?? undefined;
    }
    let member: unknown;
    try {
      member = parseJsonAllowingNaN(`{${tail}`);
    } catch {
      member = undefined;
    }
    if (isObject(member)) {
      const levels = levelsOfConfiguration(member.configuration);
      // Copies of the tail (a slice would keep the whole request alive).
      if (configurationTailCache.size < CACHE_LIMIT) {
        configurationTailCache.set(flatCopy(tail), levels ?? null);
      }
      lastConfiguration = { tail: flatCopy(tail), levels };
      return levels;
    }
  }
  let request: unknown;
  try {
    request = parseJsonAllowingNaN(text);
  } catch {
    return undefined;
  }
  return isObject(request) ? levelsOfConfiguration(request.configuration) : undefined;
}

/**
 * `text` from its last `"configuration"` on, when that is the key of a member of the root object
 * and every container open after it is closed before the root is (so that `{` + the tail is that
 * member and what follows it); otherwise `undefined`. Valid JSON is assumed, not checked.
 */
function configurationTail(text: string): string | undefined {
  const at = text.lastIndexOf(CONFIGURATION_KEY);
  if (at <= 0 || text.length - at > MAX_TAIL || text.charCodeAt(at - 1) === 92 /* \ */) return undefined;
  let i = at + CONFIGURATION_KEY.length;
  while (i < text.length && isJsonWhitespace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 58 /* : */) return undefined;
  let depth = 0;
  let rootClosedAt = -1;
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (rootClosedAt >= 0) return undefined;
      depth++;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (rootClosedAt >= 0) return undefined;
      depth--;
      if (depth === -1) rootClosedAt = i;
    } else if (rootClosedAt >= 0 && !isJsonWhitespace(c)) {
      return undefined;
    }
  }
  return rootClosedAt >= 0 && text.charCodeAt(rootClosedAt) === 125 ? text.slice(at) : undefined;
}

function isJsonWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The canonical levels of a request's `configuration` (`undefined`: it asks for none). */
function levelsOfConfiguration(configuration: unknown): readonly string[] | undefined {
  if (!isObject(configuration)) return undefined;
  const levels = configuration.quantiles;
  if (levels === undefined) return undefined;
  if (
    !Array.isArray(levels) ||
    levels.length === 0 ||
    !levels.every((level) => typeof level === 'string' || typeof level === 'number')
  ) {
    throw new MetricsInputError(
      `endpointInput configuration.quantiles is ${JSON.stringify(levels)}, expected a non-empty list of quantile levels such as ["0.1", "0.5", "0.9"]`,
    );
  }
  const keys = (levels as (string | number)[]).map(String);
  const cacheKey = keys.join(',');
  const cached = requestLevelsCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let canonical: readonly string[];
  try {
    canonical = Object.freeze(normaliseQuantileKeys(keys));
  } catch (error) {
    throw new MetricsInputError(`endpointInput configuration.quantiles: ${(error as Error).message}`);
  }
  if (requestLevelsCache.size < CACHE_LIMIT) requestLevelsCache.set(cacheKey, canonical);
  return canonical;
}

/** {@link requestedQuantiles}, with the error returned rather than thrown (raised if the record is evaluated). */
function requestedLevelsOf(endpointInput: CapturedPayload | undefined): RequestedLevels {
  try {
    return requestedQuantiles(endpointInput);
  } catch (error) {
    if (error instanceof MetricsInputError) return error;
    throw error;
  }
}

/** Without levels in the request: the response's levels, which every instance must share. */
function responseLevels(id: string, forecasts: readonly DeepArForecast[]): readonly string[] {
  if (forecasts.length === 0) {
    throw new MetricsInputError(`record ${id}: the response has no forecasts, hence no quantile levels`);
  }
  const levels = normaliseQuantileKeys(Object.keys(forecasts[0].quantiles!));
  for (let i = 1; i < forecasts.length; i++) {
    const other = normaliseQuantileKeys(Object.keys(forecasts[i].quantiles!));
    if (!sameLevels(levels, other)) {
      throw new MetricsInputError(
        `record ${id}: predictions.${i} has quantile levels ${describeLevels(other)} but predictions.0 has ${describeLevels(levels)}`,
      );
    }
  }
  return levels;
}

function sameLevels(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((level, j) => level === b[j]));
}

function describeLevels(levels: readonly string[]): string {
  return `[${levels.join(', ')}]`;
}

function compareExamples(a: RankedMalformed, b: RankedMalformed): number {
  if (a.side !== b.side) return a.side - b.side;
  if (a.malformed.file !== b.malformed.file) return a.malformed.file < b.malformed.file ? -1 : 1;
  return a.malformed.line - b.malformed.line;
}

function isCanonicalQuantileKey(key: string): boolean {
  try {
    return normaliseQuantileKey(key) === key;
  } catch {
    return false;
  }
}

function isFiniteArray(values: unknown): boolean {
  if (!Array.isArray(values)) return false;
  for (let i = 0; i < values.length; i++) {
    const x: unknown = values[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(line: string): boolean {
  return line.length === 0 || line.trim().length === 0;
}
