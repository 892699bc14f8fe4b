// The environment contract, checked on the synthesized product: every CodeBuild project and Lambda
// function gets every variable the code it runs requires. The requirements come from where the code
// declares them — the seeded repositories' picks of @mlops-templates/project-contract (per npm script
// their buildspecs run, scripts/seed-environments.ts) and the handlers' own environment schemas — so
// a variable renamed or dropped on either side fails here, not when CodeBuild runs in an account.
// Also: each seed's committed config/example-environment.json is what generation gives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STACK_NAMES_VARIABLE } from '@mlops-templates/constructs';
import { requiredVariables, sourceOf, PROJECT_VARIABLES } from '@mlops-templates/project-contract';
import * as YAML from 'yaml';
import { z } from 'zod';
import { deployTriggerEnvironmentSchema } from '../packages/project-handlers/src/deploy-trigger/decide';
import { seedingEnvironmentSchema } from '../packages/project-handlers/src/seeding/config';
import { syntheticDataEnvironmentSchema } from '../packages/project-handlers/src/synthetic/config';
import { tabularSyntheticEnvironmentSchema } from '../packages/project-handlers/src/synthetic/tabular-config';
import { tabularTrafficEnvironmentSchema } from '../packages/project-handlers/src/synthetic/tabular-traffic-config';
import { retrainEnvironmentSchema } from '../packages/retrain/src/config';
import { generatedExample, staleExamples } from '../scripts/generate-seed-examples';
import {
  exampleEnvironmentFile,
  SEED_ENVIRONMENTS,
  type SeedEnvironment,
  TABULAR_XGBOOST_SEED_ENVIRONMENTS,
} from '../scripts/seed-environments';
import { sharedCommittedSynth } from './support/synth';

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
interface CfnTemplate {
  readonly Resources: Record<string, Resource>;
}

/** Variables CodeBuild sets in every build (AWS CodeBuild User Guide, "Environment variables in build environments"). */
const SET_BY_CODEBUILD = PROJECT_VARIABLES.filter((name) => sourceOf(name) === 'codebuild');

/** The variables a schema requires, as a requirement of `what`. */
interface Requirement {
  readonly what: string;
  readonly variables: readonly string[];
}
const requirementOf = (what: string, schema: z.ZodObject): Requirement => ({
  what,
  variables: requiredVariables(schema),
});

/**
 * The handler each Lambda function of a product runs (by function name suffix, as the product stacks
 * name them) and the schema that handler reads its environment with: the shared handlers, and each
 * template's own synthetic data generator.
 */
const SHARED_LAMBDA_REQUIREMENTS: Record<string, Requirement> = {
  '-start-deploy': requirementOf('project-handlers start-deploy-pipeline', deployTriggerEnvironmentSchema),
  '-retrain': requirementOf('retrain handler', retrainEnvironmentSchema),
  // Custom resource handlers: everything they need comes in the resource properties.
  '-teardown': { what: 'project-handlers teardown-resource (properties only)', variables: [] },
  '-seed-repositories': {
    what: 'project-handlers seed-repositories-resource (properties only)',
    variables: [],
  },
};

/** What each product's code requires: its seeds' declarations and its Lambda functions' handlers. */
interface ProductRequirements {
  readonly seeds: Readonly<Record<string, SeedEnvironment>>;
  readonly lambdas: Readonly<Record<string, Requirement>>;
}
const PRODUCT_REQUIREMENTS: Record<string, ProductRequirements> = {
  'deepar-forecasting': {
    seeds: SEED_ENVIRONMENTS,
    lambdas: {
      ...SHARED_LAMBDA_REQUIREMENTS,
      '-synthetic-data': requirementOf('project-handlers synthetic-data', syntheticDataEnvironmentSchema),
    },
  },
  'tabular-xgboost': {
    seeds: TABULAR_XGBOOST_SEED_ENVIRONMENTS,
    lambdas: {
      ...SHARED_LAMBDA_REQUIREMENTS,
      '-synthetic-data': requirementOf(
        'project-handlers tabular-synthetic-data',
        tabularSyntheticEnvironmentSchema,
      ),
      // SyntheticTraffic (templates/tabular-xgboost/constructs/synthetic-traffic.ts).
      '-synthetic-traffic': requirementOf(
        'project-handlers tabular-synthetic-traffic',
        tabularTrafficEnvironmentSchema,
      ),
    },
  },
};

/** The CodeBuild projects that do not run a seeded repository's buildspec. */
const OTHER_BUILD_REQUIREMENTS: Record<string, Requirement> = {
  '-seed-repositories': requirementOf('project-handlers seed-repositories script', seedingEnvironmentSchema),
  '-recover-stacks': { what: 'StackRecoveryProject script', variables: [STACK_NAMES_VARIABLE] },
};

/** The literal end of a `Fn::Join` name (or the name). */
function nameSuffix(name: unknown): string {
  if (typeof name === 'string') return name;
  const join = (name as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  const last = join?.[1][join[1].length - 1];
  return typeof last === 'string' ? last : '';
}

/**
 * The names of a CodeBuild action's `EnvironmentVariables` (a JSON string, or a `Fn::Join` of one when
 * a value is a token): the literal parts hold every `"name":"…"`.
 */
function actionVariableNames(raw: unknown): string[] {
  if (raw === undefined) return [];
  const join = (raw as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  const text =
    typeof raw === 'string' ? raw : (join?.[1] ?? []).filter((p) => typeof p === 'string').join('');
  return [...text.matchAll(/"name":"([^"]+)"/g)].map((m) => m[1]);
}

/** The npm scripts a buildspec runs (`npm run [--silent] <script>`). */
export function npmScripts(buildspec: string): string[] {
  const doc = YAML.parse(buildspec) as { phases?: Record<string, { commands?: string[] }> };
  const commands = Object.values(doc.phases ?? {}).flatMap((phase) => phase.commands ?? []);
  return commands.flatMap((c) => [...c.matchAll(/npm run (?:--silent )?([\w:-]+)/g)].map((m) => m[1]));
}

/** What a seed's buildspec requires: the union of the schemas of the npm scripts it runs. */
function seedRequirement(repo: string, seed: SeedEnvironment, buildspecFile: string): Requirement {
  const scripts = npmScripts(fs.readFileSync(path.join(seed.directory, buildspecFile), 'utf8'));
  const byScript = seed.byScript as Record<string, z.ZodObject | undefined>;
  const undeclared = scripts.filter((s) => byScript[s] === undefined);
  if (undeclared.length > 0) {
    throw new Error(
      `${repo}/${buildspecFile} runs npm script(s) ${undeclared.join(', ')} whose environment the seed does not declare`,
    );
  }
  return {
    what: `${repo}/${buildspecFile} (${scripts.join(', ')})`,
    variables: [...new Set(scripts.flatMap((s) => requiredVariables(byScript[s] as z.ZodObject)))],
  };
}

/** Each problem: a CodeBuild project (run by a pipeline action) or function missing a required variable. */
export function environmentProblems(
  template: CfnTemplate,
  requirements: ProductRequirements = PRODUCT_REQUIREMENTS['deepar-forecasting'],
): string[] {
  const problems: string[] = [];
  const resources = Object.entries(template.Resources);
  // The environment variables each pipeline action adds to the project it runs.
  const actionEnvironments: Record<string, { action: string; names: string[] }[]> = {};
  for (const [, r] of resources.filter(([, candidate]) => candidate.Type === 'AWS::CodePipeline::Pipeline')) {
    for (const stage of r.Properties.Stages as {
      Actions: { Name: string; Configuration?: Record<string, unknown> }[];
    }[]) {
      for (const action of stage.Actions) {
        const ref = (action.Configuration?.ProjectName as { Ref?: string } | undefined)?.Ref;
        if (ref === undefined) continue;
        const names = actionVariableNames(action.Configuration?.EnvironmentVariables);
        (actionEnvironments[ref] ??= []).push({ action: action.Name, names });
      }
    }
  }
  for (const [logicalId, r] of resources) {
    if (r.Type === 'AWS::CodeBuild::Project') {
      const suffix = nameSuffix(r.Properties.Name);
      const env = (
        (r.Properties.Environment as { EnvironmentVariables?: { Name: string }[] }).EnvironmentVariables ?? []
      ).map((v) => v.Name);
      const buildspec = (r.Properties.Source as { BuildSpec: string }).BuildSpec;
      const seed = Object.entries(requirements.seeds).find(
        ([repo]) => suffix.startsWith(`-${repo}-`) && !buildspec.includes('\n'),
      );
      const other = Object.entries(OTHER_BUILD_REQUIREMENTS).find(([s]) => suffix.endsWith(s))?.[1];
      const requirement = seed ? seedRequirement(seed[0], seed[1], buildspec) : other;
      if (requirement === undefined) {
        problems.push(`${logicalId} (CodeBuild ${suffix}): no declared requirement for the code it runs`);
        continue;
      }
      const runs = actionEnvironments[logicalId] ?? [{ action: '(no pipeline action)', names: [] }];
      for (const run of runs) {
        const given = new Set([...env, ...run.names, ...SET_BY_CODEBUILD]);
        for (const name of requirement.variables.filter((v) => !given.has(v))) {
          problems.push(
            `${logicalId} (CodeBuild ${suffix}, action ${run.action}) runs ${requirement.what} without ${name}`,
          );
        }
      }
    }
    if (r.Type === 'AWS::Lambda::Function') {
      const suffix = nameSuffix(r.Properties.FunctionName);
      const requirement = Object.entries(requirements.lambdas).find(([s]) => suffix.endsWith(s))?.[1];
      if (requirement === undefined) {
        problems.push(`${logicalId} (Lambda ${suffix}): no declared requirement for the handler it runs`);
        continue;
      }
      const given = new Set(
        Object.keys((r.Properties.Environment as { Variables?: object } | undefined)?.Variables ?? {}),
      );
      for (const name of requirement.variables.filter((v) => !given.has(v))) {
        problems.push(`${logicalId} (Lambda ${suffix}) runs ${requirement.what} without ${name}`);
      }
    }
  }
  return problems;
}

let product: CfnTemplate;
let tabular: CfnTemplate;
beforeAll(() => {
  const synth = sharedCommittedSynth();
  const read = (name: string) =>
    JSON.parse(fs.readFileSync(synth.productTemplateFiles[name], 'utf8')) as CfnTemplate;
  product = read('deepar-forecasting');
  tabular = read('tabular-xgboost');
});

describe('environment contract on the synthesized product', () => {
  test('every CodeBuild project and Lambda function gets what its code requires', () => {
    expect(environmentProblems(product)).toEqual([]);
    // The action variables are read (DEPLOYMENT_STAGE comes from the SetThreshold actions only).
    const pipelines = Object.values(product.Resources).filter(
      (r) => r.Type === 'AWS::CodePipeline::Pipeline',
    );
    const actionVariables = JSON.stringify(pipelines).match(/DEPLOYMENT_STAGE/g) ?? [];
    expect(actionVariables.length).toBeGreaterThanOrEqual(2);
    // The check saw the seeded repositories' builds and the handlers (not an empty template).
    const builds = Object.values(product.Resources).filter((r) => r.Type === 'AWS::CodeBuild::Project');
    expect(builds.length).toBeGreaterThanOrEqual(8);
  });

  test('tabular-xgboost: every CodeBuild project and Lambda function gets what its code requires', () => {
    expect(environmentProblems(tabular, PRODUCT_REQUIREMENTS['tabular-xgboost'])).toEqual([]);
    const builds = Object.values(tabular.Resources).filter((r) => r.Type === 'AWS::CodeBuild::Project');
    expect(builds.length).toBeGreaterThanOrEqual(7);
  });

  test("negative control: the tabular generator checked against DeepAR's generator schema fails", () => {
    // The two generators share a function name suffix; each product is checked with its own schema.
    expect(environmentProblems(tabular, PRODUCT_REQUIREMENTS['deepar-forecasting'])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /\(Lambda .*-synthetic-data\) runs project-handlers synthetic-data without DATA_BUCKET$/,
        ),
      ]),
    );
  });

  test('negative control: a variable dropped from a template copy is named', () => {
    const copy = JSON.parse(JSON.stringify(product)) as CfnTemplate;
    const [id, build] = Object.entries(copy.Resources).find(([, r]) =>
      nameSuffix(r.Properties?.Name).endsWith('-model-build-build'),
    ) as [string, Resource];
    const env = build.Properties.Environment as { EnvironmentVariables: { Name: string }[] };
    env.EnvironmentVariables = env.EnvironmentVariables.filter((v) => v.Name !== 'PIPELINE_STEPS_ROLE_ARN');
    const [fnId, fn] = Object.entries(copy.Resources).find(([, r]) =>
      nameSuffix(r.Properties?.FunctionName).endsWith('-retrain'),
    ) as [string, Resource];
    delete (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
      .MODEL_BUILD_PIPELINE_NAME;
    expect(environmentProblems(copy)).toEqual([
      expect.stringMatching(
        new RegExp(`^${id} .*model-build/buildspec.yml .* without PIPELINE_STEPS_ROLE_ARN$`),
      ),
      expect.stringMatching(new RegExp(`^${fnId} .*retrain handler without MODEL_BUILD_PIPELINE_NAME$`)),
    ]);
  });

  test('negative control: a buildspec script without a declared environment is an error', () => {
    const seed = { ...SEED_ENVIRONMENTS['model-deploy'], byScript: {} };
    expect(() => seedRequirement('model-deploy', seed, 'buildspec-test.yml')).toThrow(
      /runs npm script\(s\) test:endpoint whose environment the seed does not declare/,
    );
  });
});

describe('generated example environments', () => {
  test('each committed config/example-environment.json is what generation gives', () => {
    expect(staleExamples()).toEqual([]);
  });

  test('negative control: an edited example is reported', () => {
    const edited = exampleEnvironmentFile(SEED_ENVIRONMENTS.monitoring);
    const read = (file: string): string =>
      file === edited
        ? generatedExample(SEED_ENVIRONMENTS.monitoring).replace('"rate(1 hour)"', '"rate(2 hours)"')
        : fs.readFileSync(file, 'utf8');
    expect(staleExamples(read)).toEqual([path.relative(process.cwd(), edited)]);
  });
});
