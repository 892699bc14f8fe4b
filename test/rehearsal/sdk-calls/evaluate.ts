// Evaluates the recorded SDK calls against one resolved product: each call is attributed to the
// principal the product gives its code, the test's names are bound to the product's (by field, by
// recorded environment variable, by fixture), the IAM requests are built from the bound input, and each
// is decided with the real policy engine. A call whose resource cannot be bound to the product is
// reported; it fails when no bound call of the same principal and action covers it.
import { requestsOf } from './actions';
import { callKey, type RecordedCall, type RecordedJson, type Recording } from './recording';
import { attribute, runsIn, seedTemplateOf, type Binding, type RuntimePrincipal } from './sources';
import { decide, type AwsRequest, type Decision } from '../engine';
import type { PolicyDocument, RolePrincipal } from '../principals';
import type { ResolvedTemplate } from '../resolve';

/** One evaluated recorded request. */
export interface RecordedResult {
  readonly principal: string;
  readonly label: string;
  readonly request: AwsRequest;
  readonly decision: Decision;
  readonly ok: boolean;
}

/** A recorded call that is not evaluated against a product principal, and why. */
export interface NotEvaluated {
  readonly what: string;
  readonly reason: string;
  readonly calls: number;
  /** True when it fails the rehearsal. */
  readonly fails: boolean;
}

/** Shape of a call: where it comes from, what it does and which input fields it sets. */
export function shapeOf(call: RecordedCall): string {
  const a = attribute(call.frames);
  const where = a.kind === 'test-code' ? 'test code' : a.module;
  const fields =
    call.input && typeof call.input === 'object' && !Array.isArray(call.input)
      ? Object.keys(call.input).sort()
      : [];
  return `${where} ${call.service}.${call.operation}(${fields.join(',')})`;
}

const isObject = (v: RecordedJson): v is { [k: string]: RecordedJson } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const stringsOf = (v: RecordedJson): string[] =>
  typeof v === 'string'
    ? [v]
    : Array.isArray(v)
      ? v.flatMap(stringsOf)
      : isObject(v)
        ? Object.values(v).flatMap(stringsOf)
        : [];

/** Test value → product value pairs a call's fields give (by the binding's field rules). */
function fieldPairs(call: RecordedCall, binding: Binding): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!isObject(call.input)) return out;
  for (const [k, v] of Object.entries(call.input)) {
    const rule = binding.fields[`${call.service}.${k}`] ?? binding.fields[k];
    if (!rule) continue;
    for (const s of stringsOf(v)) {
      const p = rule(s);
      if (p !== undefined && p !== '') out.push([s, p]);
    }
  }
  return out;
}

interface Ctx {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** Replaces the test's names by the product's in a call's input; returns the strings that were bound. */
export function bindInput(
  input: RecordedJson,
  pairs: ReadonlyArray<readonly [string, string]>,
  ctx: Ctx,
): { input: RecordedJson; bound: Set<string> } {
  const bound = new Set<string>();
  const exact = new Map<string, string>();
  for (const [t, p] of pairs) if (!exact.has(t)) exact.set(t, p);
  const partial = [...exact].filter(([t]) => t.length >= 3).sort(([a], [b]) => b.length - a.length);
  const one = (s: string): string => {
    let out = exact.get(s);
    let touched = out !== undefined;
    if (out === undefined) {
      out = s;
      for (const [t, p] of partial) {
        if (out.includes(t)) {
          out = out.split(t).join(p);
          touched = true;
        }
      }
    }
    // Calls go to the caller's account and region: ARNs in the input are the product's.
    out = out.replace(
      /^arn:([^:]+):([^:]+):([^:]*):(\d{12})?:/,
      (_m, _p: string, svc: string, region: string, account?: string) =>
        `arn:${ctx.partition}:${svc}:${region ? ctx.region : ''}:${account ? ctx.account : ''}:`,
    );
    if (touched) bound.add(out);
    return out;
  };
  const walk = (v: RecordedJson): RecordedJson =>
    typeof v === 'string'
      ? one(v)
      : Array.isArray(v)
        ? v.map(walk)
        : isObject(v)
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : v;
  return { input: walk(input), bound };
}

/**
 * Evaluates every recorded call of `recording` for one resolved product of template `template`: the
 * calls of code that runs in another template's product (sources.ts `runsIn`) are left to that one.
 */
export async function evaluateRecording(
  recording: Recording,
  template: string,
  product: ResolvedTemplate,
  roles: readonly RolePrincipal[],
  policies: ReadonlyMap<string, PolicyDocument>,
): Promise<{
  results: RecordedResult[];
  notEvaluated: NotEvaluated[];
  /** Principals of attributed calls the product has in this parameter set, and those it has not. */
  present: Set<string>;
  missing: Set<string>;
}> {
  const ctx = product.context;
  const results = new Map<string, RecordedResult>();
  const notEvaluated = new Map<string, NotEvaluated>();
  const note = (what: string, reason: string, calls: number, fails: boolean) => {
    const key = `${what}|${reason}`;
    const seen = notEvaluated.get(key);
    notEvaluated.set(key, { what, reason, calls: (seen?.calls ?? 0) + calls, fails: fails || !!seen?.fails });
  };

  // Pairs the field rules learn per (principal, test file): a name the test uses in one call (the
  // pipeline's name) is the same name inside another call's ARN (the pipeline execution's).
  const learned = new Map<string, Array<[string, string]>>();
  const attributed: Array<{ call: RecordedCall; rule: RuntimePrincipal; module: string }> = [];
  const bindings = new Map<RuntimePrincipal, Binding>();
  for (const call of recording.calls) {
    const a = attribute(call.frames);
    if (a.kind === 'test-code') {
      note(
        'calls made by test code (fixtures, seeding moto, assertions)',
        'not runtime code',
        call.count,
        false,
      );
      continue;
    }
    if (a.kind === 'not-rehearsed') {
      note(`${a.module} ${call.service}.${call.operation}`, a.rule.reason, call.count, false);
      continue;
    }
    if (a.kind === 'unclassified') {
      note(
        `${a.module} ${call.service}.${call.operation}`,
        'runtime code with no principal in sdk-calls/sources.ts (RUNTIME_PRINCIPALS or NOT_REHEARSED)',
        call.count,
        true,
      );
      continue;
    }
    if (!runsIn(a.rule, a.module, template)) {
      const owner = seedTemplateOf(a.module) ?? (a.rule.products ?? []).join(', ');
      note(
        `${owner} code as ${a.rule.principal} (in the ${template} product)`,
        `runs only in the ${owner} product: evaluated there`,
        call.count,
        false,
      );
      continue;
    }
    const binding = bindings.get(a.rule) ?? a.rule.binding(product, template);
    bindings.set(a.rule, binding);
    const absent = binding.notInThisProduct?.[`${call.service}.${call.operation}`];
    if (absent !== undefined) {
      note(`${a.module} ${call.service}.${call.operation}`, absent, call.count, false);
      continue;
    }
    const key = `${a.rule.principal}|${call.testFile}`;
    learned.set(key, [...(learned.get(key) ?? []), ...fieldPairs(call, binding)]);
    attributed.push({ call, rule: a.rule, module: a.module });
  }

  const covered = new Set<string>();
  const missing = new Set<string>();
  const present = new Set<string>();
  const unbound: Array<{ principal: string; action: string; what: string; calls: number }> = [];
  for (const { call, rule, module } of attributed) {
    const role = roles.find((r) => new RegExp(`/${rule.principal}[0-9A-F]{8}$`).test(r.id));
    if (!role) {
      // Conditional code (e.g. third-party seeding only with CodeConnection): evaluated in the parameter
      // sets where the product creates the role; the rehearsal fails when no set creates it.
      missing.add(rule.principal);
      continue;
    }
    present.add(rule.principal);
    const binding = bindings.get(rule) as Binding;
    const envPairs = Object.entries(call.env)
      .filter(([k]) => binding.env[k] !== undefined)
      .map(([k, v]) => [v, binding.env[k]] as [string, string]);
    const pairs = [
      ...fieldPairs(call, binding),
      ...envPairs,
      ...binding.pairs,
      ...(learned.get(`${rule.principal}|${call.testFile}`) ?? []),
    ];
    const { input, bound } = bindInput(call.input, pairs, ctx);
    const mapping = await requestsOf(call.service, call.operation, input, ctx);
    if (!mapping.ok) {
      note(`${module} ${call.service}.${call.operation}`, mapping.problem, call.count, true);
      continue;
    }
    const label = `recorded ${module}: ${call.service}.${call.operation}`;
    for (const r of mapping.requests) {
      const isBound = r.resource === '*' || r.from.length === 0 || r.from.some((f) => bound.has(f));
      if (!isBound) {
        unbound.push({
          principal: rule.principal,
          action: r.action,
          what: `${label} on ${r.resource} (test ${call.testFile})`,
          calls: call.count,
        });
        continue;
      }
      covered.add(`${rule.principal} ${r.action}`);
      const key = `${role.id}|${label}|${r.action}|${r.resource}`;
      if (results.has(key)) continue;
      const context = {
        ...(r.context ?? {}),
        ...Object.fromEntries(Object.entries(binding.context ?? {}).map(([k, v]) => [k, v.value])),
      };
      const request: AwsRequest =
        Object.keys(context).length > 0
          ? { action: r.action, resource: r.resource, context }
          : { action: r.action, resource: r.resource };
      const resourcePolicy =
        policies.get(r.resource) ??
        (r.resource.startsWith('arn:aws:s3:::') ? policies.get(r.resource.split('/')[0]) : undefined);
      const decision = await decide(role, request, ctx.account, resourcePolicy);
      results.set(key, { principal: role.id, label, request, decision, ok: decision.result === 'Allowed' });
    }
  }
  for (const u of unbound) {
    const isCovered = covered.has(`${u.principal} ${u.action}`);
    note(
      u.what,
      isCovered
        ? 'resource names only the test knows (the same principal and action is evaluated on bound calls)'
        : `cannot bind the resource to the product, and no bound call of ${u.principal} ${u.action} exists`,
      u.calls,
      !isCovered,
    );
  }
  return { results: [...results.values()], notEvaluated: [...notEvaluated.values()], present, missing };
}

/** Counts of a recording, for the report. */
export function recordingSummary(recording: Recording): {
  calls: number;
  distinct: number;
  shapes: number;
  runtimeShapes: number;
  testFiles: number;
} {
  const shapes = new Set(recording.calls.map(shapeOf));
  const runtime = new Set(recording.calls.filter((c) => c.frames.length > 0).map(shapeOf));
  return {
    calls: recording.calls.reduce((n, c) => n + c.count, 0),
    distinct: new Set(recording.calls.map(callKey)).size,
    shapes: shapes.size,
    runtimeShapes: runtime.size,
    testFiles: recording.testFiles.length,
  };
}
