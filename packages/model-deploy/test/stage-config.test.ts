// Stage configuration: the fixture stages.json (the DeepAR seed's committed one) is valid; bad configurations fail with one
// message naming every bad field.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STAGES_FILE } from './helpers';
import {
  checkInstanceType,
  ConfigError,
  hasLocalInstanceStorage,
  loadStagesConfig,
  parseStagesConfig,
  withInstanceTypes,
} from '../src/stage-config';

const committed = (): Record<string, Record<string, unknown>> =>
  JSON.parse(fs.readFileSync(STAGES_FILE, 'utf8'));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('stage configuration', () => {
  test('the committed config/stages.json is valid', () => {
    const config = loadStagesConfig(STAGES_FILE);
    expect(Object.keys(config)).toEqual(['staging', 'prod']);
    expect(config.staging.variantName).toBe(config.prod.variantName);
  });

  test('every bad field is named, in one error', () => {
    const doc = committed();
    doc.staging.instanceType = 'm5.large';
    doc.staging.instanceCount = 0;
    doc.prod.dataCaptureSamplingPercentage = 101;
    doc.prod.autoscaling = { minCapacity: 3, maxCapacity: 2, targetInvocationsPerInstance: -1 };
    const message = errorOf(() => parseStagesConfig(doc)).message;
    expect(message).toContain('config/stages.json is invalid');
    expect(message).toMatch(/staging\.instanceType: must be a SageMaker instance type/);
    expect(message).toMatch(/staging\.instanceCount: must be ≥ 1/);
    expect(message).toMatch(/prod\.dataCaptureSamplingPercentage: must be ≤ 100/);
    expect(message).toMatch(/prod\.autoscaling\.targetInvocationsPerInstance: must be > 0/);
  });

  test('missing fields, wrong types and unknown fields', () => {
    const doc = committed();
    delete doc.staging.variantName;
    doc.prod.instanceCount = '2';
    doc.prod.instanceTypo = 'ml.m5.large';
    const message = errorOf(() => parseStagesConfig(doc)).message;
    expect(message).toMatch(/staging\.variantName: is required/);
    expect(message).toMatch(/prod\.instanceCount: must be a number, got string/);
    expect(message).toMatch(/prod: unknown field\(s\) "instanceTypo"/);
    expect(errorOf(() => parseStagesConfig({ staging: committed().staging })).message).toMatch(
      /prod: is required/,
    );
  });

  test('autoscaling bounds and the instance count', () => {
    const doc = committed();
    doc.prod.autoscaling = { minCapacity: 3, maxCapacity: 2, targetInvocationsPerInstance: 100 };
    expect(errorOf(() => parseStagesConfig(doc)).message).toMatch(
      /prod\.autoscaling\.maxCapacity: must be ≥ minCapacity \(2 < 3\)/,
    );
    doc.prod.autoscaling = { minCapacity: 3, maxCapacity: 4, targetInvocationsPerInstance: 100 };
    doc.prod.instanceCount = 1;
    expect(errorOf(() => parseStagesConfig(doc)).message).toMatch(
      /prod\.instanceCount: must be within autoscaling minCapacity\.\.maxCapacity \(3\.\.4\), got 1/,
    );
  });

  test('autoscaling is optional per stage, with default cooldowns', () => {
    const doc = committed();
    delete doc.prod.autoscaling;
    doc.staging.autoscaling = { minCapacity: 1, maxCapacity: 2, targetInvocationsPerInstance: 50 };
    const config = parseStagesConfig(doc);
    expect(config.prod.autoscaling).toBeUndefined();
    expect(config.staging.autoscaling).toEqual({
      minCapacity: 1,
      maxCapacity: 2,
      targetInvocationsPerInstance: 50,
      scaleInCooldownSeconds: 300,
      scaleOutCooldownSeconds: 60,
    });
  });

  test('rollout: step size rules and the execution timeout', () => {
    const doc = committed();
    const rollout = doc.prod.rollout as Record<string, unknown>;
    delete rollout.stepPercent;
    expect(errorOf(() => parseStagesConfig(doc)).message).toMatch(
      /prod\.rollout\.stepPercent: is required with trafficRouting CANARY/,
    );
    rollout.trafficRouting = 'LINEAR';
    rollout.stepPercent = 5;
    expect(errorOf(() => parseStagesConfig(doc)).message).toMatch(
      /prod\.rollout\.stepPercent: must be ≥ 10 with trafficRouting LINEAR/,
    );
    rollout.trafficRouting = 'ROLLING';
    expect(errorOf(() => parseStagesConfig(doc)).message).toMatch(
      /prod\.rollout\.trafficRouting: must be "ALL_AT_ONCE", "CANARY" or "LINEAR"/,
    );
    rollout.trafficRouting = 'ALL_AT_ONCE';
    delete rollout.stepPercent;
    rollout.waitIntervalSeconds = 3600;
    rollout.terminationWaitSeconds = 3600;
    rollout.maximumExecutionTimeoutSeconds = 3600;
    expect(errorOf(() => parseStagesConfig(doc)).message).toMatch(
      /prod\.rollout\.maximumExecutionTimeoutSeconds: must be larger than waitIntervalSeconds \+ terminationWaitSeconds \(7200\)/,
    );
  });

  test('instance types with local storage are refused (no volume KMS key possible)', () => {
    expect(hasLocalInstanceStorage('ml.m5d.large')).toBe(true);
    expect(hasLocalInstanceStorage('ml.g4dn.xlarge')).toBe(true);
    expect(hasLocalInstanceStorage('ml.c6id.large')).toBe(true);
    expect(hasLocalInstanceStorage('ml.g5.xlarge')).toBe(true);
    expect(hasLocalInstanceStorage('ml.m5.large')).toBe(false);
    expect(hasLocalInstanceStorage('ml.c5.xlarge')).toBe(false);
    expect(hasLocalInstanceStorage('ml.c6i.large')).toBe(false);
    const doc = committed();
    doc.staging.instanceType = 'ml.m5d.large';
    expect(errorOf(() => parseStagesConfig(doc)).message).toMatch(
      /staging\.instanceType: has local instance storage/,
    );
    expect(() => checkInstanceType('ml.g4dn.xlarge', 'SSM config prodInstanceType')).toThrow(
      /SSM config prodInstanceType: "ml.g4dn.xlarge" has local instance storage/,
    );
  });

  test('file errors name the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stages-'));
    const file = path.join(dir, 'stages.json');
    fs.writeFileSync(file, '{ not json');
    expect(errorOf(() => loadStagesConfig(file)).message).toContain(`${file} is not valid JSON`);
    expect(errorOf(() => loadStagesConfig(path.join(dir, 'missing.json'))).message).toMatch(
      /cannot read the stage configuration/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('instance types from the project configuration replace the file values', () => {
    const config = loadStagesConfig(STAGES_FILE);
    const changed = withInstanceTypes(config, { prod: 'ml.c5.xlarge' });
    expect(changed.prod.instanceType).toBe('ml.c5.xlarge');
    expect(changed.staging).toBe(config.staging);
  });
});
