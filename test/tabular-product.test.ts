// The tabular XGBoost product as the portfolio publishes it, next to DeepAR's (issue #17): the shared
// handlers are the same bundles (the same asset keys) in both products; the retrain policy is the one the
// loop simulator's covariate-drift scenario shows without a storm; the synthetic source feeds the model
// build's input; and the parameter Rules refuse a gate metric that does not suit the problem type.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedCommittedSynth } from './support/synth';

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
interface CfnTemplate {
  readonly Resources: Record<string, Resource>;
  readonly Rules: Record<string, { RuleCondition: unknown; Assertions: { Assert: unknown }[] }>;
}

let deepAr: CfnTemplate;
let tabular: CfnTemplate;
beforeAll(() => {
  const synth = sharedCommittedSynth();
  const read = (name: string) =>
    JSON.parse(fs.readFileSync(synth.productTemplateFiles[name], 'utf8')) as CfnTemplate;
  deepAr = read('deepar-forecasting');
  tabular = read('tabular-xgboost');
});

/** S3 key of the code of the function whose logical id starts with `prefix`. */
function codeKey(t: CfnTemplate, prefix: string): string | undefined {
  const entry = Object.entries(t.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id),
  );
  return (entry?.[1].Properties.Code as { S3Key?: string } | undefined)?.S3Key;
}

/** Environment variables of that function. */
function functionEnv(t: CfnTemplate, prefix: string): Record<string, unknown> {
  const entry = Object.entries(t.Resources).find(([id]) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  return (entry?.[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

describe('tabular-xgboost product', () => {
  test.each([
    'RetrainHandlerFunction',
    'TeardownHandlerFunction',
    'StartDeployFunction',
    'RepositorySeedingHandlerFunction',
  ])('%s: the same bundle as in the DeepAR product', (prefix) => {
    const key = codeKey(tabular, prefix);
    expect(key).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(codeKey(deepAr, prefix)).toBe(key);
  });

  test("negative control: the two products' own generators are different bundles", () => {
    const tabularGenerator = codeKey(tabular, 'SyntheticDataGeneratorFunction');
    expect(tabularGenerator).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(codeKey(deepAr, 'SyntheticDataGeneratorFunction')).not.toBe(tabularGenerator);
  });

  test("the retrain cooldown and attempts are the covariate-drift scenario's policy", () => {
    const scenario = JSON.parse(
      fs.readFileSync(
        path.join(__dirname, '..', 'packages', 'loop-sim', 'scenarios', 'covariate-drift.json'),
        'utf8',
      ),
    ) as { policy: { cooldownMinutes: number; maxAttempts: number } };
    const env = functionEnv(tabular, 'RetrainHandlerFunction');
    expect(env.RETRAIN_COOLDOWN_MINUTES).toBe(String(scenario.policy.cooldownMinutes));
    expect(env.RETRAIN_MAX_ATTEMPTS).toBe(String(scenario.policy.maxAttempts));
    // DeepAR keeps its own (shorter) cooldown: the policy is a template setting, not the retrain code's.
    expect(functionEnv(deepAr, 'RetrainHandlerFunction').RETRAIN_COOLDOWN_MINUTES).not.toBe(
      env.RETRAIN_COOLDOWN_MINUTES,
    );
  });

  test('the synthetic generator writes where the model build reads, and its labels beside it', () => {
    const env = functionEnv(tabular, 'SyntheticDataGeneratorFunction');
    const build = Object.values(tabular.Resources).find(
      (r) =>
        r.Type === 'AWS::CodeBuild::Project' &&
        JSON.stringify(r.Properties.Name).includes('-model-build-build'),
    );
    const vars = (
      build?.Properties.Environment as { EnvironmentVariables: { Name: string; Value: unknown }[] }
    ).EnvironmentVariables;
    const uri = JSON.stringify(vars.find((v) => v.Name === 'DATA_SOURCE_URI')?.Value);
    expect(uri).toContain(`/${String(env.DATA_PREFIX)}`);
    expect(String(env.SYNTHETIC_LABELS_PREFIX).startsWith(String(env.DATA_PREFIX))).toBe(false);
    const traffic = functionEnv(tabular, 'SyntheticTrafficSenderFunction');
    expect(traffic.DATA_PREFIX).toBe(env.DATA_PREFIX);
  });

  test('the model-deploy pipeline has no SetThreshold action (the alarms use the baseline constraints)', () => {
    const pipelines = JSON.stringify(
      Object.values(tabular.Resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline'),
    );
    expect(pipelines).toContain('TestStagingEndpoint');
    expect(pipelines).not.toContain('SetThreshold');
    // Negative control: DeepAR's pipeline has them.
    expect(JSON.stringify(deepAr.Resources)).toContain('SetThresholdStaging');
  });

  test('a Rule per problem type bounds the gate metric', () => {
    const rules = ['RegressionGateMetric', 'BinaryGateMetric', 'MulticlassGateMetric'].map(
      (id) => tabular.Rules[id],
    );
    expect(rules.every((r) => r !== undefined)).toBe(true);
    expect(JSON.stringify(rules[0])).toContain('"rmse","mae"');
    expect(JSON.stringify(rules[1])).toContain('"auc","f1"');
  });
});
