// CloudWatch metric alarm evaluation as the CloudWatch User Guide documents it (pure, no I/O):
//   - "Using Amazon CloudWatch alarms" (AlarmThatSendsEmail): period, EvaluationPeriods (N),
//     DatapointsToAlarm (M) — an M out of N alarm; the three states OK, ALARM, INSUFFICIENT_DATA.
//   - "Configuring how CloudWatch alarms treat missing data" (alarms-and-missing-data): the evaluation
//     range (more datapoints than N are retrieved), the four treatMissingData values, and the two
//     example tables (transcribed in test/alarm-model.test.ts).
//   - "Avoiding premature transitions to alarm state": the rule in `prematureAlarm` below.
//   - PutMetricAlarm (API reference): a new alarm starts in INSUFFICIENT_DATA; updating an existing
//     alarm keeps its state.
// Simplification: CloudWatch evaluates an alarm about every minute; the simulator evaluates once per
// period, after the period's datapoint was published.

/** The four `TreatMissingData` values of PutMetricAlarm. */
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

export const TREAT_MISSING_DATA_VALUES: readonly TreatMissingData[] = [
  'missing',
  'ignore',
  'breaching',
  'notBreaching',
];

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One datapoint of the evaluation range: breaching, not breaching, or missing (`null`). */
export type RangePoint = boolean | null;

/** An M out of N alarm's evaluation settings. */
export interface AlarmEvaluationSettings {
  /** N. */
  readonly evaluationPeriods: number;
  /** M (≤ N). */
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
}

/**
 * The evaluation range (datapoints retrieved) for N evaluation periods. The User Guide says it depends
 * on the period and the metric's resolution without giving the formula; both of its examples (N = 3)
 * use 5. This model uses N + 2.
 */
export function evaluationRangeLength(evaluationPeriods: number): number {
  return evaluationPeriods + 2;
}

/** Validates the settings; throws a RangeError naming the field. */
export function checkAlarmSettings(settings: AlarmEvaluationSettings): void {
  const { evaluationPeriods: n, datapointsToAlarm: m, treatMissingData } = settings;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`evaluationPeriods must be an integer ≥ 1, got ${n}`);
  }
  if (!Number.isInteger(m) || m < 1 || m > n) {
    throw new RangeError(`datapointsToAlarm must be an integer in [1, evaluationPeriods=${n}], got ${m}`);
  }
  if (!TREAT_MISSING_DATA_VALUES.includes(treatMissingData)) {
    throw new RangeError(`treatMissingData must be one of ${TREAT_MISSING_DATA_VALUES.join(', ')}`);
  }
}

/**
 * "Avoiding premature transitions to alarm state": with fewer real datapoints than needed, the alarm
 * still goes to ALARM when the oldest breaching datapoint of the last N periods is at least M periods
 * old and every more recent period is breaching or missing. The tables add that a non-breaching
 * datapoint anywhere in the range prevents it (2-of-3 row `0 - X - -` stays OK).
 * `range` is oldest first.
 */
function prematureAlarm(range: readonly RangePoint[], n: number, m: number): boolean {
  if (range.some((p) => p === false)) return false;
  const lastN = range.slice(-n);
  // Age 1 = the newest period.
  for (let i = 0; i < lastN.length; i++) {
    if (lastN[i] === true) return lastN.length - i >= m;
  }
  return false;
}

/**
 * The state the alarm takes after evaluating `range` (the evaluation range, oldest first; `null` =
 * missing). Returns `current` where the documentation says "Retain current state".
 */
export function evaluateAlarm(
  range: readonly RangePoint[],
  settings: AlarmEvaluationSettings,
  current: AlarmState,
): AlarmState {
  checkAlarmSettings(settings);
  const { evaluationPeriods: n, datapointsToAlarm: m, treatMissingData: treat } = settings;
  const real = range.filter((p): p is boolean => p !== null);
  // Enough real datapoints: the N most recent real ones decide; missing data treatment is not needed.
  if (real.length >= n) {
    const breaching = real.slice(-n).filter((p) => p).length;
    return breaching >= m ? 'ALARM' : 'OK';
  }
  const breachingReal = real.filter((p) => p).length;
  const fill = n - real.length;
  switch (treat) {
    case 'breaching':
      // Every real datapoint of the range plus `fill` missing ones counted as breaching.
      return breachingReal + fill >= m ? 'ALARM' : 'OK';
    case 'notBreaching':
      return breachingReal >= m ? 'ALARM' : 'OK';
    case 'missing':
    case 'ignore': {
      if (real.length === 0) return treat === 'missing' ? 'INSUFFICIENT_DATA' : current;
      if (breachingReal >= m) return 'ALARM';
      if (prematureAlarm(range, n, m)) return treat === 'missing' ? 'ALARM' : current;
      if (real.some((p) => !p)) return 'OK';
      // Only young breaching datapoints (e.g. `- - - - X` with M = 3): the page says the alarm does
      // "not go immediately into ALARM"; it does not say what it does instead. Modelled: no change.
      return current;
    }
  }
}

/** A state change of an alarm. */
export interface AlarmTransition {
  readonly at: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
}

/**
 * One simulated metric alarm: datapoints per period index, its state, and the time it took it
 * (StateTransitionedTimestamp). A new alarm starts in INSUFFICIENT_DATA (PutMetricAlarm).
 */
export class SimulatedAlarm {
  public state: AlarmState = 'INSUFFICIENT_DATA';
  public stateTransitionedAt: number;
  public stateUpdatedAt: number;
  public readonly transitions: AlarmTransition[] = [];

  constructor(
    public readonly name: string,
    public readonly settings: AlarmEvaluationSettings,
    createdAt: number,
  ) {
    checkAlarmSettings(settings);
    this.stateTransitionedAt = createdAt;
    this.stateUpdatedAt = createdAt;
  }

  /**
   * Evaluates at the end of period `periodIndex` with `pointAt(i)` giving period i's datapoint
   * (`null` = missing). Returns the transition, if the state changed.
   */
  evaluate(periodIndex: number, pointAt: (i: number) => RangePoint, at: number): AlarmTransition | undefined {
    const length = evaluationRangeLength(this.settings.evaluationPeriods);
    const range: RangePoint[] = [];
    for (let i = periodIndex - length + 1; i <= periodIndex; i++) range.push(pointAt(i));
    const next = evaluateAlarm(range, this.settings, this.state);
    this.stateUpdatedAt = at;
    if (next === this.state) return undefined;
    const transition = { at, from: this.state, to: next };
    this.state = next;
    this.stateTransitionedAt = at;
    this.transitions.push(transition);
    return transition;
  }
}
