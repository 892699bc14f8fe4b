// The build steps: the baselines read from a model package, the stage resolution over a fake AWS port,
// the artifact files, the bundle, and the committed configuration and example files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DATA_QUALITY_BASELINE_WINDOW_HOURS,
  renderExampleEnvironment,
} from '@mlops-templates/project-contract';
import { baselineUris, featureNames, modelQualityThreshold } from '../src/baselines';
import { bundleCollector } from '../src/build/bundle';
import { main, resolveStage, type ResolvePort } from '../src/build/resolve-environment';
import { writeArtifacts } from '../src/build/write-artifacts';
import {
  BASELINE_WINDOW_HOURS,
  loadMonitoringConfig,
  parseMonitoringConfig,
  retrainAlarmWindow,
} from '../src/config';
import {
  BUILD_VARIABLES,
  EXAMPLE_ENVIRONMENT_FILE,
  EXAMPLE_ENVIRONMENT_VARIABLES,
  exampleDeploymentEnvironment,
  parseDeploymentEnvironment,
} from '../src/environment';
import { buildMonitoringApp } from '../src/infra/app';

const S3 = 's3://sagemaker-p-abcdefghijkl-123456789012/pipeline-artifacts/e1';
/** Shapes of the AWS documentation's examples ("Schema for Statistics", "Create a model quality baseline"). */
const STATISTICS = {
  version: 0.0,
  dataset: { item_count: 2 },
  features: [
    { name: 'age', inferred_type: 'Integral' },
    { name: 'plan', inferred_type: 'String' },
  ],
};
const MQ_CONSTRAINTS = {
  version: 0.0,
  regression_constraints: {
    rmse: { threshold: 4.2, comparison_operator: 'GreaterThanThreshold' },
    r2: { threshold: 0.6, comparison_operator: 'LessThanThreshold' },
  },
  binary_classification_constraints: { auc: { threshold: 0.81, comparison_operator: 'LessThanThreshold' } },
};
const PACKAGE = {
  DriftCheckBaselines: {
    ModelDataQuality: {
      Statistics: { S3Uri: `${S3}/dq/statistics.json` },
      Constraints: { S3Uri: `${S3}/dq/constraints.json` },
    },
  },
  ModelMetrics: {
    ModelDataQuality: { Statistics: { S3Uri: 's3://elsewhere/ignored.json' } },
    ModelQuality: { Constraints: { S3Uri: `${S3}/mq/constraints.json` } },
  },
};

describe('baselines of a model package', () => {
  test('DriftCheckBaselines first, ModelMetrics for what it lacks; non-S3 URIs ignored', () => {
    expect(baselineUris(PACKAGE)).toEqual({
      dataQualityStatistics: `${S3}/dq/statistics.json`,
      dataQualityConstraints: `${S3}/dq/constraints.json`,
      modelQualityConstraints: `${S3}/mq/constraints.json`,
    });
    expect(
      baselineUris({ ModelMetrics: { ModelQuality: { Constraints: { S3Uri: 'https://x/y' } } } }),
    ).toEqual({
      dataQualityStatistics: undefined,
      dataQualityConstraints: undefined,
      modelQualityConstraints: undefined,
    });
  });

  test('feature names of a statistics file; malformed files are errors naming the file', () => {
    expect(featureNames(STATISTICS, 'stats.json')).toEqual(['age', 'plan']);
    expect(() => featureNames({ features: [] }, 'stats.json')).toThrow(
      /stats.json is not a data-quality statistics file/,
    );
    expect(() => featureNames({ features: [{ name: 'a' }, { name: 'a' }] }, 's.json')).toThrow(
      /repeats features a/,
    );
  });

  test('model-quality threshold of the problem type; a missing or contradicting constraint says why', () => {
    expect(modelQualityThreshold(MQ_CONSTRAINTS, 'regression', 'rmse')).toEqual({
      metric: 'rmse',
      threshold: 4.2,
      comparison: 'GreaterThanThreshold',
    });
    expect(modelQualityThreshold(MQ_CONSTRAINTS, 'binary', 'auc')).toEqual({
      metric: 'auc',
      threshold: 0.81,
      comparison: 'LessThanThreshold',
    });
    expect(modelQualityThreshold(MQ_CONSTRAINTS, 'regression', 'mae')).toEqual({
      reason: 'the constraints file has no regression_constraints.mae',
    });
    expect(modelQualityThreshold(MQ_CONSTRAINTS, 'regression', 'auc')).toEqual({
      reason: 'auc is not a regression model-quality metric',
    });
    const flipped = {
      regression_constraints: { rmse: { threshold: 1, comparison_operator: 'LessThanThreshold' } },
    };
    expect(modelQualityThreshold(flipped, 'regression', 'rmse')).toMatchObject({
      reason: expect.stringMatching(/expected GreaterThanThreshold/),
    });
    expect(
      modelQualityThreshold({ regression_constraints: { rmse: { threshold: 'x' } } }, 'regression', 'rmse'),
    ).toMatchObject({
      reason: expect.stringMatching(/malformed/),
    });
    expect(modelQualityThreshold(null, 'regression', 'rmse')).toMatchObject({ reason: expect.any(String) });
  });
});

/** A fake AWS: one endpoint serving package 3, whose baseline files are in `files`. */
function fakePort(files: Record<string, unknown>, overrides: Partial<ResolvePort> = {}): ResolvePort {
  return {
    endpointConfigOf: async (name) => (name.endsWith('-staging') ? 'cfg-1' : undefined),
    modelPackageOf: async () =>
      'arn:aws:sagemaker:eu-west-1:123456789012:model-package/sagemaker-p-abcdefghijkl-models/3',
    describeModelPackage: async () => PACKAGE,
    readJson: async (uri) => {
      if (!(uri in files)) throw new Error(`NoSuchKey ${uri}`);
      return files[uri];
    },
    ...overrides,
  };
}
const FILES = { [`${S3}/dq/statistics.json`]: STATISTICS, [`${S3}/mq/constraints.json`]: MQ_CONSTRAINTS };
const vars = exampleDeploymentEnvironment().environment;
const config = loadMonitoringConfig();

describe('resolve-environment', () => {
  test('a served package with both baselines: both monitors, features and threshold from the files', async () => {
    expect(await resolveStage(fakePort(FILES), vars, config, vars.STAGING_ENDPOINT_NAME)).toEqual({
      endpointExists: true,
      modelPackageArn:
        'arn:aws:sagemaker:eu-west-1:123456789012:model-package/sagemaker-p-abcdefghijkl-models/3',
      dataQuality: {
        statisticsUri: `${S3}/dq/statistics.json`,
        constraintsUri: `${S3}/dq/constraints.json`,
        features: ['age', 'plan'],
      },
      modelQuality: {
        constraintsUri: `${S3}/mq/constraints.json`,
        metric: 'rmse',
        threshold: 4.2,
        comparison: 'GreaterThanThreshold',
      },
      notes: [],
    });
  });

  test('no endpoint, no package, no baselines: monitors off with the reason', async () => {
    expect(await resolveStage(fakePort(FILES), vars, config, vars.PROD_ENDPOINT_NAME)).toMatchObject({
      endpointExists: false,
      dataQuality: null,
      notes: [expect.stringMatching(/does not exist yet/)],
    });
    expect(
      await resolveStage(
        fakePort(FILES, { modelPackageOf: async () => undefined }),
        vars,
        config,
        vars.STAGING_ENDPOINT_NAME,
      ),
    ).toMatchObject({
      endpointExists: true,
      modelPackageArn: null,
      modelQuality: null,
    });
    const bare = await resolveStage(
      fakePort(FILES, { describeModelPackage: async () => ({}) }),
      vars,
      config,
      vars.STAGING_ENDPOINT_NAME,
    );
    expect(bare).toMatchObject({ dataQuality: null, modelQuality: null });
    expect(bare.notes).toHaveLength(2);
  });

  test('multiclass: no model-quality monitor, with the reason (the softprob response has no class column)', async () => {
    const multiclass = { ...vars, PROBLEM_TYPE: 'multiclass' as const };
    const r = await resolveStage(fakePort(FILES), multiclass, config, vars.STAGING_ENDPOINT_NAME);
    expect(r.modelQuality).toBeNull();
    expect(r.dataQuality?.features).toEqual(['age', 'plan']);
    expect(r.notes).toEqual([
      expect.stringMatching(/no model-quality monitor for multiclass: .*multi:softprob/),
    ]);
    // Negative control: binary with the same package keeps its model-quality monitor.
    const binary = await resolveStage(
      fakePort(FILES),
      { ...vars, PROBLEM_TYPE: 'binary' },
      config,
      vars.STAGING_ENDPOINT_NAME,
    );
    expect(binary.modelQuality).toMatchObject({ metric: 'auc', threshold: 0.81 });
  });

  test('the CLI writes a valid environment file, exits 1 naming a missing variable, 2 without --code-key', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-')), 'environment.json');
    const env = { ...vars, PREDICTION_LENGTH: undefined } as unknown as NodeJS.ProcessEnv;
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['--code-key', 'monitoring/code/a.zip', '--out', out], env, fakePort(FILES))).toBe(0);
      const written = parseDeploymentEnvironment(JSON.parse(fs.readFileSync(out, 'utf8')), out);
      expect(written.stages.staging.dataQuality?.features).toEqual(['age', 'plan']);
      expect(written.stages.prod.endpointExists).toBe(false);
      expect(
        await main(
          ['--code-key', 'k.zip', '--out', out],
          { ...env, PROBLEM_TYPE: undefined },
          fakePort(FILES),
        ),
      ).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/PROBLEM_TYPE is not set/);
      expect(await main([], env)).toBe(2);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('artifacts and bundle', () => {
  test('write-artifacts: both templates and their configuration files with the code key', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'artifacts-'));
    const deployment = exampleDeploymentEnvironment();
    buildMonitoringApp({
      deployment,
      config,
      account: '123456789012',
      region: 'eu-west-1',
      outdir: path.join(out, 'cdk.out'),
    }).app.synth();
    const files = writeArtifacts(path.join(out, 'cdk.out'), path.join(out, 'a'), 'monitoring/code/b.zip');
    expect(files.map((f) => path.relative(out, f)).sort()).toEqual(
      [
        'a/monitoring/prod.config.json',
        'a/monitoring/prod.template.json',
        'a/monitoring/staging.config.json',
        'a/monitoring/staging.template.json',
      ].sort(),
    );
    expect(JSON.parse(fs.readFileSync(path.join(out, 'a/monitoring/prod.config.json'), 'utf8'))).toEqual({
      Parameters: { CollectorCodeKey: 'monitoring/code/b.zip' },
      Tags: { 'sagemaker:deployment-stage': 'prod' },
    });
    expect(() => writeArtifacts(path.join(out, 'missing'), out, 'k.zip')).toThrow();
  });

  test('bundle: one CommonJS file whose key is its sha256', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
    const bundle = await bundleCollector(dir, 'monitoring/');
    expect(bundle.s3Key).toMatch(/^monitoring\/code\/[0-9a-f]{64}\.zip$/);
    const code = fs.readFileSync(bundle.file, 'utf8');
    expect(code).toContain('ground-truth-collector');
    expect(code).not.toMatch(/require\("@aws-sdk\/client-s3"\)[\s\S]*ListObjectsV2Command=class/);
  });
});

describe('committed configuration', () => {
  test('config/example-environment.json is what the contract generates for EXAMPLE_ENVIRONMENT_VARIABLES (= BUILD_VARIABLES)', () => {
    expect(EXAMPLE_ENVIRONMENT_VARIABLES).toEqual(BUILD_VARIABLES);
    expect(fs.readFileSync(EXAMPLE_ENVIRONMENT_FILE, 'utf8')).toBe(
      renderExampleEnvironment(EXAMPLE_ENVIRONMENT_VARIABLES),
    );
  });

  test.each([
    [{ dataQuality: { driftThreshold: 0 } }, /driftThreshold/],
    // The retrain alarms' M of N is derived, not configured: the former keys are refused by name.
    [{ dataQuality: { driftThreshold: 0.1, evaluationPeriods: 3 } }, /evaluationPeriods/],
    [{ modelQuality: { ...loadMonitoringConfig().modelQuality, datapointsToAlarm: 2 } }, /datapointsToAlarm/],
    // The window is the project contract's: a local one is refused by name (it could diverge from
    // the span model-build's baseline describes).
    [{ retrainAlarms: { baselineWindowHours: 24 } }, /Unrecognized key[\s\S]*retrainAlarms/],
    [{ freshnessAlarm: { datapointsToAlarm: 4, evaluationPeriods: 3 } }, /must not exceed evaluationPeriods/],
    [{ modelQuality: { ...loadMonitoringConfig().modelQuality, endTimeOffset: 'PT1H' } }, /endTimeOffset/],
    [{ monitors: { ...loadMonitoringConfig().monitors, maxRuntimeInSeconds: 3600 } }, /maxRuntimeInSeconds/],
    [{ collector: { ...loadMonitoringConfig().collector, logRetentionDays: 2 } }, /logRetentionDays/],
    [{ extra: true }, /extra/],
  ])('config error %#', (patch, message) => {
    expect(() => parseMonitoringConfig({ ...loadMonitoringConfig(), ...patch })).toThrow(message);
  });

  test("the window is the project contract's, the one model-build's baseline describes (24 h, 24 of 24 hourly)", () => {
    expect(BASELINE_WINDOW_HOURS).toBe(DATA_QUALITY_BASELINE_WINDOW_HOURS);
    expect(BASELINE_WINDOW_HOURS).toBe(24);
    expect(retrainAlarmWindow(3600)).toEqual({ evaluationPeriods: 24, datapointsToAlarm: 24 });
  });
});

describe('retrain alarm window (M of N from the baseline window and the schedule period)', () => {
  test.each([
    [24, 3600, 24],
    [24, 86_400, 1],
    [36, 86_400, 2],
    [1, 3600, 1],
    [168, 3600, 168],
    [168, 86_400, 7],
  ])('%i h at %i s periods: %i of %i', (hours, period, n) => {
    expect(retrainAlarmWindow(period, hours)).toEqual({ evaluationPeriods: n, datapointsToAlarm: n });
  });

  test("beyond CloudWatch's 7-day evaluation range, or not whole hours: an error naming the key", () => {
    expect(() => retrainAlarmWindow(3600, 169)).toThrow(
      /DATA_QUALITY_BASELINE_WINDOW_HOURS 169: 169 periods of 3600 s exceed CloudWatch's 604800 s/,
    );
    expect(() => retrainAlarmWindow(86_400, 170)).toThrow(/8 periods of 86400 s/);
    expect(() => retrainAlarmWindow(3600, 0)).toThrow(/DATA_QUALITY_BASELINE_WINDOW_HOURS 0: .*at least 1/);
    expect(() => retrainAlarmWindow(3600, 2.5)).toThrow(/whole number/);
  });
});
