// Error type for invalid metric input (bad shapes, mismatched lengths, non-numeric values, unknown
// quantile keys): callers tell it apart from I/O failures and report it as bad input.

/** Input that cannot be evaluated; the message says what is wrong and where. */
export class MetricsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsInputError';
  }
}
