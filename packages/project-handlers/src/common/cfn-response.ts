// The answer of a CloudFormation custom resource (the function is the service token): the JSON body
// and its upload to the pre-signed ResponseURL. Shared by the teardown and seeding resources.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * CloudFormation User Guide, "Custom resource response objects": "The total size of the response
 * body can't exceed 4096 bytes" — the whole serialized body, in bytes, not the reason's characters.
 */
export const MAX_RESPONSE_BYTES = 4096;

/** Appended to a reason that was shortened to fit the response. */
export const TRUNCATION_MARK = '… (truncated; see the function logs)';

export interface CustomResourceAnswer {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reason: string;
  readonly data?: Record<string, string>;
}

function serialize(
  event: CloudFormationCustomResourceEvent,
  answer: CustomResourceAnswer,
  reason: string,
  data: Record<string, string>,
): string {
  return JSON.stringify({
    Status: answer.status,
    Reason: reason,
    PhysicalResourceId: answer.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The longest prefix (in whole code points, so no character is split) of `reason` whose body fits
 * in `limit` bytes, with the truncation mark; undefined when not even the mark fits.
 */
function fittingReason(
  reason: readonly string[],
  limit: number,
  body: (reason: string) => string,
): string | undefined {
  if (bytes(body(TRUNCATION_MARK)) > limit) return undefined;
  let low = 0; // fits
  let high = reason.length; // the full reason does not fit (checked by the caller)
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (bytes(body(reason.slice(0, mid).join('') + TRUNCATION_MARK)) <= limit) low = mid;
    else high = mid;
  }
  return reason.slice(0, low).join('') + TRUNCATION_MARK;
}

/**
 * The response document CloudFormation expects at the event's ResponseURL, at most
 * {@link MAX_RESPONSE_BYTES} bytes of UTF-8: a longer reason is cut at a code point boundary (JSON
 * escapes counted); if the data alone leave no room, they are dropped and the reason says so.
 */
export function customResourceResponseBody(
  event: CloudFormationCustomResourceEvent,
  answer: CustomResourceAnswer,
  limit: number = MAX_RESPONSE_BYTES,
): string {
  const data = answer.data ?? {};
  const full = serialize(event, answer, answer.reason, data);
  if (bytes(full) <= limit) return full;
  const codePoints = Array.from(answer.reason);
  const withData = fittingReason(codePoints, limit, (r) => serialize(event, answer, r, data));
  if (withData !== undefined) return serialize(event, answer, withData, data);
  const dropped = Array.from(`response data dropped (too large for the response); ${answer.reason}`);
  const withoutData =
    fittingReason(dropped, limit, (r) => serialize(event, answer, r, {})) ?? TRUNCATION_MARK;
  return serialize(event, answer, withoutData, {});
}

/** Uploads a response body to the pre-signed ResponseURL (PUT, empty content type as S3 signed it). */
export async function putCustomResourceResponse(url: string, body: string): Promise<void> {
  const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation response upload failed: HTTP ${res.status}`);
}
