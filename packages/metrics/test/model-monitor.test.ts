// The shared Model Monitor facts: the analyzer image of a region (AWS's published registry accounts)
// the merge record of one tabular label, and the monitoring builds' bundle key, environment document and
// `cdk synth` account and region.
import { z } from 'zod';
import {
  CODE_KEY_PATTERN,
  contentAddressedCodeKey,
  MODEL_MONITOR_IMAGE_REGISTRIES,
  monitoringEnvironmentSchema,
  modelMonitorImageUri,
  monitoringSynthTarget,
  parseGroundTruthRecord,
  toLabelGroundTruthRecord,
} from '../src';

describe('modelMonitorImageUri', () => {
  test('the region registry, the amazonaws.com.cn domain in China, an error elsewhere', () => {
    expect(modelMonitorImageUri('eu-west-1')).toBe(
      '468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer',
    );
    expect(modelMonitorImageUri('cn-north-1')).toBe(
      '453000072557.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer',
    );
    expect(() => modelMonitorImageUri('us-gov-east-1')).toThrow(
      /no Model Monitor analyzer image .*us-gov-east-1/,
    );
    // Not fooled by Object.prototype keys.
    expect(() => modelMonitorImageUri('constructor')).toThrow(/no Model Monitor analyzer image/);
  });

  test('every registry is a 12-digit account of a well-formed region', () => {
    const bad = Object.entries(MODEL_MONITOR_IMAGE_REGISTRIES).filter(
      ([region, account]) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region) || !/^\d{12}$/.test(account),
    );
    expect(bad).toEqual([]);
    expect(Object.keys(MODEL_MONITOR_IMAGE_REGISTRIES).length).toBeGreaterThan(20);
  });
});

describe('toLabelGroundTruthRecord', () => {
  test('is the documented merge record, CSV-encoded, and reads back with the parser', () => {
    const record = toLabelGroundTruthRecord('staging-42', '1');
    expect(record).toEqual({
      groundTruthData: { data: '1', encoding: 'CSV' },
      eventMetadata: { eventId: 'staging-42' },
      eventVersion: '0',
    });
    expect(parseGroundTruthRecord(JSON.parse(JSON.stringify(record)))).toEqual({
      eventId: 'staging-42',
      targets: [[1]],
    });
  });
});

describe('monitoring build facts', () => {
  const schema = monitoringEnvironmentSchema(z.object({ A: z.string() }), z.object({ on: z.boolean() }));
  test('the resolved-environment document: code key pattern, both stages', () => {
    const good = {
      environment: { A: 'x' },
      collectorCodeKey: 'monitoring/code/a.zip',
      stages: { staging: { on: true }, prod: { on: false } },
    };
    expect(schema.parse(good)).toEqual(good);
    expect(schema.safeParse({ ...good, collectorCodeKey: 'a.tar' }).success).toBe(false);
    expect(schema.safeParse({ ...good, stages: { staging: { on: true } } }).success).toBe(false);
  });
  test('content-addressed key', () => {
    const sha = 'a'.repeat(64);
    expect(contentAddressedCodeKey('monitoring/', sha)).toBe(`monitoring/code/${sha}.zip`);
    expect(CODE_KEY_PATTERN.test(contentAddressedCodeKey('monitoring/', sha))).toBe(true);
    expect(() => contentAddressedCodeKey('monitoring/', 'abc')).toThrow(/not a sha256/);
  });
  test("cdk synth's account and region: both variables, else the message naming both", () => {
    expect(
      monitoringSynthTarget({ CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: 'eu-west-1' }),
    ).toEqual({ account: '210987654321', region: 'eu-west-1' });
    const problem = {
      problem: 'monitoring: set CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (e.g. 123456789012 and eu-west-1)',
    };
    expect(monitoringSynthTarget({ CDK_DEFAULT_REGION: 'eu-west-1' })).toEqual(problem);
    expect(monitoringSynthTarget({ CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: '' })).toEqual(
      problem,
    );
    expect(monitoringSynthTarget({})).toEqual(problem);
  });
});
