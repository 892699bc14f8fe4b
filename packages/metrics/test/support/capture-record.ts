// One SageMaker data-capture line (the JSON Lines format Model Monitor writes): a JSON request and a
// response, the response in JSON or BASE64 encoding. Shared by the tests and the evaluate bench.

/** Options of {@link captureRecord}. */
export interface CaptureRecordOptions {
  /** The response body as BASE64 (encoding `BASE64`). @default false */
  readonly base64?: boolean;
}

/** A capture line with the given request and response bodies and event metadata. */
export function captureRecord(
  request: string,
  response: string,
  eventMetadata: Record<string, string>,
  options: CaptureRecordOptions = {},
): string {
  return JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: 'application/json',
        mode: 'INPUT',
        data: request,
        encoding: 'JSON',
      },
      endpointOutput: {
        observedContentType: 'application/json',
        mode: 'OUTPUT',
        data: options.base64 ? Buffer.from(response).toString('base64') : response,
        encoding: options.base64 ? 'BASE64' : 'JSON',
      },
    },
    eventMetadata,
    eventVersion: '0',
  });
}
