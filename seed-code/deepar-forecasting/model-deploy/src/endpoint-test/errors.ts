// The error of a failed endpoint test: the message is what the pipeline log shows.

/** The staging endpoint (or its test input) failed the test; the message says how. */
export class EndpointTestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointTestError';
  }
}
