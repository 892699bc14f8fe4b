// Quantile levels: the project's default set (one source of truth for training, monitoring and the
// CLI) and the normalisation of quantile keys ("0.50" and "0.5" name the same quantile).

import { MetricsInputError } from './errors';

/**
 * The quantile levels every part of the project evaluates by default: the levels DeepAR logs
 * `test:wQuantileLoss[τ]` for and averages into `test:mean_wQuantileLoss` (0.1 … 0.9).
 */
export const DEFAULT_QUANTILES: readonly string[] = Object.freeze([
  '0.1',
  '0.2',
  '0.3',
  '0.4',
  '0.5',
  '0.6',
  '0.7',
  '0.8',
  '0.9',
]);

const DECIMAL_LEVEL = /^0?\.\d+$/;
const canonicalKeyCache = new Map<string, string>();

/**
 * The canonical key of a quantile level, in the form DeepAR writes it (shortest decimal:
 * "0.50" → "0.5", ".1" → "0.1"). Throws {@link MetricsInputError} when the key is not a decimal
 * number strictly between 0 and 1 (e.g. "abc", "1.5", "0", "p50").
 */
export function normaliseQuantileKey(key: string): string {
  const cached = canonicalKeyCache.get(key);
  if (cached !== undefined) return cached;
  const level = Number(key);
  if (!DECIMAL_LEVEL.test(key) || !(level > 0 && level < 1)) {
    throw new MetricsInputError(
      `unknown quantile key ${JSON.stringify(key)}: expected a decimal level strictly between 0 and 1 such as "0.1" or "0.5"`,
    );
  }
  const canonical = String(level);
  if (canonicalKeyCache.size < 1024) canonicalKeyCache.set(key, canonical);
  return canonical;
}

/** The numeric level τ of a quantile key ("0.9" → 0.9). */
export function quantileLevel(key: string): number {
  return Number(normaliseQuantileKey(key));
}

/**
 * Normalises a list of quantile keys, sorted by level. Throws when two keys name the same level
 * ("0.5" and "0.50") or when a key is invalid.
 */
export function normaliseQuantileKeys(keys: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const key of keys) {
    const canonical = normaliseQuantileKey(key);
    const previous = seen.get(canonical);
    if (previous !== undefined) {
      throw new MetricsInputError(
        `quantile keys ${JSON.stringify(previous)} and ${JSON.stringify(key)} name the same level ${canonical}`,
      );
    }
    seen.set(canonical, key);
  }
  return [...seen.keys()].sort((a, b) => Number(a) - Number(b));
}

/**
 * Re-keys a record of per-quantile values by canonical quantile key. Throws when two keys name the
 * same level or a key is invalid.
 */
export function normaliseQuantileRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  const originalKeyOf: Record<string, string> = {};
  for (const key of Object.keys(record)) {
    const canonical = normaliseQuantileKey(key);
    if (Object.prototype.hasOwnProperty.call(out, canonical)) {
      throw new MetricsInputError(
        `quantile keys ${JSON.stringify(originalKeyOf[canonical])} and ${JSON.stringify(key)} name the same level ${canonical}`,
      );
    }
    out[canonical] = record[key];
    originalKeyOf[canonical] = key;
  }
  return out;
}
