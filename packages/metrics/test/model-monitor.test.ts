// The shared Model Monitor facts: the analyzer image of a region (AWS's published registry accounts)
// and the merge record of one tabular label.
import {
  MODEL_MONITOR_IMAGE_REGISTRIES,
  modelMonitorImageUri,
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
