// The answer of a CloudFormation custom resource (the function is the service token): the JSON body
// and its upload to the pre-signed ResponseURL. Shared by the teardown and seeding resources.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** CloudFormation keeps at most about 4 kB of a reason; longer reasons are cut. */
export const MAX_REASON_CHARS = 3500;

export interface CustomResourceAnswer {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reason: string;
  readonly data?: Record<string, string>;
}

/** The response document CloudFormation expects at the event's ResponseURL. */
export function customResourceResponseBody(
  event: CloudFormationCustomResourceEvent,
  answer: CustomResourceAnswer,
): string {
  const reason =
    answer.reason.length > MAX_REASON_CHARS
      ? `${answer.reason.slice(0, MAX_REASON_CHARS - 1)}…`
      : answer.reason;
  return JSON.stringify({
    Status: answer.status,
    Reason: reason,
    PhysicalResourceId: answer.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: answer.data ?? {},
  });
}

/** Uploads a response body to the pre-signed ResponseURL (PUT, empty content type as S3 signed it). */
export async function putCustomResourceResponse(url: string, body: string): Promise<void> {
  const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation response upload failed: HTTP ${res.status}`);
}
