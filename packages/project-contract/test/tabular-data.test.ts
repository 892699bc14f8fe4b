// The tabular data constants: the baseline window is a span monitoring's retrain alarms can wait for
// (whole hours, 1-168: CloudWatch's 7-day evaluation limit) and the identity columns are distinct
// CSV column names.
import {
  DATA_QUALITY_BASELINE_WINDOW_HOURS,
  SYNTHETIC_EVENT_TIME_COLUMN,
  SYNTHETIC_RECORD_ID_COLUMN,
} from '../src';

describe('tabular data constants', () => {
  test('the baseline window is whole hours within CloudWatch’s 7-day alarm evaluation range', () => {
    expect(Number.isInteger(DATA_QUALITY_BASELINE_WINDOW_HOURS)).toBe(true);
    expect(DATA_QUALITY_BASELINE_WINDOW_HOURS).toBeGreaterThanOrEqual(1);
    expect(DATA_QUALITY_BASELINE_WINDOW_HOURS * 3600).toBeLessThanOrEqual(604_800);
  });

  test('the synthetic identity columns are two different CSV column names', () => {
    for (const column of [SYNTHETIC_RECORD_ID_COLUMN, SYNTHETIC_EVENT_TIME_COLUMN]) {
      expect(column).toMatch(/^[^,"\r\n]+$/);
    }
    expect(SYNTHETIC_RECORD_ID_COLUMN).not.toBe(SYNTHETIC_EVENT_TIME_COLUMN);
  });
});
