// Time helpers shared by the data step, the evaluation and the definition: the project frequency and
// grid alignment (the one shared grammar of @mlops-templates/metrics, e.g. 1H, 15min, 1D) and timestamp
// parsing (DeepAR's start format and ISO seconds are `deepArStart` / `isoSeconds` of the same package). All times are UTC epoch milliseconds.

export { alignDown, alignUp, parseFrequency } from '@mlops-templates/metrics';
export type { Frequency, FrequencyUnit } from '@mlops-templates/metrics';

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a timestamp: ISO-8601 (`2024-06-01T12:00:00Z`, with an offset, or without a zone = UTC),
 * Athena's `2024-06-01 12:00:00.000`, a date (UTC midnight) or epoch seconds (a number, as
 * Feature Store's Fractional event times). Returns epoch ms, or `undefined` when unparseable.
 */
export function parseTimestamp(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return parseTimestamp(Number(text));
  const match = ISO_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const values = [year, month, day, hour, minute, second].map(Number);
  const [y, mo, d, h, mi, s] = values;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s, millis);
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined; // e.g. 2024-02-30
  if (zone !== undefined && !/^(Z|UTC)$/i.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** `YYYY-MM-DD` (UTC) of an instant. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
