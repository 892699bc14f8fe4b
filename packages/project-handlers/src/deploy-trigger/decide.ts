// Starting the model-deploy CodePipeline from a `SageMaker Model Package State Change` event: parse
// the event, decide (pure), and start the execution with the approved package's ARN as a pipeline
// variable. Duplicate deliveries of one event share a client request token, so start one execution.
import { createHash } from 'node:crypto';
import { type CodePipelineClient, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { type LogPort, SILENT_LOG_PORT } from '@mlops-templates/metrics';
import { pickEnvironment, type ProjectVariable, readEnvironment } from '@mlops-templates/project-contract';
import { z } from 'zod';
import { withContext } from '../common/aws-errors';

export const MODEL_PACKAGE_STATE_CHANGE = 'SageMaker Model Package State Change';
export const MODEL_APPROVED_TRIGGER = 'model-approved';

const MODEL_PACKAGE_ARN_PATTERN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/.+$/;

/** The fields of the event this handler uses (everything else is ignored). */
export const modelPackageStateChangeSchema = z.object({
  'detail-type': z.literal(MODEL_PACKAGE_STATE_CHANGE),
  time: z.iso.datetime({ offset: true }),
  detail: z.object({
    ModelPackageGroupName: z.string().min(1),
    ModelPackageArn: z.string().regex(MODEL_PACKAGE_ARN_PATTERN, 'must be a SageMaker model package ARN'),
    ModelApprovalStatus: z.string().min(1),
  }),
});

export type ModelPackageStateChange = z.infer<typeof modelPackageStateChangeSchema>;

export interface DeployTriggerConfig {
  readonly pipelineName: string;
  readonly modelPackageGroupName: string;
}

export type DeployDecision =
  | {
      readonly action: 'start';
      readonly modelPackageArn: string;
      readonly clientRequestToken: string;
    }
  | {
      readonly action: 'ignore';
      readonly reason: 'malformed-event' | 'other-model-package-group' | 'not-approved';
      readonly detail: string;
    };

export type DeployTriggerOutcome =
  | (DeployDecision & { readonly action: 'ignore' })
  | {
      readonly action: 'started';
      readonly pipelineName: string;
      readonly pipelineExecutionId?: string;
      readonly modelPackageArn: string;
      readonly clientRequestToken: string;
    };

/** The CodePipeline client request token of an event: same package ARN and event time → same token. */
export function clientRequestTokenFor(modelPackageArn: string, eventTime: string): string {
  return createHash('sha256').update(`${modelPackageArn}|${eventTime}`).digest('hex');
}

/** Pure decision: start the deploy pipeline only for an Approved package of the configured group. */
export function decideDeploy(event: unknown, config: DeployTriggerConfig): DeployDecision {
  const parsed = modelPackageStateChangeSchema.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.map(String).join('.') || '(event)'}: ${i.message}`,
    );
    return { action: 'ignore', reason: 'malformed-event', detail: problems.join('; ') };
  }
  const { detail, time } = parsed.data;
  if (detail.ModelPackageGroupName !== config.modelPackageGroupName) {
    return {
      action: 'ignore',
      reason: 'other-model-package-group',
      detail: `package group ${detail.ModelPackageGroupName} is not ${config.modelPackageGroupName}`,
    };
  }
  if (detail.ModelApprovalStatus !== 'Approved') {
    return {
      action: 'ignore',
      reason: 'not-approved',
      detail: `${detail.ModelPackageArn} is ${detail.ModelApprovalStatus}`,
    };
  }
  return {
    action: 'start',
    modelPackageArn: detail.ModelPackageArn,
    clientRequestToken: clientRequestTokenFor(detail.ModelPackageArn, time),
  };
}

export interface DeployTriggerDependencies {
  readonly codePipeline: CodePipelineClient;
  readonly config: DeployTriggerConfig;
  readonly logger?: LogPort;
}

/**
 * Handles one event: ignored events are logged (malformed ones as errors) and returned, never thrown;
 * a failing StartPipelineExecution is thrown (Lambda retries; the token prevents a second execution).
 */
export async function handleModelPackageStateChange(
  event: unknown,
  deps: DeployTriggerDependencies,
): Promise<DeployTriggerOutcome> {
  const logger = deps.logger ?? SILENT_LOG_PORT;
  const decision = decideDeploy(event, deps.config);
  if (decision.action === 'ignore') {
    if (decision.reason === 'malformed-event') {
      logger.error('Malformed model package state change event ignored', { detail: decision.detail });
    } else {
      logger.info('Model package state change ignored', { reason: decision.reason, detail: decision.detail });
    }
    return decision;
  }
  const { pipelineName } = deps.config;
  const response = await withContext('StartPipelineExecution', pipelineName, () =>
    deps.codePipeline.send(
      new StartPipelineExecutionCommand({
        name: pipelineName,
        clientRequestToken: decision.clientRequestToken,
        variables: [
          { name: 'MODEL_PACKAGE_ARN', value: decision.modelPackageArn },
          { name: 'TRIGGER', value: MODEL_APPROVED_TRIGGER },
        ],
      }),
    ),
  );
  const outcome: DeployTriggerOutcome = {
    action: 'started',
    pipelineName,
    pipelineExecutionId: response.pipelineExecutionId,
    modelPackageArn: decision.modelPackageArn,
    clientRequestToken: decision.clientRequestToken,
  };
  logger.info('Deploy pipeline started for the approved model package', { ...outcome });
  return outcome;
}

/** The contract variables the deploy trigger reads (@mlops-templates/project-contract). */
export const DEPLOY_TRIGGER_VARIABLES = [
  'PIPELINE_NAME',
  'MODEL_PACKAGE_GROUP_NAME',
] as const satisfies readonly ProjectVariable[];

/** The contract's schema of these variables. */
export const deployTriggerEnvironmentSchema = pickEnvironment(DEPLOY_TRIGGER_VARIABLES);

/** Reads PIPELINE_NAME and MODEL_PACKAGE_GROUP_NAME; throws naming the missing variables. */
export function loadDeployTriggerConfig(env: Record<string, string | undefined>): DeployTriggerConfig {
  const result = readEnvironment(deployTriggerEnvironmentSchema, env);
  if (!result.success) {
    throw new Error(`Invalid start-deploy-pipeline configuration: ${result.problems.join('; ')}`);
  }
  return {
    pipelineName: result.data.PIPELINE_NAME,
    modelPackageGroupName: result.data.MODEL_PACKAGE_GROUP_NAME,
  };
}
