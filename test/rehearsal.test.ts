// The deployment rehearsal as a test: the committed portfolio passes it with the default parameters,
// and the rehearsal fails — naming the call — on a copy with a permission removed (negative controls).
// The full parameter matrix with the recorded SDK calls of this jest run is the gate `npx projen
// rehearse`, which `npx projen test` runs after jest (one full rehearsal per test run, not two).
import {
  DEFAULTS_ONLY as DEFAULT_SETS,
  readEmitted,
  rehearse,
  type EmittedTemplates,
} from './rehearsal/rehearsal';
import { findingKey, formatReport, verdict } from './rehearsal/report';
import { requestsOf } from './rehearsal/sdk-calls/actions';
import {
  expectedTestFiles,
  recordingProblems,
  runtimeDigest,
  type RecordedCall,
  type RecordedJson,
  type Recording,
} from './rehearsal/sdk-calls/recording';
import { sharedCommittedSynth } from './support/synth';

type Json = import('./rehearsal/resolve').Json;
type Statement = { Action?: Json; Sid?: string };

let emitted: EmittedTemplates;
let defaultsReport: ReturnType<typeof rehearse> | undefined;
/** The committed portfolio rehearsed with the default parameters (once, shared by the tests). */
const rehearsedDefaults = (): ReturnType<typeof rehearse> =>
  (defaultsReport ??= rehearse(emitted, DEFAULTS_ONLY));
/** Negative controls resolve the product with the defaults only: the roles they break exist there. */
const DEFAULTS_ONLY = { parameterSets: DEFAULT_SETS };

beforeAll(() => {
  const synth = sharedCommittedSynth();
  emitted = readEmitted(synth.portfolioTemplateFile, synth.productTemplateFiles);
});

/** Every policy statement of a template (inline, AWS::IAM::Policy and managed policies). */
function statements(template: Record<string, Json>): Statement[] {
  const out: Statement[] = [];
  for (const r of Object.values(
    template.Resources as Record<string, { Type: string; Properties: Record<string, Json> }>,
  )) {
    const docs: Json[] = [];
    if (
      r.Type === 'AWS::IAM::Policy' ||
      r.Type === 'AWS::IAM::ManagedPolicy' ||
      r.Type === 'AWS::SNS::TopicPolicy'
    ) {
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
  test('the committed portfolio passes the rehearsal with the default parameters', async () => {
    const report = await rehearsedDefaults();
    const v = verdict(report);
    if (v.untracked.size > 0) console.log(formatReport(report, v));
    expect([...v.untracked.keys()]).toEqual([]);
    expect(report.handlerPermissionsChecked).toBeGreaterThan(200);
  });

  test('negative control: the retrain role without StartPipelineExecution fails, naming the call', async () => {
    const products = Object.fromEntries(
      Object.entries(emitted.products).map(([k, t]) => [
        k,
        withoutAction(t, 'sagemaker:StartPipelineExecution', () => true),
      ]),
    );
    const v = verdict(await rehearse({ ...emitted, products }, DEFAULTS_ONLY));
    expect(v.passed).toBe(false);
    expect(
      [...v.untracked.keys()].some((k) => /RetrainHandlerRole sagemaker:StartPipelineExecution/.test(k)),
    ).toBe(true);
  });

  test('negative control: the boundary without its "*" ListModelPackages fails the retrain decision', async () => {
    const boundaryStar = (s: Statement) => s.Sid === 'ApisWithoutResourceLevelPermissions';
    const portfolio = withoutAction(emitted.portfolio, 'sagemaker:ListModelPackages', boundaryStar);
    const baseline = new Set(verdict(await rehearsedDefaults(), []).untracked.keys());
    const v = verdict(await rehearse({ ...emitted, portfolio }, DEFAULTS_ONLY), []);
    const added = [...v.untracked.keys()].filter((k) => !baseline.has(k));
    expect(added.some((k) => /RetrainHandlerRole sagemaker:ListModelPackages/.test(k))).toBe(true);
    expect(added.every((k) => /ListModelPackages/.test(k))).toBe(true);
  });

  test("negative controls: the deploy role without DescribeLogGroups fails the seeded stacks' log groups; the topic policy without the alarm statement fails CloudWatch's publish", async () => {
    const products = Object.fromEntries(
      Object.entries(emitted.products).map(([k, t]) => [
        k,
        withoutAction(
          withoutAction(t, 'logs:DescribeLogGroups', (st) => st.Sid === 'LogGroupsDescribe'),
          'sns:Publish',
          (st) => st.Sid === 'ProjectAlarmActions',
        ),
      ]),
    );
    const report = await rehearse({ ...emitted, products }, { ...DEFAULTS_ONLY, recording: 'skip' });
    expect(report.seededStacks.length).toBeGreaterThan(0);
    const keys = [...verdict(report, []).untracked.keys()];
    const logGroups = keys.filter((k) =>
      /^cloudformation CloudFormationDeployRole logs:DescribeLogGroups .*monitoring-/.test(k),
    );
    const publish = keys.filter((k) => /^named service:cloudwatch\.amazonaws\.com sns:Publish /.test(k));
    expect(logGroups.length).toBeGreaterThan(0);
    expect(publish.length).toBe(1);
    expect(keys.length).toBe(logGroups.length + publish.length);
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

// ---- recorded SDK calls (issue #13, 2a): the recording's evaluation, on hand-made recordings.
describe('recorded SDK calls', () => {
  const call = (
    operation: string,
    input: Record<string, string>,
    frames: string[] = ['packages/retrain/src/pipeline-history.ts', 'packages/retrain/src/lambda.ts'],
  ): RecordedCall => ({
    service: 'SageMaker',
    operation,
    input,
    frames,
    testFile: 'packages/retrain/test/handler.test.ts',
    env: {},
    via: 'mock',
    count: 1,
  });
  const recordingOf = (calls: RecordedCall[]): Recording => ({
    version: 1,
    digest: runtimeDigest(),
    testFiles: expectedTestFiles(),
    calls,
    errors: [],
  });

  test('negative control: a recorded call the principal is not granted fails, naming it; granted ones pass', async () => {
    const report = await rehearse(emitted, {
      ...DEFAULTS_ONLY,
      recording: recordingOf([
        call('StartPipelineExecution', { PipelineName: 'model-build' }),
        call('DeleteModelPackageGroup', { ModelPackageGroupName: 'forecast-models' }),
        call('DescribeModel', { ModelName: 'm' }, ['packages/retrain/src/brand-new-module.ts']),
      ]),
    });
    const keys = [...verdict(report, []).untracked.keys()].filter((k) => k.startsWith('recorded '));
    expect(keys).toContainEqual(
      expect.stringMatching(/^recorded RetrainHandlerRole sagemaker:DeleteModelPackageGroup .*lambda\.ts/),
    );
    // Unclassified runtime code cannot slip through.
    expect(keys).toContainEqual(expect.stringMatching(/brand-new-module\.ts SageMaker\.DescribeModel/));
    expect(keys.some((k) => /StartPipelineExecution/.test(k) && !/upper-case/.test(k))).toBe(false);
    const start = report.results.find(
      (r) => r.kind === 'recorded' && r.request?.action === 'sagemaker:StartPipelineExecution',
    );
    // Bound to the product's pipeline (the test called it model-build).
    expect(start?.request?.resource).toMatch(/:pipeline\/sagemaker-p-abcdefgh1234-model-build$/);
    expect(report.recorded?.summary.shapes).toBe(3);
  });

  test("per template: seeded code is evaluated for its own template's product only, the tabular generator as the tabular product's role on its bucket", async () => {
    const seedCall = (template: string): RecordedCall => ({
      ...call('DescribeEndpoint', { EndpointName: 'sagemaker-p-abcdefghijkl-staging' }, [
        `seed-code/${template}/monitoring/src/build/resolve-environment.ts`,
      ]),
      testFile: `seed-code/${template}/monitoring/test/build-steps.test.ts`,
    });
    const generatorCall: RecordedCall = {
      ...call('PutObject', {}, ['packages/project-handlers/src/synthetic/tabular-run.ts']),
      service: 'S3',
      input: { Bucket: 'test-bucket', Key: 'data/dt=2027-01-01/part-20270101T000000Z-20270101T005900Z.csv' },
      testFile: 'packages/project-handlers/test/tabular-synthetic-data.test.ts',
      env: { PROJECT_BUCKET: 'test-bucket' },
    };
    const evaluated = async (calls: RecordedCall[]) =>
      (await rehearse(emitted, { ...DEFAULTS_ONLY, recording: recordingOf(calls) })).results
        .filter((r) => r.kind === 'recorded' && r.request !== undefined)
        .map((r) => `${r.principal.replace(/\[.*$/, '')} ${r.request?.action} ${r.request?.resource}`);
    const tabular = await evaluated([seedCall('tabular-xgboost'), generatorCall]);
    expect(tabular).toContainEqual(expect.stringMatching(/^tabular-xgboost sagemaker:DescribeEndpoint /));
    expect(tabular).toContainEqual(
      expect.stringMatching(
        /^tabular-xgboost s3:PutObject arn:aws:s3:::sagemaker-p-abcdefgh1234-\d{12}\/data\/synthetic\/dt=2027-01-01\//,
      ),
    );
    expect(tabular.filter((k) => !k.startsWith('tabular-xgboost '))).toEqual([]);
    // Negative control: the same call from the DeepAR seed is evaluated for the DeepAR product only.
    const deepAr = await evaluated([seedCall('deepar-forecasting')]);
    expect(deepAr.length).toBeGreaterThan(0);
    expect(deepAr.filter((k) => !k.startsWith('deepar-forecasting '))).toEqual([]);
  });

  test('without a usable recording the rehearsal fails, naming the command that makes it', () => {
    expect(recordingProblems(undefined)).toEqual([expect.stringMatching(/run npx jest/)]);
    const stale = { ...recordingOf([]), digest: 'old', testFiles: [] };
    expect(recordingProblems(stale).join('\n')).toMatch(/stale[\s\S]*partial/);
  });

  test('commands map to IAM actions and ARNs the way AWS authorises them', async () => {
    const ctx = { partition: 'aws', region: 'eu-west-1', account: '111122223333' };
    const map = async (service: string, op: string, input: RecordedJson) => {
      const m = await requestsOf(service, op, input, ctx);
      return m.ok ? m.requests.map((r) => `${r.action} ${r.resource}`) : [m.problem];
    };
    expect(await map('S3', 'ListObjectsV2', { Bucket: 'b', Prefix: 'p/' })).toEqual([
      's3:ListBucket arn:aws:s3:::b',
    ]);
    // The request's Prefix is the s3:prefix condition key; without one the key is absent.
    const listed = await requestsOf('S3', 'ListObjectsV2', { Bucket: 'b', Prefix: 'p/' }, ctx);
    expect(listed.ok && listed.requests.map((r) => r.context)).toEqual([{ 's3:prefix': 'p/' }]);
    const unprefixed = await requestsOf('S3', 'ListObjectsV2', { Bucket: 'b' }, ctx);
    expect(unprefixed.ok && unprefixed.requests.map((r) => r.context)).toEqual([undefined]);
    expect(await map('S3', 'HeadObject', { Bucket: 'b', Key: 'k' })).toEqual([
      's3:GetObject arn:aws:s3:::b/k',
    ]);
    expect(
      await map('S3', 'DeleteObjects', { Bucket: 'b', Delete: { Objects: [{ Key: 'k', VersionId: '1' }] } }),
    ).toEqual(['s3:DeleteObjectVersion arn:aws:s3:::b/k']);
    expect(await map('SageMaker', 'DeletePipeline', { PipelineName: 'Demand-X' })).toEqual([
      'sagemaker:DeletePipeline arn:aws:sagemaker:eu-west-1:111122223333:pipeline/demand-x',
    ]);
    expect(await map('CloudFormation', 'ListStacks', {})).toEqual(['cloudformation:ListStacks *']);
    expect(await map('SSM', 'GetParameter', { Name: '/a/b' })).toEqual([
      'ssm:GetParameter arn:aws:ssm:eu-west-1:111122223333:parameter/a/b',
    ]);
  });
});
