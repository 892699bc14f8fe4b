// Generates a deterministic series in the synthetic source's layout
// (<prefix>dt=YYYY-MM-DD/part-<first>-<last>.csv, header timestamp[,item_id],target, ISO-8601 UTC),
// and DeepAR responses with every quantile, for the collector tests.
import { DEFAULT_QUANTILES } from '@mlops-templates/metrics';

export const HOUR = 3_600_000;

/** The test series value of an item at an instant: a daily cycle around a per-item level. */
export function seriesValue(itemIndex: number, t: number): number {
  const hourOfDay = new Date(t).getUTCHours();
  return Math.round((100 + 20 * itemIndex + 10 * Math.sin((2 * Math.PI * hourOfDay) / 24)) * 1000) / 1000;
}

function compact(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * CSV objects for every step in [from, to] (one object per day, like a daily writer), as
 * `{ key, body }` under `prefix`. `items` = 0 → a single series without the item column.
 */
export function seriesObjects(
  prefix: string,
  from: number,
  to: number,
  stepMs: number,
  items: number,
  value: (item: number, t: number) => number | null = seriesValue,
): { key: string; body: string }[] {
  const byDay = new Map<string, number[]>();
  for (let t = from; t <= to; t += stepMs) {
    const day = new Date(t).toISOString().slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), t]);
  }
  return [...byDay.entries()].map(([day, times]) => {
    const header = items === 0 ? 'timestamp,target' : 'timestamp,item_id,target';
    const rows: string[] = [header];
    for (const t of times) {
      const iso = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (items === 0) rows.push(`${iso},${value(0, t) ?? ''}`);
      else
        for (let i = 0; i < items; i++)
          rows.push(`${iso},item_${String(i + 1).padStart(3, '0')},${value(i, t) ?? ''}`);
    }
    return {
      key: `${prefix}dt=${day}/part-${compact(times[0])}-${compact(times[times.length - 1])}.csv`,
      body: `${rows.join('\n')}\n`,
    };
  });
}

/**
 * A DeepAR response for a request body: for each instance, every default quantile and the mean over
 * `horizon` steps, around the mean of the instance's last 24 numeric targets (q_τ = level·(0.7+0.6τ)).
 */
export function fakeDeepArResponse(requestBody: string, horizon: number, bias = 1): string {
  const request = JSON.parse(requestBody) as { instances: { target: (number | string)[] }[] };
  const predictions = request.instances.map((instance) => {
    const numeric = instance.target.filter((y): y is number => typeof y === 'number').slice(-24);
    const level = (numeric.reduce((a, b) => a + b, 0) / Math.max(1, numeric.length)) * bias;
    const quantiles: Record<string, number[]> = {};
    for (const q of DEFAULT_QUANTILES)
      quantiles[q] = Array.from({ length: horizon }, () => level * (0.7 + 0.6 * Number(q)));
    return { quantiles, mean: Array.from({ length: horizon }, () => level) };
  });
  return JSON.stringify({ predictions });
}

/** wQL computed directly from its definition (independent of the metrics package), for checks. */
export function referenceMeanWql(
  pairs: { target: (number | null)[]; quantiles: Record<string, number[]> }[],
  levels: readonly string[] = DEFAULT_QUANTILES,
): number {
  let denominator = 0;
  const numerators = levels.map(() => 0);
  for (const { target, quantiles } of pairs) {
    target.forEach((y, k) => {
      if (y === null) return;
      denominator += Math.abs(y);
      levels.forEach((level, j) => {
        const tau = Number(level);
        const q = quantiles[level][k];
        numerators[j] += 2 * (tau * Math.max(y - q, 0) + (1 - tau) * Math.max(q - y, 0));
      });
    });
  }
  return numerators.reduce((a, n) => a + n / denominator, 0) / levels.length;
}
