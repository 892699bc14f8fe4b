// Which principal the product gives each piece of runtime code, and how the names a test uses are
// bound to the product's. A recorded call is attributed by its outermost runtime frame (the entry point
// that runs it): the first rule below matching it, searched from the outermost frame inwards. Code that
// runs under no principal of the product is listed in NOT_REHEARSED with the reason; runtime code that
// matches neither table fails the rehearsal, so new code cannot go unclassified. Attribution is per
// template: seeded code (seed-code/<template>/...) runs only in that template's product, so its calls
// are evaluated for that product alone; package code for every product that has its principal, unless
// its rule names the products that run it (`products`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUCKET_PREFIXES } from '@mlops-templates/project-contract';
import { REPO_ROOT } from './recording';
import {
  TABULAR_SYNTHETIC_ENV,
  TABULAR_TRAFFIC_ENV,
} from '../../../packages/project-handlers/test/support/tabular-synthetic-fixtures';
import { VALID_PROPERTIES as TEARDOWN_FIXTURE } from '../../../packages/project-handlers/test/support/teardown-fixtures';
import type { Json, ResolvedResource, ResolvedTemplate } from '../resolve';

/** Product value of a field, given the test's value; undefined when the field is not a bound name. */
export type FieldBinding = (testValue: string) => string | undefined;

/** How the test's names are bound to one product. */
export interface Binding {
  /** By input field (`Field` or `Service.Field`): the product's value for what the test named. */
  readonly fields: Readonly<Record<string, FieldBinding>>;
  /** Test value → product value pairs known up front (a fixture paired with the product's resource). */
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  /** The environment the product gives the code (values of recorded env vars are bound by name). */
  readonly env: Readonly<Record<string, string>>;
  /** Request context every call of this code carries, each key with the reason it holds. */
  readonly context?: Readonly<Record<string, { readonly value: string; readonly reason: string }>>;
  /**
   * Operations (`Service.Operation`) this code makes only under properties this product does not
   * have (e.g. repository deletion without DataRetention=Delete), each with the reason: not evaluated
   * here, and not a failure (another parameter set evaluates them).
   */
  readonly notInThisProduct?: Readonly<Record<string, string>>;
}

/** Runtime code that runs as a principal of the product. */
export interface RuntimePrincipal {
  /** Matched against repository-relative runtime module paths. */
  readonly modules: RegExp;
  /** Logical-id prefix of the role in the product template. */
  readonly principal: string;
  /** What runs the code, for the report. */
  readonly runs: string;
  /**
   * The products (template names) whose principal runs this code. Default: the template of the seed
   * folder for seeded code (seed-code/<template>/), every product for package code.
   */
  readonly products?: readonly string[];
  /** How the test's names bind to `product`, the resolved product of template `template`. */
  readonly binding: (product: ResolvedTemplate, template: string) => Binding;
}

/** The template a seeded repository's module belongs to (seed-code/<template>/...), else undefined. */
export const seedTemplateOf = (module: string): string | undefined =>
  /^seed-code\/([^/]+)\//.exec(module)?.[1];

/**
 * Whether a call attributed to `rule` by `module` is evaluated for the product of template `template`:
 * the rule's products, else the module's seed template, else every product.
 */
export function runsIn(rule: RuntimePrincipal, module: string, template: string): boolean {
  const products = rule.products ?? [seedTemplateOf(module)].filter((t): t is string => t !== undefined);
  return products.length === 0 || products.includes(template);
}

/** Runtime code that runs as no principal of the product. */
export interface NotRehearsed {
  readonly modules: RegExp;
  readonly reason: string;
}

const byPrefix = (t: ResolvedTemplate, prefix: string, type: string): ResolvedResource | undefined =>
  Object.values(t.resources).find(
    (r) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(r.logicalId) && r.type === type,
  );

/** Resolved environment of a Lambda function. */
export const functionEnv = (t: ResolvedTemplate, prefix: string): Record<string, string> =>
  (
    byPrefix(t, prefix, 'AWS::Lambda::Function')?.properties.Environment as {
      Variables?: Record<string, string>;
    }
  )?.Variables ?? {};

/** Resolved environment variables of a CodeBuild project. */
export const projectEnv = (t: ResolvedTemplate, prefix: string): Record<string, string> =>
  Object.fromEntries(
    (
      ((
        byPrefix(t, prefix, 'AWS::CodeBuild::Project')?.properties.Environment as {
          EnvironmentVariables?: Json;
        }
      )?.EnvironmentVariables ?? []) as Array<{ Name: string; Value: string }>
    ).map((v) => [v.Name, String(v.Value)]),
  );

const customProps = (t: ResolvedTemplate, type: string): Record<string, Json> =>
  Object.values(t.resources).find((r) => r.type === type)?.properties ?? {};

const first = (v: Json | undefined): string | undefined =>
  Array.isArray(v)
    ? v[0] === undefined
      ? undefined
      : String(v[0])
    : v === undefined
      ? undefined
      : String(v);

/** Test value → product value pairs of a fixture and the product's resource properties, by key. */
export function pairsOf(
  fixture: Record<string, unknown>,
  props: Record<string, Json>,
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(fixture)) {
    const p = props[k];
    if (typeof v === 'string' && (typeof p === 'string' || typeof p === 'number')) out.push([v, String(p)]);
    if (Array.isArray(v) && Array.isArray(p)) {
      v.forEach((x, i) => {
        if (typeof x === 'string' && p[Math.min(i, p.length - 1)] !== undefined) {
          out.push([x, String(p[Math.min(i, p.length - 1)])]);
        }
      });
    }
  }
  return out;
}

/** `value` with its `from` prefix replaced by `to` (undefined when it does not start with it). */
const rebase = (value: string, from: string, to: Json | undefined): string | undefined =>
  typeof to === 'string' && value.startsWith(from) ? to + value.slice(from.length) : undefined;

const s3Uri = (uri: string | undefined) => /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri ?? '') ?? undefined;
const always =
  (v: string | undefined): FieldBinding =>
  () =>
    v;

/** The principal the product gives each piece of runtime code. */
export const RUNTIME_PRINCIPALS: readonly RuntimePrincipal[] = [
  {
    // The retrain Lambda (handler.ts → lambda.ts → orchestration.ts and the decision core's modules);
    // tests that drive the core directly run the Lambda's decision code, so the core is attributed to
    // the Lambda's role too.
    modules:
      /^packages\/retrain\/src\/(handler|lambda|orchestration|alarms|pipeline-history|actions|gate-threshold|clients)\.ts$/,
    principal: 'RetrainHandlerRole',
    runs: 'Lambda RetrainHandlerFunction',
    binding: (t) => {
      const env = functionEnv(t, 'RetrainHandlerFunction');
      return {
        env,
        pairs: [],
        fields: {
          PipelineName: always(env.MODEL_BUILD_PIPELINE_NAME),
          ModelPackageGroupName: always(env.MODEL_PACKAGE_GROUP_NAME),
          TopicArn: always(env.NOTIFICATION_TOPIC_ARN),
          'SSM.Name': always(env.GATE_THRESHOLD_PARAMETER_NAME),
          AlarmNamePrefix: always(env.ALARM_NAME_PREFIX),
          // The alarm that triggered the Lambda: one of the project's, all named with the prefix.
          AlarmNames: (v) => (env.ALARM_NAME_PREFIX ? `${env.ALARM_NAME_PREFIX}${v}` : undefined),
        },
      };
    },
  },
  {
    modules:
      /^packages\/project-handlers\/src\/(teardown-resource|teardown)\.ts$|^packages\/project-handlers\/src\/teardown\//,
    principal: 'TeardownHandlerRole',
    runs: 'Lambda TeardownHandlerFunction (custom resource Custom::SageMakerProjectTeardown)',
    binding: (t) => {
      const p = customProps(t, 'Custom::SageMakerProjectTeardown');
      return {
        env: {},
        // The properties the tests send (teardown-fixtures.ts) are the resource's properties.
        pairs: pairsOf(TEARDOWN_FIXTURE, p),
        fields: {
          PipelineName: always(first(p.SageMakerPipelineNames)),
          ModelPackageGroupName: always(first(p.ModelPackageGroupName)),
          Bucket: always(first(p.DataBuckets)),
          NameContains: always(first(p.ResourceNameFilter)),
          NamePrefix: always(first(p.ScheduleNamePrefix)),
          // The step functions and their log groups: the fixture's prefix becomes the product's.
          FunctionName: (v) => rebase(v, TEARDOWN_FIXTURE.StepFunctionPrefix, p.StepFunctionPrefix),
          logGroupName: (v) =>
            rebase(
              v,
              `/aws/lambda/${TEARDOWN_FIXTURE.StepFunctionPrefix}`,
              `/aws/lambda/${String(p.StepFunctionPrefix)}`,
            ),
        },
        notInThisProduct: {
          ...(p.DataRetention === 'Delete' &&
          Array.isArray(p.CodeCommitRepositories) &&
          p.CodeCommitRepositories.length > 0
            ? {}
            : {
                'CodeCommit.DeleteRepository':
                  'the teardown deletes CodeCommit repositories only with DataRetention=Delete and RepositoryProvider=CodeCommit (the grant exists only then)',
              }),
          // teardown/run.ts deletes the pipeline's step functions and their log groups only with a
          // StepFunctionPrefix (a template whose pipeline has Lambda steps).
          ...(p.StepFunctionPrefix === undefined
            ? Object.fromEntries(
                ['Lambda.ListFunctions', 'Lambda.DeleteFunction', 'CloudWatch Logs.DeleteLogGroup'].map(
                  (op) => [
                    op,
                    "the teardown deletes step functions only with a StepFunctionPrefix: this product's pipeline has no Lambda step",
                  ],
                ),
              )
            : {}),
        },
        context: {
          'aws:ResourceTag/sagemaker:project-id': {
            value: String(p.ProjectId ?? ''),
            reason:
              'the teardown deletes SageMaker models and endpoint configs only after ListTags shows the project tag (teardown/plan.ts taggedProjectResources)',
          },
        },
      };
    },
  },
  {
    modules: /^packages\/project-handlers\/src\/(seed-repositories-resource\.ts|seeding\/resource\.ts)$/,
    principal: 'RepositorySeedingHandlerRole',
    runs: 'Lambda RepositorySeedingHandlerFunction (custom resource Custom::SageMakerProjectRepositorySeeding)',
    binding: (t) => {
      const p = customProps(t, 'Custom::SageMakerProjectRepositorySeeding');
      return {
        env: {},
        pairs: [],
        fields: {
          projectName: always(first(p.ProjectName)),
          'CodeBuild.ids': (v) =>
            p.ProjectName ? `${String(p.ProjectName)}:${v.split(':')[1] ?? v}` : undefined,
          'CodeBuild.id': (v) =>
            p.ProjectName ? `${String(p.ProjectName)}:${v.split(':')[1] ?? v}` : undefined,
          Bucket: always(first(p.ReportBucket)),
          Key: always(first(p.ReportKey)),
        },
      };
    },
  },
  {
    modules: /^packages\/project-handlers\/src\/(seed-repositories\.ts|seeding\/)/,
    principal: 'RepositorySeedingRole',
    runs: 'CodeBuild RepositorySeedingProject (the bundled seed-repositories script)',
    binding: (t) => {
      const env = projectEnv(t, 'RepositorySeedingProject');
      const report = s3Uri(env.SEED_REPORT_S3_URI);
      return { env, pairs: [], fields: { Bucket: always(report?.[1]), Key: always(report?.[2]) } };
    },
  },
  {
    modules: /^packages\/project-handlers\/src\/(start-deploy-pipeline\.ts|deploy-trigger\/)/,
    principal: 'StartDeployFunctionRole',
    runs: 'Lambda StartDeployFunction',
    binding: (t) => {
      const env = functionEnv(t, 'StartDeployFunction');
      return { env, pairs: [], fields: { 'CodePipeline.name': always(env.PIPELINE_NAME) } };
    },
  },
  {
    // The tabular template's traffic sender (tabular-synthetic-traffic.ts → synthetic/tabular-traffic-*):
    // listed before the generator's rule, whose `synthetic/tabular-` folder prefix it shares.
    modules: /^packages\/project-handlers\/src\/(tabular-synthetic-traffic\.ts|synthetic\/tabular-traffic)/,
    principal: 'SyntheticTrafficSenderRole',
    runs: 'Lambda SyntheticTrafficSenderFunction (tabular traffic sender)',
    products: ['tabular-xgboost'],
    binding: (t) => {
      const env = functionEnv(t, 'SyntheticTrafficSenderFunction');
      // The test's names (test/support/tabular-synthetic-fixtures.ts TABULAR_TRAFFIC_ENV): its bucket,
      // prefixes, its stage resources `<test stage prefix>-<stage>…` and its model packages `g/<n>`.
      const T = TABULAR_TRAFFIC_ENV;
      const testStagePrefix = T.STAGING_ENDPOINT_NAME.replace(/-staging$/, '');
      const stagePrefix = (env.STAGING_ENDPOINT_NAME ?? '').replace(/-staging$/, '');
      const stageName: FieldBinding = (v) => rebase(v, testStagePrefix, stagePrefix);
      const group = String(
        Object.values(t.resources).find((r) => r.type === 'AWS::SageMaker::ModelPackageGroup')?.properties
          .ModelPackageGroupName ?? '',
      );
      const key: FieldBinding = (k) =>
        k.startsWith(BUCKET_PREFIXES.training)
          ? k
          : (rebase(k, T.LABELS_PREFIX, env.LABELS_PREFIX) ?? rebase(k, T.DATA_PREFIX, env.DATA_PREFIX));
      return {
        env,
        pairs: [],
        fields: {
          Bucket: always(env.PROJECT_BUCKET),
          Key: key,
          Prefix: key,
          EndpointName: stageName,
          EndpointConfigName: stageName,
          ModelName: stageName,
          ModelPackageName: (v) => v.replace(/:model-package\/[^/]+\//, `:model-package/${group}/`),
        },
      };
    },
  },
  {
    // The tabular template's generator (tabular-synthetic-data.ts → synthetic/tabular-run.ts, which
    // writes through synthetic/run.ts's state helpers): listed before DeepAR's, whose folder it shares.
    modules: /^packages\/project-handlers\/src\/(tabular-synthetic-data\.ts|synthetic\/tabular-)/,
    principal: 'SyntheticDataGeneratorRole',
    runs: 'Lambda SyntheticDataGeneratorFunction (tabular generator)',
    products: ['tabular-xgboost'],
    binding: (t) => {
      const env = functionEnv(t, 'SyntheticDataGeneratorFunction');
      // The tests hand the generator its environment (tabular-synthetic-fixtures.ts), not through
      // process.env: a key or prefix under the test's labels or data prefix is under the product's.
      const key: FieldBinding = (k) =>
        rebase(k, TABULAR_SYNTHETIC_ENV.SYNTHETIC_LABELS_PREFIX, env.SYNTHETIC_LABELS_PREFIX) ??
        rebase(k, TABULAR_SYNTHETIC_ENV.DATA_PREFIX, env.DATA_PREFIX);
      return {
        env,
        pairs: [[TABULAR_SYNTHETIC_ENV.PROJECT_BUCKET, env.PROJECT_BUCKET]],
        fields: { Bucket: always(env.PROJECT_BUCKET), Key: key, Prefix: key },
      };
    },
  },
  {
    modules: /^packages\/project-handlers\/src\/(synthetic-data\.ts|synthetic\/)/,
    principal: 'SyntheticDataGeneratorRole',
    runs: 'Lambda SyntheticDataGeneratorFunction (DeepAR generator)',
    products: ['deepar-forecasting'],
    binding: (t) => {
      const env = functionEnv(t, 'SyntheticDataGeneratorFunction');
      return { env, pairs: [], fields: { Bucket: always(env.DATA_BUCKET) } };
    },
  },
  // ---------------------------------------------------------------- seeded repositories (seed-code/)
  {
    // The model-build pipeline's Lambda steps (created by the pipeline:upsert CLI with this role).
    modules: /^seed-code\/[^/]+\/model-build\/src\/steps\//,
    principal: 'PipelineStepsRole',
    runs: 'the model-build pipeline Lambda steps',
    binding: (t, template) => codeBuildBinding(t, template, 'ModelBuildBuildProject'),
  },
  {
    // The monitoring collector Lambda: the seeded monitoring stack gives it the product's steps role
    // (monitoring/src/infra/monitoring-stack.ts, iam.Role.fromRoleArn PIPELINE_STEPS_ROLE_ARN), and its
    // environment from the monitoring build's variables.
    modules: /^seed-code\/[^/]+\/monitoring\/src\/collector\//,
    principal: 'PipelineStepsRole',
    runs: 'the monitoring collector Lambda (seeded monitoring stack)',
    binding: (t, template) => codeBuildBinding(t, template, 'MonitoringBuildProject'),
  },
  {
    modules: /^seed-code\/[^/]+\/model-build\/(src|bin)\//,
    principal: 'CodeBuildRole',
    runs: 'CodeBuild ModelBuildBuildProject (buildspec CLIs)',
    binding: (t, template) => codeBuildBinding(t, template, 'ModelBuildBuildProject'),
  },
  {
    modules: /^seed-code\/[^/]+\/model-deploy\/(src|bin)\//,
    principal: 'CodeBuildRole',
    runs: 'CodeBuild ModelDeploy build / test / post-deploy projects (buildspec CLIs)',
    binding: (t, template) => codeBuildBinding(t, template, 'ModelDeployBuildProject'),
  },
  {
    modules: /^seed-code\/[^/]+\/monitoring\/(src|bin)\//,
    principal: 'CodeBuildRole',
    runs: 'CodeBuild MonitoringBuildProject (buildspec CLIs)',
    binding: (t, template) => codeBuildBinding(t, template, 'MonitoringBuildProject'),
  },
];

/** The seeded repository (seed-code/<template>/<repository>) whose code a CodeBuild project runs. */
const REPOSITORY_OF_PROJECT: Readonly<Record<string, string>> = {
  ModelBuildBuildProject: 'model-build',
  ModelDeployBuildProject: 'model-deploy',
  MonitoringBuildProject: 'monitoring',
};

/**
 * Example value → product value pairs from a seed's committed example environment
 * (config/example-environment.json, which its tests use): the project's name, id and every shared
 * variable, so names the seed derives from them (e.g. `sagemaker-<id>-step-<purpose>`) bind too.
 */
function seedExamplePairs(
  template: string,
  project: string,
  env: Record<string, string>,
): Array<[string, string]> {
  const repository = REPOSITORY_OF_PROJECT[project];
  if (repository === undefined) return [];
  const file = path.join(REPO_ROOT, 'seed-code', template, repository, 'config', 'example-environment.json');
  if (!fs.existsSync(file)) return [];
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Json>;
  const flat = (doc.environment ?? doc) as Record<string, Json>;
  const nested = (doc.project ?? {}) as Record<string, Json>;
  const example: Record<string, Json | undefined> = {
    ...flat,
    SAGEMAKER_PROJECT_NAME: flat.SAGEMAKER_PROJECT_NAME ?? nested.projectName,
    SAGEMAKER_PROJECT_ID: flat.SAGEMAKER_PROJECT_ID ?? nested.projectId,
  };
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(example)) {
    if (typeof v === 'string' && !v.includes('${') && env[k] !== undefined && v !== env[k]) {
      pairs.push([v, env[k]]);
    }
  }
  return pairs;
}

/** A seeded repository's code binds by the CodeBuild project's environment (its CLIs read it). */
function codeBuildBinding(t: ResolvedTemplate, template: string, project: string): Binding {
  const env = projectEnv(t, project);
  const shortPrefix = `sagemaker-${env.SAGEMAKER_PROJECT_ID}`;
  return {
    env,
    pairs: seedExamplePairs(template, project, env),
    fields: {
      PipelineName: always(env.MODEL_BUILD_PIPELINE_NAME),
      ModelPackageGroupName: always(env.MODEL_PACKAGE_GROUP_NAME),
      Bucket: always(env.PROJECT_BUCKET),
      TopicArn: always(env.NOTIFICATION_TOPIC_ARN),
      Namespace: always(env.METRIC_NAMESPACE),
      // An endpoint the code names is one of the project's two (by the stage its name ends with).
      EndpointName: (s) => (/prod$/.test(s) ? env.PROD_ENDPOINT_NAME : env.STAGING_ENDPOINT_NAME),
      // Models and endpoint configs are the deploy stacks' (model-deploy src/deploy-stack.ts names
      // every one `sagemaker-<id>-…`): a test's name stands for one of them.
      ModelName: (s) => (s.startsWith(shortPrefix) ? s : `${shortPrefix}-${s}`),
      EndpointConfigName: (s) => (s.startsWith(shortPrefix) ? s : `${shortPrefix}-${s}`),
      // The project's SSM parameters, by their role (the names the product hands out).
      'SSM.Name': (s) =>
        /\/config$/.test(s)
          ? env.CONFIG_PARAMETER_NAME
          : /\/gate-threshold$/.test(s)
            ? env.GATE_THRESHOLD_PARAMETER_NAME
            : /\/prod\/alarm-threshold$/.test(s)
              ? env.PROD_ALARM_THRESHOLD_PARAMETER_NAME
              : /\/staging\/alarm-threshold$/.test(s)
                ? env.STAGING_ALARM_THRESHOLD_PARAMETER_NAME
                : undefined,
      // The feature group the project was created with (DataSourceLocation with DataSourceType
      // feature-group); the Feature Store's own catalog database.
      // Names that are not the test's choice but AWS's or the code's fixed ones: the Athena workgroup
      // (`primary` unless configured, monitoring src/collector/settings.ts) and the Feature Store's
      // offline-store catalog (database and table read from DescribeFeatureGroup). Bound as they are,
      // so another name would be evaluated, and denied.
      WorkGroup: (s) => s,
      'Glue.DatabaseName': (s) => s,
      'Glue.Name': (s) => s,
      FeatureGroupName: (s) =>
        t.parameters.DataSourceType === 'feature-group' ? t.parameters.DataSourceLocation : s,
    },
    // The data source code describes the feature group only with DataSourceType=feature-group.
    notInThisProduct:
      t.parameters.DataSourceType === 'feature-group'
        ? {}
        : {
            'SageMaker.DescribeFeatureGroup':
              'a Feature Group is described only with DataSourceType=feature-group (the grant exists only then)',
          },
  };
}

/** Runtime code the product gives no principal, with the reason its calls are not evaluated here. */
export const NOT_REHEARSED: readonly NotRehearsed[] = [
  {
    modules: /^packages\/(model-deploy\/src|pipeline-definition\/src\/commands)\//,
    reason:
      "vendored into the seeded repositories and run only by their buildspec CLIs: those calls are rehearsed as the product's CodeBuildRole (the seed's CLI is the outermost frame); these are the packages' own unit tests calling it directly with their fixtures",
  },
  {
    modules: /^packages\/retrain\/src\/cli\.ts$/,
    reason:
      'mlops-retrain CLI: run by an operator with their own credentials; the product defines no principal for it',
  },
];

/** Where a call's frames (innermost first) lead: a product principal, a listed exclusion, or nothing. */
export function attribute(
  frames: readonly string[],
):
  | { readonly kind: 'principal'; readonly rule: RuntimePrincipal; readonly module: string }
  | { readonly kind: 'not-rehearsed'; readonly rule: NotRehearsed; readonly module: string }
  | { readonly kind: 'test-code' }
  | { readonly kind: 'unclassified'; readonly module: string } {
  if (frames.length === 0) return { kind: 'test-code' };
  for (const module of [...frames].reverse()) {
    const excluded = NOT_REHEARSED.find((r) => r.modules.test(module));
    if (excluded) return { kind: 'not-rehearsed', rule: excluded, module };
    const rule = RUNTIME_PRINCIPALS.find((r) => r.modules.test(module));
    if (rule) return { kind: 'principal', rule, module };
  }
  return { kind: 'unclassified', module: frames[frames.length - 1] };
}
