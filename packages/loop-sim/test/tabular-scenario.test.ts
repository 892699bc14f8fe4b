// The tabular loop (#17): the shipped covariate-drift scenario against the real retrain decision —
// a data-quality drift metric (Model Monitor's feature_baseline_drift_<feature>), not wQL, trips the
// alarm; exactly one retrain, no storm — with a negative control (the DeepAR scenarios' 2-of-3 alarm
// on the same data storms while the new baselines still hold old data), and the scenario schema's
// `model` field and tabular fields, whose messages name the field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alarmNamePrefix, DATA_QUALITY_BASELINE_WINDOW_HOURS } from '@mlops-templates/project-contract';
import {
  HOUR_MS,
  parseScenario,
  type Scenario,
  SIM_START,
  simulate,
  type SimulationResult,
  summarize,
  type LoopSummary,
} from '../src';

const SCENARIOS = join(__dirname, '..', 'scenarios');
const document = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(SCENARIOS, `${name}.json`), 'utf8')) as Record<string, unknown>;
const hourOf = (t: number) => (t - SIM_START) / HOUR_MS;

async function run(scenario: Scenario): Promise<{ result: SimulationResult; summary: LoopSummary }> {
  const result = await simulate(scenario);
  return { result, summary: summarize(result, null) };
}

describe('covariate-drift (tabular, 14 days hourly)', () => {
  const scenario = parseScenario(document('covariate-drift'));
  const shiftHour = 240;
  let shipped: { result: SimulationResult; summary: LoopSummary };
  beforeAll(async () => {
    shipped = await run(scenario);
  }, 600_000);

  test('is the tabular model with a covariate shift of one feature on day 10', () => {
    expect(scenario).toMatchObject({ model: 'tabular', days: 14, frequency: '1H' });
    expect(scenario.events).toEqual([{ atHour: shiftHour, covariateShift: 2, feature: 'income_k' }]);
    expect(scenario.tabular?.alarmFeature).toBe('income_k');
  });

  test('its window is the project contract’s, which the tabular seeds read (24 h, hourly → 24 of 24)', () => {
    // DATA_QUALITY_BASELINE_WINDOW_HOURS: model-build's data-quality baseline is the newest window of
    // data by event time, and monitoring's retrain alarms wait for it (retrainAlarmWindow).
    const window = DATA_QUALITY_BASELINE_WINDOW_HOURS;
    expect(scenario.tabular?.baselineWindowHours).toBe(window);
    // The seed's rule (retrainAlarmWindow): N = M = ⌈window h / 1 h period⌉ for the hourly schedule.
    expect(scenario.policy).toMatchObject({ evaluationPeriods: window, datapointsToAlarm: window });
  });

  test('exactly one retrain, after the shift, by the drift alarm; one deploy; no storm, nobody paged', () => {
    const { result, summary } = shipped;
    expect(summary).toMatchObject({
      retrainsStarted: 1,
      retrainsInStationaryStretches: 0,
      modelsDeployed: 1,
      humanNeededNotifications: 0,
      missingDataNotifications: 0,
      retrainsWhileAwaitingApproval: 0,
      retrainsAfterHumanNeeded: 0,
      maxConcurrentExecutions: 1,
      deadlocked: false,
      reAlarmsDuringWarmup: 0,
    });
    const retrain = result.events.find((e) => e.kind === 'retrain-started');
    expect(hourOf(retrain?.at ?? 0)).toBeGreaterThan(shiftHour);
    // The retrain alarm: the retrain prefix, on Model Monitor's drift metric of the feature.
    const prefix = alarmNamePrefix({ projectName: 'loopsim', projectId: 'p-loopsim0000' });
    expect(retrain?.detail).toBe(`retrain-alarm:${prefix}staging-feature_baseline_drift_income_k`);
  });

  test('the drift metric stays under the threshold before the shift and after the new baseline, not between', () => {
    const { result } = shipped;
    const threshold = scenario.tabular?.driftThreshold as number;
    const prodDeploy = result.events.find((e) => e.kind === 'deployed' && e.stage === 'prod');
    const deployHour = hourOf(prodDeploy?.at ?? 0);
    for (const stage of ['staging', 'prod'] as const) {
      const periods = result.periods[stage];
      const before = periods.filter((p) => p.hour < shiftHour + 1);
      const during = periods.filter((p) => p.hour > shiftHour + 1 && p.hour < deployHour - 3);
      const after = periods.filter((p) => p.hour > deployHour + 1);
      expect(before.every((p) => p.meanWql !== null && p.meanWql < threshold)).toBe(true);
      expect(during.length).toBeGreaterThan(20);
      expect(during.every((p) => (p.meanWql as number) > 3 * threshold)).toBe(true);
      expect(after.length).toBeGreaterThan(48);
      expect(after.every((p) => (p.meanWql as number) < threshold)).toBe(true);
      expect(after.every((p) => p.accuracyAlarm === 'OK')).toBe(true);
    }
  });

  test('negative control: the 2-of-3 alarm on the same data retrains while the new baseline still holds old data (a storm)', async () => {
    const control = parseScenario({
      ...document('covariate-drift'),
      name: 'covariate-drift-2-of-3',
      days: 11,
      policy: { cooldownMinutes: 360, maxAttempts: 3, evaluationPeriods: 3, datapointsToAlarm: 2 },
    });
    const { summary } = await run(control);
    expect(summary.retrainsStarted).toBeGreaterThanOrEqual(2);
  }, 600_000);
});

describe('scenario schema: model and tabular fields', () => {
  const base = document('covariate-drift');
  const invalid = (change: Record<string, unknown>) => () => parseScenario({ ...base, ...change });

  test('model defaults to deepar: the shipped DeepAR scenarios are unchanged', () => {
    for (const name of ['stationary', 'level-shift-day-10', 'collector-outage']) {
      expect(parseScenario(document(name)).model).toBe('deepar');
    }
  });

  test.each([
    [{ model: 'xgboost' }, /model: must be one of "deepar", "tabular"/],
    [{ model: 'deepar' }, /tabular: only with model "tabular"/],
    [{ frequency: '1D' }, /frequency: must be "1H" with model "tabular"/],
    [{ events: [{ atHour: 10, levelShift: 40 }] }, /events\.0\.levelShift: only with model "deepar"/],
    [{ events: [{ atHour: 10, covariateShift: 2 }] }, /events\.0\.feature: is required with covariateShift/],
    [
      { events: [{ atHour: 10, covariateShift: 2, feature: 'height' }] },
      /events\.0\.feature: must be a numeric feature of the tabular generator \(age, income_k, tenure_months, usage_hours\)/,
    ],
    [
      { events: [{ atHour: 10, feature: 'age', rejectNextModel: true }] },
      /events\.0\.feature: only with covariateShift/,
    ],
    [
      {
        events: [
          { atHour: 10, covariateShift: 2, feature: 'age' },
          { atHour: 20, covariateShift: 1, feature: 'age' },
        ],
      },
      /events: at most one covariateShift/,
    ],
    [{ tabular: { rowsPerHour: 1 } }, /tabular\.rowsPerHour: /],
    [{ tabular: { alarmFeature: 'plan' } }, /tabular\.alarmFeature: must be a numeric feature/],
    [{ tabular: { driftThreshold: 0 } }, /tabular\.driftThreshold: /],
    [{ tabular: { unknown: 1 } }, /tabular: Unrecognized key/],
  ])('rejects %p naming the field', (change, message) => {
    expect(invalid(change)).toThrow(message);
  });

  test('a covariate shift in a DeepAR scenario is rejected naming the field', () => {
    const deepar = document('level-shift-day-10');
    expect(() =>
      parseScenario({ ...deepar, events: [{ atHour: 10, covariateShift: 2, feature: 'age' }] }),
    ).toThrow(/events\.0\.covariateShift: only with model "tabular"/);
  });
});
