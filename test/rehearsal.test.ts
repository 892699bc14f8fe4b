// The deployment rehearsal as a test: the committed portfolio must pass it, and the rehearsal must
// fail — naming the call — on a copy with a permission removed (negative controls).
import { readEmitted, rehearse, type EmittedTemplates } from './rehearsal/rehearsal';
import { findingKey, formatReport, verdict } from './rehearsal/report';
import { committedConfig, synthPortfolio } from './support/synth';

type Json = import('./rehearsal/resolve').Json;
type Statement = { Action?: Json; Sid?: string };

let emitted: EmittedTemplates;

beforeAll(() => {
  const synth = synthPortfolio(committedConfig());
  emitted = readEmitted(synth.portfolioTemplateFile, synth.productTemplateFiles);
});

/** Every policy statement of a template (inline, AWS::IAM::Policy and managed policies). */
function statements(template: Record<string, Json>): Statement[] {
  const out: Statement[] = [];
  for (const r of Object.values(
    template.Resources as Record<string, { Type: string; Properties: Record<string, Json> }>,
  )) {
    const docs: Json[] = [];
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      docs.push(r.Properties.PolicyDocument);
    }
    for (const p of (r.Properties?.Policies ?? []) as Array<{ PolicyDocument: Json }>) {
      docs.push(p.PolicyDocument);
    }
    for (const d of docs) out.push(...((d as { Statement: Statement[] }).Statement ?? []));
  }
  return out;
}

function withoutAction(
  template: Record<string, Json>,
  action: string,
  where: (s: Statement) => boolean,
): Record<string, Json> {
  const copy = structuredClone(template);
  let removed = 0;
  for (const s of statements(copy)) {
    if (!where(s)) continue;
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (!actions.includes(action)) continue;
    s.Action = actions.filter((a) => a !== action) as Json;
    removed++;
  }
  expect(removed).toBeGreaterThan(0);
  return copy;
}

describe('deployment rehearsal', () => {
  test('the committed portfolio passes the rehearsal', async () => {
    const report = await rehearse(emitted);
    const v = verdict(report);
    if (!v.passed) console.log(formatReport(report, v));
    expect([...v.untracked.keys()]).toEqual([]);
    expect(v.staleOpenFindings.map((o) => String(o.pattern))).toEqual([]);
    expect(report.staleExemptions).toEqual([]);
    expect(report.handlerPermissionsChecked).toBeGreaterThan(1000);
  });

  test('negative control: the retrain role without StartPipelineExecution fails, naming the call', async () => {
    const products = Object.fromEntries(
      Object.entries(emitted.products).map(([k, t]) => [
        k,
        withoutAction(t, 'sagemaker:StartPipelineExecution', () => true),
      ]),
    );
    const v = verdict(await rehearse({ ...emitted, products }));
    expect(v.passed).toBe(false);
    expect(
      [...v.untracked.keys()].some((k) => /RetrainHandlerRole sagemaker:StartPipelineExecution/.test(k)),
    ).toBe(true);
  });

  test('negative control: the boundary without its "*" ListModelPackages fails the retrain decision', async () => {
    const boundaryStar = (s: Statement) => s.Sid === 'ApisWithoutResourceLevelPermissions';
    const portfolio = withoutAction(emitted.portfolio, 'sagemaker:ListModelPackages', boundaryStar);
    const baseline = new Set(verdict(await rehearse(emitted), []).untracked.keys());
    const v = verdict(await rehearse({ ...emitted, portfolio }), []);
    const added = [...v.untracked.keys()].filter((k) => !baseline.has(k));
    expect(added.some((k) => /RetrainHandlerRole sagemaker:ListModelPackages/.test(k))).toBe(true);
    expect(added.every((k) => /ListModelPackages/.test(k))).toBe(true);
  });

  test('finding keys do not depend on the parameter set or CDK hash suffixes', () => {
    const key = findingKey({
      principal: 'deepar-forecasting[defaults]/RetrainHandlerRole4515BC88',
      kind: 'named',
      label: 'retrain: x',
      expected: 'Allowed',
      decision: { result: 'ImplicitlyDenied', detail: '' },
      ok: false,
      request: { action: 'sagemaker:ListModelPackages', resource: '*' },
    });
    expect(key).toBe('named RetrainHandlerRole sagemaker:ListModelPackages retrain: x');
  });
});
