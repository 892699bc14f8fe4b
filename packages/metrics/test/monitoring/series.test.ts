// The collector's series window: the request context (newest steps) and the horizon observations
// (steps AFTER the forecast start). Moved with the core from the monitoring seed (#15).
import { buildSeriesWindow, contextTarget, horizonObservations, itemKey, latestObservation } from '../../src';

const H = 3_600_000;
const t0 = Date.UTC(2024, 5, 1);

describe('series window', () => {
  const window = buildSeriesWindow([
    { itemId: 'a', timestamp: t0, value: 1 },
    { itemId: 'a', timestamp: t0 + H, value: 2 },
    { itemId: 'a', timestamp: t0 + 3 * H, value: 4 },
    { itemId: 'b', timestamp: t0 + 5 * H, value: 9 },
    { itemId: 'a', timestamp: t0 + H, value: 2.5 },
  ]);

  test('groups by item; a later read of the same timestamp wins; latest per item', () => {
    expect([...window.keys()]).toEqual(['a', 'b']);
    expect(window.get('a')!.values.get(t0 + H)).toBe(2.5);
    expect(window.get('a')!.latest).toBe(t0 + 3 * H);
    expect(latestObservation(window)).toBe(t0 + 5 * H);
    expect(latestObservation(buildSeriesWindow([]))).toBeUndefined();
  });

  test('context: the newest steps ending at the latest observation, gaps as null', () => {
    expect(contextTarget(window.get('a')!, 3, H)).toEqual({ start: t0 + H, target: [2.5, null, 4] });
    // Longer than the history: leading steps before the first observation are dropped.
    expect(contextTarget(window.get('a')!, 10, H)).toEqual({ start: t0, target: [1, 2.5, null, 4] });
  });

  test('horizon: values from the forecast start on, not the oldest points of the window', () => {
    const item = window.get(itemKey('a'));
    expect(horizonObservations(item, t0 + 2 * H, 3, H)).toEqual([null, 4, null]);
    expect(horizonObservations(item, t0 + H, 2, H)).toEqual([2.5, null]);
    expect(horizonObservations(undefined, t0, 2, H)).toEqual([null, null]);
  });
});
