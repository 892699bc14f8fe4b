// The custom-resource response body: CloudFormation takes at most 4096 bytes for the whole body
// (CloudFormation User Guide, "Custom resource response objects"), so the cap is on the serialized
// body's UTF-8 bytes, never splits a character, and counts JSON escapes.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { customResourceResponseBody, MAX_RESPONSE_BYTES, TRUNCATION_MARK } from '../src/common/cfn-response';

const event = {
  RequestType: 'Create',
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
  ResponseURL: 'https://example/response',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/SC-123456789012-pp-x/guid',
  RequestId: 'req-1',
  LogicalResourceId: 'RepositorySeedingResource',
  ResourceType: 'Custom::X',
  ResourceProperties: { ServiceToken: 'x' },
} as CloudFormationCustomResourceEvent;

const size = (body: string): number => Buffer.byteLength(body, 'utf8');

test('a short answer is sent whole', () => {
  const body = customResourceResponseBody(event, {
    status: 'FAILED',
    physicalResourceId: 'id-1',
    reason: 'git push failed: 403',
  });
  expect(JSON.parse(body)).toEqual({
    Status: 'FAILED',
    Reason: 'git push failed: 403',
    PhysicalResourceId: 'id-1',
    StackId: event.StackId,
    RequestId: 'req-1',
    LogicalResourceId: 'RepositorySeedingResource',
    Data: {},
  });
});

test.each([
  ['multibyte text (3 bytes per character)', '€'.repeat(3000)],
  ['astral characters (4 bytes, surrogate pairs)', '😀'.repeat(2000)],
  ['characters JSON escapes (6 bytes each)', '\u0001'.repeat(2000)],
  ['ASCII longer than the old 3,500-character cap', 'x'.repeat(3499) + 'é'.repeat(600)],
])('%s: the whole body stays within 4096 bytes, the reason cut on a character', (_label, reason) => {
  const body = customResourceResponseBody(event, {
    status: 'FAILED',
    physicalResourceId: 'id-1',
    reason,
  });
  expect(size(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  const sent = JSON.parse(body).Reason as string;
  expect(sent.endsWith(TRUNCATION_MARK)).toBe(true);
  const kept = sent.slice(0, -TRUNCATION_MARK.length);
  expect(reason.startsWith(kept)).toBe(true);
  // No lone surrogate: the kept text survives a UTF-8 round trip unchanged.
  expect(Buffer.from(kept, 'utf8').toString('utf8')).toBe(kept);
  // As long as it can be: one more character would not fit.
  const next = Array.from(reason)
    .slice(0, Array.from(kept).length + 1)
    .join('');
  const longer = JSON.stringify({ ...JSON.parse(body), Reason: next + TRUNCATION_MARK });
  expect(size(longer)).toBeGreaterThan(MAX_RESPONSE_BYTES);
});

test('negative control: the old character cap (3,500) exceeds 4096 bytes with multibyte text', () => {
  const reason = '€'.repeat(3500);
  const oldStyle = JSON.stringify({ Status: 'FAILED', Reason: reason, Data: {} });
  expect(size(oldStyle)).toBeGreaterThan(MAX_RESPONSE_BYTES);
});

test('data too large for the response are dropped, and the reason says so', () => {
  const body = customResourceResponseBody(event, {
    status: 'SUCCESS',
    physicalResourceId: 'id-1',
    reason: 'ok',
    data: { Summary: 'ü'.repeat(3000) },
  });
  expect(size(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
  const parsed = JSON.parse(body);
  expect(parsed.Data).toEqual({});
  expect(parsed.Reason).toMatch(/^response data dropped/);
});
