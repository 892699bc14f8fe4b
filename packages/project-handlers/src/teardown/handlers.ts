// The custom-resource Provider handlers of the teardown (onEvent / isComplete) as factories over
// injected clients, logger and clock; `src/teardown.ts` instantiates them for Lambda.
import { type LogPort, SILENT_LOG_PORT } from '@mlops-templates/metrics';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { parseTeardownProperties, repositoryProviderChange } from './properties';
import { pollTeardown, startTeardown, type TeardownClients } from './run';
import { type Clock, systemClock } from '../common/clock';

/** What the Provider framework expects back from onEvent. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** The Provider calls isComplete with the original event merged with the onEvent response. */
export type IsCompleteEvent = CloudFormationCustomResourceEvent & Partial<OnEventResponse>;

/** What the Provider framework expects back from isComplete. */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

export interface TeardownHandlerDependencies {
  readonly clients: TeardownClients;
  readonly logger?: LogPort;
  readonly clock?: Clock;
  /** Time kept free at the end of an isComplete invocation (stops bucket emptying before the timeout). */
  readonly safetyMarginMillis?: number;
}

/** The stable physical id of the teardown resource of one project. */
export function teardownPhysicalResourceId(projectId: string): string {
  return `teardown-${projectId}`;
}

/**
 * onEvent: validates the properties on every request and refuses an Update that changes the
 * repository provider (the stack update then fails and rolls back before CloudFormation removes
 * anything: resources whose condition turns false are deleted only in the cleanup after a
 * successful update); only Delete has side effects.
 */
export function createTeardownOnEvent(
  deps: TeardownHandlerDependencies,
): (event: CloudFormationCustomResourceEvent, context?: Context) => Promise<OnEventResponse> {
  const logger = deps.logger ?? SILENT_LOG_PORT;
  return async (event) => {
    logger.info('Teardown custom resource event', {
      requestType: event.RequestType,
      logicalResourceId: event.LogicalResourceId,
      physicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : undefined,
    });
    const props = parseTeardownProperties(event.ResourceProperties);
    if (event.RequestType === 'Update') {
      const refused = repositoryProviderChange(event.OldResourceProperties, event.ResourceProperties);
      if (refused !== undefined) throw new Error(refused);
    }
    if (event.RequestType !== 'Delete') {
      return { PhysicalResourceId: teardownPhysicalResourceId(props.ProjectId) };
    }
    const started = await startTeardown(props, { clients: deps.clients, logger, clock: deps.clock });
    return {
      PhysicalResourceId: event.PhysicalResourceId,
      Data: {
        SchedulesDeleted: String(started.schedulesDeleted.length),
        PipelinesDeleted: String(started.pipelinesDeleted.length),
        StacksDeleting: started.stacksDeleting.join(','),
      },
    };
  };
}

/** isComplete: Create/Update are complete at once; Delete polls the teardown (see pollTeardown). */
export function createTeardownIsComplete(
  deps: TeardownHandlerDependencies,
): (
  event: IsCompleteEvent,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<IsCompleteResponse> {
  const logger = deps.logger ?? SILENT_LOG_PORT;
  const clock = deps.clock ?? systemClock;
  const margin = deps.safetyMarginMillis ?? 30_000;
  return async (event, context) => {
    if (event.RequestType !== 'Delete') return { IsComplete: true };
    const props = parseTeardownProperties(event.ResourceProperties);
    const deadline =
      context === undefined
        ? undefined
        : new Date(clock().getTime() + context.getRemainingTimeInMillis() - margin);
    const result = await pollTeardown(props, { clients: deps.clients, logger, clock, deadline });
    if (!result.complete) return { IsComplete: false };
    return {
      IsComplete: true,
      Data: {
        RetainedBuckets: result.retainedBuckets.join(','),
        RetainedRepositories: result.retainedRepositories.join(','),
      },
    };
  };
}
