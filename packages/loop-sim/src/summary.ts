// The one-line JSON summary of a run (field names of issue #14, in its order, then the added ones).
import { HOUR_MS, type SimulationResult, SIM_START, STAGES } from './simulator';

/** The summary printed on stdout. */
export interface LoopSummary {
  readonly scenario: string;
  /** Executions started by the retrain Lambda (TriggerReason `retrain-alarm:*`). */
  readonly retrainsStarted: number;
  /** Of those, started while the model serving prod was trained in the series' current regime. */
  readonly retrainsInStationaryStretches: number;
  /**
   * Per onset (first period whose live mean wQL exceeds the threshold after at least
   * `evaluationPeriods` periods that did not, merged over both stages): whole periods until the next
   * retrain start; `null` when none followed.
   */
  readonly detectionDelayPeriods: (number | null)[];
  /** Deploys of a new model version to prod. */
  readonly modelsDeployed: number;
  /** Accuracy alarm transitions into ALARM (both stages). */
  readonly alarmEpisodes: number;
  /** Accuracy alarm transitions into ALARM before the serving version's threshold was in force. */
  readonly reAlarmsDuringWarmup: number;
  /** Freshness alarm ALARM notifications (SNS). */
  readonly missingDataNotifications: number;
  /** `retrain-attempts-exhausted` notifications (SNS). */
  readonly humanNeededNotifications: number;
  readonly maxConcurrentExecutions: number;
  /** See README: in ALARM, nothing in flight, a build would pass the gate, no retrain for > 7 d + cooldown. */
  readonly deadlocked: boolean;
  /** The SVG written with `--out`; `null` without `--out` (nothing written). */
  readonly timeline: string | null;
  /** Retrain starts while a model waited for a person's approval (package or prod) or its deploy. */
  readonly retrainsWhileAwaitingApproval: number;
  /** Retrain starts after a human-needed notification, before a model was approved. */
  readonly retrainsAfterHumanNeeded: number;
  /**
   * The longest run of retrain starts with no model approved in between (a human-needed notification
   * also ends a run): what `maxAttempts` bounds.
   */
  readonly maxRetrainsWithoutApprovedModel: number;
}

/** Computes the summary of a run. */
export function summarize(result: SimulationResult, timeline: string | null): LoopSummary {
  const retrainStarts = result.events.filter((e) => e.kind === 'retrain-started').map((e) => e.at);
  const n = result.evaluationPeriods;
  const onsets: number[] = [];
  for (const stage of STAGES) {
    let quiet = n;
    for (const p of result.periods[stage]) {
      const breaching = p.meanWql !== null && p.threshold !== null && p.meanWql > p.threshold;
      if (breaching && quiet >= n) onsets.push(SIM_START + Math.floor(p.hour) * HOUR_MS);
      quiet = breaching ? 0 : quiet + 1;
    }
  }
  onsets.sort((a, b) => a - b);
  const merged: number[] = [];
  for (const t of onsets) {
    if (merged.length === 0 || t - merged[merged.length - 1] > n * result.periodMs) merged.push(t);
  }
  const detectionDelayPeriods = merged.map((t) => {
    const start = retrainStarts.find((s) => s >= t);
    return start === undefined ? null : Math.floor((start - t) / result.periodMs);
  });
  let run = 0;
  let maxRun = 0;
  for (const e of result.events) {
    if (e.kind === 'retrain-started') {
      maxRun = Math.max(maxRun, ++run);
    } else if (
      e.kind === 'model-approved' ||
      (e.kind === 'notification' && e.detail === 'retrain-attempts-exhausted')
    ) {
      run = 0;
    }
  }
  return {
    scenario: result.scenario.name,
    retrainsStarted: retrainStarts.length,
    retrainsInStationaryStretches: result.retrainsInStationaryStretches,
    detectionDelayPeriods,
    modelsDeployed: result.events.filter((e) => e.kind === 'deployed' && e.stage === 'prod').length,
    alarmEpisodes: STAGES.reduce(
      (sum, s) => sum + result.accuracyAlarmTransitions[s].filter((t) => t.to === 'ALARM').length,
      0,
    ),
    reAlarmsDuringWarmup: result.warmUpReAlarms,
    missingDataNotifications: result.published.filter((m) => m.event === 'freshness-alarm').length,
    humanNeededNotifications: result.published.filter((m) => m.event === 'retrain-attempts-exhausted').length,
    maxConcurrentExecutions: result.maxConcurrentExecutions,
    deadlocked: result.deadlocked,
    timeline,
    retrainsWhileAwaitingApproval: result.retrainsWhileAwaitingApproval,
    retrainsAfterHumanNeeded: result.retrainsAfterHumanNeeded,
    maxRetrainsWithoutApprovedModel: maxRun,
  };
}
