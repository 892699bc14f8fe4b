// Custom-resource protocol around the teardown's onEvent/isComplete (see ../teardown-resource.ts):
// a pure, injectable state machine so that every path (create/update, delete completing in the
// first invocation, continuation, bounded give-up, errors) is unit-tested.
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { IsCompleteEvent, IsCompleteResponse, OnEventResponse } from './handlers';
import { customResourceResponseBody } from '../common/cfn-response';

/** Continuation payload the function sends to itself while waiting for deletions. */
export interface TeardownContinuationEvent {
  readonly continuation: {
    readonly attempt: number;
    readonly event: CloudFormationCustomResourceEvent;
    readonly onEventResult: OnEventResponse;
  };
}

/** Everything the protocol needs from the outside world. */
export interface CustomResourceDeps {
  onEvent(event: CloudFormationCustomResourceEvent): Promise<OnEventResponse>;
  isComplete(event: IsCompleteEvent): Promise<IsCompleteResponse>;
  remainingTimeMs(): number;
  continueLater(next: TeardownContinuationEvent): Promise<void>;
  respond(url: string, body: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>): void;
}

/** Continuations before giving up (each invocation waits up to ~13 minutes: about an hour in all). */
export const MAX_CONTINUATIONS = 4;
/** Time kept in reserve in an invocation to answer or hand over. */
export const SAFETY_MARGIN_MS = 60_000;
/** Pause between two completion checks. */
export const POLL_INTERVAL_MS = 20_000;

function isContinuation(e: unknown): e is TeardownContinuationEvent {
  return typeof e === 'object' && e !== null && 'continuation' in e;
}

/** Runs one invocation of the teardown custom resource. Never throws: CloudFormation always gets an answer. */
export async function runCustomResource(
  input: CloudFormationCustomResourceEvent | TeardownContinuationEvent,
  deps: CustomResourceDeps,
): Promise<'responded' | 'continued'> {
  const attempt = isContinuation(input) ? input.continuation.attempt : 0;
  const event = isContinuation(input) ? input.continuation.event : input;
  const fallbackId =
    'PhysicalResourceId' in event ? event.PhysicalResourceId : `teardown-${event.LogicalResourceId}`;

  const answer = async (
    status: 'SUCCESS' | 'FAILED',
    physicalResourceId: string,
    data: Record<string, string> | undefined,
    reason?: string,
  ): Promise<'responded'> => {
    const body = customResourceResponseBody(event, {
      status,
      physicalResourceId,
      reason: reason ?? 'See the teardown function logs',
      data,
    });
    try {
      await deps.respond(event.ResponseURL, body);
    } catch (e) {
      deps.log('error', 'could not answer CloudFormation', { error: (e as Error).message });
    }
    deps.log(status === 'SUCCESS' ? 'info' : 'error', `answered ${status}`, {
      requestType: event.RequestType,
      reason,
    });
    return 'responded';
  };

  let started: OnEventResponse | undefined;
  try {
    started = isContinuation(input) ? input.continuation.onEventResult : await deps.onEvent(event);
    if (event.RequestType !== 'Delete') {
      return await answer('SUCCESS', started.PhysicalResourceId, started.Data);
    }

    while (deps.remainingTimeMs() > SAFETY_MARGIN_MS + POLL_INTERVAL_MS) {
      const done = await deps.isComplete({ ...event, ...started });
      if (done.IsComplete) return await answer('SUCCESS', started.PhysicalResourceId, done.Data);
      await deps.sleep(POLL_INTERVAL_MS);
    }
    if (attempt + 1 > MAX_CONTINUATIONS) {
      return await answer(
        'FAILED',
        started.PhysicalResourceId,
        undefined,
        `Teardown did not complete after ${MAX_CONTINUATIONS + 1} invocations; see the function logs`,
      );
    }
    deps.log('info', 'teardown still running, continuing in a new invocation', { attempt: attempt + 1 });
    await deps.continueLater({ continuation: { attempt: attempt + 1, event, onEventResult: started } });
    return 'continued';
  } catch (e) {
    return answer('FAILED', started?.PhysicalResourceId ?? fallbackId, undefined, (e as Error).message);
  }
}
