// Lambda entry of the project teardown as a plain CloudFormation custom resource (the function is
// the service token): it runs the teardown's `onEvent`, then polls `isComplete` while its own
// invocation has time left, re-invokes itself asynchronously to keep waiting (bounded number of
// continuations), and finally answers CloudFormation through the pre-signed ResponseURL. This
// avoids the Provider framework's extra functions and Step Functions waiter, which a project's
// launch role could not name or create.
import { Logger } from '@aws-lambda-powertools/logger';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { putCustomResourceResponse } from './common/cfn-response';
import { isComplete, onEvent } from './teardown';
import { runCustomResource, TeardownContinuationEvent } from './teardown/custom-resource';

const logger = new Logger({ serviceName: 'project-teardown' });
const lambda = new LambdaClient({});

export async function handler(
  event: CloudFormationCustomResourceEvent | TeardownContinuationEvent,
  context: Context,
): Promise<void> {
  await runCustomResource(event, {
    onEvent: (e) => onEvent(e, context),
    // The context lets bucket emptying stop before this invocation times out.
    isComplete: (e) => isComplete(e, context),
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
    continueLater: async (next) => {
      await lambda.send(
        new InvokeCommand({
          FunctionName: context.functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(next)),
        }),
      );
    },
    respond: putCustomResourceResponse,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (level, message, extra) => logger[level](message, extra ?? {}),
  });
}
