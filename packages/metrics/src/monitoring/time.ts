// UTC time helpers of the monitoring collector (pure; moved from the monitoring seed, #15): hour and
// day partition paths and lenient ISO-8601 parsing of observation timestamps.

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
