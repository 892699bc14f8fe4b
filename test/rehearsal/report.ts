// Turns a rehearsal result into the printed report and the verdict (tracked open findings apart).
import { decisionCacheStats } from './engine';
import { OPEN_FINDINGS, type OpenFinding } from './open-findings';
import type { Evaluated, RehearsalReport } from './rehearsal';

/** A finding's key, independent of the parameter set it appeared in. */
export function findingKey(e: Evaluated): string {
  const principal = e.principal.replace(/^.*\//, '').replace(/[0-9A-F]{8}$/, '');
  const label = e.label.replace(/^\S+\[[^\]]+\]\s*/, '');
  return `${e.kind} ${principal} ${e.request?.action ?? '-'} ${label}`.replace(
    /(?<=[A-Za-z])[0-9A-F]{8}\b/g,
    '',
  );
}

/** The verdict of a report. */
export interface Verdict {
  readonly passed: boolean;
  /** Distinct untracked findings with the parameter sets they appeared in. */
  readonly untracked: Map<string, { example: Evaluated; sets: Set<string> }>;
  readonly tracked: Map<string, OpenFinding>;
  readonly staleOpenFindings: OpenFinding[];
}

export function verdict(report: RehearsalReport, open: readonly OpenFinding[] = OPEN_FINDINGS): Verdict {
  const untracked = new Map<string, { example: Evaluated; sets: Set<string> }>();
  const tracked = new Map<string, OpenFinding>();
  const usedOpen = new Set<OpenFinding>();
  for (const f of report.failures) {
    const key = findingKey(f);
    const set = /\[([^\]]+)\]/.exec(f.label)?.[1] ?? /\[([^\]]+)\]/.exec(f.principal)?.[1] ?? 'all';
    const o = open.find((x) => x.pattern.test(key) && (x.sets === undefined || x.sets.includes(set)));
    if (o) {
      tracked.set(key, o);
      usedOpen.add(o);
      continue;
    }
    const entry = untracked.get(key) ?? { example: f, sets: new Set<string>() };
    entry.sets.add(set);
    untracked.set(key, entry);
  }
  const staleOpenFindings = open.filter((o) => !usedOpen.has(o));
  return {
    passed: untracked.size === 0 && staleOpenFindings.length === 0 && report.staleExemptions.length === 0,
    untracked,
    tracked,
    staleOpenFindings,
  };
}

/** The human-readable report. */
export function formatReport(report: RehearsalReport, v: Verdict): string {
  const lines: string[] = [];
  const byPrincipal = new Map<string, { checked: number; allowed: number; denied: number }>();
  for (const r of report.results) {
    const p = r.principal.replace(/\[[^\]]+\]/, '').replace(/[0-9A-F]{8}$/, '');
    const s = byPrincipal.get(p) ?? { checked: 0, allowed: 0, denied: 0 };
    s.checked++;
    if (r.decision.result === 'Allowed') s.allowed++;
    else s.denied++;
    byPrincipal.set(p, s);
  }
  lines.push(
    `Deployment rehearsal: ${report.principals.length} principals, ${report.results.length} evaluations (${decisionCacheStats().evaluated} distinct questions for the policy engine in this process), ${report.handlerPermissionsChecked} CloudFormation handler permission checks`,
  );
  lines.push(
    `Seeded repositories' stacks resolved and deployed as the CloudFormation deploy role: ${report.seededStacks.join(', ') || 'none'}`,
  );
  lines.push(
    '',
    'Per principal (checked / allowed / denied — denied includes escalations that must be denied):',
  );
  for (const [p, s] of [...byPrincipal].sort()) {
    lines.push(`  ${p}: ${s.checked} / ${s.allowed} / ${s.denied}`);
  }
  // ---- recorded SDK calls (issue #13, 2a)
  lines.push('', ...formatRecorded(report));
  // ---- end recorded SDK calls
  lines.push('', `Handler-permission exemptions used (${report.exemptionsUsed.length}):`);
  for (const e of report.exemptionsUsed.sort()) lines.push(`  ${e}`);
  if (report.staleExemptions.length > 0) {
    lines.push('', `STALE exemptions (no longer needed; remove them) (${report.staleExemptions.length}):`);
    for (const e of report.staleExemptions) lines.push(`  ${e}`);
  }
  lines.push('', `Tracked open findings (${v.tracked.size}):`);
  for (const [k, o] of [...v.tracked].sort()) lines.push(`  ${k}  [${o.tracking}]`);
  if (v.staleOpenFindings.length > 0) {
    lines.push('', 'STALE open findings (fixed; remove from open-findings.ts):');
    for (const o of v.staleOpenFindings) lines.push(`  ${String(o.pattern)} [${o.tracking}]`);
  }
  lines.push('', `FAILURES (${v.untracked.size}):`);
  for (const [k, { example, sets }] of [...v.untracked].sort()) {
    const req = example.request ? ` ${example.request.action} on ${example.request.resource}` : '';
    lines.push(
      `  ${k}\n     expected ${example.expected}, got ${example.decision.result}${req}; ${example.decision.detail} [${[...sets].join(', ')}]`,
    );
  }
  lines.push('', v.passed ? 'rehearsal PASSED' : 'rehearsal FAILED');
  return lines.join('\n');
}

// ---- recorded SDK calls (issue #13, 2a)
/** The recorded-calls section: counts, principals and every call not evaluated (with the reason). */
export function formatRecorded(report: RehearsalReport): string[] {
  const r = report.recorded;
  if (!r) return ['Recorded SDK calls: skipped'];
  const s = r.summary;
  const lines = [
    `Recorded SDK calls (from ${s.testFiles} test files): ${s.calls} calls, ${s.distinct} distinct, ${s.shapes} distinct recorded call shapes (${s.runtimeShapes} made by runtime code); ${r.requests} IAM requests evaluated as ${r.principals.length} principals:`,
    ...r.principals.map((p) => `  ${p}`),
  ];
  for (const p of r.problems) lines.push(`  RECORDING: ${p}`);
  const notEvaluated = [...r.notEvaluated].sort((a, b) => a.what.localeCompare(b.what));
  lines.push(`  Not evaluated against a product principal (${notEvaluated.length}):`);
  for (const n of notEvaluated) {
    lines.push(`    ${n.fails ? 'FAIL ' : ''}${n.what} (${n.calls} calls): ${n.reason}`);
  }
  return lines;
}
// ---- end recorded SDK calls
