// The deployment rehearsal: synthesizes the portfolio, resolves every emitted template for a matrix
// of parameter sets, and evaluates every principal with a real IAM policy engine against the calls
// CloudFormation and the project's code make, the service-side requirements AWS documents, and the
// escalations that must stay denied. `npx projen rehearse` prints the report; any denial fails.
import * as fs from 'node:fs';
import { handlerCalls, type HandlerCall } from './cloudformation-calls';
import { deadGrants } from './dead-grants';
import { decide, type AwsRequest, type Decision } from './engine';
import { exemptionFor, HANDLER_EXEMPTIONS } from './exemptions';
import { namedChecks, type NamedCheck } from './named-checks';
import { rolesOf, resourcePolicies, type RolePrincipal } from './principals';
import { resolveTemplate, type Json, type ResolvedTemplate } from './resolve';
import { rehearseS3TemplatesPath } from './s3-templates-path';
// ---- recorded SDK calls (issue #13, 2a): test/rehearsal/sdk-calls/
import { evaluateRecording, recordingSummary, type NotEvaluated } from './sdk-calls/evaluate';
import { loadRecording, recordingProblems, type Recording } from './sdk-calls/recording';
import { deepArSeededStacks, tabularSeededStacks, type SeededStack } from './seeded-stacks';
// ---- end recorded SDK calls
import { committedConfig } from '../support/synth';

/**
 * Deployment coordinates used for every resolution: the account and region of the committed config
 * (portfolio/portfolio.config.json), which the launch policy names literally.
 */
export const { account: REHEARSAL_ACCOUNT, region: REHEARSAL_REGION } = committedConfig().environment;

/** A parameter set of the product template. */
export interface ParameterSet {
  readonly label: string;
  readonly parameters: Record<string, string>;
}

/** Parameter sets common to every product (CodeConnection, e-mail and deletion, names). */
function commonSets(name: string, id: string): ParameterSet[] {
  const project = { SageMakerProjectName: name, SageMakerProjectId: id };
  return [
    { label: 'defaults', parameters: project },
    {
      label: 'codeconnection',
      parameters: {
        ...project,
        RepositoryProvider: 'CodeConnection',
        CodeConnectionArn: `arn:aws:codeconnections:${REHEARSAL_REGION}:${REHEARSAL_ACCOUNT}:connection/0a1b2c3d-0000-1111-2222-333344445555`,
        ModelBuildRepositoryId: 'org/model-build',
        ModelDeployRepositoryId: 'org/model-deploy',
        MonitoringRepositoryId: 'org/monitoring',
      },
    },
    {
      label: 'email-and-delete',
      parameters: { ...project, NotificationEmail: 'oncall@example.com', DataRetention: 'Delete' },
    },
  ];
}

/** The data-source parameter sets of a product: an S3 location and a Feature Group. */
function sourceSets(name: string, id: string, s3: string, featureGroup: string): ParameterSet[] {
  const project = { SageMakerProjectName: name, SageMakerProjectId: id };
  return [
    // A bucket outside the sagemaker- prefix: the data location is the data scientist's choice.
    { label: 's3-source', parameters: { ...project, DataSourceType: 's3', DataSourceLocation: s3 } },
    {
      label: 'feature-group',
      parameters: { ...project, DataSourceType: 'feature-group', DataSourceLocation: featureGroup },
    },
  ];
}

// SageMaker project names: up to 32 characters, letters, digits and hyphens (CreateProject API).
function nameSets(upperCase: string): ParameterSet[] {
  return [
    {
      label: 'upper-case-name',
      parameters: { SageMakerProjectName: upperCase, SageMakerProjectId: 'p-abcdefgh1234' },
    },
    {
      label: 'max-length-name',
      parameters: { SageMakerProjectName: 'a'.repeat(31) + 'z', SageMakerProjectId: 'p-zzzzzzzzzzzz' },
    },
  ];
}

/**
 * Per product: its parameter matrix (defaults, CodeConnection, s3, feature-group, e-mail and deletion,
 * names, and the product's own choices). A product without one fails the rehearsal.
 */
export const PARAMETER_MATRIX: Readonly<Record<string, readonly ParameterSet[]>> = {
  'deepar-forecasting': [
    ...commonSets('demand-forecast', 'p-abcdefgh1234').slice(0, 2),
    ...sourceSets('demand-forecast', 'p-abcdefgh1234', 's3://acme-demand-data/sales/', 'sales-daily'),
    ...commonSets('demand-forecast', 'p-abcdefgh1234').slice(2),
    ...nameSets('DemandForecast'),
  ],
  'tabular-xgboost': [
    ...commonSets('customer-churn', 'p-abcdefgh1234').slice(0, 2),
    ...sourceSets('customer-churn', 'p-abcdefgh1234', 's3://acme-tabular-data/churn/', 'churn-features'),
    ...commonSets('customer-churn', 'p-abcdefgh1234').slice(2),
    ...nameSets('CustomerChurn'),
    {
      label: 'binary',
      parameters: {
        SageMakerProjectName: 'customer-churn',
        SageMakerProjectId: 'p-abcdefgh1234',
        ProblemType: 'binary',
        GateMetric: 'auc',
      },
    },
    {
      label: 'covariate-drift',
      parameters: {
        SageMakerProjectName: 'customer-churn',
        SageMakerProjectId: 'p-abcdefgh1234',
        SyntheticDrift: 'covariate',
        SyntheticDriftAt: '2027-01-10T00:00:00Z',
      },
    },
  ],
};

/** The first (defaults) parameter set of every product: what negative controls resolve with. */
export const DEFAULTS_ONLY: Readonly<Record<string, readonly ParameterSet[]>> = Object.fromEntries(
  Object.entries(PARAMETER_MATRIX).map(([product, sets]) => [product, sets.slice(0, 1)]),
);

/** Per product: the stacks its seeded repositories' pipelines deploy (resolved product → stacks). */
export const SEEDED_STACKS: Readonly<Record<string, (product: ResolvedTemplate) => Promise<SeededStack[]>>> =
  {
    'deepar-forecasting': deepArSeededStacks,
    'tabular-xgboost': tabularSeededStacks,
  };

/** One evaluated request. */
export interface Evaluated {
  readonly principal: string;
  readonly kind: 'cloudformation' | 'named' | 'escalation' | 'dead-grant' | 'resolution' | 'recorded';
  readonly label: string;
  readonly request?: AwsRequest;
  readonly expected: 'Allowed' | 'Denied';
  readonly decision: Decision;
  readonly ok: boolean;
  readonly exemption?: string;
}

/** The rehearsal's findings. */
export interface RehearsalReport {
  readonly principals: string[];
  readonly results: Evaluated[];
  readonly failures: Evaluated[];
  readonly exemptionsUsed: string[];
  readonly staleExemptions: string[];
  readonly handlerPermissionsChecked: number;
  /** The seeded repositories' stacks resolved and evaluated (stage replaced by `<stage>`). */
  readonly seededStacks: string[];
  /** The recorded SDK calls' part of the rehearsal (absent when skipped). */
  readonly recorded?: RecordedSection;
}

// ---- recorded SDK calls (issue #13, 2a)
/** What the rehearsal did with the recording of the runtime code's SDK calls. */
export interface RecordedSection {
  readonly summary: ReturnType<typeof recordingSummary>;
  /** Role ids (parameter set removed) the recorded calls were evaluated as. */
  readonly principals: string[];
  /** Distinct (principal, action, resource) requests evaluated, over every parameter set. */
  readonly requests: number;
  /** Calls not evaluated against a product principal, with the reason (over every parameter set). */
  readonly notEvaluated: NotEvaluated[];
  /** Why the recording could not be used (each also a failure). */
  readonly problems: string[];
}

/** Options of a rehearsal run. */
export interface RehearseOptions {
  /**
   * The recording of the runtime code's SDK calls. Default: the last jest run's
   * (test/rehearsal/.recorded/recording.json); `'skip'` leaves the recorded calls out. Inside jest the
   * default is `'skip'`: the running suite's recording is only written when the run ends.
   */
  readonly recording?: Recording | 'skip';
  /**
   * Per product, the parameter sets to resolve it with; a product not named is not rehearsed. Default:
   * every product's whole matrix ({@link PARAMETER_MATRIX}). Negative controls that need one set pass
   * it alone ({@link DEFAULTS_ONLY}; each set is a full resolution and evaluation).
   */
  readonly parameterSets?: Readonly<Record<string, readonly ParameterSet[]>>;
}

function defaultRecording(): Recording | 'skip' | undefined {
  return process.env.JEST_WORKER_ID !== undefined ? 'skip' : loadRecording();
}
// ---- end recorded SDK calls

/** Emitted templates of one synthesis. */
export interface EmittedTemplates {
  readonly portfolio: Record<string, Json>;
  readonly products: Record<string, Record<string, Json>>;
}

/** Resolves the portfolio and one product for one parameter set. */
export function resolveAll(
  emitted: EmittedTemplates,
  productName: string,
  set: ParameterSet,
): { portfolio: ResolvedTemplate; product: ResolvedTemplate } {
  const base = { partition: 'aws', region: REHEARSAL_REGION, account: REHEARSAL_ACCOUNT };
  const portfolio = resolveTemplate(emitted.portfolio, {
    ...base,
    stackName: 'SageMakerProjectsPortfolio',
    parameters: {},
  });
  const product = resolveTemplate(emitted.products[productName], {
    ...base,
    stackName: `SC-${REHEARSAL_ACCOUNT}-pp-${set.parameters.SageMakerProjectId ?? 'x'}`,
    parameters: set.parameters,
  });
  return { portfolio, product };
}

const ok = (expected: 'Allowed' | 'Denied', d: Decision) =>
  expected === 'Allowed'
    ? d.result === 'Allowed'
    : d.result === 'ImplicitlyDenied' || d.result === 'ExplicitlyDenied';

/** Runs the whole rehearsal over already synthesized templates. */
export async function rehearse(
  emitted: EmittedTemplates,
  options: RehearseOptions = {},
): Promise<RehearsalReport> {
  const results: Evaluated[] = [];
  const principals = new Set<string>();
  const exemptionsUsed = new Set<string>();
  let handlerPermissionsChecked = 0;
  const seededStacks = new Set<string>();
  // ---- recorded SDK calls (issue #13, 2a)
  const recording = 'recording' in options ? options.recording : defaultRecording();
  const recordedProblems = recording === 'skip' ? [] : recordingProblems(recording);
  const usable = recording !== 'skip' && recording !== undefined ? recording : undefined;
  const recordedPrincipals = new Set<string>();
  const recordedRequests = new Set<string>();
  const notEvaluated = new Map<string, NotEvaluated>();
  const presentPrincipals = new Set<string>();
  const missingPrincipals = new Set<string>();
  for (const problem of recordedProblems) {
    results.push({
      principal: 'recording',
      kind: 'recorded',
      label: problem,
      expected: 'Allowed',
      decision: { result: 'Invalid', detail: problem },
      ok: false,
    });
  }
  // ---- end recorded SDK calls
  for (const productName of Object.keys(emitted.products)) {
    if (!options.parameterSets && !PARAMETER_MATRIX[productName]) {
      results.push({
        principal: productName,
        kind: 'resolution',
        label: `${productName}: no parameter matrix (PARAMETER_MATRIX in test/rehearsal/rehearsal.ts)`,
        expected: 'Allowed',
        decision: { result: 'Invalid', detail: 'no parameter matrix' },
        ok: false,
      });
    }
    for (const set of (options.parameterSets ?? PARAMETER_MATRIX)[productName] ?? []) {
      const { portfolio, product } = resolveAll(emitted, productName, set);
      const where = `${productName}[${set.label}]`;
      for (const u of [...portfolio.unresolved, ...product.unresolved]) {
        results.push({
          principal: where,
          kind: 'resolution',
          label: u,
          expected: 'Allowed',
          decision: { result: 'Invalid', detail: u },
          ok: false,
        });
      }
      const all = [portfolio, product];
      const launch = launchRoleOf(portfolio, all);
      const roles = [launch, ...rolesOf(where, product, all)];
      roles.forEach((r) => principals.add(r.id.replace(/\[[^\]]+\]/, '')));
      const policies = resourcePolicies(product);
      // (b) CloudFormation's own calls, as the launch role.
      const evaluateHandlerCalls = async (
        template: ResolvedTemplate,
        role: RolePrincipal,
        templatePolicies: ReturnType<typeof resourcePolicies>,
        label: string,
      ) => {
        for (const call of await handlerCalls(template)) {
          handlerPermissionsChecked++;
          const decision: Decision = call.unaimed
            ? { result: 'Invalid', detail: call.unaimed }
            : await decide(role, call, REHEARSAL_ACCOUNT, templatePolicies.get(call.resource));
          const exemption =
            decision.result === 'Allowed' ? undefined : exemptionFor(call.resourceType, call.action);
          if (exemption) exemptionsUsed.add(`${exemption.resourceType} ${exemption.action}`);
          results.push({
            principal: role.id,
            kind: 'cloudformation',
            label: `${label} ${call.logicalId} (${call.resourceType}) ${call.handler}`,
            request: call,
            expected: 'Allowed',
            decision,
            ok: decision.result === 'Allowed' || exemption !== undefined,
            exemption: exemption?.reason,
          });
        }
      };
      await evaluateHandlerCalls(product, launch, policies, where);
      // (b) The seeded repositories' stacks, as the deploy role CodePipeline passes to CloudFormation.
      const seeded = (await SEEDED_STACKS[productName]?.(product)) ?? [];
      const deployRole = roles.find((r) => /\/CloudFormationDeployRole[0-9A-F]{8}$/.test(r.id));
      for (const stack of seeded) {
        const resolved = resolveTemplate(stack.template, {
          partition: 'aws',
          region: REHEARSAL_REGION,
          account: REHEARSAL_ACCOUNT,
          stackName: stack.name,
          parameters: stack.parameters,
        });
        seededStacks.add(stack.name.replace(/-(staging|prod)$/, '-<stage>'));
        for (const u of resolved.unresolved) {
          results.push({
            principal: `${where} ${stack.name}`,
            kind: 'resolution',
            label: u,
            expected: 'Allowed',
            decision: { result: 'Invalid', detail: u },
            ok: false,
          });
        }
        if (!deployRole) {
          results.push({
            principal: where,
            kind: 'resolution',
            label: `${stack.name}: no CloudFormationDeployRole in the product to deploy it`,
            expected: 'Allowed',
            decision: { result: 'Invalid', detail: 'no deploy role' },
            ok: false,
          });
          continue;
        }
        const stackPolicies = new Map([...policies, ...resourcePolicies(resolved)]);
        await evaluateHandlerCalls(resolved, deployRole, stackPolicies, `${where} ${stack.name}`);
      }
      // (c, d) Named service-side requirements, loop calls and escalations.
      for (const check of namedChecks({ product, launch, set })) {
        results.push(await evaluateNamed(check, roles, launch, policies));
      }
      // The S3-provisioned templates path (issue #18): Studio's reads, the provisioning role's reads,
      // and — when it is not the launch role — the launch role's handler permissions and escalations.
      const s3Path = await rehearseS3TemplatesPath(portfolio, product, launch, all);
      if (s3Path) {
        const provisioning = s3Path.provisioning;
        principals.add(provisioning.id);
        results.push(...s3Path.results);
        if (provisioning !== launch) {
          await evaluateHandlerCalls(product, provisioning, policies, `${where} s3-path`);
          for (const check of namedChecks({ product, launch: provisioning, set }).filter(
            (c) => c.principal === 'launch',
          )) {
            results.push(await evaluateNamed(check, roles, provisioning, policies));
          }
        }
      }
      // ---- recorded SDK calls (issue #13, 2a): every call the runtime code makes, as its principal.
      if (usable) {
        const recorded = await evaluateRecording(usable, productName, product, roles, policies);
        recorded.present.forEach((x) => presentPrincipals.add(x));
        recorded.missing.forEach((x) => missingPrincipals.add(x));
        for (const r of recorded.results) {
          recordedPrincipals.add(r.principal.replace(/\[[^\]]+\]/, ''));
          recordedRequests.add(`${r.principal}|${r.request.action}|${r.request.resource}`);
          results.push({
            principal: r.principal,
            kind: 'recorded',
            label: `${where} ${r.label}`,
            request: r.request,
            expected: 'Allowed',
            decision: r.decision,
            ok: r.ok,
          });
        }
        for (const n of recorded.notEvaluated) {
          const key = `${n.what}|${n.reason}`;
          if (!notEvaluated.has(key)) notEvaluated.set(key, n);
          if (!n.fails) continue;
          results.push({
            principal: 'recording',
            kind: 'recorded',
            label: `${where} ${n.what}`,
            expected: 'Allowed',
            decision: { result: 'Invalid', detail: n.reason },
            ok: false,
          });
        }
      }
      // ---- end recorded SDK calls
      // (e) Dead grants.
      for (const dead of await deadGrants(roles, REHEARSAL_ACCOUNT, policies)) {
        results.push({
          principal: dead.principal,
          kind: 'dead-grant',
          label: `${where} ${dead.why}`,
          expected: 'Allowed',
          decision: { result: 'Invalid', detail: dead.why },
          ok: false,
        });
      }
    }
  }
  // ---- recorded SDK calls: code whose principal no parameter set creates is never evaluated.
  for (const p of [...missingPrincipals].filter((x) => !presentPrincipals.has(x))) {
    results.push({
      principal: 'recording',
      kind: 'recorded',
      label: `recorded calls of ${p}: no parameter set creates the role`,
      expected: 'Allowed',
      decision: { result: 'Invalid', detail: `no role ${p} in any parameter set` },
      ok: false,
    });
  }
  // ---- end recorded SDK calls
  const staleExemptions = HANDLER_EXEMPTIONS.filter(
    (e) => !exemptionsUsed.has(`${e.resourceType} ${e.action}`),
  ).map((e) => `${e.resourceType} ${e.action}`);
  const failures = results.filter((r) => !r.ok);
  return {
    principals: [...principals],
    results,
    failures,
    exemptionsUsed: [...exemptionsUsed],
    staleExemptions,
    handlerPermissionsChecked,
    seededStacks: [...seededStacks].sort(),
    recorded:
      recording === 'skip'
        ? undefined
        : {
            summary: usable
              ? recordingSummary(usable)
              : { calls: 0, distinct: 0, shapes: 0, runtimeShapes: 0, testFiles: 0 },
            principals: [...recordedPrincipals].sort(),
            requests: recordedRequests.size,
            notEvaluated: [...notEvaluated.values()],
            problems: recordedProblems,
          },
  };
}

async function evaluateNamed(
  check: NamedCheck,
  roles: RolePrincipal[],
  launch: RolePrincipal,
  policies: Map<string, import('./principals').PolicyDocument>,
): Promise<Evaluated> {
  // `service:<principal>`: an AWS service acting on a resource; only the resource policy can allow it.
  const service = /^service:(.+)$/.exec(check.principal)?.[1];
  const principal: RolePrincipal | undefined = service
    ? {
        id: `service:${service}`,
        roleName: service,
        arn: service,
        assumedBy: [],
        identityPolicies: [],
        externalManagedPolicies: [],
      }
    : check.principal === 'launch'
      ? launch
      : roles.find((r) => new RegExp(`/${check.principal}[0-9A-F]{8}$`).test(r.id));
  if (!principal) {
    return {
      principal: check.principal,
      kind: check.kind,
      label: check.label,
      expected: check.expected,
      decision: { result: 'Invalid', detail: `no principal ${check.principal}` },
      ok: false,
    };
  }
  const resourcePolicy = check.resourcePolicyOf ? policies.get(check.resourcePolicyOf) : undefined;
  const decision = await decide(
    principal,
    check.request,
    REHEARSAL_ACCOUNT,
    resourcePolicy ?? policies.get(check.request.resource),
  );
  return {
    principal: principal.id,
    kind: check.kind,
    label: check.label,
    request: check.request,
    expected: check.expected,
    decision,
    ok: ok(check.expected, decision),
  };
}

/** The dedicated launch role of the portfolio. */
export function launchRoleOf(portfolio: ResolvedTemplate, all: ResolvedTemplate[]): RolePrincipal {
  const role = rolesOf('portfolio', portfolio, all).find((r) =>
    r.assumedBy.includes('servicecatalog.amazonaws.com'),
  );
  if (!role) {
    throw new Error('portfolio: no role assumed by servicecatalog.amazonaws.com (dedicated launch role)');
  }
  return role;
}

/** Reads the emitted templates of a synthesized assembly. */
export function readEmitted(portfolioFile: string, productFiles: Record<string, string>): EmittedTemplates {
  const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, Json>;
  return {
    portfolio: read(portfolioFile),
    products: Object.fromEntries(Object.entries(productFiles).map(([k, f]) => [k, read(f)])),
  };
}
