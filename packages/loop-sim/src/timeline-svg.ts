// The timeline picture of a run (SVG, opens in a browser), laid out like the seed's dashboard: per
// stage, the live mean wQL with the threshold of each model version, the accuracy and freshness
// alarm states as coloured bands; a shared lane of retrain starts, registrations, approvals and
// rejections, deploys and notifications.
import type { AlarmState } from './alarm-model';
import { tabularSettingsOf } from './scenario';
import { HOUR_MS, type SimulationResult, SIM_START, type Stage, STAGES } from './simulator';
import type { LoopSummary } from './summary';

const WIDTH = 1200;
const LEFT = 70;
const RIGHT = 20;
const PLOT_H = 150;
const BAND_H = 12;
const LANE_H = 90;

const STATE_COLOUR: Record<AlarmState, string> = {
  OK: '#2ca02c',
  ALARM: '#d62728',
  INSUFFICIENT_DATA: '#bbbbbb',
};
const VERSION_COLOURS = ['#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#bcbd22', '#1f77b4'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders the run as an SVG document. */
export function renderTimeline(result: SimulationResult, summary: LoopSummary): string {
  const x = (hour: number) => LEFT + (hour / result.hours) * (WIDTH - LEFT - RIGHT);
  const parts: string[] = [];
  let top = 40;
  const allValues = STAGES.flatMap((s) => result.periods[s].flatMap((p) => [p.meanWql, p.threshold])).filter(
    (v): v is number => v !== null,
  );
  const yMax = Math.max(0.05, ...allValues) * 1.1;
  parts.push(
    `<text x="${LEFT}" y="20" font-size="14" font-weight="bold">${escapeXml(`mlops-loop-sim: ${summary.scenario}`)}</text>`,
    `<text x="${LEFT + 300}" y="20" font-size="11">${escapeXml(
      `retrains ${summary.retrainsStarted} · deploys ${summary.modelsDeployed} · alarm episodes ${summary.alarmEpisodes} · human needed ${summary.humanNeededNotifications} · missing-data ${summary.missingDataNotifications} · deadlocked ${summary.deadlocked}`,
    )}</text>`,
  );
  for (const stage of STAGES) {
    parts.push(...stagePanel(result, stage, top, x, yMax));
    top += PLOT_H + 2 * BAND_H + 40;
  }
  // Event lane.
  parts.push(`<text x="4" y="${top + 12}" font-size="11">events</text>`);
  parts.push(
    `<line x1="${LEFT}" y1="${top + LANE_H / 2}" x2="${WIDTH - RIGHT}" y2="${top + LANE_H / 2}" stroke="#ccc"/>`,
  );
  const markers: Record<string, { y: number; colour: string; label: string }> = {
    'retrain-started': { y: 10, colour: '#d62728', label: 'retrain start' },
    'model-registered': { y: 25, colour: '#1f77b4', label: 'registered (pending)' },
    'model-approved': { y: 40, colour: '#2ca02c', label: 'approved' },
    'model-rejected': { y: 40, colour: '#000000', label: 'rejected' },
    deployed: { y: 55, colour: '#9467bd', label: 'deploy' },
    notification: { y: 70, colour: '#ff7f0e', label: 'notification' },
    'execution-finished': { y: 25, colour: '#7f7f7f', label: 'build failed (gate)' },
  };
  for (const e of result.events) {
    const m = markers[e.kind];
    if (m === undefined) continue;
    const hx = x((e.at - SIM_START) / HOUR_MS);
    parts.push(
      `<circle cx="${hx.toFixed(1)}" cy="${top + m.y}" r="3.5" fill="${m.colour}"><title>${escapeXml(
        `${((e.at - SIM_START) / HOUR_MS).toFixed(2)} h ${e.kind}${e.stage ? ` ${e.stage}` : ''}: ${e.detail}`,
      )}</title></circle>`,
    );
  }
  let lx = LEFT;
  for (const m of Object.values(markers)) {
    parts.push(`<circle cx="${lx}" cy="${top + LANE_H + 8}" r="3.5" fill="${m.colour}"/>`);
    parts.push(`<text x="${lx + 6}" y="${top + LANE_H + 12}" font-size="10">${escapeXml(m.label)}</text>`);
    lx += 150;
  }
  // Time axis (days).
  const axisY = top + LANE_H + 30;
  for (let day = 0; day <= result.hours / 24; day++) {
    const dx = x(day * 24);
    parts.push(`<line x1="${dx}" y1="36" x2="${dx}" y2="${axisY - 8}" stroke="#eee"/>`);
    parts.push(`<text x="${dx}" y="${axisY}" font-size="9" text-anchor="middle">d${day}</text>`);
  }
  for (const h of result.regimeChanges) {
    parts.push(
      `<line x1="${x(h)}" y1="36" x2="${x(h)}" y2="${axisY - 8}" stroke="#000" stroke-dasharray="4 3"><title>regime change at ${h} h</title></line>`,
    );
  }
  const height = axisY + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function stagePanel(
  result: SimulationResult,
  stage: Stage,
  top: number,
  x: (h: number) => number,
  yMax: number,
): string[] {
  const parts: string[] = [];
  const y = (v: number) => top + PLOT_H - (Math.min(v, yMax) / yMax) * PLOT_H;
  // The retrain alarm's metric: mean wQL (deepar) or Model Monitor's drift metric (tabular).
  const metric =
    result.scenario.model === 'tabular'
      ? `feature_baseline_drift_${tabularSettingsOf(result.scenario).alarmFeature}`
      : 'mean wQL';
  parts.push(`<text x="4" y="${top + 12}" font-size="11" font-weight="bold">${stage}</text>`);
  parts.push(
    `<rect x="${LEFT}" y="${top}" width="${WIDTH - LEFT - RIGHT}" height="${PLOT_H}" fill="none" stroke="#999"/>`,
  );
  parts.push(
    `<text x="4" y="${top + 26}" font-size="9">${result.scenario.model === 'tabular' ? 'drift' : metric}</text>`,
  );
  parts.push(
    `<text x="${LEFT - 4}" y="${top + 8}" font-size="9" text-anchor="end">${yMax.toFixed(3)}</text>`,
  );
  parts.push(`<text x="${LEFT - 4}" y="${top + PLOT_H}" font-size="9" text-anchor="end">0</text>`);
  const periods = result.periods[stage];
  // Live metric: a polyline broken at missing datapoints.
  let segment: string[] = [];
  const flush = () => {
    if (segment.length > 1) {
      parts.push(`<polyline fill="none" stroke="#1f77b4" stroke-width="1.2" points="${segment.join(' ')}"/>`);
    }
    segment = [];
  };
  for (const p of periods) {
    if (p.meanWql === null) flush();
    else segment.push(`${x(p.hour).toFixed(1)},${y(p.meanWql).toFixed(1)}`);
  }
  flush();
  // Threshold per model version (the collector publishes it once the version's warm-up is over).
  const byVersion = new Map<string, string[]>();
  for (const p of periods) {
    if (p.threshold === null || p.modelVersion === null) continue;
    const pts = byVersion.get(p.modelVersion) ?? [];
    pts.push(`${x(p.hour).toFixed(1)},${y(p.threshold).toFixed(1)}`);
    byVersion.set(p.modelVersion, pts);
  }
  let legend = LEFT + 8;
  for (const [version, pts] of byVersion) {
    const colour = VERSION_COLOURS[(Number(version) - 1) % VERSION_COLOURS.length];
    parts.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="5 3" points="${pts.join(' ')}"/>`,
    );
    parts.push(
      `<text x="${legend}" y="${top + 12}" font-size="9" fill="${colour}">threshold v${version}</text>`,
    );
    legend += 80;
  }
  parts.push(`<text x="${legend}" y="${top + 12}" font-size="9" fill="#1f77b4">live ${metric}</text>`);
  // Alarm bands.
  const bands: { label: string; state: (i: number) => AlarmState; y: number }[] = [
    { label: 'accuracy', state: (i) => periods[i].accuracyAlarm, y: top + PLOT_H + 4 },
    { label: 'freshness', state: (i) => periods[i].freshnessAlarm, y: top + PLOT_H + 6 + BAND_H },
  ];
  for (const band of bands) {
    parts.push(
      `<text x="${LEFT - 4}" y="${band.y + BAND_H - 2}" font-size="9" text-anchor="end">${band.label}</text>`,
    );
    let start = 0;
    for (let i = 1; i <= periods.length; i++) {
      if (i === periods.length || band.state(i) !== band.state(start)) {
        const x0 = x(Math.floor(periods[start].hour));
        const x1 = i === periods.length ? x(result.hours) : x(Math.floor(periods[i].hour));
        const state = band.state(start);
        parts.push(
          `<rect x="${x0.toFixed(1)}" y="${band.y}" width="${Math.max(0.5, x1 - x0).toFixed(1)}" height="${BAND_H}" fill="${STATE_COLOUR[state]}"><title>${band.label} ${state} from ${Math.floor(periods[start].hour)} h</title></rect>`,
        );
        start = i;
      }
    }
  }
  return parts;
}
