// The CloudWatch alarm model on its own: the two example tables of the CloudWatch User Guide page
// "Configuring how CloudWatch alarms treat missing data" (section "How alarm state is evaluated when
// data is missing"; datapoints oldest first, 0 = not breaching, X = breaching, - = missing), the
// "Avoiding premature transitions to alarm state" examples, state transitions and settings validation.
import {
  type AlarmState,
  evaluateAlarm,
  evaluationRangeLength,
  type RangePoint,
  SimulatedAlarm,
  TREAT_MISSING_DATA_VALUES,
  type TreatMissingData,
} from '../src/alarm-model';

const RETAIN = 'retain';
type Expected = AlarmState | typeof RETAIN;

function points(text: string): RangePoint[] {
  return text.split(' ').map((c) => (c === '-' ? null : c === 'X'));
}

// Columns: MISSING, IGNORE, BREACHING, NOT BREACHING.
const THREE_OF_THREE: [string, Expected, Expected, Expected, Expected][] = [
  ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
  ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
  ['- - - - -', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
  ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['- - X - -', 'ALARM', RETAIN, 'ALARM', 'OK'],
];
const TWO_OF_THREE: [string, Expected, Expected, Expected, Expected][] = [
  ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - X -', 'ALARM', RETAIN, 'ALARM', 'OK'],
];
const COLUMNS: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

describe.each([
  ['3 out of 3', 3, THREE_OF_THREE],
  ['2 out of 3', 2, TWO_OF_THREE],
])('the User Guide table for a %s alarm (evaluation range 5)', (_name, datapointsToAlarm, table) => {
  const cases = table.flatMap(([data, ...expected]) =>
    COLUMNS.map((treat, i) => [data, treat, expected[i]] as const),
  );
  it.each(cases)('%s with treatMissingData %s → %s', (data, treat, expected) => {
    const settings = { evaluationPeriods: 3, datapointsToAlarm, treatMissingData: treat };
    for (const current of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as AlarmState[]) {
      const state = evaluateAlarm(points(data), settings, current);
      expect(state).toBe(expected === RETAIN ? current : expected);
    }
  });
});

describe('evaluation range and premature transitions', () => {
  it('retrieves N + 2 datapoints (5 for the examples with 3 evaluation periods)', () => {
    expect(evaluationRangeLength(3)).toBe(5);
  });

  it('does not alarm on - - - - X or - - - X - for 3 of 3 (missing): the next point may be OK', () => {
    const settings = { evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'missing' as const };
    expect(evaluateAlarm(points('- - - - X'), settings, 'OK')).toBe('OK');
    expect(evaluateAlarm(points('- - - X -'), settings, 'OK')).toBe('OK');
    expect(evaluateAlarm(points('- - - X 0'), settings, 'OK')).toBe('OK');
  });

  it('uses only the N most recent real datapoints when enough are present', () => {
    const settings = { evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'breaching' as const };
    // Oldest two (X X) are outside the 3 most recent real datapoints.
    expect(evaluateAlarm(points('X X 0 0 0'), settings, 'ALARM')).toBe('OK');
  });
});

describe('SimulatedAlarm', () => {
  it('starts in INSUFFICIENT_DATA and records each transition with its time', () => {
    const data: Record<number, RangePoint> = { 0: false, 1: true, 2: true };
    const alarm = new SimulatedAlarm(
      'a',
      { evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: 'missing' },
      0,
    );
    expect(alarm.state).toBe('INSUFFICIENT_DATA');
    const at = (i: number) => data[i] ?? null;
    expect(alarm.evaluate(0, at, 10)).toEqual({ at: 10, from: 'INSUFFICIENT_DATA', to: 'OK' });
    expect(alarm.evaluate(1, at, 20)).toBeUndefined();
    expect(alarm.evaluate(2, at, 30)).toEqual({ at: 30, from: 'OK', to: 'ALARM' });
    expect(alarm.stateTransitionedAt).toBe(30);
    // A collector gap: with `missing`, once the whole range (5 periods) is missing → INSUFFICIENT_DATA.
    for (let i = 3; i <= 6; i++) expect(alarm.evaluate(i, at, 40 + i)).toBeUndefined();
    expect(alarm.evaluate(7, at, 50)).toEqual({ at: 50, from: 'ALARM', to: 'INSUFFICIENT_DATA' });
    expect(alarm.stateUpdatedAt).toBe(50);
    expect(alarm.transitions).toHaveLength(3);
  });

  it('rejects settings CloudWatch refuses, naming the field', () => {
    expect(
      () =>
        new SimulatedAlarm(
          'a',
          { evaluationPeriods: 2, datapointsToAlarm: 3, treatMissingData: 'missing' },
          0,
        ),
    ).toThrow(/datapointsToAlarm/);
    expect(
      () =>
        new SimulatedAlarm(
          'a',
          { evaluationPeriods: 0, datapointsToAlarm: 1, treatMissingData: 'missing' },
          0,
        ),
    ).toThrow(/evaluationPeriods/);
    expect(
      () =>
        new SimulatedAlarm(
          'a',
          { evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'nope' as TreatMissingData },
          0,
        ),
    ).toThrow(/treatMissingData/);
    expect(TREAT_MISSING_DATA_VALUES).toHaveLength(4);
  });
});
