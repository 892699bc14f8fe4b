// The payload codec of the built-in XGBoost endpoint (SageMaker developer guide, "XGBoost algorithm
// with Amazon SageMaker AI", inference input/output; "Common data formats for inference"): a text/csv
// request of feature rows without header and without the label column, a text/csv response with one
// prediction per row — a number for regression, a probability for binary:logistic, a list of class
// probabilities for multi:softprob (written `p1,p2,…` or `[p1, p2, …]`). Older containers answer a
// single-value-per-row request with all predictions on one comma-separated line; that is accepted too.
import {
  EndpointTestError,
  type PayloadCodec,
  problemsMessage,
  bodyExcerpt,
} from '@mlops-templates/model-deploy';
import type { TabularProblemType } from '@mlops-templates/project-contract';
import { CSV_CONTENT_TYPE } from '../deploy-options';

/** A CSV request: feature rows, and what the response must look like. */
export interface CsvRequest {
  /** One CSV line of feature values per row (no header, no target column). */
  readonly rows: readonly string[];
  readonly problemType: TabularProblemType;
  /** Classes of a multiclass model, when known (each prediction lists that many probabilities). */
  readonly numClasses?: number;
}

/** Slack of a softprob row's sum (float32 probabilities printed as text). */
const SUM_TOLERANCE = 1e-3;

function parseNumbers(text: string): number[] {
  const inner = text.trim().replace(/^\[(.*)\]$/, '$1');
  return inner.split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v.trim())));
}

/** The predictions of a response body, one per row (each a list: one value, or class probabilities). */
export function parsePredictions(body: string, request: CsvRequest): number[][] {
  const lines = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new EndpointTestError('the response is empty: no prediction');
  if (request.problemType !== 'multiclass' && lines.length === 1 && request.rows.length > 1) {
    return parseNumbers(lines[0]).map((v) => [v]);
  }
  return lines.map(parseNumbers);
}

/** Every problem of the predictions (empty when they fit the request). */
export function predictionProblems(predictions: readonly number[][], request: CsvRequest): string[] {
  const problems: string[] = [];
  if (predictions.length !== request.rows.length) {
    problems.push(`${predictions.length} prediction(s) for ${request.rows.length} request row(s)`);
  }
  predictions.forEach((values, i) => {
    const where = `prediction ${i + 1}`;
    const bad = values.filter((v) => !Number.isFinite(v));
    if (bad.length > 0) return problems.push(`${where} is not numeric: ${JSON.stringify(values.join(','))}`);
    if (request.problemType === 'multiclass') {
      if (values.length < 2) {
        return problems.push(
          `${where} has ${values.length} class probability, expected a list of at least 2`,
        );
      }
      if (request.numClasses !== undefined && values.length !== request.numClasses) {
        problems.push(`${where} has ${values.length} class probabilities, expected ${request.numClasses}`);
      }
      if (values.some((v) => v < 0 || v > 1)) problems.push(`${where} has a probability outside [0, 1]`);
      const sum = values.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > SUM_TOLERANCE) {
        problems.push(`${where}'s class probabilities sum to ${sum}, not 1`);
      }
      return undefined;
    }
    if (values.length !== 1) return problems.push(`${where} has ${values.length} values, expected 1`);
    if (request.problemType === 'binary' && (values[0] < 0 || values[0] > 1)) {
      problems.push(`${where} is ${values[0]}, not a probability in [0, 1]`);
    }
    return undefined;
  });
  return problems;
}

const EXPECTED: Record<TabularProblemType, string> = {
  regression: 'one finite number each',
  binary: 'one probability in [0, 1] each',
  multiclass: 'class probabilities summing to 1 each',
};

/** The text/csv codec of the built-in XGBoost endpoint. */
export const XGBOOST_CSV_CODEC: PayloadCodec<CsvRequest> = {
  contentType: CSV_CONTENT_TYPE,
  accept: CSV_CONTENT_TYPE,
  encode: (request) => `${request.rows.join('\n')}\n`,
  check: (body, request) => {
    let predictions: number[][];
    try {
      predictions = parsePredictions(body, request);
    } catch (error) {
      throw new EndpointTestError(`${(error as Error).message}. Body: ${bodyExcerpt(body)}`);
    }
    const problems = predictionProblems(predictions, request);
    if (problems.length > 0)
      throw new EndpointTestError(problemsMessage("the endpoint's response", problems));
    return `predicted ${request.rows.length} row(s) (${request.problemType}: ${EXPECTED[request.problemType]})`;
  },
};
