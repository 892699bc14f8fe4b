// Configuration: the collector's environment, the committed monitoring config, the deployment
// environment (build file or committed example), alarm periods and stage names.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ALARM_EVALUATION_PERIODS_BUDGET,
  MONITORING_SCHEDULE_ALLOWED_PATTERN,
  parseFrequency,
  supportedFrequencies,
} from '@mlops-templates/metrics';
import { loadCollectorEnvironment } from '../src/collector/environment';
import { parseProjectConfig } from '../src/collector/settings';
import {
  exampleDeploymentEnvironment,
  loadDeploymentEnvironment,
  parseDeploymentEnvironment,
  stageNames,
} from '../src/infra/deployment-environment';
import { modelMonitorImageUri } from '../src/infra/model-monitor-image';
import { loadMonitoringConfig, parseMonitoringConfig } from '../src/infra/monitoring-config';
import { alarmPeriodSeconds, negativeHoursOffset, schedulePeriodSeconds } from '../src/infra/schedule';

const committed = loadMonitoringConfig();
const PROJECT_CONFIG = {
  dataSourceType: 'synthetic',
  dataSourceLocation: 's3://bucket/data/synthetic/',
  targetColumn: 'target',
  timestampColumn: 'timestamp',
  itemIdColumn: 'none',
  frequency: '1H',
  predictionLength: 24,
};
const example = exampleDeploymentEnvironment();

describe('collector environment', () => {
  const good = {
    STAGE: 'prod',
    ENDPOINT_NAME: 'sagemaker-p-1-prod',
    PROJECT_BUCKET: 'sagemaker-p-1-123456789012',
    METRIC_NAMESPACE: 'SageMakerProjects/demo-p-1',
    CONFIG_PARAMETER_NAME: '/sagemaker/demo-p-1/config',
    THRESHOLD_PARAMETER_NAME: '/sagemaker/demo-p-1/prod/alarm-threshold',
    COLLECTOR_SETTINGS: JSON.stringify(committed.collector),
  };

  test('reads a valid environment with default prefixes', () => {
    const env = loadCollectorEnvironment(good);
    expect(env).toMatchObject({
      stage: 'prod',
      monitoringPrefix: 'monitoring/',
      groundTruthPrefix: 'ground-truth/',
      dataCapturePrefix: 'data-capture/',
    });
    expect(env.settings).toEqual(committed.collector);
  });

  test('names every bad variable', () => {
    expect(() => loadCollectorEnvironment({ ...good, STAGE: 'dev', ENDPOINT_NAME: ' ' })).toThrow(
      /STAGE: .*; ENDPOINT_NAME: /,
    );
    expect(() => loadCollectorEnvironment({ ...good, COLLECTOR_SETTINGS: '{"contextLength": 0}' })).toThrow(
      /COLLECTOR_SETTINGS: contextLength/,
    );
  });

  test('ground truth can never go under the data-capture prefix', () => {
    expect(() => loadCollectorEnvironment({ ...good, GROUND_TRUTH_PREFIX: 'data-capture/gt/' })).toThrow(
      /must not be under DATA_CAPTURE_PREFIX/,
    );
  });
});

describe('project configuration (SSM)', () => {
  test('coerces the horizon and checks columns and frequency', () => {
    const config = parseProjectConfig(
      JSON.stringify({
        dataSourceType: 's3',
        dataSourceLocation: 's3://b/x/',
        targetColumn: 'y',
        timestampColumn: 'ts',
        itemIdColumn: 'none',
        frequency: '1D',
        predictionLength: '14',
        monitoringSchedule: 'rate(1 day)',
      }),
    );
    expect(config.predictionLength).toBe(14);
    expect(() => parseProjectConfig('{"dataSourceType":"kafka"}')).toThrow(/dataSourceType/);
    expect(() => parseProjectConfig('not json')).toThrow(/not JSON/);
  });
});

describe('monitoring config', () => {
  test('the committed config is valid and leaves the built-in monitor off until verified (#14 finding 7)', () => {
    // Unverified against multi-step ground truth and ~$55/month if it runs (and fails) every hour.
    expect(committed.modelQualityMonitor.enabled).toBe(false);
    expect(committed.accuracyAlarm.datapointsToAlarm).toBeLessThanOrEqual(
      committed.accuracyAlarm.evaluationPeriods,
    );
  });

  test('M must not exceed N; retention must be a CloudWatch value', () => {
    const raw = JSON.parse(JSON.stringify(committed));
    raw.accuracyAlarm = { datapointsToAlarm: 4, evaluationPeriods: 3 };
    raw.collectorFunction.logRetentionDays = 42;
    expect(() => parseMonitoringConfig(raw)).toThrow(/collectorFunction.logRetentionDays: must be one of/);
    expect(() => parseMonitoringConfig(raw)).toThrow(
      /accuracyAlarm: datapointsToAlarm \(M\) must not exceed evaluationPeriods \(N\)/,
    );
  });
});

describe('alarm periods', () => {
  test.each([
    ['rate(1 hour)', 3600],
    ['rate(30 minutes)', 1800],
    ['rate(2 hours)', 7200],
    ['rate(1 day)', 86400],
  ])('%s → %is', (expression, seconds) => expect(schedulePeriodSeconds(expression)).toBe(seconds));

  test('never shorter than the data frequency (each period should see new data)', () => {
    expect(alarmPeriodSeconds('schedule', 'rate(15 minutes)', [3], 3600)).toBe(3600);
    expect(alarmPeriodSeconds('schedule', 'rate(1 hour)', [3], 86_400)).toBe(86_400);
    expect(alarmPeriodSeconds('schedule', 'rate(15 minutes)', [3], 300)).toBe(900);
  });

  test('cron schedules use an hour (or the configured period)', () => {
    expect(alarmPeriodSeconds('schedule', 'cron(0 * * * ? *)', [3])).toBe(3600);
    expect(alarmPeriodSeconds(600, 'cron(0 * * * ? *)', [3])).toBe(600);
  });

  test('every accepted frequency gives alarms CloudWatch accepts with the committed config (issue #14 finding 3)', () => {
    // Before: the product accepted 1W (and 3D…99D), whose one-period-per-step alarms exceed 7 days × 3.
    for (const frequency of supportedFrequencies()) {
      const stepSeconds = parseFrequency(frequency).stepMs / 1000;
      for (const schedule of ['rate(1 hour)', 'rate(15 minutes)', 'cron(0 * ? * * *)']) {
        expect(() =>
          alarmPeriodSeconds(
            committed.alarmPeriodSeconds,
            schedule,
            [committed.accuracyAlarm.evaluationPeriods, committed.freshnessAlarm.evaluationPeriods],
            stepSeconds,
          ),
        ).not.toThrow();
      }
      const config = parseProjectConfig(JSON.stringify({ ...PROJECT_CONFIG, frequency }));
      expect(config.frequency).toBe(frequency);
    }
    expect(committed.accuracyAlarm.evaluationPeriods).toBeLessThanOrEqual(ALARM_EVALUATION_PERIODS_BUDGET);
    expect(committed.freshnessAlarm.evaluationPeriods).toBeLessThanOrEqual(ALARM_EVALUATION_PERIODS_BUDGET);
    expect(() => parseProjectConfig(JSON.stringify({ ...PROJECT_CONFIG, frequency: '1W' }))).toThrow(
      /frequency: .*168 hours/,
    );
  });

  test('every accepted MonitoringSchedule rate gives alarms CloudWatch accepts, with every accepted frequency', () => {
    // Before: the product accepted rate(3 days) (or rate(57 hours)), whose 3 alarm periods exceed 7 days.
    const allowed = new RegExp(MONITORING_SCHEDULE_ALLOWED_PATTERN);
    const rates: string[] = [];
    for (const unit of ['minutes', 'hours', 'days']) {
      for (let n = 1; n <= 4000; n++)
        if (allowed.test(`rate(${n} ${unit})`)) rates.push(`rate(${n} ${unit})`);
    }
    expect(rates.length).toBe(3360 + 56 + 2);
    const periods = [committed.accuracyAlarm.evaluationPeriods, committed.freshnessAlarm.evaluationPeriods];
    for (const frequency of supportedFrequencies()) {
      const stepSeconds = parseFrequency(frequency).stepMs / 1000;
      for (const schedule of rates) {
        alarmPeriodSeconds(committed.alarmPeriodSeconds, schedule, periods, stepSeconds);
      }
    }
    expect(() => alarmPeriodSeconds('schedule', 'rate(3 days)', periods)).toThrow(/604800s/);
  });

  test("CloudWatch's evaluation-range limits are enforced", () => {
    expect(() => alarmPeriodSeconds('schedule', 'rate(30 minutes)', [49])).toThrow(
      /exceeds CloudWatch's 86400s/,
    );
    expect(() => alarmPeriodSeconds('schedule', 'rate(1 day)', [8])).toThrow(/604800s/);
    expect(() => alarmPeriodSeconds('schedule', 'rate(5 minutes)', [3])).not.toThrow();
  });

  test('Model Monitor offsets are whole hours back', () => {
    expect(negativeHoursOffset(30 * 3_600_000)).toBe('-PT30H');
    expect(negativeHoursOffset(90 * 60_000)).toBe('-PT2H');
  });
});

describe('deployment environment', () => {
  test('without MONITORING_ENVIRONMENT_FILE the example is used, and said so', () => {
    const messages: string[] = [];
    const loaded = loadDeploymentEnvironment({}, (m) => messages.push(m));
    expect(loaded.example).toBe(true);
    expect(messages[0]).toMatch(/EXAMPLE parameters in .*example-environment\.json/);
  });

  test('the build file is used when given', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-env-')), 'environment.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        ...example,
        stages: {
          staging: { modelVersion: '9', endpointExists: true },
          prod: { modelVersion: 'none', endpointExists: false },
        },
      }),
    );
    const messages: string[] = [];
    const loaded = loadDeploymentEnvironment({ MONITORING_ENVIRONMENT_FILE: file }, (m) => messages.push(m));
    expect(loaded.example).toBe(false);
    expect(loaded.environment.stages.staging.modelVersion).toBe('9');
    expect(messages).toEqual([]);
  });

  test('names every bad variable', () => {
    const bad = {
      ...example,
      environment: { ...example.environment, NOTIFICATION_TOPIC_ARN: 'topic', PREDICTION_LENGTH: 'x' },
    };
    expect(() => parseDeploymentEnvironment(bad, 'f.json')).toThrow(
      /environment.NOTIFICATION_TOPIC_ARN: must be an SNS topic ARN; environment.PREDICTION_LENGTH/,
    );
  });

  test('stage names: own endpoint, collector name the scheduler may invoke, alarm prefixes', () => {
    const vars = parseDeploymentEnvironment(example, 'example').environment;
    const staging = stageNames(vars, 'staging');
    const prod = stageNames(vars, 'prod');
    expect(staging.endpointName).toBe(vars.STAGING_ENDPOINT_NAME);
    expect(prod.endpointName).toBe(vars.PROD_ENDPOINT_NAME);
    expect(prod.collectorName).toBe(`sagemaker-${vars.SAGEMAKER_PROJECT_ID}-collect-prod`);
    expect(prod.accuracyAlarmName).toBe(`${vars.ALARM_NAME_PREFIX}prod`);
    expect(prod.freshnessAlarmName.startsWith(vars.ALARM_NAME_PREFIX)).toBe(false);
    expect(prod.dashboardName).toBe(`sagemaker-${vars.SAGEMAKER_PROJECT_ID}-prod`);
    expect(() =>
      stageNames({ ...vars, ALARM_NAME_PREFIX: `sagemaker-${vars.SAGEMAKER_PROJECT_NAME}-` }, 'prod'),
    ).toThrow(/only accuracy alarms may/);
  });
});

describe('Model Monitor image', () => {
  test('from the region map', () => {
    expect(modelMonitorImageUri('eu-west-1')).toBe(
      '468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer',
    );
    expect(modelMonitorImageUri('cn-north-1')).toBe(
      '453000072557.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer',
    );
    expect(() => modelMonitorImageUri('xx-nowhere-1')).toThrow(/no Model Monitor analyzer image/);
  });
});
