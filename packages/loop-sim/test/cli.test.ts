// The mlops-loop-sim CLI in-process: one JSON line with the field names, the timeline SVG
// with --out, exit codes for usage and scenario errors (messages name the field).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli';

const SCENARIO = join(__dirname, '..', 'scenarios', 'level-shift-day-10.json');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('mlops-loop-sim', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loop-sim-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('prints one JSON summary line with the issue field names; timeline null without --out', async () => {
    const c = capture();
    expect(await main(['--scenario', SCENARIO], c.io)).toBe(0);
    expect(c.out).toHaveLength(1);
    const summary = JSON.parse(c.out[0]) as Record<string, unknown>;
    expect(Object.keys(summary).slice(0, 12)).toEqual([
      'scenario',
      'retrainsStarted',
      'retrainsInStationaryStretches',
      'detectionDelayPeriods',
      'modelsDeployed',
      'alarmEpisodes',
      'reAlarmsDuringWarmup',
      'missingDataNotifications',
      'humanNeededNotifications',
      'maxConcurrentExecutions',
      'deadlocked',
      'timeline',
    ]);
    expect(summary.timeline).toBeNull();
  });

  test('--out writes the SVG timeline and names it in the summary', async () => {
    const c = capture();
    expect(await main(['--scenario', SCENARIO, '--out', dir], c.io)).toBe(0);
    const summary = JSON.parse(c.out[0]) as { timeline: string };
    expect(summary.timeline).toBe(join(dir, 'level-shift-day-10.svg'));
    const svg = readFileSync(summary.timeline, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const label of [
      'staging',
      'prod',
      'live mean wQL',
      'threshold v1',
      'threshold v2',
      'retrain start',
      'deploy',
    ]) {
      expect(svg).toContain(label);
    }
  });

  test('usage and scenario errors exit 2 with a message naming the problem', async () => {
    const c = capture();
    expect(await main([], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('--scenario is required');
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ name: 'x', seed: 1, days: 30, frequency: '1 hour', predictionLength: 24 }),
    );
    const c2 = capture();
    expect(await main(['--scenario', bad], c2.io)).toBe(2);
    expect(c2.err.join('\n')).toMatch(/frequency: must be <count><unit>/);
    const c3 = capture();
    expect(await main(['--scenario', join(dir, 'missing.json')], c3.io)).toBe(2);
    expect(c3.err.join('\n')).toMatch(/cannot read scenario/);
    const c4 = capture();
    expect(await main(['--scenario', SCENARIO, '--frobnicate'], c4.io)).toBe(2);
  });

  test('an event with two kinds is refused, naming the event', async () => {
    const bad = join(dir, 'two-kinds.json');
    const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as { events: unknown[] };
    scenario.events = [{ atHour: 10, levelShift: 10, rejectNextModel: true }];
    writeFileSync(bad, JSON.stringify(scenario));
    const c = capture();
    expect(await main(['--scenario', bad], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/events\.0: must set exactly one event kind/);
  });

  test('an unknown model is refused with exit 2, naming the field (#17)', async () => {
    const bad = join(dir, 'model.json');
    const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as Record<string, unknown>;
    writeFileSync(bad, JSON.stringify({ ...scenario, model: 'xgboost' }));
    const c = capture();
    expect(await main(['--scenario', bad], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/invalid scenario: model: must be one of "deepar", "tabular"/);
    expect(c.out).toEqual([]);
  });
});
