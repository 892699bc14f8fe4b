// Time helpers of the collector: the series frequency (the shared grammar of @mlops-templates/metrics,
// as DeepAR's time_freq and the project parameter Frequency write it), DeepAR's `start` format, and
// UTC partition paths.

/** The project frequency, parsed by the one shared grammar (the product parameter's, every seed's). */
export { parseFrequency } from '@mlops-templates/metrics';
export type { Frequency } from '@mlops-templates/metrics';

/** ISO-8601 UTC with seconds precision, e.g. `2024-06-01T12:00:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** DeepAR's `start` format: `YYYY-MM-DD HH:MM:SS` (UTC). */
export function deepArStart(ms: number): string {
  return isoSeconds(ms).replace('T', ' ').replace('Z', '');
}

/** Compact UTC timestamp for ids and object names, e.g. `20240601T120000Z`. */
export function compactTimestamp(ms: number): string {
  return isoSeconds(ms).replace(/[-:]/g, '');
}

/** Parses a compact timestamp (`20240601T120000Z`); `undefined` when it is not one. */
export function parseCompactTimestamp(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `yyyy/mm/dd/hh` of a UTC instant (the S3 layout of data capture and ground truth). */
export function hourPath(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
}

/** `yyyy-mm-dd` of a UTC instant. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of every day touched by [fromMs, toMs], oldest first. */
export function daysBetween(fromMs: number, toMs: number): number[] {
  if (toMs < fromMs) return [];
  const first = Date.UTC(
    new Date(fromMs).getUTCFullYear(),
    new Date(fromMs).getUTCMonth(),
    new Date(fromMs).getUTCDate(),
  );
  const days: number[] = [];
  for (let day = first; day <= toMs; day += 86_400_000) days.push(day);
  return days;
}

/**
 * Parses an ISO-8601 date-time (`2024-06-01T12:00:00Z`, `2024-06-01 12:00:00+02:00`, or without a
 * zone, read as UTC); `undefined` when it is not one.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  const zone = (m[3] ?? 'Z').replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}
