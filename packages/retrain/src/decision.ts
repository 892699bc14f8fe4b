// The retrain decision's vocabulary: the ports it is given (AWS clients, logger, clock), its decision
// and reason codes, the outcome of a run and its two renderings (metrics, the CLI's JSON line), and the
// records it reads from AWS (alarms, pipeline executions, model packages). Types and pure functions only.
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { RetrainConfig } from './config';

/** The AWS SDK v3 clients the decision uses (inject mocks or moto-pointed clients in tests). */
export interface RetrainClients {
  readonly sagemaker: SageMakerClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  /**
   * Reads `GATE_THRESHOLD_PARAMETER_NAME` before each start. Optional: without it (or without the
   * variable) retrains start with the pipeline definition's GateThreshold; `createRetrainClients` makes one.
   */
  readonly ssm?: SSMClient;
}

/** Structured logger; Powertools Logger fits, the CLI uses a stderr JSON logger. */
export interface DecisionLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export interface DecisionContext {
  readonly config: RetrainConfig;
  readonly clients: RetrainClients;
  readonly logger: DecisionLogger;
  /** The clock; defaults to the system time. */
  readonly now?: () => Date;
}

export type Decision = 'started' | 'skipped' | 'ignored';

/** Machine-readable reason codes (stable: used as the `Reason` metric dimension). */
export type DecisionReason =
  // started
  | 'alarm-state-change'
  | 'recheck-still-in-alarm'
  // skipped
  | 'duplicate-delivery'
  | 'max-attempts-reached'
  | 'model-awaiting-approval'
  | 'execution-running'
  | 'cooldown'
  | 'retrain-started-for-other-alarm'
  // ignored
  | 'malformed-event'
  | 'state-not-alarm'
  | 'foreign-alarm'
  | 'actions-suppressed'
  | 'alarm-not-found'
  | 'alarm-no-longer-in-alarm'
  | 'no-alarm-in-alarm-state';

/** The decision for one alarm. */
export interface AlarmDecision {
  readonly alarmName: string;
  readonly decision: Decision;
  readonly reason: DecisionReason;
  /** The execution started, or the one that caused the skip; null when none. */
  readonly pipelineExecutionArn: string | null;
  /** Human-readable explanation. */
  readonly detail: string;
}

/** The decision of one run (one event, or one re-check over every alarm of the project). */
export interface RetrainOutcome extends Omit<AlarmDecision, 'alarmName'> {
  readonly alarmName: string | null;
  readonly trigger: 'alarm-state-change' | 'recheck' | 'malformed-event';
  /** Re-check only: the decision per examined alarm. */
  readonly alarms?: readonly AlarmDecision[];
  /** Re-check only: alarms for which this run told the topic that a person is needed. */
  readonly escalated?: readonly string[];
}

/** Service name of logs and the `service` metric dimension (Lambda and CLI alike). */
export const SERVICE_NAME = 'mlops-retrain';

/** Name of the model-build pipeline parameter that records why it ran. */
export const TRIGGER_REASON_PARAMETER = 'TriggerReason';
/** Prefix of TriggerReason values written by this package: `retrain-alarm:<alarm name>`. */
export const TRIGGER_REASON_PREFIX = 'retrain-alarm:';

/** The TriggerReason value of a retrain for `alarmName`. */
export function triggerReasonFor(alarmName: string): string {
  return `${TRIGGER_REASON_PREFIX}${alarmName}`;
}

/** An alarm as CloudWatch reports it now. */
export interface AlarmSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly type: 'metric' | 'composite';
  readonly state: string;
  /** When the alarm took its current state (StateTransitionedTimestamp, else StateUpdatedTimestamp). */
  readonly enteredStateAt: Date;
  readonly actionsSuppressedBy?: string;
  /**
   * The `ModelVersion` dimension of the alarm's metric(s), when it has one (the monitoring stack's
   * accuracy alarm watches one model version: see README "Model versions").
   */
  readonly modelVersion?: string;
}

/** One execution of the model-build pipeline. */
export interface ExecutionRecord {
  readonly arn: string;
  readonly status: string;
  readonly startTime?: Date;
  /** The TriggerReason parameter; only looked up for executions recent enough to matter. */
  readonly triggerReason?: string;
}

/** A model package of the project's group, as ListModelPackages reports it. */
export interface ModelPackageRecord {
  readonly arn: string;
  /** ModelPackageVersion. */
  readonly version?: number;
  /** ModelApprovalStatus: `PendingManualApproval`, `Approved` or `Rejected`. */
  readonly approvalStatus: string;
  readonly createdAt: Date;
}

/** What the decision needs to know about the pipeline and the model registry. */
export interface PipelineHistory {
  /** Newest first. */
  readonly executions: readonly ExecutionRecord[];
  /** Creation time of the newest usable model package (any approval status); informational. */
  readonly latestModelPackageAt?: Date;
  /**
   * Usable model packages of `MODEL_PACKAGE_GROUP_NAME` (not Failed/Deleting), newest first; absent
   * when no group is configured (then every finished retrain counts as an attempt).
   */
  readonly modelPackages?: readonly ModelPackageRecord[];
}

/** One metric data point the run should publish. */
export interface DecisionMetric {
  readonly name: 'retrain_triggered' | 'retrain_skipped';
  /** `Reason` for skips (low cardinality: the reason codes above). */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** retrain_triggered per start, retrain_skipped (by Reason) per skip; nothing for ignored. */
export function decisionMetrics(outcome: RetrainOutcome): DecisionMetric[] {
  const decisions: ReadonlyArray<Pick<AlarmDecision, 'decision' | 'reason'>> = outcome.alarms ?? [outcome];
  return decisions.flatMap((d): DecisionMetric[] => {
    if (d.decision === 'started') return [{ name: 'retrain_triggered', dimensions: {} }];
    if (d.decision === 'skipped') return [{ name: 'retrain_skipped', dimensions: { Reason: d.reason } }];
    return [];
  });
}

/** The one JSON line the CLI prints (and the Lambda returns). */
export function outcomeLine(outcome: RetrainOutcome): string {
  return JSON.stringify({
    decision: outcome.decision,
    reason: outcome.reason,
    pipelineExecutionArn: outcome.pipelineExecutionArn,
    alarmName: outcome.alarmName,
    detail: outcome.detail,
    ...(outcome.alarms !== undefined ? { alarms: outcome.alarms, escalated: outcome.escalated ?? [] } : {}),
  });
}
