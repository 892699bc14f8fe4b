// The shipped scenarios (packages/loop-sim/scenarios/*.json) against the real retrain core, threshold
// policy and collector cores: each asserts the "Must show" outcome of issue #14. Determinism: the same
// scenario gives the same summary.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HOUR_MS,
  parseScenario,
  type Scenario,
  simulate,
  type SimulationResult,
  SIM_START,
  summarize,
  type LoopSummary,
} from '../src';

const SCENARIOS = join(__dirname, '..', 'scenarios');

function load(name: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(join(SCENARIOS, `${name}.json`), 'utf8')));
}

const runs = new Map<string, Promise<{ result: SimulationResult; summary: LoopSummary }>>();
function run(name: string): Promise<{ result: SimulationResult; summary: LoopSummary }> {
  if (!runs.has(name)) {
    runs.set(
      name,
      simulate(load(name)).then((result) => ({ result, summary: summarize(result, null) })),
    );
  }
  return runs.get(name) as Promise<{ result: SimulationResult; summary: LoopSummary }>;
}

const hourOf = (t: number) => (t - SIM_START) / HOUR_MS;
const retrainHours = (r: SimulationResult) =>
  r.events.filter((e) => e.kind === 'retrain-started').map((e) => hourOf(e.at));

describe('shipped scenarios (30 days, hourly)', () => {
  test('every scenario is 30 days hourly with the policy of the issue', () => {
    for (const name of [
      'stationary',
      'level-shift-day-10',
      'collector-outage',
      'unbeatable-drift',
      'approval-delay',
      'rejected-model',
    ]) {
      const s = load(name);
      expect({ name: s.name, days: s.days, frequency: s.frequency }).toEqual({
        name,
        days: 30,
        frequency: '1H',
      });
      expect(s.policy).toEqual({
        cooldownMinutes: 360,
        maxAttempts: 3,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: 'missing',
      });
    }
  });

  test('stationary: no retrain in 30 days at the default noise, no alarm, nothing stuck', async () => {
    const { summary } = await run('stationary');
    expect(summary).toMatchObject({
      retrainsStarted: 0,
      retrainsInStationaryStretches: 0,
      alarmEpisodes: 0,
      modelsDeployed: 0,
      humanNeededNotifications: 0,
      deadlocked: false,
    });
  });

  test('level shift on day 10: a retrain within 3 evaluation periods of the first breaching period, one deploy, no re-alarm in warm-up', async () => {
    const { result, summary } = await run('level-shift-day-10');
    expect(summary.detectionDelayPeriods.length).toBeGreaterThanOrEqual(1);
    expect(summary.detectionDelayPeriods[0]).not.toBeNull();
    expect(summary.detectionDelayPeriods[0]).toBeLessThanOrEqual(3);
    expect(retrainHours(result)[0]).toBeGreaterThan(240);
    expect(summary).toMatchObject({
      retrainsStarted: 1,
      modelsDeployed: 1,
      reAlarmsDuringWarmup: 0,
      maxConcurrentExecutions: 1,
      deadlocked: false,
    });
    // The new model is what prod serves at the end, and its alarm is OK.
    const last = result.periods.prod[result.periods.prod.length - 1];
    expect(last).toMatchObject({ modelVersion: '2', accuracyAlarm: 'OK' });
  });

  test('no re-alarm during the warm-up after any deploy, in any scenario', async () => {
    for (const name of [
      'level-shift-day-10',
      'approval-delay',
      'rejected-model',
      'unbeatable-drift',
      'collector-outage',
    ]) {
      const { summary } = await run(name);
      expect({ name, reAlarmsDuringWarmup: summary.reAlarmsDuringWarmup }).toEqual({
        name,
        reAlarmsDuringWarmup: 0,
      });
    }
  });

  test('collector outage: the missing-data notification fires and the attempt count is not reset', async () => {
    const { result, summary } = await run('collector-outage');
    const outage = result.scenario.events.find((e) => e.collectorOutageHours !== undefined);
    const from = (outage?.atHour ?? 0) as number;
    const to = from + (outage?.collectorOutageHours ?? 0);
    const duringOutage = result.published.filter(
      (m) => m.event === 'freshness-alarm' && hourOf(m.at) >= from && hourOf(m.at) <= to,
    );
    expect(duringOutage.length).toBeGreaterThanOrEqual(1);
    // The accuracy alarm went ALARM → INSUFFICIENT_DATA → ALARM over the gap (a new episode) ...
    const transitions = result.accuracyAlarmTransitions.prod.filter(
      (t) => hourOf(t.at) >= from && hourOf(t.at) <= to + 3,
    );
    expect(transitions.map((t) => t.to)).toEqual(['INSUFFICIENT_DATA', 'ALARM']);
    // ... and no retrain followed: the attempts of the window still count.
    expect(retrainHours(result).filter((h) => h >= from)).toEqual([]);
    expect(summary).toMatchObject({
      humanNeededNotifications: 1,
      retrainsAfterHumanNeeded: 0,
      deadlocked: false,
    });
    expect(summary.maxRetrainsWithoutApprovedModel).toBeLessThanOrEqual(3);
  });

  test('unbeatable drift: at most maxAttempts retrains, exactly one human-needed notification, no deadlock', async () => {
    const { result, summary } = await run('unbeatable-drift');
    const drift = result.scenario.events.find((e) => e.unbeatableDrift === true);
    const failed = result.events.filter(
      (e) => e.kind === 'execution-finished' && e.detail.startsWith('Failed'),
    );
    expect(failed).toHaveLength(3);
    expect(summary.maxRetrainsWithoutApprovedModel).toBe(3);
    expect(summary.humanNeededNotifications).toBe(1);
    expect(summary.deadlocked).toBe(false);
    // A model that beats the gate later (after the drift) is still picked up and deployed to prod.
    const lateDeploys = result.events.filter(
      (e) => e.kind === 'deployed' && e.stage === 'prod' && hourOf(e.at) > (drift?.untilHour ?? 0),
    );
    expect(lateDeploys.length).toBeGreaterThanOrEqual(1);
  });

  test('approval delay of 48 h: no retrain beyond the first while the model waits', async () => {
    const { result, summary } = await run('approval-delay');
    expect(summary.retrainsWhileAwaitingApproval).toBe(0);
    expect(summary.retrainsStarted).toBe(1);
    const registered = result.events.find((e) => e.kind === 'model-registered');
    const approved = result.events.find((e) => e.kind === 'model-approved' && hourOf(e.at) > 200);
    expect(hourOf(approved?.at ?? 0) - hourOf(registered?.at ?? 0)).toBeCloseTo(48, 5);
    expect(summary).toMatchObject({ modelsDeployed: 1, humanNeededNotifications: 0, deadlocked: false });
  });

  test('rejected model: the rejection counts as an attempt, the next retrain is picked up', async () => {
    const { result, summary } = await run('rejected-model');
    expect(result.events.filter((e) => e.kind === 'model-rejected')).toHaveLength(1);
    expect(summary).toMatchObject({
      retrainsStarted: 2,
      modelsDeployed: 1,
      maxRetrainsWithoutApprovedModel: 2,
    });
    expect(summary.retrainsWhileAwaitingApproval).toBe(0);
  });

  test('deterministic: the same scenario gives the same summary', async () => {
    const again = summarize(await simulate(load('level-shift-day-10')), null);
    expect(again).toEqual((await run('level-shift-day-10')).summary);
  });

  test('a different seed changes the series but not the stationary outcome', async () => {
    const other = summarize(await simulate({ ...load('stationary'), seed: 7 }), null);
    expect(other.retrainsStarted).toBe(0);
  });
});
