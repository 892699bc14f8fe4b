// Lambda entry of the seeding custom resource (the function is the service token), created by the
// product stack when RepositoryProvider=CodeConnection. Properties: ProjectName (the seeding CodeBuild
// project), ReportBucket, ReportKey. Create starts the build and waits for it (at most ~13 minutes,
// the function has a 15-minute timeout); Update and Delete answer SUCCESS without side effects.
import { Logger } from '@aws-lambda-powertools/logger';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { S3Client } from '@aws-sdk/client-s3';
import { powertoolsLogPort } from '@mlops-templates/metrics';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { putCustomResourceResponse } from './common/cfn-response';
import { handleSeedRepositoriesEvent } from './seeding/resource';

const powertools = new Logger({ serviceName: 'seed-repositories' });
const logger = powertoolsLogPort(powertools);
const codeBuild = new CodeBuildClient({});
const s3 = new S3Client({});

export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  powertools.addContext(context);
  await handleSeedRepositoriesEvent(event, {
    codeBuild,
    s3,
    respond: putCustomResourceResponse,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
    logger,
  });
}
