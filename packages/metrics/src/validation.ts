// Validation helpers on top of zod: short located messages ("predictions.0.mean: element 3 is
// \"x\", expected finite numbers") and fast schemas for the numeric arrays of forecasts.

import { z } from 'zod';

/** A one-line description of the first issues of a zod error, each with its path. */
export function describeZodError(error: z.ZodError, maxIssues = 3): string {
  const shown = error.issues.slice(0, maxIssues).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

const isFiniteNumber = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
const isFiniteNumberOrNull = (x: unknown): boolean => x === null || isFiniteNumber(x);

function arrayOf<T>(isValid: (x: unknown) => boolean, expected: string): z.ZodType<T[]> {
  return z.custom<T[]>((value) => Array.isArray(value) && value.every(isValid), {
    error: (issue) => {
      const value = issue.input;
      if (!Array.isArray(value)) return `expected an array of ${expected}`;
      const i = value.findIndex((x) => !isValid(x));
      return `element ${i} is ${JSON.stringify(value[i]) ?? 'undefined'}, expected ${expected}`;
    },
  });
}

/**
 * A schema for an array of finite numbers, checked in one loop per array rather than one schema
 * per element (the numeric payloads are the hot path). The error names the first bad element.
 */
export function finiteNumberArray(): z.ZodType<number[]> {
  return arrayOf<number>(isFiniteNumber, 'finite numbers');
}

/** Like {@link finiteNumberArray}, with `null` allowed for missing values. */
export function nullableNumberArray(): z.ZodType<(number | null)[]> {
  return arrayOf<number | null>(isFiniteNumberOrNull, 'finite numbers or null');
}
