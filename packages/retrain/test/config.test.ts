// Configuration from the environment: defaults, blank-as-unset, and errors naming each variable.
import { CONFIG_DEFAULTS, ConfigError, loadConfig } from '../src/config';

const minimal = {
  ALARM_NAME_PREFIX: 'forecast-prod-',
  MODEL_BUILD_PIPELINE_NAME: 'forecast-prod-model-build',
};

describe('loadConfig', () => {
  test('one cooldown default (#14 finding 9): 6 h, the value the product and the RetrainLoop construct use', () => {
    expect(CONFIG_DEFAULTS.cooldownMinutes).toBe(360);
    expect(loadConfig(minimal).cooldownMinutes).toBe(CONFIG_DEFAULTS.cooldownMinutes);
  });

  test('RETRAIN_ATTEMPT_WINDOW_MINUTES: read, bounded, named in the error', () => {
    expect(loadConfig({ ...minimal, RETRAIN_ATTEMPT_WINDOW_MINUTES: '1440' }).attemptWindowMinutes).toBe(
      1440,
    );
    expect(() => loadConfig({ ...minimal, RETRAIN_ATTEMPT_WINDOW_MINUTES: '59' })).toThrow(
      /RETRAIN_ATTEMPT_WINDOW_MINUTES: must be at least 60/,
    );
  });

  test('defaults for everything optional', () => {
    expect(loadConfig(minimal)).toEqual({
      alarmNamePrefix: 'forecast-prod-',
      pipelineName: 'forecast-prod-model-build',
      cooldownMinutes: 360,
      maxAttempts: 3,
      attemptWindowMinutes: 10_080,
      notificationTopicArn: undefined,
      modelPackageGroupName: undefined,
      metricNamespace: 'MlopsRetrain',
      recheckIntervalMinutes: 60,
      gateThresholdParameterName: undefined,
    });
  });

  test('every variable read; blank optional ones count as unset', () => {
    const config = loadConfig({
      ...minimal,
      RETRAIN_COOLDOWN_MINUTES: '15',
      RETRAIN_MAX_ATTEMPTS: '5',
      NOTIFICATION_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:retrain-notifications',
      MODEL_PACKAGE_GROUP_NAME: '',
      METRIC_NAMESPACE: 'Forecast/Retrain',
      RECHECK_INTERVAL_MINUTES: '30',
      GATE_THRESHOLD_PARAMETER_NAME: '/sagemaker/forecast-p-abc123/gate-threshold',
    });
    expect(config).toMatchObject({
      cooldownMinutes: 15,
      maxAttempts: 5,
      notificationTopicArn: 'arn:aws:sns:eu-west-1:123456789012:retrain-notifications',
      modelPackageGroupName: undefined,
      metricNamespace: 'Forecast/Retrain',
      recheckIntervalMinutes: 30,
      gateThresholdParameterName: '/sagemaker/forecast-p-abc123/gate-threshold',
    });
    expect(loadConfig({ ...minimal, GATE_THRESHOLD_PARAMETER_NAME: 'gate_threshold.v1' })).toMatchObject({
      gateThresholdParameterName: 'gate_threshold.v1',
    });
    expect(loadConfig({ ...minimal, GATE_THRESHOLD_PARAMETER_NAME: ' ' }).gateThresholdParameterName).toBe(
      undefined,
    );
  });

  test('missing required variables are named', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(
      /ALARM_NAME_PREFIX is not set; MODEL_BUILD_PIPELINE_NAME is not set/,
    );
    expect(() => loadConfig({ ...minimal, ALARM_NAME_PREFIX: '  ' })).toThrow(/ALARM_NAME_PREFIX is not set/);
  });

  test.each([
    [
      'MODEL_BUILD_PIPELINE_NAME',
      'model_build',
      /MODEL_BUILD_PIPELINE_NAME: must be 1-256 letters, digits or inner hyphens/,
    ],
    ['RETRAIN_COOLDOWN_MINUTES', '1.5', /RETRAIN_COOLDOWN_MINUTES: must be a whole number/],
    ['RETRAIN_COOLDOWN_MINUTES', '-1', /RETRAIN_COOLDOWN_MINUTES: must be a whole number/],
    ['RETRAIN_MAX_ATTEMPTS', '0', /RETRAIN_MAX_ATTEMPTS: must be at least 1/],
    ['RETRAIN_MAX_ATTEMPTS', '1000', /RETRAIN_MAX_ATTEMPTS: must be at most 100/],
    ['NOTIFICATION_TOPIC_ARN', 'retrain-topic', /NOTIFICATION_TOPIC_ARN: must be an SNS topic ARN/],
    [
      'MODEL_PACKAGE_GROUP_NAME',
      'group_1',
      /MODEL_PACKAGE_GROUP_NAME: must be 1-63 letters, digits or inner hyphens/,
    ],
    ['RECHECK_INTERVAL_MINUTES', '0', /RECHECK_INTERVAL_MINUTES: must be at least 1/],
    [
      'GATE_THRESHOLD_PARAMETER_NAME',
      'sagemaker/p/gate',
      /GATE_THRESHOLD_PARAMETER_NAME: must be an SSM parameter name/,
    ],
    [
      'GATE_THRESHOLD_PARAMETER_NAME',
      '/sagemaker//gate',
      /GATE_THRESHOLD_PARAMETER_NAME: must be an SSM parameter name/,
    ],
    [
      'GATE_THRESHOLD_PARAMETER_NAME',
      '/sagemaker/gate/',
      /GATE_THRESHOLD_PARAMETER_NAME: must be an SSM parameter name/,
    ],
    [
      'GATE_THRESHOLD_PARAMETER_NAME',
      '/gate threshold',
      /GATE_THRESHOLD_PARAMETER_NAME: must be an SSM parameter name/,
    ],
    [
      'GATE_THRESHOLD_PARAMETER_NAME',
      `/${'g'.repeat(1011)}`,
      /GATE_THRESHOLD_PARAMETER_NAME: must be at most 1011 characters/,
    ],
  ])('%s=%s is rejected', (name, value, message) => {
    expect(() => loadConfig({ ...minimal, [name]: value })).toThrow(message);
  });
});
