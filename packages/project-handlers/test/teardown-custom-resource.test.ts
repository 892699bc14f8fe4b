// The custom-resource protocol of the teardown: CloudFormation always gets exactly one answer,
// deletions are awaited across invocations, and waiting is bounded.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  CustomResourceDeps,
  MAX_CONTINUATIONS,
  runCustomResource,
  TeardownContinuationEvent,
} from '../src/teardown/custom-resource';

const base = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-p-abc-teardown',
  ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/SC-123456789012-pp-x/guid',
  RequestId: 'req-1',
  LogicalResourceId: 'TeardownResource',
  ResourceType: 'Custom::SageMakerProjectTeardown',
  ResourceProperties: { ServiceToken: 'x', ProjectId: 'p-abc' },
};
const createEvent = { ...base, RequestType: 'Create' } as CloudFormationCustomResourceEvent;
const deleteEvent = {
  ...base,
  RequestType: 'Delete',
  PhysicalResourceId: 'teardown-p-abc',
} as CloudFormationCustomResourceEvent;

function fakeDeps(opts: { completeAfter?: number; remaining?: number[]; onEventError?: Error } = {}) {
  const responses: Array<{ url: string; body: Record<string, unknown> }> = [];
  const continued: TeardownContinuationEvent[] = [];
  let checks = 0;
  const remaining = [...(opts.remaining ?? [])];
  const deps: CustomResourceDeps = {
    onEvent: async () => {
      if (opts.onEventError) throw opts.onEventError;
      return { PhysicalResourceId: 'teardown-p-abc' };
    },
    isComplete: async () => {
      checks += 1;
      return { IsComplete: opts.completeAfter !== undefined && checks >= opts.completeAfter };
    },
    remainingTimeMs: () => (remaining.length > 0 ? (remaining.shift() as number) : 0),
    continueLater: async (next) => {
      continued.push(next);
    },
    respond: async (url, body) => {
      responses.push({ url, body: JSON.parse(body) });
    },
    sleep: async () => undefined,
    log: () => undefined,
  };
  return { deps, responses, continued, checks: () => checks };
}

describe('teardown custom resource protocol', () => {
  test('create answers SUCCESS at once with the stable physical id, without waiting', async () => {
    const f = fakeDeps();
    await expect(runCustomResource(createEvent, f.deps)).resolves.toBe('responded');
    expect(f.responses).toHaveLength(1);
    expect(f.responses[0].url).toBe(base.ResponseURL);
    expect(f.responses[0].body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'teardown-p-abc',
      RequestId: 'req-1',
    });
    expect(f.checks()).toBe(0);
  });

  test('delete completing within the invocation answers SUCCESS after polling', async () => {
    const f = fakeDeps({ completeAfter: 3, remaining: [900_000, 800_000, 700_000] });
    await expect(runCustomResource(deleteEvent, f.deps)).resolves.toBe('responded');
    expect(f.checks()).toBe(3);
    expect(f.responses.map((r) => r.body.Status)).toEqual(['SUCCESS']);
    expect(f.continued).toEqual([]);
  });

  test('delete still running hands over to a new invocation carrying the onEvent result, without answering', async () => {
    const f = fakeDeps({ remaining: [900_000, 10_000] });
    await expect(runCustomResource(deleteEvent, f.deps)).resolves.toBe('continued');
    expect(f.responses).toEqual([]);
    expect(f.continued).toEqual([
      {
        continuation: {
          attempt: 1,
          event: deleteEvent,
          onEventResult: { PhysicalResourceId: 'teardown-p-abc' },
        },
      },
    ]);
  });

  test('a continuation does not run onEvent again and completes', async () => {
    const f = fakeDeps({
      completeAfter: 1,
      remaining: [900_000],
      onEventError: new Error('must not be called'),
    });
    const next: TeardownContinuationEvent = {
      continuation: {
        attempt: 2,
        event: deleteEvent,
        onEventResult: { PhysicalResourceId: 'teardown-p-abc' },
      },
    };
    await expect(runCustomResource(next, f.deps)).resolves.toBe('responded');
    expect(f.responses[0].body.Status).toBe('SUCCESS');
  });

  test('waiting is bounded: after the last continuation CloudFormation gets FAILED', async () => {
    const f = fakeDeps({ remaining: [10_000] });
    const last: TeardownContinuationEvent = {
      continuation: {
        attempt: MAX_CONTINUATIONS,
        event: deleteEvent,
        onEventResult: { PhysicalResourceId: 'teardown-p-abc' },
      },
    };
    await runCustomResource(last, f.deps);
    expect(f.continued).toEqual([]);
    expect(f.responses[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: expect.stringMatching(/did not complete/),
    });
  });

  test('an error (e.g. DELETE_FAILED stack) is reported to CloudFormation with its message', async () => {
    const f = fakeDeps({ remaining: [900_000] });
    f.deps.isComplete = async () => {
      throw new Error('stack sagemaker-x-deploy-staging is DELETE_FAILED: endpoint in use');
    };
    await runCustomResource(deleteEvent, f.deps);
    expect(f.responses[0].body).toMatchObject({
      Status: 'FAILED',
      PhysicalResourceId: 'teardown-p-abc',
      Reason: 'stack sagemaker-x-deploy-staging is DELETE_FAILED: endpoint in use',
    });
  });

  test('onEvent failing on create still answers FAILED with a physical id', async () => {
    const f = fakeDeps({ onEventError: new Error('ProjectId: required') });
    await runCustomResource(createEvent, f.deps);
    expect(f.responses[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: 'ProjectId: required',
      PhysicalResourceId: 'teardown-TeardownResource',
    });
  });
});
